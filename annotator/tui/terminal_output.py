"""What reaches the terminal: only the cells a frame changed, and no frame while the link is still busy.

Over SSH every byte the app writes crosses the annotator's link. Two changes to how Textual writes:

- A partial update sends the cells of the regions that changed. Textual's `ChopsUpdate` sends each
  changed line from the start of the widget's piece of that line (its code says "TODO: crop to x
  extents"): a cursor moving at the right end of a right-to-left row resent the whole row. Ours crops
  both ends, and keeps combining marks (harakat) with their base letter, so a mark is never cut off
  its letter nor sent alone.
- When the terminal has not taken the last frame yet (a slow link: the writer thread still has a
  frame queued, or the terminal's buffer is full), the screen does not render another one; what
  changed meanwhile stays marked and goes out in one frame of the latest state once the link is free,
  instead of every intermediate frame queueing behind the others.
"""

from __future__ import annotations

import select
from collections.abc import Callable
from typing import Any

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.control import Control
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate
from textual.app import App
from textual.geometry import Region
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip

_installed = False

MERGE_GAP = 4
"""Changed cells this close on a row are sent as one run: jumping over the gap costs more bytes."""


def strip_cells(strip: Strip) -> list[tuple[str, Style | None]]:
    """The strip's cells, each its text (a character with its combining marks) and style."""
    cells: list[tuple[str, Style | None]] = []
    for text, style, control in strip:
        if control:
            continue
        for char in text:
            width = get_character_cell_size(char)
            if width == 0 and cells:
                previous_text, previous_style = cells[-1]
                cells[-1] = (previous_text + char, previous_style)
            elif width:
                cells.append((char, style))
                cells.extend([("", style)] * (width - 1))
    return cells


def changed_runs(old: Strip, new: Strip) -> list[tuple[int, int]]:
    """The [x0, x1) runs of cells that differ between two renderings of a row, near runs merged."""
    before, after = strip_cells(old), strip_cells(new)
    length = max(len(before), len(after))
    runs: list[tuple[int, int]] = []
    x = 0
    while x < length:
        if x < len(before) and x < len(after) and before[x] == after[x]:
            x += 1
            continue
        start = x
        while x < length and not (x < len(before) and x < len(after) and before[x] == after[x]):
            x += 1
        if runs and start - runs[-1][1] <= MERGE_GAP:
            runs[-1] = (runs[-1][0], x)
        else:
            runs.append((start, x))
    return runs


def changed_regions(
    drawn: dict[int, tuple[object, Strip]], rows: dict[int, tuple[object, Strip]], width: int
) -> list[Region]:
    """Regions to repaint: for each row whose key changed, the cells that differ from what was drawn.

    `drawn` maps a screen row to the key and strip last handed to Textual, `rows` to the key and strip
    it has now; a row never drawn is repainted whole.
    """
    regions: list[Region] = []
    for y, (key, strip) in rows.items():
        shown = drawn.get(y)
        if shown is not None and shown[0] == key:
            continue
        if shown is None:
            regions.append(Region(0, y, width, 1))
            continue
        regions.extend(Region(x0, y, x1 - x0, 1) for x0, x1 in changed_runs(shown[1], strip))
    return regions


def crop_cells(strip: Strip, start: int, end: int) -> Strip:
    """The cells [start, end) of a strip; a zero-width character goes with the cell of its base."""
    segments: list[Segment] = []
    x = 0
    keep = False  # whether the last base character was kept, and so its combining marks are
    for text, style, control in strip:
        if control:
            continue
        kept: list[str] = []
        for char in text:
            width = get_character_cell_size(char)
            if width == 0:
                if keep:
                    kept.append(char)
                continue
            if start <= x and x + width <= end:
                keep = True
                kept.append(char)
            else:
                keep = False
                # a wide character cut by an edge: its cells inside show as blanks
                kept.append(" " * (min(x + width, end) - max(x, start)) if x < end and x + width > start else "")
            x += width
            if x >= end and not keep:
                break
        if any(kept):
            segments.append(Segment("".join(kept), style))
        if x >= end and not keep:
            break
    return Strip(segments)


def render_segments(self: ChopsUpdate, console: Console) -> str:
    """Only the cells of each changed span, each piece preceded by a cursor move to where it starts."""
    sequences: list[str] = []
    append = sequences.append
    move_to = Control.move_to
    chops = self.chops
    chop_ends = self.chop_ends
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        line = chops[y]
        ends = chop_ends[y]
        for end, (x, strip) in zip(ends, line.items()):
            if strip is None or x >= x2 or end <= x1:
                continue
            if x >= x1 and end <= x2:
                append(move_to(x, y).segment.text)
                append(strip.render(console))
                continue
            left = max(x1, x)
            append(move_to(left, y).segment.text)
            append(crop_cells(strip, left - x, min(end, x2) - x).render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def output_backlogged(app: App[Any]) -> bool:
    """Whether the terminal has not yet taken what the app wrote: a frame still queued for the writer
    thread, or the terminal's buffer full (what SSH has not sent yet stays there)."""
    driver = app._driver
    writer = getattr(driver, "_writer_thread", None)
    if writer is None:
        return False  # headless (tests) or not started: nothing to wait for
    queue = getattr(writer, "_queue", None)
    if queue is not None and queue.qsize() > 0:
        return True
    file = getattr(writer, "_file", None)
    if file is None:
        return False
    try:
        _, writable, _ = select.select([], [file], [], 0)
    except (OSError, ValueError, TypeError):
        return False
    return not writable


_screen_update = Screen._on_timer_update


def _on_timer_update(self: Screen[Any]) -> None:
    """Render the next frame, unless the link is still busy with the last: then try again next tick
    (the update timer keeps running), when everything changed meanwhile is drawn at once."""
    if self.is_current and output_backlogged(self.app):
        return
    _screen_update(self)


class ChangedRowsView(ScrollView):
    """A Line API widget whose repaint sends only the cells of the rows that changed.

    A subclass gives `_view_key(base)`, what every row's place on screen depends on (scroll, size,
    style), and `_row(y, base)`, the key of what screen row y shows and a function drawing it. After a
    change it calls `refresh_changed()`: the cells that differ from what was last drawn are repainted,
    or the whole widget when the view itself changed.

    Rows are drawn as `refresh_changed` last computed them, never from the live state: Textual may
    render a row between a change and its refresh (a frame while a write runs in a thread) and send
    only part of it, and the rest of that row would then count as sent when it was not.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._drawn: dict[int, tuple[object, Strip]] = {}  # what Textual was last handed for each row
        self._drawn_view: tuple | None = None  # the view those rows were drawn for
        self._frame: dict[int, tuple[object, Strip]] = {}  # the rows as refresh_changed computed them
        self._frame_view: tuple | None = None
        self._render_view: tuple | None = None  # the view of the frame being rendered

    def _view_key(self, base: Style) -> tuple:
        """What every row's place on screen depends on: rows drawn for another view are all stale."""
        raise NotImplementedError

    def _row(self, y: int, base: Style) -> tuple[object, Callable[[], Strip]]:
        """Screen row y: the key of what it shows and a function that draws it."""
        raise NotImplementedError

    def forget_rows(self) -> None:
        """The next repaint is a whole one (another document, other styles)."""
        self._drawn_view = self._frame_view = None

    def refresh_changed(self) -> None:
        """Repaint the cells whose text or style changed; everything when the view changed."""
        base = self.rich_style
        view = self._view_key(base)
        if not self.size or view != self._drawn_view:
            self._frame_view = None
            self.refresh()
            return
        frame: dict[int, tuple[object, Strip]] = {}
        for y in range(self.scrollable_content_region.height):
            key, draw = self._row(y, base)
            frame[y] = (key, draw())  # a subclass caches strips by key: unchanged rows cost a lookup
        self._frame, self._frame_view = frame, view
        regions = changed_regions(self._drawn, frame, self.scrollable_content_region.width)
        if regions:
            self.refresh(*regions)

    def _begin_rows(self, base: Style) -> None:
        """Before rendering a frame's rows."""
        view = self._view_key(base)
        if view != self._drawn_view:
            self._drawn.clear()
            self._drawn_view = view
        self._render_view = view

    def _end_rows(self) -> None:
        """After rendering a frame's rows."""
        self._render_view = None

    def _row_strip(self, y: int, base: Style) -> Strip:
        """Row y of the frame being rendered, remembered as drawn."""
        computed = (
            self._frame.get(y) if self._render_view is not None and self._render_view == self._frame_view else None
        )
        if computed is None:
            key, draw = self._row(y, base)
            computed = (key, draw())
        self._drawn[y] = computed
        return computed[1]


def install() -> None:
    """Make Textual send only changed cells and skip frames while the link is busy (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    # Textual has no hook for how a frame is written: the two methods are replaced, on purpose.
    ChopsUpdate.render_segments = render_segments  # type: ignore[method-assign]  # deliberate patch, see above
    Screen._on_timer_update = _on_timer_update  # type: ignore[method-assign]  # deliberate patch, see above
