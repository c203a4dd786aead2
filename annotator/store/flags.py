"""Flags: an annotator's question to the lead about an article or a span of it, with a one-line note.

A flag names its target by offsets (NULL for the whole article): the text never changes, so they keep
naming the same characters whatever later becomes of the span. An annotator has at most one open flag
per target; `!` on it again edits its note or clears it. The lead lists them and resolves them. Flags
are no part of a layer: no event, no undo, never in exports or agreement.
"""

from __future__ import annotations

from typing import NamedTuple

from annotator.errors import Refused
from annotator.store import connection
from annotator.store.check import Check

_COLUMNS = 'id, document_id, annotator, start, "end", note, user, created, updated, resolved, resolved_by'


class Flag(NamedTuple):
    """A row of the flags table; start and end are None for a flag on the whole article."""

    id: int
    document_id: str
    annotator: str
    start: int | None
    end: int | None
    note: str
    user: str
    created: str
    updated: str
    resolved: str | None = None
    resolved_by: str | None = None

    @property
    def on_article(self) -> bool:
        """Whether the flag is about the whole article rather than a span."""
        return self.start is None


def one_line(note: str) -> str:
    """A note as one line: runs of whitespace (line breaks included) become one space, ends trimmed."""
    return " ".join(note.split())


class Flags(Check):
    """Flag, edit, clear and resolve; the lists the screens and `annotator flags` show; their integrity check."""

    def flags(
        self, *, document_id: str | None = None, annotator: str | None = None, open_only: bool = False
    ) -> list[Flag]:
        """Flags in the order they were raised, narrowed to a document, an annotator, the open ones."""
        where, params = ["1"], []
        if document_id is not None:
            where.append("document_id = ?")
            params.append(document_id)
        if annotator is not None:
            where.append("annotator = ?")
            params.append(annotator)
        if open_only:
            where.append("resolved IS NULL")
        rows = self._read(f"SELECT {_COLUMNS} FROM flags WHERE {' AND '.join(where)} ORDER BY id", params)
        return [Flag(*row) for row in rows]

    def open_flag_counts(self, annotator: str | None = None) -> dict[str, int]:
        """Document → how many open flags it has (of one annotator, or of everyone)."""
        sql = "SELECT document_id, count(*) FROM flags WHERE resolved IS NULL"
        rows = self._read(
            sql + (" AND annotator = ?" if annotator else "") + " GROUP BY 1", (annotator,) if annotator else ()
        )
        return {doc: count for doc, count in rows}

    def set_flag(self, document_id: str, annotator: str, span: tuple[int, int] | None, note: str, *, user: str) -> Flag:
        """Raise a flag on the article (span None) or on a span's offsets, or change the note of the open flag
        already there; one transaction. Refused when the offsets lie outside the text."""
        stamp = connection.now()
        start, end = span if span is not None else (None, None)
        with self.transaction() as conn:
            self._guard(conn, annotator)
            text = self._document_text(conn, document_id)
            if start is not None and end is not None and not 0 <= start < end <= len(text):
                raise Refused(f"cannot flag {start}-{end}: outside the text of {document_id}")
            row = conn.execute(
                'SELECT id FROM flags WHERE document_id = ? AND annotator = ? AND start IS ? AND "end" IS ? '
                "AND resolved IS NULL",
                (document_id, annotator, start, end),
            ).fetchone()
            if row is None:
                flag_id = conn.execute(
                    'INSERT INTO flags (document_id, annotator, start, "end", note, user, created, updated) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (document_id, annotator, start, end, one_line(note), user, stamp, stamp),
                ).lastrowid
            else:
                flag_id = row[0]
                conn.execute(
                    "UPDATE flags SET note = ?, user = ?, updated = ? WHERE id = ?",
                    (one_line(note), user, stamp, flag_id),
                )
            found = conn.execute(f"SELECT {_COLUMNS} FROM flags WHERE id = ?", (flag_id,)).fetchone()
        return Flag(*found)

    def clear_flag(self, flag_id: int, annotator: str) -> None:
        """Take back an open flag of one's own (the annotator's answer to their own question); Refused when it
        is not there, not theirs or already resolved."""
        with self.transaction() as conn:
            self._guard(conn, annotator)
            gone = conn.execute(
                "DELETE FROM flags WHERE id = ? AND annotator = ? AND resolved IS NULL", (flag_id, annotator)
            ).rowcount
        if not gone:
            raise Refused(f"flag {flag_id} is not an open flag of {annotator}")

    def resolve_flag(self, flag_id: int, *, user: str) -> Flag:
        """The lead's answer: the flag is resolved (kept, no longer open). Refused when there is no such flag
        or it is resolved already."""
        stamp = connection.now()
        with self.transaction() as conn:
            row = conn.execute("SELECT resolved FROM flags WHERE id = ?", (flag_id,)).fetchone()
            if row is None:
                raise Refused(f"no flag {flag_id}")
            if row[0] is not None:
                raise Refused(f"flag {flag_id} was resolved already ({row[0]})")
            conn.execute("UPDATE flags SET resolved = ?, resolved_by = ? WHERE id = ?", (stamp, user, flag_id))
            found = conn.execute(f"SELECT {_COLUMNS} FROM flags WHERE id = ?", (flag_id,)).fetchone()
        return Flag(*found)

    def _check(self) -> list[str]:
        """check's queries, and the flags: their offsets inside their article's text, a resolved one says by whom."""
        problems = super()._check()
        lengths = dict(self._read("SELECT id, length(text) FROM documents"))
        for flag_id, doc_id, start, end, resolved, resolved_by in self._read(
            'SELECT id, document_id, start, "end", resolved, resolved_by FROM flags ORDER BY id'
        ):
            if doc_id not in lengths:
                problems.append(f"flag {flag_id} ({doc_id}): its document is missing")
            elif (start is None) != (end is None) or (start is not None and not 0 <= start < end <= lengths[doc_id]):
                problems.append(f"flag {flag_id} ({doc_id}, {start}-{end}): outside its text")
            if (resolved is None) != (resolved_by is None):
                problems.append(f"flag {flag_id} ({doc_id}): resolved {resolved!r} by {resolved_by!r}")
        return problems
