"""`annotator stats`: per annotator and per label figures, computed from plain data (no I/O here).

Active time comes from the event log: an annotator's own events (edits, undo, redo, status changes;
imports are not work done here) are put in time order, and each gap between two consecutive ones
counts as active time when it is at most `idle` seconds (5 minutes by default): a longer gap is a
break and counts nothing. Each counted gap belongs to the article of the event that ends it (the
time spent reading an article before its first tag is time on that article), so an annotator's
time per article adds up to their active time.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from annotator.errors import AnnotatorError
from annotator.model import GOLD, Label, Span
from annotator.status import FINISHED, IN_PROGRESS

IDLE_SECONDS = 300.0
"""A gap between two events longer than this is a break, not work."""

MIN_RATE_SECONDS = 60.0
"""Under a minute of active time (an import, a script) says nothing about a rate per hour."""

DONE_STATUSES = FINISHED
NOT_WORK = frozenset({"import"})
"""Event actions that record no one's work in the app."""
MADE = "edit"
"""The action whose added spans count as spans made (undo and redo only move back and forth)."""


class StatsError(AnnotatorError):
    """A request stats cannot answer (an unknown annotator); one line."""


def timestamp(value: str) -> float:
    """Seconds since the epoch of an event's ISO 8601 time stamp."""
    return datetime.fromisoformat(value).timestamp()


@dataclass(frozen=True)
class Activity:
    """One annotator's time from the event log."""

    seconds: float
    """Active time: the sum of the gaps of at most `idle` seconds between consecutive events."""
    by_document: dict[str, float]
    """Active seconds per document (each gap counted for the document of the event ending it)."""
    spans_made: int
    """Spans added by the annotator's own edit events."""


def own_events(events: Iterable[Mapping[str, Any]], name: str) -> list[Mapping[str, Any]]:
    """The events of one annotator's work on their own layer, in time order (ties in log order)."""
    mine = [e for e in events if e["annotator"] == name and e["user"] == name and e["action"] not in NOT_WORK]
    return sorted(mine, key=lambda e: (timestamp(e["ts"]), e["id"]))


def activity(events: Iterable[Mapping[str, Any]], name: str, idle: float = IDLE_SECONDS) -> Activity:
    """Active time of one annotator, in total and per document, and the spans their edits made."""
    mine = own_events(events, name)
    total = 0.0
    by_document: dict[str, float] = {}
    previous: float | None = None
    made = 0
    for event in mine:
        moment = timestamp(event["ts"])
        if previous is not None and moment - previous <= idle:
            gap = moment - previous
            total += gap
            by_document[event["document_id"]] = by_document.get(event["document_id"], 0.0) + gap
        previous = moment
        if event["action"] == MADE:
            made += len(event["payload"].get("add", []))
    return Activity(total, by_document, made)


def _statuses(overview: Sequence[Mapping[str, Any]], name: str) -> dict[str, str | None]:
    """document id → the annotator's status, for the documents they have an entry on."""
    return {doc["id"]: doc["annotators"][name]["status"] for doc in overview if name in doc["annotators"]}


def annotator_stats(
    name: str,
    overview: Sequence[Mapping[str, Any]],
    spans: Sequence[Span],
    events: Sequence[Mapping[str, Any]],
    labels: Sequence[Label],
    idle: float = IDLE_SECONDS,
) -> dict[str, Any]:
    """The figures of one annotator (spans: theirs only)."""
    statuses = _statuses(overview, name)
    done = [doc_id for doc_id, status in statuses.items() if status in DONE_STATUSES]
    per_label = {label.name: 0 for label in labels}
    for span in spans:
        per_label[span.label] = per_label.get(span.label, 0) + 1
    lengths = [span.end - span.start for span in spans]
    work = activity(events, name, idle)
    timed = [work.by_document[doc_id] for doc_id in done if work.by_document.get(doc_id, 0.0) > 0]
    hours = work.seconds / 3600
    return {
        "documents_done": len(done),
        "documents_in_progress": sum(1 for status in statuses.values() if status == IN_PROGRESS),
        "spans": len(spans),
        "spans_per_label": per_label,
        "mean_span_length": statistics.fmean(lengths) if lengths else None,
        "active_seconds": work.seconds,
        "spans_made": work.spans_made,
        "spans_per_active_hour": work.spans_made / hours if work.seconds >= MIN_RATE_SECONDS else None,
        "median_minutes_per_done_document": statistics.median(timed) / 60 if timed else None,
        "timed_done_documents": len(timed),
    }


def compute_stats(
    annotators: Sequence[str],
    overview: Sequence[Mapping[str, Any]],
    spans: Iterable[Span],
    events: Sequence[Mapping[str, Any]],
    labels: Sequence[Label],
    idle: float = IDLE_SECONDS,
) -> dict[str, Any]:
    """The stats dict (`annotator stats --json`) of plain data: store.overview(), every span, store.events()."""
    by_annotator: dict[str, list[Span]] = {}
    for span in spans:
        by_annotator.setdefault(span.annotator, []).append(span)
    per_annotator = {
        name: annotator_stats(name, overview, by_annotator.get(name, []), events, labels, idle) for name in annotators
    }
    label_names = [label.name for label in labels]
    label_names += sorted({s.label for group in by_annotator.values() for s in group} - set(label_names))
    layer = {label.name: label.layer for label in labels}
    gold = by_annotator.get(GOLD, [])
    per_label = {
        label: {
            "layer": layer.get(label),
            "annotators": {name: per_annotator[name]["spans_per_label"].get(label, 0) for name in annotators},
            "gold": sum(1 for span in gold if span.label == label),
        }
        for label in label_names
    }
    return {
        "documents": len(overview),
        "idle_gap_seconds": idle,
        "annotators": per_annotator,
        "labels": per_label,
        "gold_documents": sum(
            1 for doc in overview if (doc["annotators"].get(GOLD) or {}).get("status") in DONE_STATUSES
        ),
    }


def choose(known: Sequence[str], names: Sequence[str] | None) -> list[str]:
    """The annotators asked for (default: all known), StatsError naming any unknown one."""
    if names is None:
        return list(known)
    chosen = list(dict.fromkeys(names))
    unknown = [name for name in chosen if name not in known]
    if unknown:
        listed = ", ".join(known) if known else "none yet"
        raise StatsError(f"unknown annotator{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} (known: {listed})")
    return chosen
