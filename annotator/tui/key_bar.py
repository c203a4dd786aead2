"""The footer: the screen's main keys on one line, drawn as one strip (no per-key widgets, no markup)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.strip import Strip
from textual.widget import Widget

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
