"""Assignments: which documents the lead gave to which annotator (the table of schema 4).

Planning is pure and lives beside the store (annotator/assignments.py, annotator/lead/assign.py); this
mixin holds every query of the table. A document an annotator has started or finished (a status past
`new`, or any span of theirs) stays assigned to them whatever a new plan says: their work is never
taken from them, even work begun between the plan and its writing.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.store import connection
from annotator.store.connection import Connection

_STARTED_SQL = (
    "SELECT document_id, annotator FROM progress WHERE status IN ('in_progress', 'done', 'adjudicated') "
    "UNION SELECT DISTINCT document_id, annotator FROM spans"
)


class Assignments(Connection):
    """Read the assignments, and replace them by a plan in one transaction."""

    def assignment_rows(self) -> list[tuple[str, str, str, str]]:
        """Every assignment (document_id, annotator, assigned_at, assigned_by), in corpus order then by name."""
        return [
            (row[0], row[1], row[2], row[3])
            for row in self._read(
                "SELECT a.document_id, a.annotator, a.assigned_at, a.assigned_by FROM assignments a "
                "JOIN documents d ON d.id = a.document_id ORDER BY d.position, a.annotator"
            )
        ]

    def assigned_documents(self, annotator: str) -> list[str]:
        """The ids of the documents assigned to an annotator, in corpus order."""
        rows = self._read(
            "SELECT a.document_id FROM assignments a JOIN documents d ON d.id = a.document_id "
            "WHERE a.annotator = ? ORDER BY d.position",
            (annotator,),
        )
        return [row[0] for row in rows]

    def assigned_annotators(self) -> list[str]:
        """Every name holding at least one assignment, sorted."""
        return [row[0] for row in self._read("SELECT DISTINCT annotator FROM assignments ORDER BY 1")]

    def started_work(self) -> set[tuple[str, str]]:
        """(document, annotator) of every document an annotator has started or finished."""
        return {(row[0], row[1]) for row in self._read(_STARTED_SQL)}

    def write_plan(self, planned: Iterable[tuple[str, str]], user: str) -> set[tuple[str, str]]:
        """Replace the assignments by the planned (document, annotator) pairs in one transaction; returns the
        pairs kept beyond the plan because the annotator started the document meanwhile."""
        stamp = connection.now()
        wanted = set(planned)
        with self.transaction() as conn:
            work = {(row[0], row[1]) for row in conn.execute(_STARTED_SQL).fetchall()}
            current = {(row[0], row[1]) for row in conn.execute("SELECT document_id, annotator FROM assignments")}
            extra = (current & work) - wanted  # never unassign started work, even work begun since the plan
            conn.execute("DELETE FROM assignments")
            conn.executemany(
                "INSERT INTO assignments (document_id, annotator, assigned_at, assigned_by) VALUES (?, ?, ?, ?)",
                [(doc, name, stamp, user) for doc, name in sorted(wanted | extra)],
            )
        return extra
