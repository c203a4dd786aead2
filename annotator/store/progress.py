"""Progress: each annotator's status of each article, and the place (article, cursor) they were last at."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from annotator.errors import Refused
from annotator.model import GOLD
from annotator.status import FINISHED, IN_PROGRESS, NEW, STATUSES, status_word
from annotator.store import connection
from annotator.store.events import Edit, EventLog


class Progress(EventLog):
    """Statuses (an undoable step when the user sets one) and the annotator's last place."""

    def _set_status(
        self,
        conn: sqlite3.Connection,
        document_id: str,
        annotator: str,
        status: str,
        user: str,
        stamp: str,
        *,
        step: bool = False,
        previous: str | None = None,
    ) -> int:
        """Write the status and log it; a `step` (the user's own change) is undoable and records what it replaced."""
        conn.execute(
            "INSERT INTO progress (document_id, annotator, status, updated) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (document_id, annotator) DO UPDATE SET status = excluded.status, updated = excluded.updated",
            (document_id, annotator, status, stamp),
        )
        extra: dict[str, Any] = {"status": status}
        if step:
            extra.update(previous=previous or NEW, step=True)
        return self._log(conn, user, annotator, document_id, "status", extra=extra)

    def _touch_progress(
        self, conn: sqlite3.Connection, document_id: str, annotator: str, user: str, stamp: str
    ) -> None:
        """Mark a document in progress for an annotator who starts on it (not an undo step of its own)."""
        row = conn.execute(
            "SELECT status FROM progress WHERE document_id = ? AND annotator = ?", (document_id, annotator)
        ).fetchone()
        if row is None or row[0] == NEW:
            self._set_status(conn, document_id, annotator, IN_PROGRESS, user, stamp)

    def set_status(
        self,
        document_id: str,
        annotator: str,
        status: str,
        *,
        user: str,
        step: bool = False,
        only_from: Sequence[str] | None = None,
    ) -> Edit | None:
        """Record a document's status for an annotator (in_progress, done, adjudicated).

        With `step` (a change the user made: done, reopen) it is one step of the layer's undo/redo
        stack, and nothing is written when the status is already that (None returned). With
        `only_from`, a current status outside it raises.
        """
        if status not in STATUSES:
            raise Refused(f"unknown status {status!r}")
        with self.transaction() as conn:
            self._guard(conn, annotator)
            self._document_text(conn, document_id)
            row = conn.execute(
                "SELECT status FROM progress WHERE document_id = ? AND annotator = ?", (document_id, annotator)
            ).fetchone()
            current = row[0] if row else None
            if only_from is not None and current not in only_from:
                raise Refused(f"the article is {status_word(current)}, not {' or '.join(map(status_word, only_from))}")
            if step and current == status:
                return None
            event = self._set_status(
                conn, document_id, annotator, status, user, connection.now(), step=step, previous=current
            )
        return Edit(event, status=status)

    def status(self, document_id: str, annotator: str) -> str | None:
        """A document's status for an annotator (`new` when only opened), or None when never opened."""
        rows = self._read(
            "SELECT status FROM progress WHERE document_id = ? AND annotator = ?", (document_id, annotator)
        )
        return rows[0][0] if rows else None

    def statuses(self, annotator: str) -> dict[str, str]:
        """document id → status for one annotator."""
        return dict(self._read("SELECT document_id, status FROM progress WHERE annotator = ?", (annotator,)))

    def done_documents(self, annotator: str) -> list[str]:
        """Ids of documents the annotator marked done (or adjudicated), in corpus order."""
        rows = self._read(
            "SELECT p.document_id FROM progress p JOIN documents d ON d.id = p.document_id "
            "WHERE p.annotator = ? AND p.status IN (?, ?) ORDER BY d.position",
            (annotator, *FINISHED),
        )
        return [row[0] for row in rows]

    def known_annotators(self) -> list[str]:
        """Every name that ever opened or was given a document (gold excluded), sorted; reads only `progress`."""
        rows = self._read("SELECT DISTINCT annotator FROM progress ORDER BY 1")
        return [row[0] for row in rows if row[0] != GOLD]

    def save_place(self, document_id: str, annotator: str, cursor: int, *, wait: float = 2.0) -> None:
        """Remember where the annotator is (document and cursor), for the next start; gives up after `wait` s."""
        stamp = connection.now()
        with self.transaction(wait) as conn:
            self._guard(conn, annotator)
            # Opening an article changes no status: `new` until the first edit makes it in progress.
            conn.execute(
                "INSERT INTO progress (document_id, annotator, status, cursor, opened, updated) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (document_id, annotator) DO UPDATE SET "
                "cursor = excluded.cursor, opened = excluded.opened",
                (document_id, annotator, NEW, cursor, stamp, stamp),
            )

    def last_place(self, annotator: str) -> tuple[str, int] | None:
        """The document and cursor the annotator was last on, if any."""
        rows = self._read(
            "SELECT document_id, cursor FROM progress WHERE annotator = ? AND opened IS NOT NULL "
            "ORDER BY opened DESC LIMIT 1",
            (annotator,),
        )
        return (rows[0][0], rows[0][1]) if rows else None

    def last_place_in(self, document_id: str, annotator: str) -> int | None:
        """The cursor the annotator last had in one document, if any."""
        rows = self._read(
            "SELECT cursor FROM progress WHERE document_id = ? AND annotator = ? AND opened IS NOT NULL",
            (document_id, annotator),
        )
        return rows[0][0] if rows else None
