"""Loose Arabic matching for find (أ إ آ ا alike, ة ه alike, ى ي alike, tatweel and harakat ignored) on whole words.

A match starts at a word start or right after a proclitic prefix (و ف ب ل ك and their pairs: the
guidelines leave «و» outside «والعراق»), and ends at a word end; a `*` at the query's start or end
lets the match start or end inside a word. Words are the tokenizer's (one definition of a word
character for find, tokens and the status line's notes).
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from annotator.text.tokenizer import is_word_char, word_bounds

_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ة": "ه",
    "ى": "ي",
    "ی": "ي",
    "ئ": "ي",
    "ؤ": "و",
    "ک": "ك",
}
_IGNORED = {"\u0640"}  # tatweel
PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"})
"""Prefixes written joined to a word that a span may leave outside (folded: harakat on them are ignored)."""
PARTIAL = "*"
"""In a query: at its start, the match may start inside a word; at its end, it may end inside one."""


def _fold_char(char: str) -> str:
    """The folded form of one character ('' when find ignores it)."""
    if char in _IGNORED or unicodedata.category(char) == "Mn" or unicodedata.category(char) == "Cf":
        return ""
    return _FOLD.get(char, char).casefold()


@lru_cache(maxsize=8)
def fold_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """The folded text and, for each folded character, the offset of its source in text."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        folded = _fold_char(char)
        for piece in folded:
            out.append(piece)
            where.append(i)
    return "".join(out), tuple(where)


def fold(text: str) -> str:
    """The folded form of a query."""
    return "".join(_fold_char(char) for char in text)


class _MaskTable(dict[int, str]):
    """str.translate table, filled lazily: w(ord character), i(gnored word character: harakat, tatweel,
    joiners), x (ignored, not in words: RLM and other format characters), . (anything else)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        word = is_word_char(char)
        letter = self[code] = ("i" if word else "x") if _fold_char(char) == "" else ("w" if word else ".")
        return letter


_MASK_TABLE = _MaskTable()
_IN_WORD = frozenset("wi")


@lru_cache(maxsize=8)
def _mask(text: str) -> str:
    """One letter per character of text (see _MaskTable), so a match is checked without a look-up per character."""
    return text.translate(_MASK_TABLE)


def _extend_marks(mask: str, end: int) -> int:
    """Move end past combining marks, tatweel and format characters that belong to the last matched letter."""
    while end < len(mask) and mask[end] in "ix":
        end += 1
    return end


def _between_word_chars(mask: str, offset: int) -> bool:
    """Whether offset falls between two characters of one word token."""
    return 0 < offset < len(mask) and mask[offset - 1] in _IN_WORD and mask[offset] in _IN_WORD


def _cuts_start(text: str, mask: str, start: int) -> bool:
    """Whether an edge at `start` falls inside a word other than right after a proclitic prefix."""
    if not _between_word_chars(mask, start):
        return False
    word_start = start - 1
    while word_start > 0 and mask[word_start - 1] in _IN_WORD:
        word_start -= 1
    return fold(text[word_start:start]) not in PROCLITICS


def start_cuts_word(text: str, start: int) -> tuple[int, int] | None:
    """The word an edge at `start` begins inside, unless all it leaves out is a proclitic prefix; else None."""
    return word_bounds(text, start) if _cuts_start(text, _mask(text), start) else None


def end_cuts_word(text: str, end: int) -> tuple[int, int] | None:
    """The word an edge at `end` ends inside, else None."""
    return word_bounds(text, end) if _between_word_chars(_mask(text), end) else None


def _candidates(haystack: str, needle: str, first: int, backwards: bool) -> Iterator[int]:
    """Folded match positions from `first` on (backwards: before `first`, going back), wrapping around once."""
    if backwards:
        high = first - 1 + len(needle)
        while first and (found := haystack.rfind(needle, 0, high)) >= 0:
            yield found
            high = found - 1 + len(needle)
        high = len(haystack)
        while (found := haystack.rfind(needle, 0, high)) >= first:
            yield found
            high = found - 1 + len(needle)
    else:
        position = first
        while (found := haystack.find(needle, position)) >= 0:
            yield found
            position = found + 1
        position = 0
        while (found := haystack.find(needle, position, first - 1 + len(needle))) >= 0:
            yield found
            position = found + 1


def find(text: str, query: str, after: int, backwards: bool = False) -> tuple[int, int] | None:
    """The next match of query starting after `after` (or the previous one starting before it), wrapping around."""
    query = query.strip()
    partial_start, partial_end = query.startswith(PARTIAL), query.endswith(PARTIAL)
    needle = fold(query.strip(PARTIAL).strip())
    if not needle:
        return None
    haystack, where = fold_with_map(text)
    mask = _mask(text)
    first = bisect.bisect_left(where, after) if backwards else bisect.bisect_right(where, after)
    for found in _candidates(haystack, needle, first, backwards):
        start = where[found]
        end = _extend_marks(mask, where[found + len(needle) - 1] + 1)
        if (partial_end or not _between_word_chars(mask, end)) and (
            partial_start or not _cuts_start(text, mask, start)
        ):
            return start, end
    return None
