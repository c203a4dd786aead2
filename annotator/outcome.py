"""What an action did, for the status line: its message and, as types, whether it failed and why."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.text.normalize import end_cuts_word, start_cuts_word


@dataclass
class Outcome:
    """What an action did, for the status line: a message and whether it failed."""

    message: str
    error: bool = False
    note: str = ""
    """What the user should check although nothing failed (a span that cuts a word), said once more aloud."""
    failed: bool = False
    """The database refused or failed the action, so nothing was saved (or read): worth a notification."""

    @classmethod
    def failure(cls, message: str) -> Outcome:
        """An action the database refused or failed: an error the screen also notifies."""
        return cls(message, error=True, failed=True)


def excerpt(text: str, limit: int = 30) -> str:
    """A span's text for a message: at most `limit` characters, on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def word_cut_note(text: str, start: int, end: int) -> str:
    """What a span [start, end) cuts: the word it starts or ends inside ('' when it cuts none).

    Leaving a proclitic prefix (و ف ب ل ك ...) outside is how the guidelines tag, so that says nothing.
    """
    cuts = []
    if (word := start_cuts_word(text, start)) is not None:
        cuts.append(f"starts inside the word «{excerpt(text[word[0] : word[1]])}»")
    if (word := end_cuts_word(text, end)) is not None:
        cuts.append(f"ends inside the word «{excerpt(text[word[0] : word[1]])}»")
    return "; ".join(cuts)


def with_note(message: str, note: str) -> Outcome:
    """An outcome whose message ends with the note, when there is one."""
    return Outcome(f"{message} — note: {note}" if note else message, note=note)
