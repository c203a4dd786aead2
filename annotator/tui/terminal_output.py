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
from typing import Any

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.control import Control
from rich.segment import Segment
from textual._compositor import ChopsUpdate
from textual.app import App
from textual.screen import Screen
from textual.strip import Strip

_installed = False


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


def install() -> None:
    """Make Textual send only changed cells and skip frames while the link is busy (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    ChopsUpdate.render_segments = render_segments  # type: ignore[method-assign]
    Screen._on_timer_update = _on_timer_update  # type: ignore[method-assign]
