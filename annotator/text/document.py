"""A whole document laid out at one width: paragraphs, rows, and cursor movement across them.

Paragraphs are laid out lazily (only those asked for: the rows on screen), so opening a huge
article costs nothing up front. Rows of paragraphs not laid out yet are estimated from their
length; the estimate is replaced by the exact count as soon as the paragraph is laid out.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal, NamedTuple, cast

from annotator.text.bidi import DIRECTIONS, paragraph_rtl
from annotator.text.bidi import Direction as ParagraphDirection
from annotator.text.layout import Mode, ParagraphLayout, layout_paragraph
from annotator.text.row_index import RowIndex
from annotator.text.tokenizer import next_word_start, previous_word_start

Direction = Literal["left", "right"]


class Place(NamedTuple):
    """A visual position: paragraph index, row inside that paragraph, column."""

    paragraph: int
    row: int
    x: int


def meta_direction(meta: Mapping[str, Any] | None) -> ParagraphDirection:
    """The paragraph direction a document's meta asks for ({"direction": "rtl" | "ltr" | "auto"}); "auto" otherwise."""
    value = (meta or {}).get("direction")
    if isinstance(value, str) and value.strip().lower() in DIRECTIONS:
        return cast(ParagraphDirection, value.strip().lower())
    return "auto"


@lru_cache(maxsize=4)
def paragraph_bounds(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of every paragraph (line) of a text; cached, since a resize needs them again."""
    starts = [0]
    ends: list[int] = []
    found = text.find("\n")
    while found >= 0:
        ends.append(found)
        starts.append(found + 1)
        found = text.find("\n", found + 1)
    ends.append(len(text))
    return starts, ends


class DocumentLayout:
    """The rows of a document at a width, with offset ↔ screen mapping and navigation."""

    def __init__(self, text: str, width: int, mode: Mode = "app", direction: ParagraphDirection = "auto") -> None:
        self.text = text
        self.width = max(1, width)
        self.mode = mode
        self.direction = direction  # of every paragraph: "auto" (each by its majority of strong letters) or forced
        self.starts, self.ends = paragraph_bounds(text)
        self._rows = RowIndex([max(1, -(-(end - start) // self.width)) for start, end in zip(self.starts, self.ends)])
        self._exact = [False] * len(self.starts)
        self.rtl = paragraph_rtl(text[:20000], direction)

    # -- paragraphs ------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.starts)

    def paragraph_of(self, offset: int) -> int:
        """The paragraph holding a document offset (a newline belongs to the paragraph it ends)."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def paragraph(self, index: int) -> ParagraphLayout:
        """The layout of one paragraph (cached by text, width and mode)."""
        layout = layout_paragraph(
            self.text[self.starts[index] : self.ends[index]], self.width, self.mode, self.direction
        )
        if not self._exact[index]:
            self._exact[index] = True
            self._rows.set(index, max(1, len(layout.rows)))
        return layout

    @property
    def height(self) -> int:
        """Total rows (exact for laid-out paragraphs, estimated for the rest)."""
        return self._rows.total

    def top_of(self, index: int) -> int:
        """The document row where paragraph `index` begins."""
        return self._rows.top(index)

    def row_at(self, y: int) -> tuple[int, int] | None:
        """(paragraph, row inside it) at document row y, laying out that paragraph; None past the end."""
        if y < 0 or y >= self._rows.total:
            return None
        index = self._rows.find(y)
        layout = self.paragraph(index)  # may change this paragraph's height, never where it starts
        row = y - self._rows.top(index)
        rows = max(1, len(layout.rows))
        return index, min(row, rows - 1)

    def lay_out_rows(self, first: int, last: int) -> None:
        """Lay out every paragraph showing a row in [first, last): the margin around the screen."""
        y = max(0, first)
        while y < min(last, self._rows.total):
            index = self._rows.find(y)
            self.paragraph(index)
            y = self._rows.top(index) + self._rows.height(index)

    def is_rtl(self, index: int) -> bool:
        """Whether the paragraph reads right to left (empty paragraphs follow the document)."""
        if self.starts[index] == self.ends[index]:
            return self.rtl
        return self.paragraph(index).rtl

    # -- offsets ↔ places ------------------------------------------------------

    def place(self, offset: int) -> Place:
        """Where a document offset is drawn."""
        index = self.paragraph_of(offset)
        start, end = self.starts[index], self.ends[index]
        if start == end or offset >= end:
            return (
                Place(index, 0, self.width - 1 if self.is_rtl(index) else 0) if start == end else self._end_place(index)
            )
        row, x = self.paragraph(index).locate(offset - start)
        return Place(index, row, x)

    def _end_place(self, index: int) -> Place:
        layout = self.paragraph(index)
        row, x = layout.locate(self.ends[index] - self.starts[index] - 1)
        return Place(index, row, x)

    def offset_at(self, index: int, row: int, x: int) -> int:
        """The document offset nearest to column x on a paragraph's row."""
        start, end = self.starts[index], self.ends[index]
        if start == end:
            return start
        layout = self.paragraph(index)
        row = max(0, min(row, len(layout.rows) - 1))
        return start + layout.nearest_offset(row, x)

    def clamp(self, offset: int) -> int:
        """A valid cursor offset: a character of a paragraph, or the newline of an empty one."""
        offset = max(0, min(offset, max(len(self.text) - 1, 0)))
        index = self.paragraph_of(offset)
        start, end = self.starts[index], self.ends[index]
        if start == end:
            return start
        return min(offset, end - 1)

    # -- movement --------------------------------------------------------------

    def first_offset(self, index: int) -> int:
        """The first cursor offset of a paragraph in reading order."""
        return self.starts[index]

    def last_offset(self, index: int) -> int:
        """The last cursor offset of a paragraph in reading order."""
        return max(self.starts[index], self.ends[index] - 1)

    def forward(self, offset: int) -> int:
        """One character on in reading order."""
        index = self.paragraph_of(offset)
        if offset < self.last_offset(index):
            return offset + 1
        return self.first_offset(index + 1) if index + 1 < len(self) else offset

    def backward(self, offset: int) -> int:
        """One character back in reading order."""
        index = self.paragraph_of(offset)
        if offset > self.starts[index]:
            return offset - 1
        return self.last_offset(index - 1) if index > 0 else offset

    def move(self, offset: int, direction: Direction) -> int:
        """One cell left or right on screen; past a row's edge, on to the neighbouring row."""
        index = self.paragraph_of(offset)
        start, end = self.starts[index], self.ends[index]
        rtl = self.is_rtl(index)
        forward = (direction == "left") == rtl
        if start == end:
            return self.forward(offset) if forward else self.backward(offset)
        layout = self.paragraph(index)
        step = layout.visual_left(offset - start) if direction == "left" else layout.visual_right(offset - start)
        if step is None:
            if forward:
                return self.first_offset(index + 1) if index + 1 < len(self) else offset
            return self.last_offset(index - 1) if index > 0 else offset
        return start + step

    def vertical(self, offset: int, rows: int, goal_x: int | None = None) -> int:
        """The offset `rows` rows down (negative: up), keeping the column goal_x."""
        place = self.place(offset)
        x = place.x if goal_x is None else goal_x
        index, row = place.paragraph, place.row
        remaining = rows
        while remaining > 0:
            height = max(1, len(self.paragraph(index).rows)) if self.starts[index] != self.ends[index] else 1
            if row + 1 < height:
                row += 1
            elif index + 1 < len(self):
                index, row = index + 1, 0
            else:
                break
            remaining -= 1
        while remaining < 0:
            if row > 0:
                row -= 1
            elif index > 0:
                index -= 1
                row = (max(1, len(self.paragraph(index).rows)) if self.starts[index] != self.ends[index] else 1) - 1
            else:
                break
            remaining += 1
        return self.offset_at(index, row, x)

    def row_edge(self, offset: int, edge: Literal["home", "end"]) -> int:
        """The first (home) or last (end) character of the cursor's row in reading order."""
        index = self.paragraph_of(offset)
        start = self.starts[index]
        if start == self.ends[index]:
            return start
        layout = self.paragraph(index)
        local = layout.row_home(offset - start) if edge == "home" else layout.row_end(offset - start)
        return start + local

    def word_forward(self, offset: int) -> int:
        """The start of the next word in reading order."""
        found = next_word_start(self.text, offset)
        return self.clamp(found) if found is not None else offset

    def word_backward(self, offset: int) -> int:
        """The start of this word, or of the previous word when already at a word start."""
        found = previous_word_start(self.text, offset)
        return found if found is not None else offset

    def word_step(self, offset: int, direction: Direction) -> int:
        """ctrl+Left / ctrl+Right: a word visually (in Arabic, Left goes forward)."""
        forward = (direction == "left") == self.is_rtl(self.paragraph_of(offset))
        return self.word_forward(offset) if forward else self.word_backward(offset)

    def runs(self, start: int, end: int, index: int) -> list[tuple[int, int, int]]:
        """(row, x0, x1) cell runs of document range [start, end) inside paragraph `index`."""
        p_start, p_end = self.starts[index], self.ends[index]
        lo, hi = max(start, p_start), min(end, p_end)
        if p_start == p_end:
            if start <= p_start < end:
                x = self.width - 1 if self.is_rtl(index) else 0
                return [(0, x, x + 1)]
            return []
        if lo >= hi:
            return []
        return self.paragraph(index).range_runs(lo - p_start, hi - p_start)
