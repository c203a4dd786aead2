"""Spans: reading a layer, and the undoable edits of it (apply, add, remove, undo, redo of any step)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from annotator.errors import Conflict, Refused
from annotator.model import GOLD, Relation, Span
from annotator.store import connection
from annotator.store.events import Edit, _relation_from_json, _span_from_row
from annotator.store.relations import Relations


class Spans(Relations):
    """One layer's spans: the reads, and each edit as one transaction and one event."""

    def spans(self, document_id: str, annotator: str) -> list[Span]:
        """One annotator's spans of one document, in text order (only the varying columns are read)."""
        rows = self._read(
            'SELECT start, "end", label, id FROM spans WHERE document_id = ? AND annotator = ? '
            'ORDER BY start, "end", id',
            (document_id, annotator),
        )
        return [Span(document_id, annotator, start, end, label, span_id) for start, end, label, span_id in rows]

    def spans_touching(self, document_id: str, annotator: str, start: int, end: int) -> list[Span]:
        """One annotator's spans sharing a character with [start, end), in text order, through the start index."""
        found: list[Span] = []
        for layer in self.label_schema().layers:
            with self._lock:
                found += self._overlapping(self.conn, document_id, annotator, layer, start, end)
        return sorted(found, key=lambda span: (span.start, span.end, span.id or 0))

    def all_spans(self, document_id: str) -> dict[str, list[Span]]:
        """Every annotator's spans of one document (gold included), in text order."""
        rows = self._read(
            'SELECT id, document_id, annotator, start, "end", label FROM spans '
            'WHERE document_id = ? ORDER BY annotator, start, "end", id',
            (document_id,),
        )
        result: dict[str, list[Span]] = {}
        for row in rows:
            result.setdefault(row[2], []).append(_span_from_row(row))
        return result

    def span_rows(self, annotators: Sequence[str]) -> list[tuple[str, str, int, int, str]]:
        """(document, annotator, start, end, label) of every span of the annotators, in one query."""
        names = list(annotators)
        if not names:
            return []
        marks = ", ".join("?" * len(names))
        return self._read(
            f'SELECT document_id, annotator, start, "end", label FROM spans WHERE annotator IN ({marks})', names
        )

    def annotators(self) -> list[str]:
        """Every annotator with spans or progress, gold excluded, sorted."""
        rows = self._read("SELECT annotator FROM progress UNION SELECT annotator FROM spans ORDER BY 1")
        return [row[0] for row in rows if row[0] != GOLD]

    def _overlapping(
        self, conn: sqlite3.Connection, document_id: str, annotator: str, layer: str, start: int, end: int
    ) -> list[Span]:
        """Spans of one layer sharing a character with [start, end), found through the (document, annotator, start) index.

        Spans of a layer never overlap, so besides those starting inside the range at most one
        span starting before it can reach into it: the last one of the layer before `start`.
        """
        names = self.label_schema().in_layer(layer)
        marks = ", ".join("?" * len(names))
        columns = 'id, document_id, annotator, start, "end", label'
        inside = conn.execute(
            f"SELECT {columns} FROM spans WHERE document_id = ? AND annotator = ? AND start >= ? AND start < ? "
            f"AND label IN ({marks}) ORDER BY start",
            (document_id, annotator, start, end, *names),
        ).fetchall()
        before = conn.execute(
            f"SELECT {columns} FROM spans WHERE document_id = ? AND annotator = ? AND start < ? "
            f"AND label IN ({marks}) ORDER BY start DESC LIMIT 1",
            (document_id, annotator, start, *names),
        ).fetchall()
        found = [_span_from_row(row) for row in before if row[4] > start]
        return found + [_span_from_row(row) for row in inside]

    def apply(
        self,
        document_id: str,
        annotator: str,
        add: Sequence[tuple[int, int, str]] = (),
        remove_ids: Sequence[int] = (),
        *,
        user: str,
        origin: str | None = None,
    ) -> Edit:
        """One undoable action: remove spans by id, then add spans, each replacing what it overlaps in its layer.

        The relations of every span removed are removed in the same event (the Edit's `unlinked`).
        """
        stamp = connection.now()
        with self.transaction() as conn:
            self._guard(conn, annotator)
            text = self._document_text(conn, document_id)
            removed: list[Span] = []
            unlinked: list[Relation] = []
            for span_id in remove_ids:
                row = conn.execute(
                    'SELECT id, document_id, annotator, start, "end", label FROM spans '
                    "WHERE id = ? AND document_id = ? AND annotator = ?",
                    (span_id, document_id, annotator),
                ).fetchone()
                if row is None:
                    raise Conflict(f"span {span_id} is no longer there (changed in another window?)")
                removed.append(_span_from_row(row))
                unlinked += self._cascade(conn, [span_id])
                conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))
            added: list[Span] = []
            for start, end, label in add:
                if not (0 <= start < end <= len(text)):
                    raise Refused(f"span {start}-{end} lies outside the text (0-{len(text)})")
                layer = self.layer(label)
                for old in self._overlapping(conn, document_id, annotator, layer, start, end):
                    removed.append(old)
                    unlinked += self._cascade(conn, [old.id])
                    conn.execute("DELETE FROM spans WHERE id = ?", (old.id,))
                added.append(self._insert_span(conn, Span(document_id, annotator, start, end, label), text, stamp))
            if not added and not removed:
                raise Refused("nothing to change")
            event = self._log(
                conn,
                user,
                annotator,
                document_id,
                "edit",
                added=added,
                removed=removed,
                origin=origin,
                unlinked=unlinked,
            )
            self._touch_progress(conn, document_id, annotator, user, stamp)
        return Edit(event, tuple(added), tuple(removed), unlinked=tuple(unlinked))

    def add_span(
        self,
        document_id: str,
        annotator: str,
        start: int,
        end: int,
        label: str,
        *,
        user: str,
        origin: str | None = None,
    ) -> Edit:
        """Tag [start, end) with label, replacing overlapping spans of the same layer."""
        return self.apply(document_id, annotator, add=[(start, end, label)], user=user, origin=origin)

    def remove_span(self, document_id: str, annotator: str, span_id: int, *, user: str) -> Edit:
        """Remove one span."""
        return self.apply(document_id, annotator, remove_ids=[span_id], user=user)

    def undo(self, document_id: str, annotator: str, *, user: str) -> Edit | None:
        """Reverse the annotator's last edit of this document; None when there is none."""
        return self._step(document_id, annotator, user, "undo")

    def redo(self, document_id: str, annotator: str, *, user: str) -> Edit | None:
        """Re-apply the last undone edit; None when there is none."""
        return self._step(document_id, annotator, user, "redo")

    def _step(self, document_id: str, annotator: str, user: str, action: str) -> Edit | None:
        stamp = connection.now()
        with self.transaction() as conn:
            self._guard(conn, annotator)
            undo, redo = self._stacks(conn, document_id, annotator)
            stack = undo if action == "undo" else redo
            if not stack:
                return None
            ref = stack[-1]
            payload = json.loads(conn.execute("SELECT payload FROM events WHERE id = ?", (ref,)).fetchone()[0])
            if "step" in payload:  # a status change: undo restores the status it replaced
                status = payload["previous"] if action == "undo" else payload["status"]
                conn.execute(
                    "UPDATE progress SET status = ?, updated = ? WHERE document_id = ? AND annotator = ?",
                    (status, stamp, document_id, annotator),
                )
                event = self._log(conn, user, annotator, document_id, action, ref=ref, extra={"status": status})
                return Edit(event, status=status)
            if "suggestion" in payload:  # a rejection: undoing it shows the suggestion again, redoing hides it
                event = self._log(conn, user, annotator, document_id, action, ref=ref)
                return Edit(event, rejected=payload["suggestion"])
            undo_it = action == "undo"
            to_remove = payload["add"] if undo_it else payload["remove"]
            to_add = payload["remove"] if undo_it else payload["add"]
            to_unlink = payload.get("link" if undo_it else "unlink", [])
            to_link = payload.get("unlink" if undo_it else "link", [])
            text = self._document_text(conn, document_id)
            unlinked: list[Relation] = []
            for item in to_unlink:  # relations first: a span cannot go while one holds it
                gone = conn.execute(
                    "DELETE FROM relations WHERE id = ? AND document_id = ? AND annotator = ?",
                    (item["id"], document_id, annotator),
                ).rowcount
                if gone != 1:
                    raise Conflict("cannot undo: the layer was changed elsewhere since")
                unlinked.append(_relation_from_json(item))
            removed: list[Span] = []
            for item in to_remove:
                unlinked += self._cascade(conn, [item["id"]])  # a relation made outside the stack (an import)
                gone = conn.execute(
                    "DELETE FROM spans WHERE id = ? AND document_id = ? AND annotator = ?",
                    (item["id"], document_id, annotator),
                ).rowcount
                if gone != 1:
                    raise Conflict("cannot undo: the layer was changed elsewhere since")
                removed.append(Span(document_id, annotator, item["start"], item["end"], item["label"], id=item["id"]))
            added: list[Span] = []
            for item in to_add:
                span = Span(document_id, annotator, item["start"], item["end"], item["label"], id=item["id"])
                if self._overlapping(conn, document_id, annotator, self.layer(span.label), span.start, span.end):
                    raise Conflict("cannot undo: the layer was changed elsewhere since")
                added.append(self._insert_span(conn, span, text, stamp))
            linked = [
                self._restore_relation(conn, document_id, annotator, _relation_from_json(item), stamp)
                for item in to_link
            ]
            event = self._log(
                conn,
                user,
                annotator,
                document_id,
                action,
                added=added,
                removed=removed,
                ref=ref,
                linked=linked,
                unlinked=unlinked,
            )
            self._touch_progress(conn, document_id, annotator, user, stamp)
        return Edit(event, tuple(added), tuple(removed), linked=tuple(linked), unlinked=tuple(unlinked))
