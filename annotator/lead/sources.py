"""Suggestions per source (the figures rule, a patterns file, a layer, a model): what the annotators made of them.

Pure: the suggestions, the spans, the rejections and the statuses in; counts out. The final layers
decide, not the clicks: for every suggestion and every annotator who has the article open or done,
- accepted: the annotator's layer holds exactly that span (accepted with Enter, or tagged by hand);
- rejected: not in the layer, and decided: rejected with X, covered by another span of theirs in its
  layer (they tagged something else there), or the article is marked done without it;
- pending: none of these (the annotator still sees it, in an article not done).
Precision is accepted / (accepted + rejected): how often the source was right where someone decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from annotator.lead.stats import DONE_STATUSES
from annotator.model import Span
from annotator.store import StoredSuggestion, offered_to

OUTCOMES = ("accepted", "rejected", "pending")


def outcome(
    item: StoredSuggestion,
    spans: Sequence[Span],
    rejected: set[tuple[int, int, str]],
    status: str | None,
    layer_of: Mapping[str, str],
) -> str:
    """accepted, rejected or pending: one suggestion against one annotator's final layer of its document."""
    layer = layer_of.get(item.label, item.label)
    covered = False
    for span in spans:
        if layer_of.get(span.label, span.label) != layer or span.end <= item.start or span.start >= item.end:
            continue
        if (span.start, span.end, span.label) == (item.start, item.end, item.label):
            return "accepted"
        covered = True
    if covered or (item.start, item.end, item.label) in rejected or status in DONE_STATUSES:
        return "rejected"
    return "pending"


def source_stats(
    suggestions: Iterable[StoredSuggestion],
    spans: Iterable[Span],
    rejected: Mapping[tuple[str, str], set[tuple[int, int, str]]],
    overview: Sequence[Mapping[str, Any]],
    annotators: Sequence[str],
    layer_of: Mapping[str, str],
) -> dict[str, dict[str, Any]]:
    """source → suggestions, documents, accepted, rejected, pending, precision (None before any decision), and the
    three counts per annotator; each suggestion counted once per annotator who opened its article and was
    offered it (a propagation only for the annotator who propagated)."""
    layers: dict[tuple[str, str], list[Span]] = {}
    for span in spans:
        layers.setdefault((span.document_id, span.annotator), []).append(span)
    present = {doc["id"]: doc["annotators"] for doc in overview}
    by_document: dict[str, list[StoredSuggestion]] = {}
    for item in suggestions:
        by_document.setdefault(item.document_id, []).append(item)
    result: dict[str, dict[str, Any]] = {}
    for source in sorted({item.source for items in by_document.values() for item in items}):
        result[source] = {
            "suggestions": 0,
            "documents": set(),
            **dict.fromkeys(OUTCOMES, 0),
            "precision": None,
            "annotators": {name: dict.fromkeys(OUTCOMES, 0) for name in annotators},
        }
    for doc_id, items in by_document.items():
        for item in items:
            result[item.source]["suggestions"] += 1
            result[item.source]["documents"].add(doc_id)
        there = present.get(doc_id, {})
        for name in annotators:
            if name not in there:
                continue  # never opened: nobody has seen the suggestion yet
            status = (there[name] or {}).get("status")
            own = layers.get((doc_id, name), [])
            refused = rejected.get((doc_id, name), set())
            for item in items:
                if not offered_to(item.source, name):
                    continue  # another annotator's propagation: never shown to this one
                found = outcome(item, own, refused, status, layer_of)
                result[item.source][found] += 1
                result[item.source]["annotators"][name][found] += 1
    for entry in result.values():
        entry["documents"] = len(entry["documents"])
        decided = entry["accepted"] + entry["rejected"]
        entry["precision"] = entry["accepted"] / decided if decided else None
    return result
