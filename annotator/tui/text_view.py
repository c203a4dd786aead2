"""The article view: a Line API widget that draws only the rows on screen, and repaints only the cells a
key press changed (over SSH every cell sent costs the annotator time)."""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from annotator.model import ENTITY_LAYER, QUOTE_LAYER
from annotator.session import Session
from annotator.text.document import DocumentLayout, Place, meta_direction
from annotator.text.layout import Mode, Row
from annotator.tui import contrast, terminal_output
from annotator.tui.terminal_output import ChangedRowsView

# Before any screen exists (a screen binds its update method when it first needs a frame).
terminal_output.install()

MARGIN = 1
CURSOR = Style(reverse=True, bold=True)
SELECTION = Style(color="#000000", bgcolor="#c6c6c6")
PLAIN = Style()


def label_styles(session: Session) -> dict[str, Style]:
    """One style per label: entities get a background, quotes an underline and colour that entities keep."""
    styles: dict[str, Style] = {}
    for label in session.labels:
        # the label's colour, moved only as far as a 16-colour, 256-colour or truecolor terminal needs to read it
        if label.layer == QUOTE_LAYER:
            styles[label.name] = Style(
                color=contrast.foreground(label.colour, contrast.GROUND), underline=True, italic=True
            )
        else:
            ink, ground, bold = contrast.highlight(label.colour)
            styles[label.name] = Style(color=ink, bgcolor=ground, bold=bold)
    return styles


class TextView(ChangedRowsView, can_focus=True, inherit_bindings=False):
    """Draws the session's document with spans, selection and cursor; mouse clicks and drags select."""

    DEFAULT_CSS = """
    TextView { height: 1fr; }
    """

    class CursorMoved(Message):
        """The cursor or selection changed."""

    def __init__(self, session: Session, mode: Mode = "app", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.mode = mode
        self.layout_: DocumentLayout | None = None
        self.styles_by_label = label_styles(session)
        self.goal_x: int | None = None
        self._dragging = False
        self.extra_marks: Callable[[int, int], list[tuple[int, int, Style]]] | None = None
        self._base: Style | None = None
        self._place_key: tuple[int, DocumentLayout] | None = None
        self._place: Place | None = None
        self._margin_key: tuple[DocumentLayout | None, int] | None = None
        self._shown_top: int | None = None
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)

    # -- layout ----------------------------------------------------------------

    @property
    def text_width(self) -> int:
        """Cells available to the text."""
        return max(8, self.scrollable_content_region.width - 2 * MARGIN)

    def document_layout(self) -> DocumentLayout:
        """The layout at the current width, rebuilt when the width changes."""
        width = self.text_width
        if self.layout_ is None or self.layout_.width != width or self.layout_.text is not self.session.text:
            direction = meta_direction(self.session.document.meta)
            self.layout_ = DocumentLayout(self.session.text, width, self.mode, direction)
            self._strips.clear()  # rows are keyed by paragraph and row number, which a new layout changes
            self.forget_rows()  # and so is every row on screen
            self._update_size()
        return self.layout_

    def _update_size(self) -> None:
        assert self.layout_ is not None
        self.virtual_size = Size(self.layout_.width + 2 * MARGIN, self.layout_.height)

    def set_session(self, session: Session) -> None:
        """Show another document."""
        self.session = session
        self.layout_ = None
        self.styles_by_label = label_styles(session)
        self._strips.clear()
        self.forget_rows()  # another article: every row is repainted
        self.scroll_to(0, 0, animate=False)
        self.refresh_view()

    def focus(self, scroll_visible: bool = True) -> TextView:
        """Take the focus; Widget.focus repaints the whole view, which is not needed when it has it already."""
        if self.has_focus:
            return self
        super().focus(scroll_visible)
        return self

    def on_resize(self, event: events.Resize) -> None:
        self.document_layout()
        self.show_cursor()

    def refresh_view(self) -> None:
        """Repaint after spans, cursor or selection changed: only the cells whose text or style changed."""
        if not self.size:
            return  # not laid out yet: the first resize lays the article out at its real width
        layout = self.document_layout()
        if layout.height != self.virtual_size.height:
            self._update_size()
        if self._shown_top is not None:
            self.forget_rows()  # Textual has not scrolled to the cursor yet: every row moves
        self.refresh_changed()

    def _view_key(self, base: Style) -> tuple:
        """What every row's place on screen depends on. The text row at the top is part of it: laying out
        paragraphs above the screen can shift the rows."""
        layout = self.document_layout()
        region = self.scrollable_content_region
        top = self.top_row
        return (id(layout), top, layout.row_at(top), self.scroll_offset.x, region.width, region.height, base)

    # -- drawing -----------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """One frame: the widget's base style is computed once, not once per row."""
        self._base = self.rich_style
        if self.layout_ is None or self.layout_.width != self.text_width:
            self.document_layout()
            self.show_cursor()  # before the first frame, so an article reopened mid-way shows that place
        if self._shown_top is not None and self.scroll_offset.y == self._shown_top:
            self._shown_top = None  # Textual's scrolling has caught up
        self._begin_rows(self._base)
        try:
            strips = super().render_lines(crop)
        finally:
            self._end_rows()
        if self.layout_ is not None and self.layout_.height != self.virtual_size.height:
            self.call_later(self._update_size)  # rows drawn for the first time laid their paragraphs out
        if self._shown_top is not None:
            self.call_after_refresh(self.show_cursor)
        margin_key = (self.layout_, self.top_row)
        if margin_key != self._margin_key:
            self._margin_key = margin_key
            self.call_after_refresh(self._lay_out_margin)
        return strips

    def _lay_out_margin(self) -> None:
        """After a frame, lay out a page above and below the screen, so PageUp/PageDown find it ready."""
        layout = self.layout_
        if layout is not None:
            top, page = self.top_row, max(1, self.size.height)
            layout.lay_out_rows(top + page, top + 2 * page)
            layout.lay_out_rows(top - page, top)
            if layout.height != self.virtual_size.height:
                self._update_size()

    def render_line(self, y: int) -> Strip:
        """Draw one screen row: only the paragraph row shown there is laid out, and a row whose
        spans, selection and cursor did not change comes from the cache instead of being drawn again."""
        return self._row_strip(y, self._base if self._base is not None else self.rich_style)

    def _row(self, y: int, base: Style) -> tuple[object, Callable[[], Strip]]:
        """Screen row y: the key of what it shows (its text row, scroll, width, style and marks) and a
        function that draws it (from the cache when a row with that key was drawn before)."""
        layout = self.document_layout()
        scroll_x, scroll_y = self.scroll_offset.x, self.top_row
        width = self.scrollable_content_region.width
        found = layout.row_at(scroll_y + y)
        if found is None:
            return ("blank", width, base), lambda: Strip.blank(width, base)
        index, row_index = found
        start = layout.starts[index]
        row: Row | None
        if start == layout.ends[index]:
            row = None
            lo, hi = start, start + 1  # an empty paragraph still draws the cursor or selection on one cell
        else:
            row = layout.paragraph(index).rows[row_index]
            lo, hi = start + row.start, start + row.end
        marks = self._row_marks(layout, index, row_index, lo, hi)
        key = (index, row_index, scroll_x, width, base, marks)

        def draw() -> Strip:
            strip = self._strips.get(key)
            if strip is None:
                if marks:
                    strip = self._draw_row(layout, index, row_index, row, marks, base)
                else:  # most rows: plain text, one segment
                    strip = self._plain_row(layout, index, row_index, row, base)
                strip = strip.crop_extend(scroll_x, scroll_x + width, base)
                self._strips[key] = strip
            return strip

        return key, draw

    def _plain_row(self, layout: DocumentLayout, index: int, row_index: int, row: Row | None, base: Style) -> Strip:
        """A row with no span, selection or cursor on it."""
        cells = layout.width + 2 * MARGIN
        if row is None:
            return Strip.blank(cells, base)
        if row.x0 + row.cell_width > layout.width:
            return self._draw_row(layout, index, row_index, row, (), base)
        return Strip([Segment(" " * MARGIN + row.line(layout.width) + " " * MARGIN, base)], cells)

    def _row_marks(
        self, layout: DocumentLayout, index: int, row_index: int, lo: int, hi: int
    ) -> tuple[tuple[int, int, object], ...]:
        """What is drawn over the row's text, as a hashable key: spans, selection, extra marks, cursor."""
        session = self.session
        marks: list[tuple[int, int, object]] = [(span.start, span.end, span.label) for span in session.spans_in(lo, hi)]
        selection = session.selection
        if selection is not None and selection[0] < hi and lo < selection[1]:
            marks.append((max(selection[0], lo), min(selection[1], hi), SELECTION))
        if self.extra_marks is not None:
            for mark_start, mark_end, style in self.extra_marks(lo, hi):
                if mark_start < hi and lo < mark_end:
                    marks.append((max(mark_start, lo), min(mark_end, hi), style))
        place = self._cursor_place(layout)
        if place.paragraph == index and place.row == row_index:
            marks.append((place.x, place.x, CURSOR))
        return tuple(marks)

    def _cursor_place(self, layout: DocumentLayout) -> Place:
        """Where the cursor is drawn, found once per cursor position rather than once per row."""
        key = (self.session.cursor, layout)
        if self._place_key != key:
            self._place_key, self._place = key, layout.place(self.session.cursor)
        assert self._place is not None
        return self._place

    def _draw_row(
        self,
        layout: DocumentLayout,
        index: int,
        row_index: int,
        row: Row | None,
        marks: tuple[tuple[int, int, object], ...],
        base: Style,
    ) -> Strip:
        """The row's cells with their styles, one segment per run of equal style."""
        cells = layout.width
        chars = [" "] * cells
        styles = [base] * cells
        spans = [(s, e, label) for s, e, label in marks if isinstance(label, str)]
        if row is not None:
            start = layout.starts[index]
            x = row.x0
            for cell in row.cells:
                if x < cells:
                    chars[x] = cell.text
                    if spans:
                        styles[x] = base + self._cell_style(start + cell.start, spans)
                    for extra in range(1, cell.width):
                        if x + extra < cells:
                            chars[x + extra] = ""
                x += cell.width
        for mark_start, mark_end, style in marks:
            if style is CURSOR:
                if 0 <= mark_start < cells:
                    styles[mark_start] = styles[mark_start] + CURSOR
            elif isinstance(style, Style):
                for r, x0, x1 in layout.runs(mark_start, mark_end, index):
                    if r == row_index:
                        for x in range(x0, min(x1, cells)):
                            styles[x] = styles[x] + style
        # One segment per run of equal style: the terminal gets one SGR per run, not per cell.
        segments = [Segment(" " * MARGIN, base)]
        run: list[str] = []
        run_style = styles[0] if styles else base
        for char, style in zip(chars, styles):
            if style != run_style:
                segments.append(Segment("".join(run), run_style))
                run, run_style = [], style
            run.append(char)
        if run:
            segments.append(Segment("".join(run), run_style))
        segments.append(Segment(" " * MARGIN, base))
        return Strip(segments)

    def _cell_style(self, offset: int, spans: list[tuple[int, int, str]]) -> Style:
        """A cell's style from the row's spans: entity colours over the quote's underline."""
        style = PLAIN
        for span_start, span_end, label in spans:
            if not span_start <= offset < span_end:
                continue
            label_style = self.styles_by_label.get(label)
            if label_style is None:
                continue
            if self.session.layer_of.get(label) == ENTITY_LAYER:
                style = style + label_style
            else:
                style = label_style + style
        return style

    # -- cursor ------------------------------------------------------------------

    @property
    def top_row(self) -> int:
        """The document row drawn at the top of the view."""
        return self.scroll_offset.y if self._shown_top is None else self._shown_top

    def show_cursor(self) -> None:
        """Scroll so the cursor's row is visible."""
        if not self.size:
            return
        layout = self.document_layout()
        place = layout.place(self.session.cursor)
        y = layout.top_of(place.paragraph) + place.row
        self._update_size()
        top, height = self.scroll_offset.y, max(1, self.scrollable_content_region.height)
        target = y if y < top else y - height + 1 if y >= top + height else top
        self.scroll_to_region(Region(0, y, 1, 1), animate=False, immediate=True)
        # Until Textual has laid the new virtual size out (the first frames), it cannot scroll that
        # far: draw from the target row meanwhile, rather than a frame of the article's first page.
        self._shown_top = None if self.scroll_offset.y == target else target

    def move_to(self, offset: int, *, extend: bool = False, keep_goal: bool = False) -> None:
        """Put the cursor on offset; with extend, grow the selection from its anchor."""
        session = self.session
        layout = self.document_layout()
        if extend:
            if session.anchor is None:
                session.anchor = session.cursor
        else:
            session.anchor = None
        session.cursor = layout.clamp(offset)
        if not keep_goal:
            self.goal_x = None
        self.show_cursor()
        self.refresh_view()
        self.post_message(self.CursorMoved())

    def page_rows(self) -> int:
        """Rows in one page."""
        return max(1, self.scrollable_content_region.height - 1)

    # -- mouse ---------------------------------------------------------------------

    def _offset_at_mouse(self, event: events.MouseEvent) -> int | None:
        layout = self.document_layout()
        found = layout.row_at(self.top_row + event.y)
        if found is None:
            return None
        index, row = found
        return layout.offset_at(index, row, self.scroll_offset.x + event.x - MARGIN)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self._offset_at_mouse(event)
        if offset is None:
            return
        self.focus()
        self._dragging = True
        self.capture_mouse()
        self.move_to(offset)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        offset = self._offset_at_mouse(event)
        if offset is not None and offset != self.session.cursor:
            self.move_to(offset, extend=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()
