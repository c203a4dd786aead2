"""What the review screen draws besides the article: its header and the panel of annotators' versions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from annotator.agreement.disagreement import Region
from annotator.model import Span
from annotator.text.display import display_line

TEXT_ROWS_MIN = 12
"""The article keeps at least this many rows; the panel shrinks (border, then packed versions) to leave them."""
ROOMY_HEIGHT = 30
"""From this terminal height on, the panel has its border line."""
WIDE = 110
"""From this terminal width on, the panel says things in full."""


def annotator_names(names: list[str], room: int, mode: str = "app") -> Text:
    """`1 ali  2 mona ...`: every annotator with their number, names cut (with …) to fit `room` cells if they must.

    A name is never cut below one letter and its number: at worst the line is wider than `room`.
    """

    def line(cut: int | None) -> Text:
        text = Text()
        for number, name in enumerate(names, start=1):
            shown = display_line(name, cut or 200, mode)  # laid out and sanitised, … when cut
            text.append(f"{number} ", style="bold")
            text.append(f"{shown} ", style="bold")
        return text

    longest = max((len(name) for name in names), default=0)
    for cut in [None, *range(longest - 1, 1, -1)]:
        text = line(cut)
        if text.cell_len <= room:
            return text
    return line(2)


def review_header(
    *,
    width: int,
    position: int,
    total: int,
    done: int,
    regions: int,
    still_open: int,
    annotators: list[str],
    title: str,
    read_only: bool,
    mode: str,
) -> Text:
    """The review's title line: place, documents adjudicated, every annotator numbered, disagreements open."""

    def parts(wide: bool) -> tuple[Text, Text]:
        head = Text()
        head.append(" review → gold " if wide else " review ", style="bold reverse")
        if read_only:
            head.append(" read-only ", style="bold white on dark_red")
        head.append(
            f"  document {position}/{total} (worst first)  ·  {done} adjudicated  ·  "
            if wide
            else f" {position}/{total} · {done} adj. · "
        )
        tail = Text(" · ")
        tail.append(
            f"open {still_open} of {regions}" if wide else f"open {still_open}/{regions}",
            style="bold red" if still_open else "bold green",
        )
        if wide:
            tail.append(f" disagreement{'s' if regions != 1 else ''}")
        tail.append("  ")
        return head, tail

    head, tail = parts(wide=True)
    if head.cell_len + annotator_names(annotators, 10**6, mode).cell_len + tail.cell_len >= width:
        head, tail = parts(wide=False)
    # Every annotator is named (their digit takes their version), abbreviated as much as the width needs.
    names = annotator_names(annotators, width - head.cell_len - tail.cell_len - 1, mode)
    line = head + names + tail
    if width - line.cell_len - 1 >= 4:
        line.append(display_line(title, width - line.cell_len - 1, mode))
    return line


def panel_lines(
    *,
    region: Region,
    index: int,
    regions: int,
    choice: str | None,
    annotators: list[str],
    text: str,
    gold: Sequence[Span],
    styles: Mapping[str, Style],
    width: int,
    mode: str,
) -> list[Text]:
    """Each annotator's version of the region, the gold there now, and its decision (`choice`, None: open)."""
    head = Text()
    wide = width >= WIDE
    head.append(
        f" {'disagreement ' if wide else ''}{index + 1}/{regions} ({region.layer}, {region.start}-{region.end})",
        style="bold",
    )
    if choice is None:
        head.append("  open", style="bold red")
    else:
        head.append(f"  decided: {choice}", style="bold green")
    if wide:
        head.append(f"  ·  digits here = annotators: 1..{len(annotators)} take that version · x: nothing")
    else:
        head.append(f" · digits here = annotators 1..{len(annotators)} · x nothing")
    versions: list[Text] = []
    for number, name in enumerate(annotators, start=1):
        line = Text()
        shown = display_line(name, 12, mode)  # sanitised and cut like the header's names
        line.append(f" {number} {shown}{' ' * max(0, 12 - len(shown))} ", style="bold")
        if name not in region.versions:
            line.append("(did not finish this document)", style="dim")
        elif not region.versions[name]:
            line.append("nothing", style="dim")
        for i, span in enumerate(region.versions.get(name, [])):
            if i:
                line.append("  ·  ")
            line.append(f"{span.label} ", style=styles.get(span.label, ""))
            line.append(display_line(text[span.start : span.end], 30, mode))
            line.append(f" [{span.start}-{span.end}]", style="dim")
        versions.append(line)
    now = Text()
    now.append(" gold now     ", style="bold")
    now.append(
        ", ".join(f"{s.label} {display_line(text[s.start : s.end], 30, mode)} [{s.start}-{s.end}]" for s in gold)
        or "nothing"
    )
    return [head, *versions, now]


def fit_panel(panel: Static, lines: list[Text], size: tuple[int, int], pack: tuple[int, int] | None = None) -> None:
    """Show the lines in a panel only as tall as they need, leaving the text at least TEXT_ROWS_MIN rows.

    When that leaves too few rows, the border goes first, then the version lines (lines[pack[0]:pack[1]])
    are put two to a line, so every annotator's version stays on screen.
    """
    width, height = size
    room = max(2, height - 3 - TEXT_ROWS_MIN) if height else len(lines) + 1  # title, status line, key bar
    border = len(lines) + 1 <= room and height >= ROOMY_HEIGHT
    if not border and len(lines) > room and pack is not None:
        first, last = pack
        versions = lines[first:last]
        paired = [Text(" │ ").join(versions[i : i + 2]) for i in range(0, len(versions), 2)]
        lines = lines[:first] + paired + lines[last:]
    panel.styles.border_top = ("solid", "#2f4f6f") if border else ("none", "#2f4f6f")
    panel.styles.height = len(lines) + (1 if border else 0)
    width = max(10, width - 1)
    for line in lines:  # one row each: a wrapped line would push the last versions out of the panel
        line.no_wrap = True
        line.truncate(width, overflow="ellipsis")
    panel.update(Text("\n", no_wrap=True).join(lines))
