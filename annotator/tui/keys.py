"""The key groups the editing screens share; each screen lists the groups it binds, in its own order."""

from __future__ import annotations

import itertools
import re

from textual.binding import Binding, BindingType

from annotator.text.display import display_line
from annotator.text.sanitize import sanitize

MOVES: dict[str, tuple[str, str]] = {
    # key: (action, description)
    "left": ("move('left')", "one character left (forward in Arabic)"),
    "right": ("move('right')", "one character right (back in Arabic)"),
    "up": ("move('up')", "one row up"),
    "down": ("move('down')", "one row down"),
    "home": ("move('home')", "row start (in reading order)"),
    "end": ("move('end')", "row end (in reading order)"),
    "pageup": ("move('pageup')", "one page up"),
    "pagedown": ("move('pagedown')", "one page down"),
    "ctrl+left": ("move('word_left')", "one word left (forward in Arabic)"),
    "ctrl+right": ("move('word_right')", "one word right"),
}
LABEL_KEYS = (("1", "a", "actor", "Actor"), ("2", "f", "figure", "Figure"), ("3", "p", "place", "Place"),
              ("4", "q", "quote", "Quote"))
"""(digit, letter, label, description): in review the digits choose annotators, so only the letters tag."""


def motion_keys() -> list[BindingType]:
    """Cursor moves, their selection-extending twins, and the selection keys."""
    bindings: list[BindingType] = []
    for key, (action, description) in MOVES.items():
        bindings.append(Binding(key, action, description, show=False))
        extend = action.replace("move(", "move_extend(")
        bindings.append(Binding(f"shift+{key}", extend, f"extend selection: {description}", show=False))
    return bindings + [
        Binding("space", "select_word", "Select word / extend by next word", show=False),
        Binding("escape", "clear", "Clear selection", show=False),
        Binding("e", "swap_ends", "Move the other end of the selection (trim a clitic)", show=False),
    ]


def label_keys(digits: bool) -> list[BindingType]:
    """One key per label (a letter, and its digit when `digits`)."""
    return [Binding(f"{digit},{letter}" if digits else letter, f"tag('{label}')", description)
            for digit, letter, label, description in LABEL_KEYS]


def edit_keys() -> list[BindingType]:
    """Remove, undo, redo."""
    return [
        Binding("x,delete,backspace", "remove", "Remove", key_display="x"),
        Binding("u,ctrl+z", "undo", "Undo", key_display="u"),
        Binding("ctrl+y,U", "redo", "Redo", show=False),
    ]


def speaker_keys() -> list[BindingType]:
    """Link the quote under the cursor to its speaker (Tab, shift+Tab, Enter and Escape act on the link while choosing)."""
    return [
        Binding("s", "link_speaker", "Speaker"),
        Binding("S", "unlink_speaker", "Remove the speaker link of the quote under the cursor", show=False),
    ]


def find_keys() -> list[BindingType]:
    """The find prompt and its next/previous match."""
    return [
        Binding("slash", "find", "Find", key_display="/"),
        Binding("n", "find_next", "Next match", show=False),
        Binding("N", "find_previous", "Previous match", show=False),
    ]


def flag_key() -> list[BindingType]:
    """Flag the article or the span under the cursor for the lead, with a note (again: edit or clear it)."""
    return [Binding("exclamation_mark", "flag", "Flag for the lead (span under the cursor, else the article)",
                    show=False, key_display="!")]


def reopen_key() -> list[BindingType]:
    """Back in progress."""
    return [Binding("r", "reopen", "Reopen the article (back in progress)", show=False)]


def document_keys() -> list[BindingType]:
    """Other articles, the span list, help."""
    return [
        Binding("right_square_bracket", "next_document", "Next article", show=False),
        Binding("left_square_bracket", "previous_document", "Previous article", show=False),
        Binding("o", "documents", "Articles"),
        Binding("l", "focus_spans", "Focus the span list", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]


_QUOTED = re.compile("«([^«»]*)»")


def status_text(message: str, mode: str) -> str:
    """A message in visual order: its «quoted» article text laid out like the article, the rest left to right."""
    parts = _QUOTED.split(" ".join(message.split()))
    return "".join(
        f"«{display_line(part, len(part) + 2, mode)}»" if quoted else sanitize(part)
        for quoted, part in zip(itertools.cycle((False, True)), parts)
    )
