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

from annotator.text.tokenizer import _is_word_char

_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ة": "ه",
    "ى": "ي", "ی": "ي", "ئ": "ي",
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


def _extend_marks(text: str, end: int) -> int:
    """Move end past combining marks and tatweel that belong to the last matched letter."""
    while end < len(text) and _fold_char(text[end]) == "":
        end += 1
    return end


def word_at(text: str, offset: int) -> tuple[int, int]:
    """The run of word characters around offset (empty at offset when there is none)."""
    start = offset
    while start > 0 and _is_word_char(text[start - 1]):
        start -= 1
    end = offset
    while end < len(text) and _is_word_char(text[end]):
        end += 1
    return start, end


def _between_word_chars(text: str, offset: int) -> bool:
    return 0 < offset < len(text) and _is_word_char(text[offset - 1]) and _is_word_char(text[offset])


def start_cuts_word(text: str, start: int) -> tuple[int, int] | None:
    """The word an edge at `start` begins inside, unless all it leaves out is a proclitic prefix; else None."""
    if not _between_word_chars(text, start):
        return None
    word = word_at(text, start)
    if fold(text[word[0] : start]) in PROCLITICS:
        return None
    return word


def end_cuts_word(text: str, end: int) -> tuple[int, int] | None:
    """The word an edge at `end` ends inside, else None."""
    return word_at(text, end) if _between_word_chars(text, end) else None


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
    first = bisect.bisect_left(where, after) if backwards else bisect.bisect_right(where, after)
    for found in _candidates(haystack, needle, first, backwards):
        start = where[found]
        end = _extend_marks(text, where[found + len(needle) - 1] + 1)
        if (partial_start or start_cuts_word(text, start) is None) and (partial_end or end_cuts_word(text, end) is None):
            return start, end
    return None
