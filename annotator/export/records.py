"""What an export reads and produces: one document's layer in, one rendered chunk out, streamed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from annotator.export.errors import ExportError
from annotator.model import Document, Relation, Span
from annotator.store import Store


@dataclass(frozen=True, slots=True)
class LayerRecord:
    """One document with one annotator's (or gold's) spans."""

    document: Document
    annotator: str
    spans: list[Span]
    status: str | None = None
    """The layer's status for this document as stored; None when the annotator never opened it."""
    context: tuple[Span, ...] = ()
    """Every layer's spans of this document (every annotator and gold): where tokens are cut and
    sentences joined, so that each annotator's export of the document has the same tokens."""
    relations: tuple[Relation, ...] = ()
    """The layer's relations; head and child are ids of spans in `spans`."""

    @property
    def edges(self) -> tuple[Span, ...]:
        """The spans whose edges cut tokens: the context when known, else the record's own spans."""
        return self.context or tuple(self.spans)


@dataclass(frozen=True, slots=True)
class Rendered:
    """The text a format writes for one LayerRecord, and what it holds."""

    text: str
    records: int
    spans: int
    sentences: int
    relations: int = 0
    """Relations written."""
    left_out: int = 0
    """Relations of the record the format has no place for (said once on stderr, never silently)."""


class Format(Protocol):
    """An export format: renders (and checks) records, and names the files written beside them."""

    name: str
    extension: str

    def render(self, record: LayerRecord) -> Rendered:
        """The checked text of one record; ExportError when a check fails."""
        ...

    def companions(self) -> dict[str, str]:
        """Suffix → content of files written beside the records (e.g. the HF label list)."""
        ...


def iter_records(store: Store, plan: Sequence[tuple[str, tuple[str, ...]]]) -> Iterator[LayerRecord]:
    """Stream the planned (document id, annotators) pairs document by document, in plan order, with their relations."""
    statuses: dict[str, dict[str, str]] = {}
    layers_of: dict[str, set[str]] = {}  # document → the annotators with spans on it
    for entry in store.overview():
        layers_of[entry["id"]] = {name for name, value in entry["annotators"].items() if value["spans"]}
    linked = store.relation_layers()  # (document, annotator) of the layers holding a relation: read those only
    for document_id, annotators in plan:
        for annotator in annotators:
            if annotator not in statuses:
                statuses[annotator] = store.statuses(annotator)
        document = store.document(document_id)
        if document is None:
            raise ExportError(f"document {document_id!r} disappeared during the export")
        others = layers_of.get(document_id, set()) - set(annotators)
        if len(annotators) == 1 and not others:  # the common case: one layer, nobody else's spans to cut at
            by_annotator = {annotators[0]: store.spans(document_id, annotators[0])}
            context: tuple[Span, ...] = ()
        else:
            by_annotator = store.all_spans(document_id)
            context = tuple(span for group in by_annotator.values() for span in group)
        for annotator in annotators:
            relations = tuple(store.relations(document_id, annotator)) if (document_id, annotator) in linked else ()
            yield LayerRecord(
                document,
                annotator,
                by_annotator.get(annotator, []),
                statuses[annotator].get(document_id),
                context,
                relations,
            )
