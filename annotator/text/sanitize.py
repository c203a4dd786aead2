"""Display sanitising: decide, per character, what the terminal may be sent.

Every character of a paragraph falls in one of five kinds:

* ``BASE``    -- one visible cell (letters, digits, punctuation, spaces, ...);
* ``WIDE``    -- one visible character two cells wide (CJK, most emoji);
* ``MARK``    -- zero-width, drawn on the previous cell (harakat, other
  combining marks); kept in that cell's text;
* ``HIDDEN``  -- zero-width and never sent to the terminal: every ``Cf``
  character, which includes all bidi format characters (LRM, RLM, ALM,
  LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI), ZWJ/ZWNJ, U+FEFF, soft hyphen;
  its offset is attached to a neighbouring cell;
* ``CONTROL`` -- C0/C1 controls, DEL, LINE/PARAGRAPH SEPARATOR and lone
  surrogates; shown as exactly one visible placeholder cell each, so a
  control character can never reach the terminal and offsets still hold.

Nothing here parses markup: the result is plain text for plain segments.
"""

from __future__ import annotations

import unicodedata
from enum import IntEnum
from typing import Final

from rich.cells import cell_len


class Kind(IntEnum):
    """How one logical character is displayed."""

    BASE = 0
    WIDE = 1
    MARK = 2
    HIDDEN = 3
    CONTROL = 4


#: Explicit directional embeddings, overrides and isolates (UAX #9 X1-X8).
#: The layout ignores them: they neither reorder nor reach the output.
EXPLICIT_FORMATS: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Implicit directional marks: honoured as the strong characters they are.
DIRECTIONAL_MARKS: Final = frozenset("\u200e\u200f\u061c")
#: Every bidi format character; none of them is ever drawn.
BIDI_FORMATS: Final = EXPLICIT_FORMATS | DIRECTIONAL_MARKS

#: Placeholder for a character without a dedicated control picture.
REPLACEMENT: Final = "\ufffd"
#: Base drawn under a combining mark that has nothing to sit on.
DOTTED_CIRCLE: Final = "\u25cc"

_SPECIAL_PLACEHOLDERS: Final = {
    0x7F: "\u2421",  # SYMBOL FOR DELETE
    0x2028: "\u2424",  # SYMBOL FOR NEWLINE
    0x2029: "\u00b6",  # PILCROW SIGN
}

_cache: dict[str, tuple[Kind, str]] = {}


def placeholder(ch: str) -> str:
    """Return the visible one-cell stand-in for a control character."""
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # Control Pictures: NUL..US -> U+2400..U+241F
    return _SPECIAL_PLACEHOLDERS.get(code, REPLACEMENT)


def _classify(ch: str) -> tuple[Kind, str]:
    category = unicodedata.category(ch)
    if category in ("Cc", "Cs") or ch in "\u2028\u2029":
        return Kind.CONTROL, placeholder(ch)
    if category == "Cf":
        return Kind.HIDDEN, ""
    width = cell_len(ch)
    if width == 0:
        return Kind.MARK, ch
    if width == 2:
        return Kind.WIDE, ch
    return Kind.BASE, ch


def classify(ch: str) -> tuple[Kind, str]:
    """Return the display kind of one character and the text to draw for it."""
    try:
        return _cache[ch]
    except KeyError:
        result = _cache[ch] = _classify(ch)
        return result


def is_unsafe(ch: str) -> bool:
    """Tell whether a character must never be sent to the terminal as is."""
    return classify(ch)[0] in (Kind.HIDDEN, Kind.CONTROL)


def sanitize(text: str) -> str:
    """Make a string safe to print: controls become placeholders, Cf characters go."""
    return "".join(classify(ch)[1] for ch in text)


_KIND_LETTERS: Final = "bwmhc"  # indexed by Kind


class _KindTable(dict[int, str]):
    """str.translate table from code point to a one-letter kind, filled lazily."""

    def __missing__(self, code: int) -> str:
        letter = self[code] = _KIND_LETTERS[classify(chr(code))[0]]
        return letter


_KIND_TABLE: Final = _KindTable()


def kind_letters(text: str) -> str:
    """Return one kind letter per character: b(ase) w(ide) m(ark) h(idden) c(ontrol)."""
    return text.translate(_KIND_TABLE)
