"""Cursor movement over a laid-out paragraph: visual moves and logical word boundaries.

Visual moves follow what a reader of the paragraph's direction expects:
in an RTL paragraph Left moves forward in reading order, so at a row's
left edge it continues at the rightmost cell of the *next* row, and
returning ``None`` off the last row means "go to the next paragraph".
In an LTR paragraph Left at the left edge goes to the end of the
*previous* row, and ``None`` means "go to the previous paragraph".
Right is the mirror image.  Word boundaries are logical (reading order).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .clusters import Clusters
    from .layout import ParagraphLayout

_WORD, _SPACE, _OTHER = 0, 1, 2


def visual_left(layout: ParagraphLayout, offset: int) -> int | None:
    """Return the offset of the cell left of ``offset``'s cell, wrapping rows by direction."""
    row, k = layout.cell_at(offset)
    if k > 0:
        return layout.rows[row].cell_start(k - 1)
    target = row + 1 if layout.rtl else row - 1
    return _edge(layout, target, rightmost=True)


def visual_right(layout: ParagraphLayout, offset: int) -> int | None:
    """Return the offset of the cell right of ``offset``'s cell, wrapping rows by direction."""
    row, k = layout.cell_at(offset)
    line = layout.rows[row]
    if k + 1 < len(line):
        return line.cell_start(k + 1)
    target = row - 1 if layout.rtl else row + 1
    return _edge(layout, target, rightmost=False)


def _edge(layout: ParagraphLayout, row: int, rightmost: bool) -> int | None:
    if not 0 <= row < len(layout.rows):
        return None
    return row_rightmost(layout, row) if rightmost else row_leftmost(layout, row)


def up(layout: ParagraphLayout, offset: int, goal_x: int | None = None) -> int | None:
    """Return the offset in the row above at column ``goal_x`` (default: current column)."""
    row, x = layout.locate(offset)
    if row == 0:
        return None
    return layout.nearest_offset(row - 1, x if goal_x is None else goal_x)


def down(layout: ParagraphLayout, offset: int, goal_x: int | None = None) -> int | None:
    """Return the offset in the row below at column ``goal_x`` (default: current column)."""
    row, x = layout.locate(offset)
    if row + 1 >= len(layout.rows):
        return None
    return layout.nearest_offset(row + 1, x if goal_x is None else goal_x)


def row_home(layout: ParagraphLayout, offset: int) -> int:
    """Return the logical start offset of the row holding ``offset``."""
    row, _ = layout.cell_at(offset)
    return layout.rows[row].start


def row_end(layout: ParagraphLayout, offset: int) -> int:
    """Return the start offset of the last logical cell of the row holding ``offset``."""
    row, _ = layout.cell_at(offset)
    last = layout.rows[row].end - 1
    r, k = layout.cell_at(last)
    return layout.rows[r].cell_start(k)


def row_leftmost(layout: ParagraphLayout, row: int) -> int | None:
    """Return the offset of the leftmost cell of ``row``, None if it has no cells."""
    line = layout.rows[row]
    return line.cell_start(0) if len(line) else None


def row_rightmost(layout: ParagraphLayout, row: int) -> int | None:
    """Return the offset of the rightmost cell of ``row``, None if it has no cells."""
    line = layout.rows[row]
    return line.cell_start(len(line) - 1) if len(line) else None


# -- words (logical) ----------------------------------------------------------


def _kind(ch: str) -> int:
    category = unicodedata.category(ch)
    if category == "Zs":
        return _SPACE
    if category[0] in "LNM" or category == "Pc":
        return _WORD
    return _OTHER


def _cluster_index(clusters: Clusters, offset: int) -> int:
    return bisect_right(clusters.starts, offset) - 1


def _kinds(text: str, clusters: Clusters) -> list[int]:
    return [_kind(text[base]) for base in clusters.bases]


def _check(text: str, offset: int) -> None:
    if not 0 <= offset < len(text):
        raise IndexError(f"offset {offset} outside paragraph of length {len(text)}")


def word_start_after(text: str, clusters: Clusters, offset: int) -> int | None:
    """Return the start of the first word beginning after ``offset``, None if there is none."""
    _check(text, offset)
    kinds = _kinds(text, clusters)
    for k in range(_cluster_index(clusters, offset) + 1, len(kinds)):
        if kinds[k] == _WORD and kinds[k - 1] != _WORD:
            return clusters.starts[k]
    return None


def word_start_before(text: str, clusters: Clusters, offset: int) -> int | None:
    """Return the start of the word before ``offset`` (or containing it, if not at its start)."""
    _check(text, offset)
    kinds = _kinds(text, clusters)
    k = _cluster_index(clusters, offset)
    if clusters.starts[k] == offset:  # a cluster's own start is not "before" it
        k -= 1
    for j in range(k, -1, -1):
        if kinds[j] == _WORD and (j == 0 or kinds[j - 1] != _WORD):
            return clusters.starts[j]
    return None


def word_at(text: str, clusters: Clusters, offset: int) -> tuple[int, int]:
    """Return [start, end) of the word or space run at ``offset``; other symbols stand alone."""
    _check(text, offset)
    kinds = _kinds(text, clusters)
    k = _cluster_index(clusters, offset)
    kind = kinds[k]
    first = last = k
    if kind != _OTHER:
        while first > 0 and kinds[first - 1] == kind:
            first -= 1
        while last + 1 < len(kinds) and kinds[last + 1] == kind:
            last += 1
    end = clusters.starts[last + 1] if last + 1 < len(kinds) else len(text)
    return clusters.starts[first], end
