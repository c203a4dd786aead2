"""The key groups the editing screens share; each screen lists the groups it binds, in its own order."""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection

from textual.binding import Binding, BindingType

from annotator.labels import LabelSchema
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
ARABIC_INDIC_DIGITS = {str(n): chr(0x0660 + n) for n in range(1, 10)}
"""1–9 → ١–٩: the digit keys an Arabic keyboard types (the Arabic-Indic twins of the label keys)."""


def motion_keys() -> list[BindingType]:
    """Cursor moves, their selection-extending twins, and the selection keys."""
    bindings: list[BindingType] = []
    for key, (action, description) in MOVES.items():
        bindings.append(Binding(key, action, description, show=False, id=f"move.{key}"))
        extend = action.replace("move(", "move_extend(")
        bindings.append(
            Binding(f"shift+{key}", extend, f"extend selection: {description}", show=False, id=f"extend.{key}")
        )
    return bindings + [
        Binding("space", "select_word", "Select word / extend by next word", show=False, id="select_word"),
        Binding("escape", "clear", "Clear selection", show=False, id="clear"),
        Binding("e", "swap_ends", "Move the other end of the selection (trim a clitic)", show=False, id="swap_ends"),
    ]


def label_keys(digits: bool, schema: LabelSchema | None = None, taken: Collection[str] = ()) -> list[BindingType]:
    """One binding per label of the schema (the default one when None), in its order: its key 1–9 and that digit's
    Arabic-Indic twin when `digits`, and a letter of its name that no key in `taken` nor an earlier label has
    (actor a, figure f, place p, quote q); in review the digits choose annotators, so only the letters tag there.
    The description is the name (the key bar's word); the tooltip is the label's guideline, which help shows."""
    used = set(taken)
    bindings: list[BindingType] = []
    for label in schema or LabelSchema.default():
        keys = [label.key] if digits else []
        letter = next((ch for ch in label.name.lower() if "a" <= ch <= "z" and ch not in used), None)
        if letter is not None:
            used.add(letter)
            keys.append(letter)
        if digits:  # after the Latin keys, as with_arabic_layout adds the letters' twins: help reads `1 / a / ١ / ش`
            keys.append(ARABIC_INDIC_DIGITS[label.key])
        if keys:
            bindings.append(
                Binding(
                    ",".join(keys),
                    f"tag('{label.name}')",
                    label.name.capitalize(),
                    key_display=keys[0],
                    id=f"tag.{label.name}",
                    tooltip=label.description,
                )
            )
    return bindings


def edit_keys() -> list[BindingType]:
    """Remove, undo, redo."""
    return [
        Binding("x,delete,backspace", "remove", "Remove", key_display="x", id="remove"),
        Binding("u,ctrl+z", "undo", "Undo", key_display="u", id="undo"),
        Binding("ctrl+y,U", "redo", "Redo", show=False, id="redo"),
    ]


def speaker_keys() -> list[BindingType]:
    """Link the quote under the cursor to its speaker (Tab, shift+Tab, Enter and Escape act on the link while choosing)."""
    return [
        Binding("s", "link_speaker", "Speaker", id="link_speaker"),
        Binding(
            "S",
            "unlink_speaker",
            "Remove the speaker link of the quote under the cursor",
            show=False,
            id="unlink_speaker",
        ),
    ]


def find_keys() -> list[BindingType]:
    """The find prompt and its next/previous match."""
    return [
        Binding("slash", "find", "Find", key_display="/", id="find"),
        Binding("n", "find_next", "Next match", show=False, id="find_next"),
        Binding("N", "find_previous", "Previous match", show=False, id="find_previous"),
    ]


def flag_key() -> list[BindingType]:
    """Flag the article or the span under the cursor for the lead, with a note (again: edit or clear it)."""
    return [
        Binding(
            "exclamation_mark",
            "flag",
            "Flag for the lead (span under the cursor, else the article)",
            show=False,
            key_display="!",
            id="flag",
        )
    ]


def reopen_key() -> list[BindingType]:
    """Back in progress."""
    return [Binding("r", "reopen", "Reopen the article (back in progress)", show=False, id="reopen")]


def document_keys() -> list[BindingType]:
    """Other articles, the span list, help."""
    return [
        Binding("right_square_bracket", "next_document", "Next article", show=False, id="next_document"),
        Binding("left_square_bracket", "previous_document", "Previous article", show=False, id="previous_document"),
        Binding("o", "documents", "Articles", id="documents"),
        Binding("l", "focus_spans", "Focus the span list", show=False, id="focus_spans"),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
    ]


_QUOTED = re.compile("«([^«»]*)»")
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_RTL_RUN = re.compile(f"[{_RTL}]+(?:[\\s\\d٠-٩.,،]+[{_RTL}]+)*(?:\\s*[\\d٠-٩]+(?:[.,][\\d٠-٩]+)*)?")
"""Right-to-left words (with the spaces and digits between them, and a number right after them, which the
bidi algorithm draws with them) in a message's own, left-to-right text: a query not found, an Arabic login."""


def _unquoted(part: str, mode: str) -> str:
    """A message's own text: left to right, each right-to-left run in it laid out as its letters are seen."""
    return _RTL_RUN.sub(lambda run: display_line(run.group(0), len(run.group(0)) + 2, mode), sanitize(part))


def status_text(message: str, mode: str) -> str:
    """A message in visual order: its «quoted» article text laid out like the article, the rest left to right
    with any right-to-left words in it laid out too."""
    parts = _QUOTED.split(" ".join(message.split()))
    return "".join(
        f"«{display_line(part, len(part) + 2, mode)}»" if quoted else _unquoted(part, mode)
        for quoted, part in zip(itertools.cycle((False, True)), parts)
    )
