"""A one-line Input that draws its value through the layout engine: shaped, in visual order, cursor included.

Plain terminals (xterm, tmux, PuTTY) do no bidi: Textual's Input sends the value in logical order, so
typed Arabic shows backwards with its letters unjoined. In the app's own mode this Input lays the value
out like the article and moves the cursor over the cells the reader sees; in terminal mode (the terminal
does bidi itself) it is Textual's Input unchanged.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import Input
from textual.widgets.input import Selection

from annotator.text.layout import layout_paragraph


class VisualCell(NamedTuple):
    """One drawn cell of the value: its text, where it is drawn, and the logical offsets [start, end) it shows."""

    text: str
    x: int
    width: int
    start: int
    end: int


class VisualLine(NamedTuple):
    """The value laid out on one row, left to right, with the cell the cursor stands on at the value's end."""

    cells: tuple[VisualCell, ...]
    width: int
    rtl: bool

    def cell_of(self, offset: int) -> int:
        """Index of the cell showing a logical offset (the next shown one for a hidden character; the end cell past the end)."""
        best: int | None = None
        for k, cell in enumerate(self.cells):
            if cell.start <= offset < cell.end:
                return k
            if cell.start >= offset and (best is None or cell.start < self.cells[best].start):
                best = k
        return best if best is not None else len(self.cells) - 1

    def at_x(self, x: int) -> int:
        """Index of the cell drawn at column x, clamped to the line."""
        for k, cell in enumerate(self.cells):
            if x < cell.x + cell.width:
                return k
        return len(self.cells) - 1


def visual_line(value: str, mode: str = "app") -> VisualLine:
    """The value on one visual row; a blank end cell (offset len(value)) sits where the reading ends."""
    cells: list[VisualCell] = []
    rtl = False
    if value:
        # tabs as spaces, one for one, so offsets still match; the layout is wide enough for one row
        layout = layout_paragraph(value.replace("\t", " "), 2 * len(value) + 4, mode)
        rtl = layout.rtl
        x = 0
        for row in layout.rows:
            for cell in row.cells:
                cells.append(VisualCell(cell.text, x, cell.width, cell.start, cell.end))
                x += cell.width
    end = VisualCell(" ", 0, 1, len(value), len(value) + 1)
    if rtl:  # the reading ends at the left: the end cell goes there and the rest moves one column right
        cells = [end, *(c._replace(x=c.x + 1) for c in cells)]
    else:
        cells.append(end._replace(x=sum(c.width for c in cells)))
    return VisualLine(tuple(cells), sum(c.width for c in cells), rtl)


class BidiInput(Input):
    """An Input whose value is drawn shaped and in visual order (app mode); Left/Right move over what is seen."""

    def __init__(
        self, value: str | None = None, placeholder: str = "", *, mode: str = "app", id: str | None = None
    ) -> None:
        self.mode = mode  # first: Input's __init__ sets the value, whose watchers lay it out in this mode
        super().__init__(value, placeholder, id=id)

    @property
    def visual(self) -> bool:
        """Whether the value is laid out here (the app's mode) rather than left to the terminal."""
        return self.mode == "app" and not self.password

    def line(self) -> VisualLine:
        """The value as drawn now."""
        return visual_line(self.value, self.mode)

    def _indent(self, line: VisualLine) -> int:
        """Columns before the value: a right-to-left value sits against the right edge when it fits."""
        room = self.scrollable_content_region.width
        return room - line.width if line.rtl and line.width < room else 0

    @property
    def content_width(self) -> int:
        """The width of the content (the value's cells, the end cell, the indent)."""
        if not self.visual or not self.value:
            return super().content_width
        line = self.line()
        return line.width + self._indent(line)

    @property
    def _cursor_offset(self) -> int:
        """The column of the cell the cursor stands on: where the terminal's cursor goes and what scrolling keeps in view."""
        if not self.visual or not self.value:
            return super()._cursor_offset
        line = self.line()
        return line.cells[line.cell_of(self.cursor_position)].x + self._indent(line)

    def on_resize(self, event: events.Resize) -> None:
        """The indent of a right-to-left value follows the width: so does the scrollable width."""
        self.virtual_size = Size(self.content_width, 1)

    def _cell_offset_to_index(self, offset: int) -> int:
        """The logical offset shown at a column of the widget (a click)."""
        if not self.visual or not self.value:
            return super()._cell_offset_to_index(offset)
        line = self.line()
        scroll_x, _ = self.scroll_offset
        return line.cells[line.at_x(offset + scroll_x - self._indent(line))].start

    def render_line(self, y: int) -> Strip:
        """The value's cells left to right, the cursor and selection on the cells that show them."""
        if y != 0 or not self.visual or not self.value:
            return super().render_line(y)
        line = self.line()
        cursor_style = self.get_component_rich_style("input--cursor")
        selection_style = self.get_component_rich_style("input--selection")
        start, end = sorted(self.selection)
        cursor = line.cell_of(self.cursor_position)
        room = self.scrollable_content_region.width
        indent = self._indent(line)
        scroll_x, _ = self.scroll_offset
        # cropped here, cell by cell: a cut inside Rich's segments would drop a letter's harakat at the edge
        text = Text(" " * max(0, indent - scroll_x), no_wrap=True, overflow="ignore", end="")
        for k, cell in enumerate(line.cells):
            left = cell.x + indent
            if left < scroll_x < left + cell.width:  # a wide cell half off the left edge: blank its half in view
                text.append(" " * (left + cell.width - scroll_x))
            if left < scroll_x or left + cell.width > scroll_x + room + 1:
                continue
            style: Style | None = None
            if self.has_focus and start < end and cell.start < end and cell.end > start:
                style = selection_style
            if self.has_focus and self._cursor_visible and k == cursor:
                style = cursor_style
            text.append(cell.text, style)
        segments: list[Segment] = list(self.app.console.render(text, self.app.console_options.update_width(room + 1)))
        strip = Strip(segments).extend_cell_length(room + 1)
        return strip.apply_style(self.rich_style)

    # -- moves over what is seen ----------------------------------------------------------

    def _move_visually(self, step: int, select: bool) -> None:
        line = self.line()
        k = min(max(line.cell_of(self.cursor_position) + step, 0), len(line.cells) - 1)
        target = line.cells[k].start
        if select:
            self.selection = Selection(self.selection.start, target)
        else:
            self.cursor_position = target

    def action_cursor_left(self, select: bool = False) -> None:
        """One cell left (forward in Arabic)."""
        if not self.visual:
            super().action_cursor_left(select)
        elif not select and not self.selection.is_empty:
            self._collapse(left=True)
        else:
            self._move_visually(-1, select)

    def action_cursor_right(self, select: bool = False) -> None:
        """One cell right (back in Arabic)."""
        if not self.visual:
            super().action_cursor_right(select)
        elif not select and not self.selection.is_empty:
            self._collapse(left=False)
        else:
            self._move_visually(+1, select)

    def _collapse(self, left: bool) -> None:
        """Left/Right on a selection: the cursor to the selection's end on that side of the screen."""
        start, end = sorted(self.selection)
        reading_end = self.line().rtl == left
        self.cursor_position = end if reading_end else start

    def action_cursor_left_word(self, select: bool = False) -> None:
        """One word left (forward in Arabic)."""
        if self.visual and self.line().rtl:
            super().action_cursor_right_word(select)
        else:
            super().action_cursor_left_word(select)

    def action_cursor_right_word(self, select: bool = False) -> None:
        """One word right (back in Arabic)."""
        if self.visual and self.line().rtl:
            super().action_cursor_left_word(select)
        else:
            super().action_cursor_right_word(select)
