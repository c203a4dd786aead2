"""Suggestions: proposed spans of a document; an accept is an edit, a reject an undoable event.

A source's suggestions (a patterns file, a layer, a model) are offered to every annotator; those an
annotator's `*` made (source `propagate:<annotator>`) only to that annotator: another's guesses in one's own
layer would make the annotators' agreement measure the propagation, not their reading.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from annotator.errors import from_sqlite
from annotator.model import Span
from annotator.status import FINISHED
from annotator.store import connection
from annotator.store.events import Edit, _span_from_row
from annotator.store.progress import Progress

_INSERT_SUGGESTION = (
    'INSERT INTO suggestions (document_id, start, "end", label, source, score, created) VALUES (?, ?, ?, ?, ?, ?, ?)'
)


class StoredSuggestion(NamedTuple):
    """A row of the suggestions table: a proposed span of one document, shared by every annotator."""

    id: int
    document_id: str
    start: int
    end: int
    label: str
    source: str
    score: float | None = None


PROPAGATE = "propagate:"
"""The source prefix of the suggestions an annotator's `*` made; the annotator's name follows."""


def propagation_source(annotator: str) -> str:
    """The source of the suggestions this annotator's `*` makes."""
    return f"{PROPAGATE}{annotator}"


def offered_to(source: str, annotator: str) -> bool:
    """Whether a source's suggestions are offered to this annotator: every source's are, but a propagation's
    only to the annotator who propagated."""
    return not source.startswith(PROPAGATE) or source == propagation_source(annotator)


def pending_suggestions(
    suggestions: Sequence[StoredSuggestion],
    spans: Sequence[Span],
    rejected: set[tuple[int, int, str]],
    layer_of: dict[str, str],
    annotator: str,
) -> list[StoredSuggestion]:
    """What an annotator still has to decide, in text order: suggestions offered to them (offered_to) that they
    did not reject and that overlap none of their own spans in the suggestion's layer.

    Of suggestions overlapping in one layer (two sources) the first in text order, the longer at one start,
    is shown; the others come back once it is rejected. The same offsets and label are shown once.
    """
    taken: dict[str, tuple[list[int], list[int]]] = {}
    for span in sorted(spans, key=lambda s: s.start):
        starts, ends = taken.setdefault(layer_of.get(span.label, span.label), ([], []))
        starts.append(span.start)
        ends.append(span.end)
    last_end: dict[str, int] = {}
    shown: list[StoredSuggestion] = []
    for item in sorted(suggestions, key=lambda s: (s.start, -s.end, s.id)):
        if (
            (item.start, item.end, item.label) in rejected
            or item.label not in layer_of
            or not offered_to(item.source, annotator)
        ):
            continue
        layer = layer_of[item.label]
        if item.start < last_end.get(layer, -1):
            continue
        starts, ends = taken.get(layer, ([], []))
        i = bisect.bisect_left(starts, item.end) - 1  # the last span starting before the suggestion ends
        if i >= 0 and ends[i] > item.start:
            continue
        shown.append(item)
        last_end[layer] = item.end
    return shown


class Suggestions(Progress):
    """Writing suggestions (a source's run, an annotator's propagation), rejecting them, counting what is pending."""

    def replace_suggestions(
        self, source: str, found: Mapping[str, Sequence[tuple[int, int, str, float | None]]], scope: Sequence[str]
    ) -> int:
        """Replace `source`'s suggestions in the documents of `scope` by `found` (start, end, label, score), in one transaction.

        Suggestions belong to no annotator's layer, so no claim guards this write; returns how many were written.
        """
        stamp = connection.now()
        rows = [
            (doc, start, end, label, source, score, stamp)
            for doc, items in found.items()
            for start, end, label, score in items
        ]
        with self.transaction() as conn:
            conn.executemany(
                "DELETE FROM suggestions WHERE source = ? AND document_id = ?", [(source, doc) for doc in scope]
            )
            conn.executemany(_INSERT_SUGGESTION, rows)
        return len(rows)

    def add_suggestions(
        self, annotator: str, source: str, found: Mapping[str, Sequence[tuple[int, int, str, float | None]]]
    ) -> int:
        """Add suggestions an annotator's action made (propagate), skipping ones already there; returns how many were new."""
        stamp = connection.now()
        added = 0
        with self.transaction() as conn:
            self._guard(conn, annotator)
            for doc, items in found.items():
                for start, end, label, score in items:
                    present = conn.execute(
                        'SELECT 1 FROM suggestions WHERE document_id = ? AND start = ? AND "end" = ? AND label = ? '
                        "AND source = ?",
                        (doc, start, end, label, source),
                    ).fetchone()
                    if present is None:
                        conn.execute(_INSERT_SUGGESTION, (doc, start, end, label, source, score, stamp))
                        added += 1
        return added

    def mean_scores(self) -> dict[str, float]:
        """document id → the mean score of its scored suggestions (a model's confidence), for documents with any."""
        rows = self._read(
            "SELECT document_id, avg(score) FROM suggestions WHERE score IS NOT NULL GROUP BY document_id"
        )
        return {doc_id: float(mean) for doc_id, mean in rows}

    def suggestions(self, document_id: str) -> list[StoredSuggestion]:
        """Every suggestion of one document, pending or not, in text order."""
        rows = self._read(
            'SELECT id, document_id, start, "end", label, source, score FROM suggestions WHERE document_id = ? '
            'ORDER BY start, "end" DESC, id',
            (document_id,),
        )
        return [StoredSuggestion(*row) for row in rows]

    def reject_suggestion(self, document_id: str, annotator: str, suggestion: StoredSuggestion, *, user: str) -> Edit:
        """Hide a suggestion for one annotator: an undoable `reject` event that adds and removes no span."""
        record = {
            "id": suggestion.id,
            "start": suggestion.start,
            "end": suggestion.end,
            "label": suggestion.label,
            "source": suggestion.source,
        }
        with self.transaction() as conn:
            self._guard(conn, annotator)
            self._document_text(conn, document_id)
            event = self._log(
                conn, user, annotator, document_id, "reject", origin=suggestion.source, extra={"suggestion": record}
            )
            self._touch_progress(conn, document_id, annotator, user, connection.now())  # deciding is working on it
        return Edit(event, rejected=record)

    def _rejections(self, conn: sqlite3.Connection, document_id: str, annotator: str) -> set[tuple[int, int, str]]:
        """(start, end, label) of every suggestion the annotator rejected in a document and did not undo."""
        rows = conn.execute(
            "SELECT id, payload FROM events WHERE document_id = ? AND annotator = ? AND action = 'reject'",
            (document_id, annotator),
        ).fetchall()
        if not rows:
            return set()
        in_force = set(self._stacks(conn, document_id, annotator)[0])
        found = set()
        for event_id, payload in rows:
            if event_id in in_force:
                item = json.loads(payload)["suggestion"]
                found.add((item["start"], item["end"], item["label"]))
        return found

    def rejections(self, document_id: str, annotator: str) -> set[tuple[int, int, str]]:
        """(start, end, label) of the suggestions an annotator rejected in a document (undone rejections excluded)."""
        try:
            with self._lock:
                return self._retry(lambda: self._rejections(self.conn, document_id, annotator))
        except sqlite3.Error as exc:
            raise from_sqlite(exc, self.path) from None

    def pending_counts(self) -> dict[str, dict[str, int]]:
        """document id → annotator → suggestions still pending for them, for every known annotator and
        every document holding suggestions; none on a document they finished (a suggestion left there is
        one they passed over: `annotator stats` counts it rejected)."""
        with self.snapshot():
            suggestions: dict[str, list[StoredSuggestion]] = {}
            for row in self._read('SELECT id, document_id, start, "end", label, source, score FROM suggestions'):
                suggestions.setdefault(row[1], []).append(StoredSuggestion(*row))
            if not suggestions:
                return {}
            spans: dict[tuple[str, str], list[Span]] = {}
            for row in self._read(
                'SELECT id, document_id, annotator, start, "end", label FROM spans '
                "WHERE document_id IN (SELECT DISTINCT document_id FROM suggestions)"
            ):
                spans.setdefault((row[1], row[2]), []).append(_span_from_row(row))
            rejecting = self._read("SELECT DISTINCT document_id, annotator FROM events WHERE action = 'reject'")
            rejected = {(doc, name): self.rejections(doc, name) for doc, name in rejecting}
            layers = self.label_schema().layer_of
            names = self.known_annotators()
            finished = {
                (doc, name)
                for doc, name, status in self._read("SELECT document_id, annotator, status FROM progress")
                if status in FINISHED
            }
            return {
                doc: {
                    name: 0
                    if (doc, name) in finished
                    else len(
                        pending_suggestions(
                            items, spans.get((doc, name), []), rejected.get((doc, name), set()), layers, name
                        )
                    )
                    for name in names
                }
                for doc, items in suggestions.items()
            }
