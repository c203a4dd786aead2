"""Reading what the lead's views need through the Store's read methods."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.lead.flag_stats import add_flags
from annotator.lead.sources import source_stats
from annotator.lead.stats import DONE_STATUSES, IDLE_SECONDS, activity, choose, compute_stats
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


def _texts(store: Store, ids: set[str]) -> dict[str, str]:
    """Document → its text, for the documents named (those with a flag on a span)."""
    texts = {}
    for doc_id in sorted(ids):
        document = store.document(doc_id)
        texts[doc_id] = document.text if document is not None else ""
    return texts


def read_sources(
    store: Store, overview: Sequence[dict[str, Any]], spans: Sequence[Span], names: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Suggestions per source against the named annotators' final layers (lead/sources.py), inside the caller's snapshot."""
    suggestions = [item for doc in overview for item in store.suggestions(doc["id"])]
    with_suggestions = {item.document_id for item in suggestions}
    rejected = {
        (doc["id"], name): store.rejections(doc["id"], name)
        for doc in overview
        if doc["id"] in with_suggestions
        for name in doc["annotators"]
        if name in names
    }
    layer_of = store.label_schema().layer_of
    return source_stats(suggestions, spans, rejected, overview, names, layer_of)


def read_stats(
    store: Store, names: Sequence[str] | None = None, idle: float = IDLE_SECONDS, *, sources: bool = False
) -> dict[str, Any]:
    """The stats dict of a store, for the named annotators (default: all); StatsError for an unknown name.

    With `sources`, also the suggestions per source (`annotator stats`; the dashboard, re-reading every few
    seconds, goes without: on a large corpus they read every suggestion)."""
    chosen = choose(store.annotators(), names)
    with store.snapshot():  # one state of the database, even while annotators work
        overview = store.overview()
        spans = all_spans(store, overview)
        events = store.events()
        per_source = read_sources(store, overview, spans, chosen) if sources else None
        flags = store.flags()
        texts = _texts(store, {flag.document_id for flag in flags if not flag.on_article})
    stats = add_flags(compute_stats(chosen, overview, spans, events, store.labels(), idle), flags, texts.__getitem__)
    if per_source is not None:
        stats["sources"] = per_source
    return stats


def done_minutes(
    events: Sequence[dict[str, Any]],
    overview: Sequence[dict[str, Any]],
    names: Sequence[str],
    idle: float = IDLE_SECONDS,
) -> dict[str, dict[str, float]]:
    """Per annotator: active minutes on each document they marked done (those with any time)."""
    result: dict[str, dict[str, float]] = {}
    for name in names:
        work = activity(events, name, idle).by_document
        done = [doc["id"] for doc in overview if (doc["annotators"].get(name) or {}).get("status") in DONE_STATUSES]
        result[name] = {doc_id: work[doc_id] / 60 for doc_id in done if work.get(doc_id, 0.0) > 0}
    return result


def read_report(store: Store) -> dict[str, Any]:
    """What the HTML report shows: stats, the agreement report (or why there is none), minutes per done article."""
    from annotator.agreement import AgreementError, agreement_report

    names = store.annotators()
    with store.snapshot():
        overview = store.overview()
        spans = all_spans(store, overview)
        events = store.events()
        sources = read_sources(store, overview, spans, names)
        flags = store.flags()
        texts = _texts(store, {flag.document_id for flag in flags if not flag.on_article})
        try:
            agreement: dict[str, Any] | None = agreement_report(store)
            why = None
        except AgreementError as exc:
            agreement, why = None, str(exc)
    return {
        "stats": add_flags(
            {**compute_stats(names, overview, spans, events, store.labels()), "sources": sources},
            flags,
            texts.__getitem__,
        ),
        "agreement": agreement,
        "agreement_note": why,
        "minutes": done_minutes(events, overview, names),
        "titles": {doc["id"]: doc["title"] for doc in overview},
    }
