"""Training data: one layer's finished documents as spaCy Docs, entity layer only, whole-word boundaries.

The Docs come from the DocBin export (`annotator.export.docbin`), which lays the spans out on the
export's word tokens with `expand` boundaries (a span that cuts a word, «الأنبار» in «بالأنبار», is
widened to the word, as spaCy's tokenizer keeps proclitics joined) and checks every span against the
Doc it builds. The split into training and dev documents is the export's seeded split by document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from annotator.model import ENTITY_LAYER, GOLD
from annotator.model_loop.errors import ModelError, import_spacy
from annotator.store import Store

MIN_DOCUMENTS = 2


@dataclass(frozen=True)
class TrainingSet:
    """The chosen layer's finished documents, as reference Docs in corpus order, and the entity labels."""

    layer: str
    ids: list[str]
    docs: list[Any]  # spacy.tokens.Doc, built in the vocab given to `training_set`
    labels: list[str]
    names: list[str]
    """The first word of every entity span as stored (clitics outside), sorted: what `predict(names=...)` trims to."""


def finished(store: Store, layer: str) -> list[str]:
    """Ids of the layer's finished documents in corpus order: done, or adjudicated for gold."""
    return store.done_documents(layer)


def training_set(store: Store, layer: str, vocab: Any) -> TrainingSet:
    """The layer's finished documents as Docs (entities on whole words); ModelError when fewer than two."""
    import_spacy()
    from annotator.export.docbin import SpacyFormat
    from annotator.export.errors import ExportError
    from annotator.export.names import EXPAND
    from annotator.export.records import iter_records

    with store.snapshot():
        if layer != GOLD and layer not in store.annotators():
            known = ", ".join(store.annotators()) or "none yet"
            raise ModelError(f"no annotator {layer!r} in {store.path} (annotators: {known}; or --from gold)")
        ids = finished(store, layer)
        if len(ids) < MIN_DOCUMENTS:
            what = "adjudicated" if layer == GOLD else "marked done"
            raise ModelError(
                f"training needs at least {MIN_DOCUMENTS} finished documents of {layer}, and {len(ids)} "
                f"{'is' if len(ids) == 1 else 'are'} {what}: finish more articles first"
            )
        schema = store.label_schema()
        entity_labels = schema.in_layer(ENTITY_LAYER)
        if not entity_labels:
            raise ModelError("the label schema has no entity label to train on")
        fmt = SpacyFormat(schema.layer_of, [ENTITY_LAYER], EXPAND)
        names: set[str] = set()
        try:
            for record in iter_records(store, [(document_id, (layer,)) for document_id in ids]):
                fmt.render(record)
                text = record.document.text
                names.update(
                    text[span.start : span.end].split()[0]
                    for span in record.spans
                    if span.label in entity_labels and text[span.start : span.end].strip()
                )
        except ExportError as exc:
            raise ModelError(str(exc)) from None
    docs = list(fmt.docbin.get_docs(vocab))
    return TrainingSet(layer, ids, docs, entity_labels, sorted(names))


def split_documents(ids: Sequence[str], dev: float, seed: int) -> tuple[list[str], list[str]]:
    """(train, dev) ids, split by document with the export's seeded shuffle; each side gets at least one."""
    from annotator.export.run import assign_splits

    if not 0 < dev < 1:
        raise ModelError(f"--dev {dev:g}: give a fraction above 0 and below 1 (e.g. 0.2)")
    split = assign_splits(list(ids), [("train", 1 - dev), ("dev", dev)], seed)
    train = [d for d in ids if split[d] == "train"]
    held = [d for d in ids if split[d] == "dev"]
    if not held:  # a small set rounds the dev share to nothing: hold out the last training document
        held, train = train[-1:], train[:-1]
    if not train:
        train, held = held[:1], held[1:]
    return train, held
