"""Readers of other tools' files (Prodigy, doccano, Label Studio, spaCy DocBin, CoNLL) for `annotator import`.

Each reader turns what it reads into records of our own JSONL shape (`id`, `text`, `title`, `meta`,
`annotator`, `spans`, `status`), so one validator (annotator.importer) checks every format alike.
A record that carries annotations a reader cannot express is an error, never a silent drop.
"""
