"""Word tokens and sentences of a stored text; offsets are code points."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

# Punctuation that is always a token of its own: the design's list plus common Latin and Arabic marks.
PUNCTUATION = frozenset("،؛؟.,:;!«»“”„\"'()[]{}…-–—/\\|؍٪%*&#@+=<>~^`")
SENTENCE_END = frozenset(".؟!?")


class Token(NamedTuple):
    """A token: text[start:end], and whether whitespace follows it (a NamedTuple: cheap to make by the million)."""

    start: int
    end: int
    text: str
    ws: bool


def is_word_char(char: str) -> bool:
    """Letters, digits, combining marks, tatweel and joiners belong to words."""
    if char in PUNCTUATION:
        return False
    category = unicodedata.category(char)
    return category[0] in "LMN" or char in "\u0640\u200c\u200d"


def _raw_tokens_slow(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of words and single punctuation/symbol characters, one character at a time.

    Invisible format and control characters outside words (RLM, ALM, C0 controls) belong to no token;
    exports that must rebuild the text attach them to a neighbour (annotator.export.tokens).
    """
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        if is_word_char(char):
            j = i + 1
            while j < n and is_word_char(text[j]):
                j += 1
            yield i, j
            i = j
        elif unicodedata.category(char) in ("Cf", "Cc"):
            i += 1
        else:
            yield i, i + 1
            i += 1


def _class_body(codes: list[int]) -> str:
    """A regex character-class body for sorted code points."""
    parts = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        parts.append(re.escape(chr(codes[i])) + ("-" + re.escape(chr(codes[j])) if j > i else ""))
        i = j + 1
    return "".join(parts)


@lru_cache(maxsize=1)
def _token_pattern() -> re.Pattern[str]:
    """The same tokens as _raw_tokens_slow for text in the Basic Multilingual Plane, as one regex (built once)."""
    word, skip = [], []
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        if is_word_char(char):
            word.append(code)
        elif not char.isspace() and unicodedata.category(char) in ("Cf", "Cc"):
            skip.append(code)
    body = _class_body(word)
    return re.compile(f"[{body}]+|[^\\s{body}{_class_body(skip)}]")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _raw_tokens(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of words and single punctuation/symbol characters (regex fast path)."""
    if _ASTRAL.search(text):
        yield from _raw_tokens_slow(text)
        return
    yield from map(re.Match.span, _token_pattern().finditer(text))


def cut_at(start: int, end: int, cuts: Sequence[int]) -> list[tuple[int, int]]:
    """The pieces of [start, end) cut at every offset of the sorted `cuts` that falls strictly inside it."""
    pieces: list[tuple[int, int]] = []
    k = bisect.bisect_right(cuts, start)
    while k < len(cuts) and cuts[k] < end:
        pieces.append((start, cuts[k]))
        start = cuts[k]
        k += 1
    pieces.append((start, end))
    return pieces


def tokenize(text: str, cuts: Iterable[int] = ()) -> list[Token]:
    """Whole-word tokens of text, additionally cut at every offset in `cuts`."""
    size = len(text)
    cut_list = sorted(set(c for c in cuts if 0 < c < size))
    n_cuts = len(cut_list)
    k = 0  # the first cut past the current token's start: tokens come in text order
    tokens: list[Token] = []
    append = tokens.append
    for start, end in _raw_tokens(text):
        if n_cuts:
            while k < n_cuts and cut_list[k] <= start:
                k += 1
            if k < n_cuts and cut_list[k] < end:  # only the rare token with a cut inside is cut
                for piece_start, piece_end in cut_at(start, end, cut_list):
                    append(
                        Token(
                            piece_start,
                            piece_end,
                            text[piece_start:piece_end],
                            piece_end < size and text[piece_end].isspace(),
                        )
                    )
                continue
        append(Token(start, end, text[start:end], end < size and text[end].isspace()))
    return tokens


def sentence_breaks(text: str, tokens: list[Token]) -> list[int]:
    """Indices of tokens that end a sentence: at . ؟ ! and at line ends."""
    ends: list[int] = []
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        if last:
            ends.append(i)
            continue
        if token.text in SENTENCE_END:
            following = tokens[i + 1]
            # "2.5" and "..." : a mark glued to the next token ends no sentence.
            if following.start == token.end and (following.text in SENTENCE_END or following.text[0].isdigit()):
                continue
            ends.append(i)
            continue
        gap = text[token.end : tokens[i + 1].start]
        if "\n" in gap:
            ends.append(i)
    return ends


def _run_around(text: str, offset: int) -> tuple[int, int]:
    """The run of non-whitespace characters holding offset (tokens never cross whitespace).

    Word look-ups below tokenize only this run, with the character loop: a run is short, and the
    regex fast path costs ~150 ms to build, which a key press must not pay.
    """
    start = offset
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = offset
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def word_bounds(text: str, offset: int) -> tuple[int, int] | None:
    """The (start, end) of the whole-word token holding offset, or None on whitespace; looks only nearby."""
    if not 0 <= offset < len(text) or text[offset].isspace():
        return None
    run_start, run_end = _run_around(text, offset)
    for start, end in _raw_tokens_slow(text[run_start:run_end]):
        if start <= offset - run_start < end:
            return run_start + start, run_start + end
        if start > offset - run_start:
            return None
    return None


def next_word_start(text: str, offset: int) -> int | None:
    """The start of the first word token that begins after offset, or None."""
    position = offset + 1
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        run_start, run_end = _run_around(text, position)
        for start, _end in _raw_tokens_slow(text[run_start:run_end]):
            if run_start + start > offset:
                found = run_start + start
                if word_bounds(text, found) is not None:
                    return found
        position = run_end
    return None


def previous_word_start(text: str, offset: int) -> int | None:
    """The start of the last word token that begins before offset, or None."""
    position = min(offset, len(text)) - 1
    while position >= 0:
        if text[position].isspace():
            position -= 1
            continue
        run_start, run_end = _run_around(text, position)
        starts = [
            run_start + start for start, _ in _raw_tokens_slow(text[run_start:run_end]) if run_start + start < offset
        ]
        if starts:
            return starts[-1]
        position = run_start - 1
    return None
