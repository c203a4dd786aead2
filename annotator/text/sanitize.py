"""Display sanitising: decide, per character, what the terminal may be sent.

Every character of a paragraph falls in one of five kinds (generated from the Unicode data files into
:mod:`annotator.text._ucd_cells` by scripts/gen_unicode_tables.py):

* ``BASE``    -- one visible cell (letters, digits, punctuation, spaces, and the visible format
  characters U+0600..U+0605, U+06DD, U+08E2: the number signs and the end of ayah that carries a
  verse number);
* ``WIDE``    -- one visible character two cells wide (CJK, most emoji);
* ``MARK``    -- zero-width, drawn on the previous cell (harakat, other combining marks); kept in
  that cell's text;
* ``HIDDEN``  -- default-ignorable, never sent to the terminal: the bidi format characters (LRM,
  RLM, ALM, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI), ZWJ/ZWNJ, variation selectors, tags, U+FEFF,
  soft hyphen; also the parts of an emoji sequence after its first emoji (below); its offset is
  attached to a neighbouring cell;
* ``CONTROL`` -- C0/C1 controls, DEL, LINE/PARAGRAPH SEPARATOR, lone surrogates, unassigned code
  points, format characters without a glyph of their own: shown as exactly one visible placeholder
  cell each, so a control character can never reach the terminal and offsets still hold.

Emoji: terminals disagree on the width of emoji sequences (tmux draws a thumbs-up with a skin tone as
two emoji, four cells; Rich counts two; VS16 turns a one-cell heart into two cells for Rich but not
for tmux). So an emoji cluster is sent as its first emoji alone, in the width every terminal and Rich
give it: a skin-tone modifier after an emoji, the variation selector, and the emoji a ZWJ joins on
are hidden in that cell; a flag (a pair of regional indicators) is one cell showing U+2691 BLACK FLAG.
A skin-tone modifier or regional indicator on its own is a placeholder. The stored text never changes.

Nothing here parses markup: the result is plain text for plain segments.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from enum import IntEnum
from typing import Final

from ._ucd_cells import (
    CELL_KINDS,
    CELL_STARTS,
    EMOJI_MODIFIERS,
    EXTENDED_PICTOGRAPHIC,
    REGIONAL_INDICATORS,
)


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
#: What a flag (regional indicator pair) is drawn as: one cell everywhere.
FLAG: Final = "\u2691"

_SPECIAL_PLACEHOLDERS: Final = {
    0x7F: "\u2421",  # SYMBOL FOR DELETE
    0x2028: "\u2424",  # SYMBOL FOR NEWLINE
    0x2029: "\u00b6",  # PILCROW SIGN
}


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """A regular-expression character class body for code point ranges."""
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


_PICTOGRAPHIC: Final = _char_class(EXTENDED_PICTOGRAPHIC)
_MODIFIER: Final = _char_class(EMOJI_MODIFIERS)
_REGIONAL: Final = _char_class(REGIONAL_INDICATORS)
#: Characters that make an emoji sequence: worth the context pass of kind_letters().
_EMOJI_JOINERS: Final = re.compile(f"[{_MODIFIER}{_REGIONAL}\u200d]")
_MODIFIED: Final = re.compile(f"(?<=[{_PICTOGRAPHIC}])[{_MODIFIER}]+")
# An emoji ZWJ sequence (UAX #29 GB11): pictographs joined by ZWJ, each followed by its extenders
# (skin tones, variation selectors, tags, marks); everything after the first pictograph is hidden.
_ZWJ_SEQUENCE: Final = re.compile(
    f"[{_PICTOGRAPHIC}](?:[{_MODIFIER}\ufe00-\ufe0f\U000e0020-\U000e007f\u20e3]*\u200d[{_PICTOGRAPHIC}])+"
)
_FLAG: Final = re.compile(f"[{_REGIONAL}]{{2}}")

_KINDS_BY_LETTER: Final = {"b": 0, "w": 1, "m": 2, "h": 3, "c": 4}
_cache: dict[str, tuple[Kind, str]] = {}


def table_kind(code: int) -> str:
    """The display kind letter (b w m h c) the generated table gives one code point, out of context."""
    return CELL_KINDS[bisect_right(CELL_STARTS, code) - 1]


def placeholder(ch: str) -> str:
    """Return the visible one-cell stand-in for a control character."""
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # Control Pictures: NUL..US -> U+2400..U+241F
    if REGIONAL_INDICATORS[0][0] <= code <= REGIONAL_INDICATORS[-1][1]:
        return FLAG
    return _SPECIAL_PLACEHOLDERS.get(code, REPLACEMENT)


def _classify(ch: str) -> tuple[Kind, str]:
    kind = Kind(_KINDS_BY_LETTER[table_kind(ord(ch))])
    if kind is Kind.CONTROL:
        return kind, placeholder(ch)
    if kind is Kind.HIDDEN:
        return kind, ""
    return kind, ch


def classify(ch: str) -> tuple[Kind, str]:
    """Return the display kind of one character out of context and the text to draw for it."""
    try:
        return _cache[ch]
    except KeyError:
        result = _cache[ch] = _classify(ch)
        return result


def is_unsafe(ch: str) -> bool:
    """Tell whether a character must never be sent to the terminal as is."""
    return classify(ch)[0] in (Kind.HIDDEN, Kind.CONTROL)


def sanitize(text: str) -> str:
    """Make a string safe to print: controls become placeholders, hidden characters go."""
    kinds = kind_letters(text)
    return "".join(["" if kind == "h" else classify(ch)[1] for ch, kind in zip(text, kinds)])


_KIND_LETTERS: Final = "bwmhc"  # indexed by Kind


class _KindTable(dict[int, str]):
    """str.translate table from code point to a one-letter kind, filled lazily."""

    def __missing__(self, code: int) -> str:
        letter = self[code] = table_kind(code)
        return letter


_KIND_TABLE: Final = _KindTable()


def kind_letters(text: str) -> str:
    """Return one kind letter per character, in context: b(ase) w(ide) m(ark) h(idden) c(ontrol)."""
    kinds = text.translate(_KIND_TABLE)
    if _EMOJI_JOINERS.search(text) is None:
        return kinds
    marked = list(kinds)
    for match in _MODIFIED.finditer(text):  # a skin tone on its emoji: part of that emoji's cell
        marked[match.start() : match.end()] = "h" * (match.end() - match.start())
    for match in _ZWJ_SEQUENCE.finditer(text):
        for i in range(match.start() + 1, match.end()):
            if marked[i] != "m":
                marked[i] = "h"
    for match in _FLAG.finditer(text):  # pairs counted from the start of a run, as UAX #29 GB12-13
        marked[match.start() + 1] = "h"
    return "".join(marked)
