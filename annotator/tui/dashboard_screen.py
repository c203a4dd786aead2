"""The dashboard: the figures of `annotator stats` (and agreement per layer) as terminal bars, kept fresh.

Rich bars rather than a plotting widget: a bar is one line of block characters, cheap to repaint over
SSH and readable at 80 columns, and it needs no dependency beyond Rich. The figures come from
annotator.lead.data (the same computation as `annotator stats`) and annotator.agreement's report,
read in a worker thread every REFRESH_S seconds: the event loop never reads the database.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from annotator.lead.dashboard_data import read_dashboard
from annotator.store import Store
from annotator.text.display import display_line
from annotator.tui.arabic_keys import with_arabic_layout

REFRESH_S = 3.0
"""Seconds between two reads of the figures while the dashboard is open."""
BAR_WIDTH = 30
BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: float, total: float, width: int = BAR_WIDTH, style: str = "green") -> Text:
    """A horizontal bar of value out of total, in eighths of a cell, padded to width."""
    filled = 0.0 if total <= 0 else max(0.0, min(1.0, value / total)) * width
    whole, eighths = int(filled), int((filled - int(filled)) * 8)
    blocks = "█" * whole + (BLOCKS[eighths] if eighths and whole < width else "")
    text = Text(blocks, style=style)
    text.append("·" * (width - len(blocks)), style="dim")
    return text


def progress_bar(done: int, in_progress: int, total: int, width: int = BAR_WIDTH) -> Text:
    """Done (green) then in progress (yellow), out of the corpus, in whole cells."""
    if total <= 0:
        return Text("·" * width, style="dim")
    green = round(done / total * width)
    yellow = min(width - green, round(in_progress / total * width))
    text = Text("█" * green, style="green")
    text.append("█" * yellow, style="yellow")
    text.append("·" * (width - green - yellow), style="dim")
    return text


def number(value: float | None) -> str:
    """An agreement figure with two decimals, a dash when there is none."""
    return "–" if value is None else f"{value:.2f}"


def render_dashboard(data: dict[str, Any], width: int, mode: str = "app") -> RenderableType:
    """The dashboard's charts for a terminal `width` cells wide (names of annotators, labels and layers laid
    out like article text: a project may name its labels in Arabic)."""
    stats = data["stats"]
    bar_width = max(10, min(BAR_WIDTH, (width - 40) // 2))
    parts: list[RenderableType] = []
    total = stats["documents"]

    heading = Text(f"progress ({total} articles): ", style="bold")
    heading.append("█ done", style="green")
    heading.append(" ")
    heading.append("█ in progress", style="yellow")
    progress = Table.grid(padding=(0, 1))
    for _ in range(3):
        progress.add_column()
    for name, entry in stats["annotators"].items():
        progress.add_row(
            Text(display_line(name, 14, mode)),
            progress_bar(entry["documents_done"], entry["documents_in_progress"], total, bar_width),
            Text(f"{entry['documents_done']} done, {entry['documents_in_progress']} in progress"),
        )
    if not stats["annotators"]:
        progress.add_row(Text("no annotator has started yet", style="dim"))
    parts += [heading, progress, Text()]
    flags = data.get("open_flags", {})
    if flags:
        each = ", ".join(f"{display_line(name, 14, mode)} {count}" for name, count in sorted(flags.items()))
        parts += [
            Text(
                f"⚑ {sum(flags.values())} open flags ({each}) — `annotator flags --open` lists them",
                style="bold yellow",
            ),
            Text(),
        ]
    else:
        parts += [Text("⚑ no open flags", style="dim"), Text()]

    labels = Table.grid(padding=(0, 1))
    for _ in range(3):
        labels.add_column()
    sums = {label: sum(entry["annotators"].values()) for label, entry in stats["labels"].items()}
    biggest = max(sums.values(), default=0)
    for label, entry in stats["labels"].items():
        each = " · ".join(f"{display_line(name, 14, mode)} {count}" for name, count in entry["annotators"].items())
        labels.add_row(
            Text(display_line(label, 14, mode)),
            bar(sums[label], biggest, bar_width, "cyan"),
            Text(f"{sums[label]} ({each}{' · ' if each else ''}gold {entry['gold']})"),
        )
    parts += [
        Text("spans per label (all annotators; each one's count and gold's beside it)", style="bold"),
        labels,
        Text(),
    ]

    agreement = data["agreement"]
    if agreement is None:
        parts.append(Text(f"agreement: {data['agreement_note']}", style="dim"))
    else:
        table = Table.grid(padding=(0, 1))
        parts.append(
            Text(
                f"agreement per layer ({len(agreement['annotators'])} annotators, {agreement['documents']} "
                f"articles done by two or more; {agreement['complete_documents']} by all)",
                style="bold",
            )
        )
        for _ in range(4):
            table.add_column()
        for layer, entry in agreement["layers"].items():
            for measure, key in (
                ("Fleiss κ", "fleiss_kappa"),
                ("Krippendorff α", "krippendorff_alpha"),
                ("α_u", "alpha_u"),
            ):
                value = entry.get(key)
                table.add_row(
                    Text(display_line(layer, 14, mode)),
                    Text(measure),
                    bar(value or 0.0, 1.0, bar_width, "magenta"),
                    Text(number(value)),
                )
        parts.append(table)
    return Group(*parts)


class DashboardScreen(Screen[None]):
    """Progress, labels and agreement as bars; refreshed every `refresh` seconds from a worker thread."""

    BINDINGS: ClassVar[list[BindingType]] = with_arabic_layout(
        [
            Binding("escape,q", "close", "Close", id="dashboard.close"),
            Binding("r", "reload", "Refresh now", id="dashboard.reload"),
        ]
    )
    DEFAULT_CSS = """
    DashboardScreen #dashboard-title { height: 1; background: $panel; padding: 0 1; }
    DashboardScreen #dashboard-body { height: 1fr; padding: 0 1; }
    """

    def __init__(self, store: Store, *, mode: str = "app", refresh: float = REFRESH_S) -> None:
        super().__init__()
        self.store = store
        self.mode = mode
        self.refresh_every = refresh
        self.data: dict[str, Any] | None = None
        self.error = ""
        self.read_at = ""
        self.shown: RenderableType = ""
        """What the body shows now."""
        self._reading = False

    def compose(self) -> ComposeResult:
        yield Static(Text(" dashboard — reading…"), id="dashboard-title")
        with VerticalScroll(id="dashboard-body"):
            yield Static(id="dashboard")
        yield Static(Text(" q/Esc close · r refresh now", style="dim"), id="dashboard-keys")

    def on_mount(self) -> None:
        self.run_worker(self.reload(), group="dashboard")
        self.set_interval(self.refresh_every, self.action_reload)

    def action_reload(self) -> None:
        """Read the figures again (in a worker thread), unless a read is still running."""
        if not self._reading:
            self.run_worker(self.reload(), group="dashboard")

    async def reload(self) -> None:
        """Read the figures off the event loop, then repaint."""
        if self._reading:
            return
        self._reading = True
        try:
            self.data = await asyncio.to_thread(read_dashboard, self.store)
            self.error, self.read_at = "", time.strftime("%H:%M:%S")
        except Exception as exc:  # a locked or closed database: say so and keep the last figures
            self.error = f"not refreshed: {exc}"
        finally:
            self._reading = False
        self.repaint()

    def on_resize(self) -> None:
        self.repaint()

    def repaint(self) -> None:
        """Draw the last figures read."""
        if not self.is_mounted:
            return
        title = Text(" dashboard ", style="bold reverse")
        title.append(f"  read at {self.read_at or '–'} · again every {self.refresh_every:g} s")
        if self.error:
            title.append(f"  {self.error}", style="bold red")
        self.query_one("#dashboard-title", Static).update(title)
        if self.data is not None:
            self.shown = render_dashboard(self.data, self.size.width, self.mode)
            self.query_one("#dashboard", Static).update(self.shown)

    def action_close(self) -> None:
        """Back to the screen below, or leave the app when the dashboard is all there is."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()
