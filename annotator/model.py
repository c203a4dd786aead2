"""Plain data of the annotator: documents, spans, labels. No I/O here."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

GOLD = "gold"
"""The reserved annotator name of the adjudicated layer."""

ENTITY_LAYER = "entity"
QUOTE_LAYER = "quote"


class Label(NamedTuple):
    """A tag an annotator can give a span."""

    name: str
    layer: str
    key: str
    colour: str
    description: str = ""


DEFAULT_LABELS: tuple[Label, ...] = (
    Label(
        "actor",
        ENTITY_LAYER,
        "1",
        "#1f6feb",
        "A person, group, force, state or institution that acts or speaks "
        "(داعش، القيادة المركزية الأميركية، السوداني).",
    ),
    Label(
        "figure",
        ENTITY_LAYER,
        "2",
        "#b35900",
        "A reported number with what it counts (15 عنصراً، 2500 جندي، 80 ألف باوند).",
    ),
    Label(
        "place",
        ENTITY_LAYER,
        "3",
        "#3a8a1e",
        "A named location (الأنبار، وادي الحزيمي، سوريا).",
    ),
    Label(
        "quote",
        QUOTE_LAYER,
        "4",
        "#8a3ea8",
        "Reported speech, direct or indirect, without the quotation marks.",
    ),
)


@dataclass(frozen=True, slots=True)
class Document:
    """One article: its stored text never changes once spans point into it."""

    id: str
    title: str
    text: str
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    position: int = 0
    _hash: str = field(default="", repr=False, compare=False)
    utf8: bytes | None = field(default=None, repr=False, compare=False)
    """The text's UTF-8 bytes when already at hand (a file just read), so storing it skips encoding again."""

    @property
    def text_hash(self) -> str:
        """SHA-256 of the stored text (computed once)."""
        if not self._hash:
            object.__setattr__(self, "_hash", text_hash(self.text))
        return self._hash


class Span(NamedTuple):
    """A labelled character range [start, end) of one annotator in one document."""

    document_id: str
    annotator: str
    start: int
    end: int
    label: str
    id: int | None = None


SPEAKER = "speaker"


class RelationType(NamedTuple):
    """A kind of link the schema allows: its name and the labels of the spans at each end."""

    name: str
    head_label: str
    child_label: str
    single: bool = True
    """At most one relation of this kind per head span (one speaker per quote)."""


RELATION_TYPES: tuple[RelationType, ...] = (RelationType(SPEAKER, "quote", "actor"),)


class Relation(NamedTuple):
    """A labelled, directed link between two spans of one annotator in one document: head → child.

    The direction is Prodigy's: a relation goes from its head to its child. `speaker` links a
    quote (head) to the actor who said it (child). `head_span_id` and `child_span_id` are the
    spans' stored ids; before the spans are stored (an import) they are positions in the list
    of spans they come with.
    """

    head_span_id: int
    child_span_id: int
    label: str
    id: int | None = None


def relation_problems(
    spans: Sequence[Span], relations: Iterable[Relation], types: Sequence[RelationType] = RELATION_TYPES
) -> list[str]:
    """Every reason these relations cannot be stored over these spans (ids: positions in `spans`)."""
    problems: list[str] = []
    by_name = {kind.name: kind for kind in types}
    heads: dict[tuple[str, int], int] = {}
    for n, relation in enumerate(relations):
        where = f"relation {n} {relation.label!r}"
        kind = by_name.get(relation.label)
        if kind is None:
            problems.append(f"{where}: unknown relation (known: {', '.join(by_name) or 'none'})")
            continue
        ends = []
        for role, index in (("head", relation.head_span_id), ("child", relation.child_span_id)):
            if not isinstance(index, int) or not 0 <= index < len(spans):
                problems.append(f"{where}: its {role} is not a span of this record")
                break
            ends.append(spans[index])
        if len(ends) != 2:
            continue
        head, child = ends
        if (head.document_id, head.annotator) != (child.document_id, child.annotator):
            problems.append(f"{where}: head and child are spans of different documents or annotators")
        elif head.label != kind.head_label or child.label != kind.child_label:
            problems.append(
                f"{where}: needs a {kind.head_label!r} head and a {kind.child_label!r} child, not "
                f"{head.label!r} {head.start}-{head.end} → {child.label!r} {child.start}-{child.end}"
            )
        elif kind.single and (kind.name, relation.head_span_id) in heads:
            problems.append(f"{where}: the {head.label} {head.start}-{head.end} already has a {kind.name}")
        heads[(kind.name, relation.head_span_id)] = n
    return problems


def text_hash(text: str) -> str:
    """SHA-256 hex digest of a text's UTF-8 bytes."""
    import hashlib  # here, not at the top: it loads OpenSSL, which a screen's start-up never needs

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_newlines(text: str) -> str:
    """The stored form of a text: BOM dropped, CRLF and CR turned into LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def title_of(text: str, fallback: str) -> str:
    """A document's title: its first non-empty line, else the fallback."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end].strip()
        if line:
            return line
        start = end + 1
    return fallback


def layer_of(labels: Sequence[Label], name: str) -> str | None:
    """The layer a label belongs to, or None for an unknown label."""
    for label in labels:
        if label.name == name:
            return label.layer
    return None


def span_problems(text: str, spans: Iterable[Span], labels: Sequence[Label]) -> list[str]:
    """Every reason these spans cannot be stored against this text (empty when fine)."""
    # Loaded here, on validation only: the model stays plain data, cheap to import.
    import unicodedata

    from annotator.text.graphemes import cluster_end, cluster_start, is_boundary
    from annotator.text.sanitize import sanitize

    problems: list[str] = []
    by_layer: dict[tuple[str, str], list[Span]] = {}
    for span in spans:
        where = f"span {span.start}-{span.end} {span.label!r}"
        if not isinstance(span.start, int) or not isinstance(span.end, int):
            problems.append(f"{where}: start and end must be integers")
            continue
        if span.start < 0 or span.end > len(text):
            problems.append(f"{where}: out of range (text has {len(text)} characters)")
            continue
        if span.start >= span.end:
            problems.append(f"{where}: start must be less than end")
            continue
        for edge, offset in (("start", span.start), ("end", span.end)):
            if not is_boundary(text, offset):
                low, high = cluster_start(text, offset), cluster_end(text, offset)
                mark = f"U+{ord(text[offset]):04X} {unicodedata.name(text[offset], '')}".rstrip()
                problems.append(
                    f"{where}: {edge} {offset} cuts the character «{sanitize(text[low:high])}» "
                    f"before its {mark} (a letter and its marks stay together: use {low} or {high})"
                )
        layer = layer_of(labels, span.label)
        if layer is None:
            known = ", ".join(label.name for label in labels)
            problems.append(f"{where}: unknown label (known: {known})")
            continue
        by_layer.setdefault((span.annotator, layer), []).append(span)
    for (annotator, layer), group in by_layer.items():
        group.sort(key=lambda s: (s.start, s.end))
        for before, after in zip(group, group[1:]):
            if after.start < before.end:
                problems.append(
                    f"span {after.start}-{after.end} {after.label!r} overlaps "
                    f"{before.start}-{before.end} {before.label!r} in layer {layer!r} "
                    f"of {annotator!r}"
                )
    return problems


def dumps_meta(meta: dict[str, Any]) -> str:
    """Stable JSON for a document's meta field."""
    return json.dumps(meta, ensure_ascii=False, sort_keys=True) if meta else "{}"
