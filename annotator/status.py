"""The statuses an article has for one annotator, and how each reads on screen."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """An article's status in one layer; the values are what the database stores."""

    NEW = "new"
    """Opened, nothing done yet (no progress row at all: never opened)."""
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ADJUDICATED = "adjudicated"
    """The gold layer's `done`: reviewed and decided."""


NEW = Status.NEW
IN_PROGRESS = Status.IN_PROGRESS
DONE = Status.DONE
ADJUDICATED = Status.ADJUDICATED
STATUSES = (IN_PROGRESS, DONE, ADJUDICATED)
"""The statuses a layer can be set to."""
FINISHED = (DONE, ADJUDICATED)
"""The statuses that count as finished."""
STATUS_WORDS: dict[str, str] = {NEW: "new", IN_PROGRESS: "in progress", DONE: "done", ADJUDICATED: "adjudicated"}


def status_word(status: str | None) -> str:
    """How a status reads on every screen and in `annotator docs` (None: never opened)."""
    return STATUS_WORDS.get(status or NEW, (status or NEW).replace("_", " "))
