"""The footer: the screen's main keys on one line, drawn as one strip (no per-key widgets, no markup);
and TextLine, a one-row Static (status line, title) that repaints only the cells whose text or style
changed."""

from __future__ import annotations

from rich.cells import cell_len
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

from annotator.tui.help_screen import key_label
from annotator.tui.terminal_output import changed_runs

KEY = Style(bold=True, reverse=True)


HELP_ACTION = "help"
"""The binding that opens help: the key bar never drops it, whatever the width (help lists every key)."""

DROP_FIRST = ("command_palette", "quit", "documents", "find", "next_disagreement", "undo", "remove")
"""Actions whose keys go first when the bar is too narrow, in this order; then the others from the end
(the label keys and Done stay longest)."""


class KeyBar(Widget):
    """Shows each shown binding of the screen as `key description`.

    When the terminal is too narrow for all of them, whole entries are dropped (DROP_FIRST, then from the
    end: the screen lists its main keys first), never the help key; … marks that some were dropped.
    """

    DEFAULT_CSS = """
    KeyBar { height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[tuple[str, str]] = []
        self.drop_order: list[int] = []  # indices into keys, the first dropped first; help is not in it

    def on_mount(self) -> None:
        bindings = [b for b in getattr(self.screen, "BINDINGS", []) if isinstance(b, Binding) and b.show]
        bindings += [Binding("ctrl+p", "command_palette", "Palette"), Binding("ctrl+q", "quit", "Quit")]
        keymap: dict[str, str] = getattr(self.app, "keymap", {})  # the user's remapped keys (annotator/keymap.py)
        self.keys = [
            (
                (
                    key_label(keymap[binding.id].split(",")[0])
                    if binding.id is not None and binding.id in keymap
                    else binding.key_display or binding.key.split(",")[0]
                ).replace("ctrl+", "^"),
                binding.description,
            )
            for binding in bindings
        ]
        actions = [binding.action for binding in bindings]
        first = [actions.index(action) for action in DROP_FIRST if action in actions]
        rest = [i for i in reversed(range(len(actions))) if i not in first and actions[i] != HELP_ACTION]
        self.drop_order = first + rest
        self.refresh()

    def shown_keys(self, width: int) -> tuple[list[tuple[str, str]], bool]:
        """The entries that fit in width cells, in order, and whether any were dropped.

        Entries are dropped in drop_order (one … cell marks it) until the rest fit; then the room left is
        given back to dropped entries that fit it, the last dropped first.
        """
        costs = [cell_len(f" {key} ") + cell_len(f" {description} ") for key, description in self.keys]
        kept = set(range(len(self.keys)))
        dropped = 0
        while sum(costs[i] for i in kept) + (1 if dropped else 0) > width and dropped < len(self.drop_order):
            kept.discard(self.drop_order[dropped])
            dropped += 1
        room = width - 1 - sum(costs[i] for i in kept)
        for i in reversed(
            self.drop_order[: max(dropped - 1, 0)]
        ):  # a shorter entry dropped before may fit the room left
            if costs[i] <= room:
                kept.add(i)
                room -= costs[i]
        return [self.keys[i] for i in sorted(kept)], len(kept) < len(self.keys)

    def render_line(self, y: int) -> Strip:
        """The one line of keys."""
        base = self.rich_style
        width = self.size.width
        keys, dropped = self.shown_keys(width)
        segments: list[Segment] = []
        for key, description in keys:
            segments.append(Segment(f" {key} ", base + KEY))
            segments.append(Segment(f" {description} ", base))
        if dropped:
            segments.append(Segment("…", base))
        strip = Strip(segments)
        if strip.cell_length > width > 0:  # even the pinned keys alone do not fit
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

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        """Refresh, except the whole-widget refresh Static.update asks for while update diffs the row."""
        if self._quiet:
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _strip(self, width: int) -> Strip:
        """The row the current content draws at this width (text alignment and style included)."""
        strips = Visual.to_strips(self, self.visual, width, 1, self.visual_style)
        return strips[0] if strips else Strip.blank(width)
