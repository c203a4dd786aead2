"""A model in the loop: train a spaCy NER pipeline on a layer, and read its predictions as suggestions.

spaCy is an optional extra (`pip install 'annotator[model]'`): every module here imports it inside its
functions, through `errors.import_spacy`, so that the rest of the tool works without it. Nothing here
imports Textual.
"""
