"""Word tokens and sentences of a stored text (DESIGN §5); offsets are code points."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable, Iterator

# Punctuation that is always a token of its own (DESIGN §5 plus common Latin/Arabic marks).
PUNCTUATION = frozenset("،؛؟.,:;!«»“”„\"'()[]{}…-–—/\\|؍٪%*&#@+=<>~^`")
SENTENCE_END = frozenset(".؟!?")


@dataclass(frozen=True, slots=True)
class Token:
    """A token: text[start:end], and whether whitespace follows it."""

    start: int
    end: int
    text: str
    ws: bool


def _is_word_char(char: str) -> bool:
    """Letters, digits, combining marks, tatweel and joiners belong to words."""
    if char in PUNCTUATION:
        return False
    category = unicodedata.category(char)
    return category[0] in "LMN" or char in "\u0640\u200c\u200d"



def _raw_tokens(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of words and single punctuation/symbol characters."""
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        if _is_word_char(char):
            j = i + 1
            while j < n and _is_word_char(text[j]):
                j += 1
            yield i, j
            i = j
        elif unicodedata.category(char) in ("Cf", "Cc"):
            # invisible format/control characters ride with the previous token
            i += 1
        else:
            yield i, i + 1
            i += 1


def tokenize(text: str, cuts: Iterable[int] = ()) -> list[Token]:
    """Whole-word tokens of text, additionally cut at every offset in `cuts`."""
    cut_set = sorted(set(c for c in cuts if 0 < c < len(text)))
    spans: list[tuple[int, int]] = []
    ci = 0
    for start, end in _raw_tokens(text):
        while ci < len(cut_set) and cut_set[ci] <= start:
            ci += 1
        piece_start = start
        k = ci
        while k < len(cut_set) and cut_set[k] < end:
            spans.append((piece_start, cut_set[k]))
            piece_start = cut_set[k]
            k += 1
        spans.append((piece_start, end))
    tokens: list[Token] = []
    for start, end in spans:
        ws = end < len(text) and text[end].isspace()
        tokens.append(Token(start, end, text[start:end], ws))
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
            ends.append(i)
            continue
        gap = text[token.end : tokens[i + 1].start]
        if "\n" in gap:
            ends.append(i)
    return ends


def word_bounds(text: str, offset: int) -> tuple[int, int] | None:
    """The (start, end) of the whole-word token holding offset, or None on whitespace."""
    for start, end in _raw_tokens(text):
        if start <= offset < end:
            return start, end
        if start > offset:
            return None
    return None
