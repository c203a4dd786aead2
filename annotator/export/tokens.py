"""Tokens for the exports: the project's word tokens, cut at span edges, covering every visible character.

`annotator.text.tokenizer.tokenize` skips invisible format characters it does not count as
word characters (RLM, LRM, ALM, soft hyphen, ...). An export must not lose a character, so
such a character joins the token it touches on its left, else the one it touches on its right,
and becomes a token of its own when a span edge or whitespace separates it from both.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from annotator.text.tokenizer import Token, cut_at, tokenize


def _orphan_pieces(text: str, start: int, end: int, cuts: Sequence[int]) -> list[tuple[int, int]]:
    """The non-space runs of text[start:end], cut at the sorted offsets in cuts."""
    pieces: list[tuple[int, int]] = []
    i = start
    while i < end:
        if text[i].isspace():
            i += 1
            continue
        j = i + 1
        while j < end and not text[j].isspace():
            j += 1
        pieces.extend(cut_at(i, j, cuts))
        i = j
    return pieces


def word_tokens(text: str, cuts: Iterable[int] = ()) -> list[Token]:
    """Tokens covering every non-space character of text, cut at every offset in cuts."""
    cut_list = sorted(set(cuts))
    tokens = tokenize(text, cut_list)
    position = 0
    clean = True
    for token in tokens:
        if token.start > position and not text[position : token.start].isspace():
            clean = False
            break
        position = token.end
    if clean and (position == len(text) or text[position:].isspace()):
        return tokens
    cut_set = set(cut_list)
    out: list[tuple[int, int]] = []
    position = 0
    for start, end in [(t.start, t.end) for t in tokens] + [(len(text), len(text))]:
        joined_start = start
        if start > position:
            for piece_start, piece_end in _orphan_pieces(text, position, start, cut_list):
                if out and out[-1][1] == piece_start and piece_start not in cut_set:
                    out[-1] = (out[-1][0], piece_end)
                elif piece_end == start and end > start and start not in cut_set:
                    joined_start = piece_start
                else:
                    out.append((piece_start, piece_end))
        if end > start:
            out.append((joined_start, end))
        position = end
    size = len(text)
    return [Token(s, e, text[s:e], e < size and text[e].isspace()) for s, e in out]


def with_whitespace(
    text: str, words: Sequence[Token], starts: Sequence[int], ends: Sequence[int]
) -> list[tuple[int, int, str, bool]]:
    """(start, end, text, ws) of words plus whitespace tokens, spaCy style: `ws` means one space follows.

    Whitespace other than that one space is a token of its own. `starts` and `ends` are the
    sorted span edges: a space a span starts on, or that ends a span, becomes a token of its own,
    and whitespace runs are cut at span edges, so every span starts and ends on a token.
    """
    start_set = set(starts)
    end_set = set(ends)
    edges = sorted(start_set | end_set)
    out: list[tuple[int, int, str, bool]] = []
    append = out.append
    position = 0
    size = len(text)
    pending: Token | None = None  # the last word, appended once we know whether a space follows it
    for word in [*words, Token(size, size, "", False)]:
        gap_start, gap_end = position, word.start
        if gap_end > gap_start:
            absorb = (
                pending is not None
                and text[gap_start] == " "
                and gap_start not in start_set
                and gap_start + 1 not in end_set
            )
            if pending is not None:
                append((pending.start, pending.end, pending.text, absorb))
                pending = None
            if absorb:
                gap_start += 1
            if gap_end > gap_start:
                piece = gap_start
                k = bisect_right(edges, gap_start)
                while k < len(edges) and edges[k] < gap_end:
                    append((piece, edges[k], text[piece : edges[k]], False))
                    piece = edges[k]
                    k += 1
                append((piece, gap_end, text[piece:gap_end], False))
        elif pending is not None:
            append((pending.start, pending.end, pending.text, False))
            pending = None
        if word.end > word.start:
            pending = word
        position = word.end
    if pending is not None:
        append((pending.start, pending.end, pending.text, False))
    return out


def token_range(starts: Sequence[int], ends: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """(first, last) indices of the tokens overlapping [start, end); first > last when none does."""
    return bisect_right(ends, start), bisect_left(starts, end) - 1


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without leading and trailing whitespace (start == end when nothing is left)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
