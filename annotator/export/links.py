"""Relations in the exports: each relation's two spans found among the record's, never dropped silently."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.export.errors import ExportError, where
from annotator.export.records import LayerRecord
from annotator.model import Relation, Span


def linked(record: LayerRecord) -> list[tuple[Span, Span, Relation]]:
    """(head span, child span, relation) of every relation of the record; ExportError when a span is not the record's."""
    by_id = {span.id: span for span in record.spans if span.id is not None}
    out: list[tuple[Span, Span, Relation]] = []
    for relation in record.relations:
        head = by_id.get(relation.head_span_id)
        child = by_id.get(relation.child_span_id)
        if head is None or child is None:
            missing = relation.head_span_id if head is None else relation.child_span_id
            raise ExportError(
                f"{where(record.document.id, record.annotator)}: the {relation.label!r} relation "
                f"points at span id {missing}, which is not a span of this layer"
            )
        out.append((head, child, relation))
    return out


def prodigy_relations(
    pairs: Sequence[tuple[Span, Span, Relation]], token_starts: Sequence[int], token_ends: Sequence[int]
) -> list[dict[str, Any]]:
    """Prodigy's form: `head`/`child` are the last token of each span, `head_span`/`child_span` the spans themselves."""
    from bisect import bisect_left

    def span_dict(span: Span) -> dict[str, Any]:
        return {
            "start": span.start,
            "end": span.end,
            "token_start": bisect_left(token_starts, span.start),
            "token_end": bisect_left(token_ends, span.end),
            "label": span.label,
        }

    out = []
    for head, child, relation in pairs:
        head_span, child_span = span_dict(head), span_dict(child)
        out.append(
            {
                "head": head_span["token_end"],
                "child": child_span["token_end"],
                "head_span": head_span,
                "child_span": child_span,
                "label": relation.label,
            }
        )
    return out


def left_out_note(format_name: str, count: int) -> str:
    """The one stderr line of a format that has no place for relations."""
    return (
        f"{format_name} has no place for relations: {count} relation{'s' if count != 1 else ''} "
        "not in this export (use -f jsonl, prodigy, doccano or labelstudio)"
    )
