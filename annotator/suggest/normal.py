"""Arabic-normalised text for matching, with markers at word edges and a map back to the stored text.

The folding suggestions match under: أ إ آ ٱ → ا, ة → ه, ى → ي, harakat and
tatweel ignored, case folded, whitespace runs equal. It is narrower than find's (annotator.text.normalize
also folds ئ ؤ ک), so a suggestion matches only spellings that differ by the folds above.

Every word of the normalised text is wrapped in WORD_START … WORD_END, characters that never occur in
it otherwise, so that a pattern written the same way can only match whole words (see matcher.py).
Each of a word's leading proclitic letters (و ف ب ل ك) that the word goes on after is followed by a
new WORD_START: «بالانبار» becomes ‹ب‹الانبار›, so a pattern can start after a clitic without one
automaton string per clitic. Patterns go through the same function, so «بغداد» (‹ب‹غداد›) still
matches «بغداد», and «ببغداد» (‹ب‹ب‹غداد›) holds it after its clitic. A letter right before a
WORD_START is therefore always a split-off clitic letter.
Whole texts are normalised in batches: numpy's fixed cost per call would otherwise dominate.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from annotator.text.sanitize import Kind, classify
from annotator.text.tokenizer import is_word_char

WORD_START = "\x02"
WORD_END = "\x03"
CLITIC_LETTERS = "وفبلك"
SEPARATOR = "\x04"
"""Joins the texts of a batch; normalised control characters become U+FFFD, so no pattern holds it."""

_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"}
_TATWEEL = "\u0640"
_LINE_BREAKS = "\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85"
_BMP = 0x10000
_LAST = _BMP - 1  # astral code points are looked up here, then one by one
# Bits of the flags table.
_IGNORED, _SPACE, _NEWLINE, _WORD, _ASTRAL, _CLITIC = 1, 2, 4, 8, 16, 32
_FLAG_SHIFT = 24
_CODE_MASK = (1 << _FLAG_SHIFT) - 1
# The marker for an edge value taken & 3: 1 (a word starts) → WORD_START, 3 (-1, a word ends) → WORD_END.
_MARKER_CODES = np.array([0, ord(WORD_START), 0, ord(WORD_END)], dtype=np.uint32)


def _ignored(char: str) -> bool:
    """Harakat and other combining marks, tatweel and invisible format characters are not compared."""
    return char == _TATWEEL or unicodedata.category(char) in ("Mn", "Me", "Cf")


def _folded(char: str) -> str:
    """The one character a kept character compares as."""
    if char == SEPARATOR:
        return SEPARATOR
    if char in _FOLD:
        return _FOLD[char]
    if char.isspace():
        return "\n" if char in _LINE_BREAKS else " "
    if unicodedata.category(char) in ("Cc", "Cs"):
        return "\ufffd"  # a control character is no word character and equals no pattern character
    folded = char.casefold()
    return folded if len(folded) == 1 else char  # ß → ss would break the one-to-one map: kept as is


def _flags(char: str) -> int:
    """The flag bits of one character."""
    if _ignored(char):
        return _IGNORED
    folded = _folded(char)
    bits = 0
    if folded in " \n":
        bits |= _SPACE
    if folded == "\n":
        bits |= _NEWLINE
    if is_word_char(folded):
        bits |= _WORD
    if folded in CLITIC_LETTERS:
        bits |= _CLITIC
    return bits


@lru_cache(maxsize=1)
def _tables() -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint8]]:
    """Folded code and flag bits per code point of the Basic Multilingual Plane, built once."""
    chars = [chr(code) if not 0xD800 <= code <= 0xDFFF else "\ufffd" for code in range(_BMP)]
    fold = np.array([ord(_folded(char)) for char in chars], dtype=np.uint32)
    flags = np.array([_flags(char) for char in chars], dtype=np.uint8)
    flags[_LAST] |= _ASTRAL
    return fold, flags


@lru_cache(maxsize=1)
def _packed() -> npt.NDArray[np.uint32]:
    """Folded code in the low 24 bits and flag bits above, so that one look-up gives both."""
    fold, flags = _tables()
    return (fold | (flags.astype(np.uint32) << _FLAG_SHIFT)).astype(np.uint32)


class Normalised(NamedTuple):
    """A normalised, word-marked text, and what maps its offsets back to the stored text."""

    text: str
    kept: npt.NDArray[np.intp]
    """Stored offset of each character of the normalised text without its markers."""
    markers: npt.NDArray[np.intp]
    """Offsets in `text` of the WORD_START and WORD_END markers, ascending."""
    codes: npt.NDArray[np.uint32]
    """The code points of `text`."""

    def unmarked(self, offsets: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        """Indexes into `kept` of these characters of `text` (none of them a marker)."""
        return offsets - np.searchsorted(self.markers, offsets)

    def origin(self, offsets: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        """The stored offsets of these characters of `text` (none of them a marker)."""
        return self.kept[self.unmarked(offsets)]

    def utf8(self) -> tuple[bytes, npt.NDArray[np.intp]]:
        """`text` in UTF-8 and the byte offset where each of its characters starts (one more: the end)."""
        lengths = (self.codes >= 0x80).view(np.uint8) + 1
        lengths += (self.codes >= 0x800).view(np.uint8)
        lengths += (self.codes >= 0x10000).view(np.uint8)
        starts = np.zeros(lengths.size + 1, dtype=np.intp)
        np.cumsum(lengths, out=starts[1:], dtype=np.intp)
        return self.text.encode("utf-8"), starts


def normalise(text: str) -> Normalised:
    """The normalised form of text with WORD_START/WORD_END around every word, and the offset map."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    astral = bool(codes.size) and int(codes.max()) >= _LAST
    packed = _packed()[np.minimum(codes, _LAST) if astral else codes]
    if astral:
        for i in np.flatnonzero(codes >= _LAST).tolist():
            packed[i] = ord(_folded(text[i])) | (_flags(text[i]) << _FLAG_SHIFT)
    ignored = (packed & (_IGNORED << _FLAG_SHIFT)).astype(np.bool_)
    if ignored.any():
        kept = np.flatnonzero(~ignored)
        packed = packed[kept]
    else:
        kept = np.arange(codes.size, dtype=np.intp)
    space = (packed & (_SPACE << _FLAG_SHIFT)).astype(np.bool_)
    repeated = np.flatnonzero(space[1:] & space[:-1]) + 1  # whitespace that follows whitespace
    if repeated.size:
        # A whitespace run keeps its first character, which becomes "\n" when the run holds a line break.
        dropped = np.zeros(space.size, dtype=np.bool_)
        dropped[repeated] = True
        run_start = repeated[(packed[repeated] & (_NEWLINE << _FLAG_SHIFT)) != 0] - 1
        while (back := dropped[run_start]).any():
            run_start[back] -= 1
        packed[run_start] = (packed[run_start] & ~np.uint32(_CODE_MASK)) | ord("\n")
        keep = ~dropped
        kept, packed = kept[keep], packed[keep]
    folded = packed & _CODE_MASK
    word = (packed & (_WORD << _FLAG_SHIFT)) != 0
    size = word.size
    edges = np.zeros(size + 1, dtype=np.int8)
    edges[:-1] = word
    edges[1:] -= word  # +1 where a word starts before this position, -1 where one ends
    # Leading clitic letters: from each word start, while the letter is a clitic letter and the word goes on;
    # a new word start follows each.
    continues = np.zeros(size, dtype=np.bool_)
    continues[:-1] = word[1:]
    splittable = ((packed & (_CLITIC << _FLAG_SHIFT)) != 0) & continues
    at = np.flatnonzero((edges[:-1] > 0) & splittable)
    while at.size:
        edges[at + 1] = 1
        at = at[splittable[at + 1]] + 1
    # Each character preceded by the marker due before it, as pairs (at most one: a word cannot end
    # where the next one starts); the empty slots (0: no character folds to NUL) are then dropped.
    pairs = np.empty((size + 1, 2), dtype=np.uint32)
    pairs[:, 0] = _MARKER_CODES[edges & 3]
    pairs[:-1, 1] = folded
    pairs[-1, 1] = 0
    flat = pairs.ravel()
    out = flat[flat != 0]
    markers = np.flatnonzero((out - ord(WORD_START)) <= ord(WORD_END) - ord(WORD_START))
    return Normalised(out.tobytes().decode("utf-32-le"), kept, markers, out)


def normalise_patterns(patterns: Sequence[str]) -> list[str]:
    """Each pattern's normalised, word-marked form ('' when nothing is left to compare), in one batch."""
    # The separator of a batch stands for a control character here, so no pattern reaches across texts.
    cleaned = [pattern.strip().replace(SEPARATOR, "\ufffd") for pattern in patterns]
    return normalise(SEPARATOR.join(cleaned)).text.split(SEPARATOR) if cleaned else []


def normalise_pattern(pattern: str) -> str:
    """A pattern's normalised, word-marked form ('' when nothing is left to compare)."""
    return normalise_patterns([pattern])[0]


def plain(text: str) -> str:
    """The normalised form without word markers: how two texts compare (used to group equal names)."""
    return normalise_pattern(text).replace(WORD_START, "").replace(WORD_END, "")


def _zero_width(char: str) -> bool:
    """Characters drawn in the cell before them (annotator.text.clusters): a span edge never precedes one."""
    return classify(char)[0] in (Kind.MARK, Kind.HIDDEN)


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Move a span's edges to grapheme-cluster boundaries: marks after its last letter join it."""
    size = len(text)
    while end < size and _zero_width(text[end]):
        end += 1
    # Zero-width characters before a line's first base join that base's cluster.
    back = start
    while back > 0 and text[back - 1] != "\n" and _zero_width(text[back - 1]):
        back -= 1
    if back == 0 or text[back - 1] == "\n":
        start = back
    return start, end


def batches(texts: Sequence[str], size: int = 1 << 21) -> list[tuple[int, int]]:
    """Split texts into runs [i, j) of about `size` characters each, to normalise together."""
    runs: list[tuple[int, int]] = []
    first, total = 0, 0
    for i, text in enumerate(texts):
        total += len(text) + 1
        if total >= size:
            runs.append((first, i + 1))
            first, total = i + 1, 0
    if first < len(texts):
        runs.append((first, len(texts)))
    return runs


@lru_cache(maxsize=1)
def _word_table() -> dict[int, str | None]:
    """str.translate table of the folding for one word: ignored characters deleted, letters folded."""
    fold_table, flag_table = _tables()
    ignored = np.flatnonzero(flag_table & _IGNORED)
    changed = np.flatnonzero(fold_table != np.arange(_BMP, dtype=np.uint32))
    table: dict[int, str | None] = {int(code): chr(int(fold_table[code])) for code in changed}
    table.update({int(code): None for code in ignored})
    return table


def fold_word(word: str) -> str:
    """The normalised form of one word (no whitespace to collapse, no markers)."""
    return word.translate(_word_table())
