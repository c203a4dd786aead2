"""The footer: the screen's main keys on one line (one widget, not one per key: it paints at start-up for free)."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static


class KeyBar(Static):
    """Shows each shown binding of the screen as `key description`."""

    DEFAULT_CSS = """
    KeyBar { height: 1; background: $panel; color: $text-muted; }
    """

    def on_mount(self) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        bindings = [b for b in getattr(self.screen, "BINDINGS", []) if isinstance(b, Binding) and b.show]
        bindings += [Binding("ctrl+p", "command_palette", "Palette"), Binding("ctrl+q", "quit", "Quit")]
        for binding in bindings:
            key = binding.key_display or binding.key.split(",")[0]
            key = key.replace("ctrl+", "^")
            line.append(f" {key} ", style="bold reverse")
            line.append(f" {binding.description} ")
        self.update(line)
