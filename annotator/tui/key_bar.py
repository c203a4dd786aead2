"""The footer: the screen's main keys on one line, drawn as one strip (no per-key widgets, no markup);
and TextLine, a one-row Static (status line, title) that repaints only the cells whose text or style
changed."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual, VisualType
from textual.widget import Widget
from textual.widgets import Static
from typing_extensions import Self

from annotator.tui.terminal_output import changed_runs

KEY = Style(bold=True, reverse=True)


class KeyBar(Widget):
    """Shows each shown binding of the screen as `key description`, cut with … when the terminal is narrow."""

    DEFAULT_CSS = """
    KeyBar { height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        bindings = [b for b in getattr(self.screen, "BINDINGS", []) if isinstance(b, Binding) and b.show]
        bindings += [Binding("ctrl+p", "command_palette", "Palette"), Binding("ctrl+q", "quit", "Quit")]
        self.keys = [
            ((binding.key_display or binding.key.split(",")[0]).replace("ctrl+", "^"), binding.description)
            for binding in bindings
        ]
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """The one line of keys."""
        base = self.rich_style
        width = self.size.width
        segments: list[Segment] = []
        for key, description in self.keys:
            segments.append(Segment(f" {key} ", base + KEY))
            segments.append(Segment(f" {description} ", base))
        strip = Strip(segments)
        if strip.cell_length > width > 0:
            strip = Strip([*strip.crop(0, width - 1), Segment("…", base)])
        return strip.crop_extend(0, width, base)



class TextLine(Static):
    """A one-row Static (status line, title) whose update sends the terminal only the cells that changed,
    and nothing when the text is the same; Static.update repaints the whole row and lays the screen out
    again, which also repaints the scrollbars."""

    DEFAULT_CSS = """
    TextLine { height: 1; }
    """

    _quiet = False

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        """Show content (a str is plain text, not markup), repainting only what changed."""
        if isinstance(content, str):
            content = Text(content)
        shown = self.content
        if isinstance(shown, Text) and isinstance(content, Text) and shown == content and shown.style == content.style:
            return
        width = self.size.width
        if not width or not self.is_mounted or layout:
            super().update(content, layout=layout)
            return
        before = self._strip(width)
        self._quiet = True
        try:
            super().update(content, layout=False)  # its whole-widget refresh is replaced by the one below
        finally:
            self._quiet = False
        after = self._strip(width)
        regions = [Region(x0, 0, x1 - x0, 1) for x0, x1 in changed_runs(before, after)]
        if regions:
            self.refresh(*regions)

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        """Refresh, except the whole-widget refresh Static.update asks for while update diffs the row."""
        if self._quiet:
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _strip(self, width: int) -> Strip:
        """The row the current content draws at this width (text alignment and style included)."""
        strips = Visual.to_strips(self, self.visual, width, 1, self.visual_style)
        return strips[0] if strips else Strip.blank(width)
