"""Lay out one paragraph for a terminal: shape, resolve bidi levels, wrap, reorder.

Pipeline (``app`` mode), per paragraph:

1. sanitise (controls -> placeholders, format characters hidden) and
   shape Arabic into presentation forms, keeping a 1:1 offset map;
2. group characters into clusters, one per terminal cell;
3. resolve bidi levels once for the whole paragraph;
4. wrap in logical order by cell width, breaking after spaces;
5. per row: L1 (trailing whitespace to the base level), L2 (reverse runs)
   over the row's characters, then each cluster is drawn where its base
   character landed -- marks stay in their base's cell (L3) and invisible
   LRM/RLM still separate runs; mirror brackets at odd levels (L4);
   right-align rows of an RTL paragraph.

``terminal`` mode skips shaping and reordering: rows hold cells in
logical order, left aligned, for terminals that do bidi themselves.

Paragraph direction (``direction="auto"``): RTL when strong R/AL
characters (an RLM or ALM counts) outnumber strong L ones, LTR when fewer,
the first strong character on a tie (see :func:`bidi.paragraph_rtl`);
``"rtl"``/``"ltr"`` force it (a document's ``meta`` can ask for that).
Explicit embeddings, overrides and isolates are ignored (see
:mod:`annotator.text.bidi`).

An empty paragraph has one row with no cells, ``x0 == 0`` and ``rtl``
false; no offset can be located in it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal, NamedTuple, get_args

from . import navigation
from .bidi import (
    DIRECTIONS,
    L1_RUNS,
    MIRROR,
    Direction,
    bidi_classes,
    paragraph_rtl,
    resolve_levels,
    visual_order,
)
from .clusters import Clusters, clusterize
from .shaping import shape
from .wrap import wrap

Mode = Literal["app", "terminal"]
MODES: tuple[str, ...] = get_args(Mode)

#: ECMA-48 BDSM reset: the terminal must not reorder (we send visual order).
BIDI_EXPLICIT_MODE = "\x1b[8l"
#: ECMA-48 BDSM set: the terminal applies the bidi algorithm itself (VTE's default).
BIDI_IMPLICIT_MODE = "\x1b[8h"


def terminal_prologue(mode: Mode) -> str:
    """Return the escape sequence to send when the app starts in ``mode``."""
    _check_mode(mode)
    return BIDI_EXPLICIT_MODE if mode == "app" else BIDI_IMPLICIT_MODE


def terminal_epilogue(mode: Mode) -> str:
    """Return the escape sequence to send at exit to restore the terminal default."""
    _check_mode(mode)
    return BIDI_IMPLICIT_MODE if mode == "app" else ""


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown layout mode {mode!r}; expected one of {MODES}")


class Cell(NamedTuple):
    """One drawn terminal cell and the logical offsets [start, end) it shows."""

    text: str  # base character plus combining marks; never a control or format character
    start: int
    end: int
    rtl: bool  # resolved embedding level is odd
    width: int = 1  # columns taken: 1, or 2 for a wide (CJK/emoji) character


class Row:
    """One visual row: cells left to right, drawn from column ``x0`` (read-only).

    ``start``/``end`` give the logical range [start, end) the row holds.
    Cells are built on first access, so rows scrolled off screen cost little.
    """

    __slots__ = (
        "x0",
        "start",
        "end",
        "order",
        "levels",
        "_texts",
        "_mirrored",
        "_starts",
        "_bounds",
        "_widths",
        "_cells",
        "_text",
    )

    def __init__(self, x0: int, start: int, end: int, order: list[int], levels: list[int], prepared: _Prepared) -> None:
        self.x0 = x0
        self.start = start
        self.end = end
        self.order = order  # cluster indices, left to right
        self.levels = levels  # resolved level (after L1) of each cell, left to right
        self._texts = prepared.clusters.texts
        self._mirrored = prepared.mirrored
        self._starts = prepared.clusters.starts
        self._bounds = prepared.bounds
        self._widths = prepared.clusters.widths
        self._cells: tuple[Cell, ...] | None = None
        self._text: str | None = None

    def __repr__(self) -> str:
        return f"Row(x0={self.x0}, start={self.start}, end={self.end}, text={self.text!r})"

    def __len__(self) -> int:
        return len(self.order)

    @property
    def cells(self) -> tuple[Cell, ...]:
        """Return the cells, left to right."""
        if self._cells is None:
            texts, mirrored, starts, bounds, widths = (
                self._texts,
                self._mirrored,
                self._starts,
                self._bounds,
                self._widths,
            )
            self._cells = tuple(
                [
                    Cell(mirrored[k] if level & 1 else texts[k], starts[k], bounds[k], level & 1 == 1, widths[k])
                    for k, level in zip(self.order, self.levels)
                ]
            )
        return self._cells

    @property
    def text(self) -> str:
        """Return the row's visual text, without the alignment padding."""
        if self._text is None:
            texts, mirrored = self._texts, self._mirrored
            self._text = "".join([mirrored[k] if level & 1 else texts[k] for k, level in zip(self.order, self.levels)])
        return self._text

    @property
    def cell_width(self) -> int:
        """Return the number of columns the cells take."""
        widths = self._widths
        return sum([widths[k] for k in self.order])

    def cell_start(self, index: int) -> int:
        """Return the first logical offset of the cell at position ``index`` (left to right)."""
        return self._starts[self.order[index]]

    def cell_end(self, index: int) -> int:
        """Return the end-exclusive logical offset of the cell at position ``index``."""
        return self._bounds[self.order[index]]

    def cell_width_at(self, index: int) -> int:
        """Return the columns taken by the cell at position ``index``."""
        return self._widths[self.order[index]]

    def line(self, width: int) -> str:
        """Return the row padded with spaces to ``width`` columns."""
        return " " * self.x0 + self.text + " " * (width - self.x0 - self.cell_width)


class ParagraphLayout:
    """The visual rows of one paragraph plus logical <-> visual position maps."""

    __slots__ = ("text", "width", "mode", "rtl", "rows", "_clusters", "_index")

    def __init__(self, text: str, width: int, mode: Mode, rtl: bool, rows: tuple[Row, ...], clusters: Clusters) -> None:
        self.text = text
        self.width = width
        self.mode = mode
        self.rtl = rtl
        self.rows = rows
        self._clusters = clusters
        self._index: _Index | None = None

    def __repr__(self) -> str:
        return f"ParagraphLayout(width={self.width}, mode={self.mode!r}, rtl={self.rtl}, rows={len(self.rows)})"

    @property
    def index(self) -> _Index:
        """Return the position maps, built on first use."""
        if self._index is None:
            self._index = _Index(self)
        return self._index

    def cell_at(self, offset: int) -> tuple[int, int]:
        """Return (row, position of the cell in that row, left to right) showing an offset."""
        if not 0 <= offset < len(self.text):
            raise IndexError(f"offset {offset} outside paragraph of length {len(self.text)}")
        return self.index.cell_of[offset]

    def locate(self, offset: int) -> tuple[int, int]:
        """Return (row, absolute column) of the cell showing a logical offset."""
        row, k = self.cell_at(offset)
        return row, self.index.xs[row][k]

    def offset_at(self, row: int, x: int) -> int | None:
        """Return the first logical offset shown at (row, column), None on padding."""
        columns = self.index.columns[row]
        rel = x - self.rows[row].x0
        if 0 <= rel < len(columns):
            return self.rows[row].cell_start(columns[rel])
        return None

    def nearest_offset(self, row: int, x: int) -> int:
        """Return the offset at (row, x), clamping x to the row's cells (0 for an empty row)."""
        columns = self.index.columns[row]
        if not columns:
            return 0
        rel = min(max(x - self.rows[row].x0, 0), len(columns) - 1)
        return self.rows[row].cell_start(columns[rel])

    def range_runs(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Return (row, x_start, x_end_exclusive) runs of the cells showing offsets [start, end)."""
        runs: list[tuple[int, int, int]] = []
        start, end = max(start, 0), min(end, len(self.text))
        if start >= end:
            return runs
        for r in range(self.cell_at(start)[0], len(self.rows)):
            row = self.rows[r]
            if row.start >= end:
                break
            xs = self.index.xs[r]
            run_start = run_end = -1
            for k in range(len(row)):
                if row.cell_start(k) < end and row.cell_end(k) > start:
                    x = xs[k]
                    if x != run_end:
                        if run_start >= 0:
                            runs.append((r, run_start, run_end))
                        run_start = x
                    run_end = x + row.cell_width_at(k)
            if run_start >= 0:
                runs.append((r, run_start, run_end))
        return runs

    # -- navigation (see annotator.text.navigation) --------------------------

    def visual_left(self, offset: int) -> int | None:
        """Offset of the cell to the left; None leaves the paragraph (RTL: to the next one, LTR: to the previous)."""
        return navigation.visual_left(self, offset)

    def visual_right(self, offset: int) -> int | None:
        """Offset of the cell to the right; None leaves the paragraph (RTL: to the previous one, LTR: to the next)."""
        return navigation.visual_right(self, offset)

    def up(self, offset: int, goal_x: int | None = None) -> int | None:
        """Offset one row up at column goal_x (default: the current one); None above row 0."""
        return navigation.up(self, offset, goal_x)

    def down(self, offset: int, goal_x: int | None = None) -> int | None:
        """Offset one row down at column goal_x (default: the current one); None below the last row."""
        return navigation.down(self, offset, goal_x)

    def row_home(self, offset: int) -> int:
        """Logical start of the offset's row (its rightmost cell in plain RTL text)."""
        return navigation.row_home(self, offset)

    def row_end(self, offset: int) -> int:
        """Start offset of the last logical cell of the offset's row."""
        return navigation.row_end(self, offset)

    def row_leftmost(self, row: int) -> int | None:
        """Offset of the leftmost cell of a row (None for an empty row)."""
        return navigation.row_leftmost(self, row)

    def row_rightmost(self, row: int) -> int | None:
        """Offset of the rightmost cell of a row (None for an empty row)."""
        return navigation.row_rightmost(self, row)

    def word_start_after(self, offset: int) -> int | None:
        """Start of the next word after offset in reading order, or None."""
        return navigation.word_start_after(self.text, self._clusters, offset)

    def word_start_before(self, offset: int) -> int | None:
        """Start of the word before offset (or of the word it is inside), or None."""
        return navigation.word_start_before(self.text, self._clusters, offset)

    def word_at(self, offset: int) -> tuple[int, int]:
        """Logical range [start, end) of the word, space run or symbol at offset."""
        return navigation.word_at(self.text, self._clusters, offset)


class _Index:
    """Lookup tables of a layout: offset -> (row, cell), column -> cell, cell -> column."""

    __slots__ = ("cell_of", "xs", "columns")

    def __init__(self, layout: ParagraphLayout) -> None:
        cell_of: list[tuple[int, int]] = [(0, 0)] * len(layout.text)
        self.cell_of = cell_of
        self.xs: list[list[int]] = []
        self.columns: list[list[int]] = []
        for r, row in enumerate(layout.rows):
            xs: list[int] = []
            columns: list[int] = []
            x = row.x0
            for k in range(len(row)):
                width = row.cell_width_at(k)
                xs.append(x)
                x += width
                columns.extend((k,) * width)
                where = (r, k)
                for offset in range(row.cell_start(k), row.cell_end(k)):
                    cell_of[offset] = where
            self.xs.append(xs)
            self.columns.append(columns)


class _Prepared(NamedTuple):
    """Width-independent analysis of a paragraph: clusters and bidi levels."""

    rtl: bool
    classes: str
    clusters: Clusters
    bounds: list[int]  # end offset of each cluster
    levels: bytes  # resolved level of each character
    owner: list[int] | None  # cluster whose base each character is (-1: none); None = identity
    mirrored: list[str]  # cluster texts as drawn at an odd level (rule L4)


@lru_cache(maxsize=1024)
def _prepare(text: str, mode: Mode, shaped: bool, narrow: bool, direction: Direction = "auto") -> _Prepared:
    """Shape, cluster and resolve levels once per paragraph, for every width.

    ``narrow`` (width 1) draws wide characters as a one-cell placeholder.
    """
    classes = bidi_classes(text)
    rtl = paragraph_rtl(text, direction, classes)
    app = mode == "app"
    clusters = clusterize(text, shape(text) if app and shaped else None, 1 if narrow else 2)
    levels = resolve_levels(text, rtl, classes)
    owner: list[int] | None = None
    if len(clusters.bases) != len(text):
        owner = [-1] * len(text)
        for k, base in enumerate(clusters.bases):
            owner[base] = k
    mirrored = (
        [MIRROR[shown[0]] + shown[1:] if shown[0] in MIRROR else shown for shown in clusters.texts]
        if app
        else clusters.texts
    )
    return _Prepared(rtl, classes, clusters, clusters.starts[1:] + [len(text)], levels, owner, mirrored)


def _build(text: str, width: int, mode: Mode, shaped: bool = True, direction: Direction = "auto") -> ParagraphLayout:
    """Lay out a paragraph without caching; ``shaped=False`` keeps app-mode order but no shaping."""
    _check_mode(mode)
    if width < 1:
        raise ValueError(f"width must be at least 1, got {width}")
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown paragraph direction {direction!r}; expected one of {DIRECTIONS}")
    prepared = _prepare(text, mode, shaped, width < 2, direction)
    clusters, owner, bases = prepared.clusters, prepared.owner, prepared.clusters.bases
    starts, widths, bounds = clusters.starts, clusters.widths, prepared.bounds
    app = mode == "app"
    base_level = 1 if prepared.rtl else 0
    rows: list[Row] = []
    for a, b in wrap(widths, clusters.spaces, width):
        if a == b:  # empty paragraph
            rows.append(Row(0, 0, 0, [], [], prepared))
            continue
        row_start, row_end = starts[a], bounds[b - 1]
        levels = list(prepared.levels[row_start:row_end])
        for blanks in L1_RUNS.finditer(prepared.classes, row_start, row_end):  # L1 on this row
            levels[blanks.start() - row_start : blanks.end() - row_start] = [base_level] * (
                blanks.end() - blanks.start()
            )
        if not app:
            order = list(range(a, b))
            cell_levels = [levels[bases[k] - row_start] for k in order]
        elif owner is None:  # one character per cluster
            visual = visual_order(levels)
            order = [row_start + j for j in visual]
            cell_levels = [levels[j] for j in visual]
        else:  # reorder characters (L2), then draw each cluster where its base landed
            visual = [j for j in visual_order(levels) if owner[row_start + j] >= 0]
            order = [owner[row_start + j] for j in visual]
            cell_levels = [levels[j] for j in visual]
        x0 = width - sum(widths[a:b]) if app and prepared.rtl else 0
        rows.append(Row(x0, row_start, row_end, order, cell_levels, prepared))
    return ParagraphLayout(text, width, mode, prepared.rtl, tuple(rows), clusters)


@lru_cache(maxsize=4096)
def layout_paragraph(text: str, width: int, mode: Mode = "app", direction: Direction = "auto") -> ParagraphLayout:
    """Lay out one paragraph (no newline inside) at ``width`` cells; cached per (text, width, mode, direction).

    ``direction`` "auto" picks the paragraph direction by the majority of strong letters; "rtl" and
    "ltr" force it (a document's ``meta`` ``{"direction": ...}``).
    """
    return _build(text, width, mode, direction=direction)
