"""Grapheme clusters of a stored text: where a span or selection edge may fall.

The rule is the layout's own, taken from it rather than restated: ``clusters.clusterize`` over
``sanitize.kind_letters`` (a cluster is one visible base plus every zero-width character after it:
harakat, shadda, tanween, ZWJ, ...), applied per paragraph as the layout does. A newline is a
cluster of its own. The unshaped clusters are used: a LAM-ALEF ligature draws two of them in one
cell, and the clitic ل of «لأميركا» must stay outside a span that starts at its alef.

Only the few words around an offset are clustered, so a look-up costs a word, not a paragraph.
"""

from __future__ import annotations

from bisect import bisect_right

from annotator.text.clusters import clusterize
from annotator.text.sanitize import kind_letters

_BASES = frozenset("bwc")  # kind letters that start a cluster (sanitize: base, wide, control)


def _next_space(text: str, position: int) -> int:
    """The first whitespace character (a newline included) at or after position, else the text's end."""
    while position < len(text) and not text[position].isspace():
        position += 1
    return position


def _base_before(text: str, position: int) -> bool:
    """Whether a cluster-starting character precedes position in its paragraph (else zero-width ones lead it)."""
    position -= 1
    while position >= 0 and text[position] != "\n":
        if kind_letters(text[position]) in _BASES:
            return True
        position -= 1
    return False


def _cluster(text: str, offset: int) -> tuple[int, int]:
    """The [start, end) of the cluster holding offset (0 <= offset < len(text))."""
    if text[offset] == "\n":
        return offset, offset + 1
    # Whitespace always starts a cell of its own (unless zero-width characters lead the paragraph:
    # they join its first base), so cutting the paragraph there changes no cluster inside the cut:
    # the piece from the last such whitespace at or before offset to the next whitespace after it
    # is clustered exactly as the whole paragraph would be.
    start = offset
    while start > 0 and text[start - 1] != "\n" and not (text[start].isspace() and _base_before(text, start)):
        start -= 1
    end = _next_space(text, offset + 1)
    if start == 0 or text[start - 1] == "\n":
        # At a paragraph's start, zero-width characters before its first base join that base's
        # cluster: the piece must reach past the first base to see it.
        while end < len(text) and text[end] != "\n" and not _BASES.intersection(kind_letters(text[start:end])):
            end = _next_space(text, end + 1)
    starts = clusterize(text[start:end]).starts
    k = bisect_right(starts, offset - start) - 1
    cluster_end = start + starts[k + 1] if k + 1 < len(starts) else end
    return start + starts[k], cluster_end


def _past_lead(text: str, offset: int) -> bool:
    """Whether text[offset] is a base right after another base of its paragraph.

    There, past any paragraph lead, the rule needs no clustering: such a base starts a cluster and the
    zero-width characters after it join it. Most span edges fall there (a letter after a letter or a
    space), so they skip clusterize; the property tests compare both paths on random text.
    """
    pair = text[offset - 1 : offset + 1]
    return offset > 0 and pair[0] != "\n" and _plain(pair) and _BASES.issuperset(kind_letters(pair))


def _plain(chars: str) -> bool:
    """Whether every character lies below U+2000, where a character's kind never depends on its neighbours.

    From U+2000 on are the joiners, variation selectors, emoji, their modifiers and regional indicators,
    whose kind does (a skin tone after an emoji joins its cell; alone it is a cell of its own): there
    the words around are clustered as the layout does.
    """
    return all(char < "\u2000" for char in chars)


def _zero_width(text: str, offset: int) -> bool:
    return kind_letters(text[offset]) not in _BASES


def cluster_start(text: str, offset: int) -> int:
    """The first offset of the cluster holding offset (offset itself at a boundary or the text's end)."""
    if offset <= 0 or offset >= len(text):
        return max(0, min(offset, len(text)))
    base = offset
    while base > 0 and text[base - 1] != "\n" and _plain(text[base]) and _zero_width(text, base):
        base -= 1
    if _plain(text[base : offset + 1]) and _past_lead(text, base):
        return base
    return _cluster(text, offset)[0]


def cluster_end(text: str, offset: int) -> int:
    """The offset just past the cluster holding offset (the text's length at or past its end)."""
    if offset >= len(text):
        return len(text)
    offset = max(0, offset)
    if text[offset] == "\n":
        return offset + 1
    start = cluster_start(text, offset)
    if _plain(text[start : offset + 1]) and _past_lead(text, start):
        end = offset + 1
        while end < len(text) and _plain(text[end]) and _zero_width(text, end):
            end += 1
        if end == len(text) or _plain(text[end]):
            return end
    return _cluster(text, offset)[1]


def is_boundary(text: str, offset: int) -> bool:
    """Whether an edge may fall at offset: not between a base and its combining or hidden characters."""
    return cluster_start(text, offset) == offset
