"""Token units for the coding measures: whole-word tokens and the label each annotator gave them.

The tokens are exactly those of `annotator.text.tokenizer.tokenize(text)` with no cuts (the
tokens of `export --token-boundary expand`), found here with numpy so that hundreds of
thousands of tokens take milliseconds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from annotator.agreement.data import SpanArrays
from annotator.text.tokenizer import PUNCTUATION

SKIP, WORD, SINGLE = 0, 1, 2
"""Character classes: skipped (whitespace, invisible format/control), word, one-character token."""

_JOINERS = frozenset("\u0640\u200c\u200d")
_BMP: np.ndarray | None = None


def char_class(char: str) -> int:
    """The tokenizer's class of one character: SKIP, WORD or SINGLE."""
    if char.isspace():
        return SKIP
    category = unicodedata.category(char)
    if char not in PUNCTUATION and (category[0] in "LMN" or char in _JOINERS):
        return WORD
    if category in ("Cf", "Cc"):
        return SKIP
    return SINGLE


def _bmp_table() -> np.ndarray:
    """The class of every Basic Multilingual Plane code point (built once)."""
    global _BMP
    if _BMP is None:
        table = np.empty(0x10000, dtype=np.uint8)
        for code in range(0x10000):
            table[code] = char_class(chr(code))
        _BMP = table
    return _BMP


def code_points(text: str) -> np.ndarray:
    """The code points of text as a uint32 array (one element per Python character)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def token_bounds(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the whole-word tokens of text, equal to tokenize(text) without cuts."""
    codes = code_points(text)
    if codes.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy()
    table = _bmp_table()
    classes = table[np.minimum(codes, 0xFFFF)]
    astral = np.flatnonzero(codes > 0xFFFF)
    if astral.size:
        classes[astral] = [char_class(chr(int(c))) for c in codes[astral]]
    word = classes == WORD
    padded = np.concatenate(([False], word, [False]))
    change = np.flatnonzero(padded[1:] != padded[:-1])
    word_starts, word_ends = change[0::2], change[1::2]
    singles = np.flatnonzero(classes == SINGLE)
    starts = np.concatenate((word_starts, singles)).astype(np.int64)
    ends = np.concatenate((word_ends, singles + 1)).astype(np.int64)
    order = np.argsort(starts, kind="stable")
    return starts[order], ends[order]


def token_values(
    token_starts: np.ndarray,
    token_ends: np.ndarray,
    span_starts: np.ndarray,
    span_ends: np.ndarray,
    span_codes: np.ndarray,
    span_rows: np.ndarray | None = None,
    rows: int = 1,
) -> np.ndarray:
    """Each token's value per row: the code of the span covering most of its characters, else 0.

    Tokens are sorted and disjoint; span_rows (default all 0) says which row (annotator) a span
    belongs to. On a tie the span that starts first wins. Returns an int64 array (rows, tokens).
    """
    n_tokens = token_starts.size
    values = np.zeros((rows, n_tokens), dtype=np.int64)
    if span_starts.size == 0 or n_tokens == 0:
        return values
    if span_rows is None:
        span_rows = np.zeros(span_starts.size, dtype=np.int64)
    first = np.searchsorted(token_ends, span_starts, side="right")
    last = np.searchsorted(token_starts, span_ends, side="left")
    counts = np.maximum(last - first, 0)
    total = int(counts.sum())
    if total == 0:
        return values
    span_index = np.repeat(np.arange(span_starts.size), counts)
    offsets = np.cumsum(counts) - counts
    token_index = first[span_index] + (np.arange(total) - offsets[span_index])
    cover = np.minimum(token_ends[token_index], span_ends[span_index]) - np.maximum(
        token_starts[token_index], span_starts[span_index]
    )
    cell = span_rows[span_index] * n_tokens + token_index
    begins = span_starts[span_index]
    step = np.diff(cell)
    if (step < 0).any() or ((step == 0) & (np.diff(begins) < 0)).any():
        # spans not in (row, start) order: sort so that each cell's candidates are adjacent, by start
        order = np.lexsort((begins, cell))
        cell, span_index, cover = cell[order], span_index[order], cover[order]
    # each run of equal cells holds the spans touching one token, in text order: keep the first
    # of those covering most of it
    opens = np.concatenate(([True], cell[1:] != cell[:-1]))
    if opens.all():
        values.reshape(-1)[cell] = span_codes[span_index]
        return values
    run_id = np.cumsum(opens) - 1
    best_cover = np.maximum.reduceat(cover, np.flatnonzero(opens))
    winners = np.flatnonzero(cover == best_cover[run_id])
    first = winners[np.concatenate(([True], run_id[winners][1:] != run_id[winners][:-1]))]
    values.reshape(-1)[cell[first]] = span_codes[span_index[first]]
    return values


@dataclass(frozen=True)
class Tokens:
    """The tokens of several documents laid out on one continuum (texts joined by newlines)."""

    start: np.ndarray
    end: np.ndarray
    doc: np.ndarray
    """The document index of each token."""
    offset: np.ndarray
    """Where each document begins on the continuum."""


def document_tokens(texts: Sequence[str]) -> Tokens:
    """Tokens of every text (each as tokenize() would give), on a continuum of the texts joined by '\\n'."""
    lengths = np.array([len(text) for text in texts], dtype=np.int64)
    offset = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64) if texts else lengths
    start, end = token_bounds("\n".join(texts))
    doc = np.searchsorted(offset, start, side="right") - 1 if texts else start.copy()
    return Tokens(start, end, doc.astype(np.int64), offset)


def layer_values(tokens: Tokens, spans: SpanArrays, done: np.ndarray) -> np.ndarray:
    """(annotators, tokens) values of one layer: label code, 0 for O, -1 where the annotator did not do the document."""
    rows = done.shape[1]
    values = token_values(
        tokens.start,
        tokens.end,
        tokens.offset[spans.doc] + spans.start,
        tokens.offset[spans.doc] + spans.end,
        spans.code,
        spans.rater,
        rows,
    )
    values[~done[tokens.doc].T] = -1
    return values
