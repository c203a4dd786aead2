"""Relations: links between two spans of one layer (a quote's speaker), read, linked and unlinked as events.

A relation goes from its head span to its child span (Prodigy's direction): `speaker` from a quote
to the actor who said it. Every change is one transaction and one event on the layer's undo stack
(`link`, `unlink`); removing a span takes its relations in the same event (`Spans.apply`), and
undoing that removal puts them back. What a relation may join is `annotator.model.relation_problems`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from annotator.errors import Conflict, Refused
from annotator.model import RELATION_TYPES, SPEAKER, Relation, RelationType, Span, relation_problems
from annotator.store import connection
from annotator.store.events import Edit, _span_from_row
from annotator.store.progress import Progress

_COLUMNS = "head_span_id, child_span_id, label, id"


def relation_type(label: str) -> RelationType | None:
    """The relation type of that name, None when the schema has none."""
    return next((kind for kind in RELATION_TYPES if kind.name == label), None)


class Relations(Progress):
    """One layer's relations: the reads, link and unlink, and the helpers span edits and undo use."""

    def relations(self, document_id: str, annotator: str) -> list[Relation]:
        """One annotator's relations in one document, in the order they were made."""
        rows = self._read(
            f"SELECT {_COLUMNS} FROM relations WHERE document_id = ? AND annotator = ? ORDER BY id",
            (document_id, annotator),
        )
        return [Relation(*row) for row in rows]

    def all_relations(self, document_id: str) -> dict[str, list[Relation]]:
        """Every annotator's relations of one document (gold included): annotator → relations in order made."""
        rows = self._read(
            f"SELECT annotator, {_COLUMNS} FROM relations WHERE document_id = ? ORDER BY annotator, id", (document_id,)
        )
        result: dict[str, list[Relation]] = {}
        for annotator, *rest in rows:
            result.setdefault(annotator, []).append(Relation(*rest))
        return result

    def relation_spans(self, annotators: Sequence[str]) -> list[tuple[str, str, str, Span, Span]]:
        """(document, annotator, label, head span, child span) of every relation of the annotators, in one query."""
        names = list(annotators)
        if not names:
            return []
        marks = ", ".join("?" * len(names))
        rows = self._read(
            'SELECT r.document_id, r.annotator, r.label, h.id, h.start, h."end", h.label, c.id, c.start, c."end", c.label '
            "FROM relations r JOIN spans h ON h.id = r.head_span_id JOIN spans c ON c.id = r.child_span_id "
            f"WHERE r.annotator IN ({marks}) ORDER BY r.id",
            names,
        )
        return [
            (doc, name, label, Span(doc, name, hs, he, hl, id=hid), Span(doc, name, cs, ce, cl, id=cid))
            for doc, name, label, hid, hs, he, hl, cid, cs, ce, cl in rows
        ]

    def relation_layers(self) -> set[tuple[str, str]]:
        """(document, annotator) of every layer holding at least one relation."""
        return {
            (doc, annotator) for doc, annotator in self._read("SELECT DISTINCT document_id, annotator FROM relations")
        }

    def link(
        self,
        document_id: str,
        annotator: str,
        head_id: int,
        child_id: int,
        *,
        user: str,
        label: str = SPEAKER,
        origin: str | None = None,
    ) -> Edit:
        """Link a head span to a child span (default: a quote to its speaker) as one undoable `link` event
        (`origin` says what made it when no one chose it by hand, as for edits: review's `agreed` seed).

        A relation type that allows one per head (speaker) replaces the head's current one in the same
        event, so undo brings the old one back. Refused when the spans cannot be joined so, or are
        joined so already; Conflict when a span is no longer there.
        """
        stamp = connection.now()
        with self.transaction() as conn:
            self._guard(conn, annotator)
            self._document_text(conn, document_id)
            head, child = self._layer_span(conn, head_id), self._layer_span(conn, child_id)
            for span in (head, child):
                if (span.document_id, span.annotator) != (document_id, annotator):
                    raise Refused(f"span {span.id} is not a span of {annotator!r} in {document_id!r}")
            problems = relation_problems([head, child], [Relation(0, 1, label)])
            if problems:
                raise Refused(f"cannot link: {problems[0].split(': ', 1)[1]}")
            kind = relation_type(label)
            existing = self._relations_where(conn, "head_span_id = ? AND label = ?", (head_id, label))
            if any(r.child_span_id == child_id for r in existing):
                raise Refused(f"span {head_id} already has that {label}")
            replaced = existing if kind is not None and kind.single else []
            self._delete_relations(conn, replaced)
            new = self._insert_relation(conn, document_id, annotator, Relation(head_id, child_id, label), stamp)
            event = self._log(
                conn, user, annotator, document_id, "link", linked=[new], unlinked=replaced, origin=origin
            )
            self._touch_progress(conn, document_id, annotator, user, stamp)
        return Edit(event, linked=(new,), unlinked=tuple(replaced))

    def unlink(self, document_id: str, annotator: str, head_id: int, *, user: str, label: str = SPEAKER) -> Edit:
        """Remove the head span's relations of that label (a quote's speaker) as one undoable `unlink` event.

        Refused when it has none.
        """
        stamp = connection.now()
        with self.transaction() as conn:
            self._guard(conn, annotator)
            self._document_text(conn, document_id)
            gone = self._relations_where(
                conn,
                "head_span_id = ? AND label = ? AND document_id = ? AND annotator = ?",
                (head_id, label, document_id, annotator),
            )
            if not gone:
                raise Refused(f"span {head_id} has no {label}")
            self._delete_relations(conn, gone)
            event = self._log(conn, user, annotator, document_id, "unlink", unlinked=gone)
            self._touch_progress(conn, document_id, annotator, user, stamp)
        return Edit(event, unlinked=tuple(gone))

    # -- helpers for the edits of spans, undo and import (inside the caller's transaction) ---------------

    def _layer_span(self, conn: sqlite3.Connection, span_id: int) -> Span:
        """The stored span of that id; Conflict when it is gone."""
        row = conn.execute(
            'SELECT id, document_id, annotator, start, "end", label FROM spans WHERE id = ?', (span_id,)
        ).fetchone()
        if row is None:
            raise Conflict(f"span {span_id} is no longer there (changed in another window?)")
        return _span_from_row(row)

    @staticmethod
    def _relations_where(conn: sqlite3.Connection, where: str, params: Sequence[object]) -> list[Relation]:
        """The relations matching a WHERE clause, in the order they were made."""
        rows = conn.execute(f"SELECT {_COLUMNS} FROM relations WHERE {where} ORDER BY id", tuple(params)).fetchall()
        return [Relation(*row) for row in rows]

    @staticmethod
    def _delete_relations(conn: sqlite3.Connection, relations: Iterable[Relation]) -> None:
        """Delete relations by id."""
        conn.executemany("DELETE FROM relations WHERE id = ?", [(r.id,) for r in relations])

    def _cascade(self, conn: sqlite3.Connection, span_ids: Iterable[int | None]) -> list[Relation]:
        """Delete every relation holding one of these spans (before the spans go); returns them."""
        gone: list[Relation] = []
        for span_id in span_ids:
            found = self._relations_where(conn, "head_span_id = ? OR child_span_id = ?", (span_id, span_id))
            found = [r for r in found if r.id not in {g.id for g in gone}]
            self._delete_relations(conn, found)
            gone += found
        return gone

    @staticmethod
    def _insert_relation(
        conn: sqlite3.Connection, document_id: str, annotator: str, relation: Relation, stamp: str
    ) -> Relation:
        """Insert a relation (keeping its id when it has one) and return it with its id."""
        cursor = conn.execute(
            "INSERT INTO relations (id, document_id, annotator, head_span_id, child_span_id, label, created) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (relation.id, document_id, annotator, relation.head_span_id, relation.child_span_id, relation.label, stamp),
        )
        return relation._replace(id=cursor.lastrowid)

    def _restore_relation(
        self, conn: sqlite3.Connection, document_id: str, annotator: str, relation: Relation, stamp: str
    ) -> Relation:
        """Put a relation back (undo, redo): its spans must be in the layer and its head free; else Conflict."""
        for span_id in (relation.head_span_id, relation.child_span_id):
            row = conn.execute(
                "SELECT 1 FROM spans WHERE id = ? AND document_id = ? AND annotator = ?",
                (span_id, document_id, annotator),
            ).fetchone()
            if row is None:
                raise Conflict("cannot undo: the layer was changed elsewhere since")
        kind = relation_type(relation.label)
        taken = self._relations_where(conn, "head_span_id = ? AND label = ?", (relation.head_span_id, relation.label))
        if any(r.child_span_id == relation.child_span_id for r in taken) or (
            taken and kind is not None and kind.single
        ):
            raise Conflict("cannot undo: the layer was changed elsewhere since")
        return self._insert_relation(conn, document_id, annotator, relation, stamp)
