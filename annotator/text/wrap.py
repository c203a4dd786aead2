"""Greedy line breaking in logical order over display clusters."""

from __future__ import annotations

from collections.abc import Sequence


def wrap(widths: Sequence[int], spaces: str, width: int) -> list[tuple[int, int]]:
    """Split clusters into rows [start, end) of at most ``width`` cells.

    ``spaces`` has one character per cluster, " " for a space.  Rows break
    after a space; the space stays at the end of its row and counts toward
    the width, so a word moves down together with its following space when
    both do not fit.  A word wider than a row is hard-broken.  A space only
    starts a row after a row filled by a single word, or in a run of spaces.
    """
    if width < 1:
        raise ValueError(f"width must be at least 1, got {width}")
    if 2 in widths:
        return _wrap_cells(widths, spaces, width)
    rows: list[tuple[int, int]] = []
    n = len(spaces)
    row_start = 0
    while n - row_start > width:
        space = spaces.rfind(" ", row_start, row_start + width)
        end = space + 1 if space >= 0 else row_start + width
        rows.append((row_start, end))
        row_start = end
    rows.append((row_start, n))
    return rows


def _wrap_cells(widths: Sequence[int], spaces: str, width: int) -> list[tuple[int, int]]:
    """The same greedy breaking for clusters of mixed widths (wide characters)."""
    rows: list[tuple[int, int]] = []
    n = len(widths)
    row_start = 0
    used = 0
    last_break = 0  # cluster index just after the last space in the current row
    i = 0
    while i < n:
        w = widths[i]
        if used + w <= width:
            used += w
            i += 1
            if spaces[i - 1] == " ":
                last_break = i
            continue
        end = last_break if last_break > row_start else i  # else hard break
        if end == row_start:  # a cluster wider than the row: the caller prevents this
            end = i = i + 1
        rows.append((row_start, end))
        row_start = end
        used = sum(widths[row_start:i])
        last_break = row_start
    if row_start < n or not rows:
        rows.append((row_start, n))
    return rows
