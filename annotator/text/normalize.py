"""Loose Arabic matching for find: أ إ آ ا alike, ة ه alike, ى ي alike, tatweel and harakat ignored."""

from __future__ import annotations

import bisect
import unicodedata
from functools import lru_cache

_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ة": "ه",
    "ى": "ي", "ی": "ي", "ئ": "ي",
    "ؤ": "و",
    "ک": "ك",
}
_IGNORED = {"\u0640"}  # tatweel


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


def find(text: str, query: str, after: int, backwards: bool = False) -> tuple[int, int] | None:
    """The next match of query starting after `after` (or the previous one starting before it), wrapping around."""
    needle = fold(query.strip())
    if not needle:
        return None
    haystack, where = fold_with_map(text)
    if backwards:
        limit = bisect.bisect_left(where, after)
        found = haystack.rfind(needle, 0, limit - 1 + len(needle)) if limit else -1
        if found < 0:
            found = haystack.rfind(needle)
    else:
        found = haystack.find(needle, bisect.bisect_right(where, after))
        if found < 0:
            found = haystack.find(needle)
    if found < 0:
        return None
    start = where[found]
    end = where[found + len(needle) - 1] + 1
    return start, _extend_marks(text, end)
