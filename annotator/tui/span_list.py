"""The side panel's list of spans: a Line API widget, so 20,000 spans cost what 20 do; a change repaints
only the cells of the rows it changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.model import Span
from annotator.session_relations import QUOTE
from annotator.text.display import display_line
from annotator.tui.terminal_output import ChangedRowsView

LABEL_WIDTH = 7
HIGHLIGHT = Style(reverse=True)
NO_SPEAKER = Style(color="#ffaf00", bold=True)
SPEAKER_WIDTH = 16
"""Cells at most for a quote's speaker (`← …`) at the end of its row."""


class SpanList(ChangedRowsView, can_focus=True, inherit_bindings=False):
    """Spans in text order, label and text (drawn right to left); Enter chooses one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "step(-1)", "Previous", show=False),
        Binding("down", "step(1)", "Next", show=False),
        Binding("pageup", "step(-10)", "Page up", show=False),
        Binding("pagedown", "step(10)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "choose", "Go to span", show=False),
    ]

    class Chosen(Message):
        """A span was chosen."""

        def __init__(self, span: Span) -> None:
            super().__init__()
            self.span = span

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.spans: list[Span] = []
        self.text = ""
        self.mode = "app"
        self.styles_by_label: dict[str, Style] = {}
        self.speakers: dict[int, Span] = {}
        """Quote span id → its speaker: drawn `← speaker` after the quote; a quote missing here is marked `← ?`."""
        self.highlighted = 0
        self._lines: LRUCache[tuple, Strip] = LRUCache(2048)
        self._base: Style | None = None

    def show(
        self, spans: list[Span], text: str, styles: dict[str, Style], mode: str, speakers: dict[int, Span] | None = None
    ) -> None:
        """Show these spans (already in text order), each quote with its speaker (quote id → speaker span)."""
        if text is not self.text or styles is not self.styles_by_label or mode != self.mode:
            self._lines.clear()
            self.forget_rows()  # another article or its styles: every row is repainted
        self.spans, self.text, self.styles_by_label, self.mode = spans, text, styles, mode
        self.speakers = speakers or {}
        self.highlighted = min(self.highlighted, max(len(spans) - 1, 0))
        size = Size(self.size.width, len(spans))
        height = self.scrollable_content_region.height
        if size != self.virtual_size and max(size.height, self.virtual_size.height) <= height:
            # Both fit the panel, so no scrollbar comes or goes: no layout, which would repaint every row.
            self.set_reactive(ScrollView.virtual_size, size)
        else:
            self.virtual_size = size
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Repaint the cells of the rows whose span or highlight changed (every row after a scroll)."""
        self.refresh_changed()

    def _view_key(self, base: Style) -> tuple:
        """What every row's place on screen depends on."""
        region = self.scrollable_content_region
        return (self.scroll_offset.y, region.width, region.height, base)

    def render_lines(self, crop: Region) -> list[Strip]:
        """One frame: the widget's base style is computed once, not once per row."""
        self._base = self.rich_style
        self._begin_rows(self._base)
        try:
            return super().render_lines(crop)
        finally:
            self._end_rows()

    def render_line(self, y: int) -> Strip:
        """Draw one visible row; rows are cached per span, width and base style."""
        return self._row_strip(y, self._base if self._base is not None else self.rich_style)

    def _row(self, y: int, base: Style) -> tuple[object, Callable[[], Strip]]:
        """Screen row y: the key of what it shows and a function that draws it."""
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if index >= len(self.spans) or width <= 0:
            return ("blank", width, base), lambda: Strip.blank(width, base)
        span = self.spans[index]
        speaker = self.speakers.get(span.id) if span.id is not None else None
        line_key = (span.id, span.start, span.end, span.label, speaker, width, base)
        highlighted = index == self.highlighted and self.has_focus

        def draw() -> Strip:
            strip = self._lines.get(line_key)
            if strip is None:
                label_style = self.styles_by_label.get(span.label, Style())
                tail = self._speaker_segments(span, speaker, base, min(SPEAKER_WIDTH, (width - LABEL_WIDTH) // 3))
                room = width - LABEL_WIDTH - 1 - sum(segment.cell_length for segment in tail)
                shown = display_line(self.text[span.start : span.end], max(room, 4), self.mode)
                strip = Strip(
                    [
                        Segment(f"{span.label:<{LABEL_WIDTH - 1}}"[: LABEL_WIDTH - 1], label_style),
                        Segment(" " + shown, base),
                        *tail,
                    ]
                ).crop_extend(0, width, base)
                self._lines[line_key] = strip
            return strip.apply_style(HIGHLIGHT) if highlighted else strip

        return (line_key, highlighted), draw

    def _speaker_segments(self, span: Span, speaker: Span | None, base: Style, cells: int) -> list[Segment]:
        """After a quote: `← speaker` (laid out like the article), or `← ?` marking a quote without one."""
        if span.label != QUOTE:
            return []
        if speaker is None:
            return [Segment(" ← ?", NO_SPEAKER)]
        name = display_line(self.text[speaker.start : speaker.end], max(cells, 4), self.mode)
        return [Segment(" ← ", base), Segment(name, self.styles_by_label.get(speaker.label, base))]

    def on_focus(self) -> None:
        self.refresh_rows()

    def on_blur(self) -> None:
        self.refresh_rows()

    def action_step(self, delta: int) -> None:
        """Move the highlight."""
        if self.spans:
            self.highlighted = max(0, min(len(self.spans) - 1, self.highlighted + delta))
            self.scroll_to_region(Region(0, self.highlighted, 1, 1), animate=False, immediate=True)
            self.refresh_rows()

    def action_jump(self, index: int) -> None:
        """Highlight the first (0) or last (-1) span."""
        if self.spans:
            self.highlighted = index % len(self.spans)
            self.scroll_to_region(Region(0, self.highlighted, 1, 1), animate=False, immediate=True)
            self.refresh_rows()

    def action_choose(self) -> None:
        """Tell the screen which span was chosen."""
        if self.spans:
            self.post_message(self.Chosen(self.spans[self.highlighted]))

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.spans):
            self.highlighted = index
            self.post_message(self.Chosen(self.spans[index]))
