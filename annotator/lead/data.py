"""Reading what the lead's views need through the Store's read methods."""

from __future__ import annotations

from typing import Any, Sequence

from annotator.lead.stats import IDLE_SECONDS, choose, compute_stats
from annotator.model import Span
from annotator.store import Store


def all_spans(store: Store, overview: Sequence[dict[str, Any]]) -> list[Span]:
    """Every span of every layer (gold included), one query per document."""
    found: list[Span] = []
    for doc in overview:
        if doc["annotators"]:
            for spans in store.all_spans(doc["id"]).values():
                found += spans
    return found


def read_stats(store: Store, names: Sequence[str] | None = None, idle: float = IDLE_SECONDS) -> dict[str, Any]:
    """The stats dict of a store, for the named annotators (default: all); StatsError for an unknown name."""
    chosen = choose(store.annotators(), names)
    with store.snapshot():  # one state of the database, even while annotators work
        overview = store.overview()
        spans = all_spans(store, overview)
        events = store.events()
    return compute_stats(chosen, overview, spans, events, store.labels(), idle)
