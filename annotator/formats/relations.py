"""Relations read from files: each tool's form turned into links between a record's spans.

A link is (head position, child position, label): positions in the record's `spans` list as the
validator reads it, so a link follows its spans into `ParsedImport` whatever the format was.
Prodigy's form (ours in JSONL too) names each end by its span (`head_span`, `child_span`); doccano
by entity id (`from_id`, `to_id`); Label Studio by region id with a direction. Anything that cannot
be read is an error naming where, never a silent drop; what the links mean (labels, which span may be
a head) is checked once for every format by `check_links`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from annotator.model import Relation, Span, relation_problems

Link = tuple[int, int, str]
"""(head position, child position, label) in the record's spans."""


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _span_key(value: Any) -> tuple[int, int, str] | None:
    """(start, end, label) of a span object, or None when it is not one."""
    if not isinstance(value, dict):
        return None
    start, end, label = value.get("start"), value.get("end"), value.get("label")
    if (
        not isinstance(start, int)
        or not isinstance(end, int)
        or not _int(start)
        or not _int(end)
        or not isinstance(label, str)
    ):
        return None
    return start, end, label


def prodigy_links(record: dict[str, Any]) -> tuple[dict[str, Any], list[Link], str | None]:
    """Prodigy's `relations` (`head_span`, `child_span`, `label`) → links; (record, links, problem).

    A relation's span missing from `spans` is added to them: Prodigy's one-layer records (ours with
    `--layer`) carry the other layer's end of a link only in the relation.
    """
    raw = record.get("relations")
    if not isinstance(raw, list):
        return record, [], '"relations" must be a list'
    spans = record.get("spans")
    if spans is None:
        spans = []
    if not isinstance(spans, list):
        return record, [], '"spans" must be a list'
    spans = list(spans)
    where_is: dict[tuple[int, int, str], int] = {}
    for n, span in enumerate(spans):
        key = _span_key(span)
        if key is not None:
            where_is.setdefault(key, n)
    links: list[Link] = []
    for r, relation in enumerate(raw):
        if not isinstance(relation, dict):
            return record, [], f"relation {r} is not an object"
        ends = [_span_key(relation.get("head_span")), _span_key(relation.get("child_span"))]
        label = relation.get("label")
        if ends[0] is None or ends[1] is None or not isinstance(label, str):
            return (
                record,
                [],
                (f'relation {r} needs "head_span" and "child_span" ({{start, end, label}}) and a "label" string'),
            )
        positions = []
        for start, end, span_label in (end for end in ends if end is not None):
            key = (start, end, span_label)
            if key not in where_is:
                where_is[key] = len(spans)
                spans.append({"start": start, "end": end, "label": span_label})
            positions.append(where_is[key])
        links.append((positions[0], positions[1], label))
    return {**record, "spans": spans}, links, None


def doccano_links(raw: Any, entity_ids: Mapping[Any, int]) -> tuple[list[Link], str | None]:
    """doccano's `relations` ({id, from_id, to_id, type}) over the `entities` ids → links; (links, problem)."""
    if not isinstance(raw, list):
        return [], '"relations" must be a list'
    links: list[Link] = []
    for r, relation in enumerate(raw):
        if not isinstance(relation, dict):
            return [], f"relation {r} is not an object"
        kind = relation.get("type")
        if not isinstance(kind, str):
            return [], f'relation {r} needs a "type" string'
        ends = []
        for key in ("from_id", "to_id"):
            value = relation.get(key)
            if isinstance(value, (dict, list)) or value not in entity_ids:
                return [], f"relation {r}: {key} {value!r} is not the id of an entity of this record"
            ends.append(entity_ids[value])
        links.append((ends[0], ends[1], kind))
    return links, None


def labelstudio_links(
    relations: Sequence[tuple[int, dict[str, Any]]], region_ids: Mapping[Any, int]
) -> tuple[list[Link], str | None]:
    """Label Studio `relation` results (from_id, to_id, direction, labels) → links; (links, problem)."""
    links: list[Link] = []
    for r, relation in relations:
        ends = []
        for key in ("from_id", "to_id"):
            value = relation.get(key)
            if isinstance(value, (dict, list)) or value not in region_ids:
                return [], f"result {r}: {key} {value!r} is not the id of a labels region of this annotation"
            ends.append(region_ids[value])
        direction = relation.get("direction", "right")
        if direction == "left":
            ends.reverse()
        elif direction != "right":
            return (
                [],
                f"result {r}: a relation of direction {direction!r}; a link goes one way (right: from head to child)",
            )
        labels = relation.get("labels")
        if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
            return [], f"result {r}: a relation must carry exactly one label (has {labels!r})"
        links.append((ends[0], ends[1], labels[0]))
    return links, None


def check_links(
    where: str, spans: Sequence[Span], links: Sequence[Link], label_map: Mapping[str, str]
) -> tuple[list[Relation], list[str]]:
    """Links of one record as Relations over its spans' positions, and every problem (named by where)."""
    relations = [Relation(head, child, label_map.get(label, label)) for head, child, label in links]
    return relations, [f"{where}: {problem}" for problem in relation_problems(spans, relations)]
