"""The append-only event log: every change to a layer, replayed into undo/redo stacks and into the spans `check` expects."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any, NamedTuple

from annotator.model import Relation, Span
from annotator.store import connection
from annotator.store.documents import Documents


class Edit(NamedTuple):
    """What one committed action did to one layer: spans added and removed, relations linked and unlinked,
    or the status it set."""

    event_id: int
    added: tuple[Span, ...] = ()
    removed: tuple[Span, ...] = ()
    status: str | None = None
    rejected: dict[str, Any] | None = None
    """Set when the step rejected a suggestion (or undid/redid a rejection): the suggestion's record."""
    linked: tuple[Relation, ...] = ()
    """Relations the action stored (ids set): a link, the undo of an unlink or of a span's removal."""
    unlinked: tuple[Relation, ...] = ()
    """Relations the action removed: an unlink, the speaker a new link replaced, those of removed spans."""


def _span_from_row(row: sqlite3.Row | tuple) -> Span:
    """A Span from (id, document_id, annotator, start, end, label)."""
    return Span(row[1], row[2], row[3], row[4], row[5], id=row[0])


def _span_json(span: Span) -> dict[str, Any]:
    """The event-log form of a span."""
    return {"id": span.id, "start": span.start, "end": span.end, "label": span.label}


def _relation_json(relation: Relation) -> dict[str, Any]:
    """The event-log form of a relation."""
    return {"id": relation.id, "head": relation.head_span_id, "child": relation.child_span_id, "label": relation.label}


def _relation_from_json(item: dict[str, Any]) -> Relation:
    """A Relation from its event-log form."""
    return Relation(item["head"], item["child"], item["label"], id=item["id"])


class EventLog(Documents):
    """Appending events, and reading them back: the log, its replay, a layer's undo and redo stacks."""

    def _log(
        self,
        conn: sqlite3.Connection,
        user: str,
        annotator: str,
        document_id: str,
        action: str,
        *,
        added: Sequence[Span] = (),
        removed: Sequence[Span] = (),
        ref: int | None = None,
        origin: str | None = None,
        extra: dict[str, Any] | None = None,
        linked: Sequence[Relation] = (),
        unlinked: Sequence[Relation] = (),
    ) -> int:
        """Append one event; returns its id. Relations appear in the payload (`link`, `unlink`) only when some changed."""
        payload: dict[str, Any] = {
            "add": [_span_json(s) for s in added],
            "remove": [_span_json(s) for s in removed],
        }
        if linked:
            payload["link"] = [_relation_json(r) for r in linked]
        if unlinked:
            payload["unlink"] = [_relation_json(r) for r in unlinked]
        if extra:
            payload.update(extra)
        cursor = conn.execute(
            "INSERT INTO events (ts, user, annotator, document_id, action, ref, origin, payload) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                connection.now(),
                user,
                annotator,
                document_id,
                action,
                ref,
                origin,
                json.dumps(payload, ensure_ascii=False),
            ),
        )
        assert cursor.lastrowid is not None  # an INSERT into a rowid table always sets it
        return cursor.lastrowid

    def _insert_span(self, conn: sqlite3.Connection, span: Span, text: str, stamp: str) -> Span:
        """Insert a span (keeping its id when it has one) and return it with its id."""
        cursor = conn.execute(
            'INSERT INTO spans (id, document_id, annotator, start, "end", label, text, created, updated) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                span.id,
                span.document_id,
                span.annotator,
                span.start,
                span.end,
                span.label,
                text[span.start : span.end],
                stamp,
                stamp,
            ),
        )
        return Span(span.document_id, span.annotator, span.start, span.end, span.label, id=cursor.lastrowid)

    def _stacks(self, conn: sqlite3.Connection, document_id: str, annotator: str) -> tuple[list[int], list[int]]:
        """Replay the log into (undo stack, redo stack) of event ids: edits, links, rejections and the user's status changes."""
        undo: list[int] = []
        redo: list[int] = []
        for event_id, action, ref in conn.execute(
            "SELECT id, action, ref FROM events WHERE document_id = ? AND annotator = ? "
            "AND (action IN ('edit', 'link', 'unlink', 'undo', 'redo', 'reject') OR (action = 'status' AND json_extract(payload, '$.step') = 1)) "
            "ORDER BY id",
            (document_id, annotator),
        ):
            if action in ("edit", "link", "unlink", "status", "reject"):
                undo.append(event_id)
                redo.clear()
            elif action == "undo" and undo and undo[-1] == ref:
                redo.append(undo.pop())
            elif action == "redo" and redo and redo[-1] == ref:
                undo.append(redo.pop())
        return undo, redo

    def can_undo(self, document_id: str, annotator: str) -> tuple[bool, bool]:
        """Whether undo and redo have something to do."""
        undo, redo = self._stacks(self.conn, document_id, annotator)
        return bool(undo), bool(redo)

    def last_event_id(self, document_id: str, annotator: str) -> int:
        """The id of the newest event of one layer of one document (0 when none)."""
        rows = self._read(
            "SELECT coalesce(max(id), 0) FROM events WHERE document_id = ? AND annotator = ?", (document_id, annotator)
        )
        return int(rows[0][0])

    def events(self, document_id: str | None = None) -> list[dict[str, Any]]:
        """Events in order, optionally of one document."""
        sql = "SELECT id, ts, user, annotator, document_id, action, ref, origin, payload FROM events"
        params: tuple = ()
        if document_id is not None:
            sql += " WHERE document_id = ?"
            params = (document_id,)
        rows = self._read(sql + " ORDER BY id", params)
        keys = ("id", "ts", "user", "annotator", "document_id", "action", "ref", "origin")
        return [dict(zip(keys, row[:8]), payload=json.loads(row[8])) for row in rows]

    def replay(self, events: Sequence[dict[str, Any]] | None = None) -> dict[int, tuple[str, str, int, int, str]]:
        """The spans the event log (or these events of it) says exist: id → (document, annotator, start, end, label)."""
        state: dict[int, tuple[str, str, int, int, str]] = {}
        for event in self.events() if events is None else events:
            for item in event["payload"].get("remove", []):
                state.pop(item["id"], None)
            for item in event["payload"].get("add", []):
                state[item["id"]] = (
                    event["document_id"],
                    event["annotator"],
                    item["start"],
                    item["end"],
                    item["label"],
                )
        return state

    def replay_relations(
        self, events: Sequence[dict[str, Any]] | None = None
    ) -> dict[int, tuple[str, str, int, int, str]]:
        """The relations the event log (or these events of it) says exist: id → (document, annotator, head, child, label)."""
        state: dict[int, tuple[str, str, int, int, str]] = {}
        for event in self.events() if events is None else events:
            for item in event["payload"].get("unlink", []):
                state.pop(item["id"], None)
            for item in event["payload"].get("link", []):
                state[item["id"]] = (
                    event["document_id"],
                    event["annotator"],
                    item["head"],
                    item["child"],
                    item["label"],
                )
        return state
