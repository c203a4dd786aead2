"""Rich tables of the stats dict, readable at 80 columns with six annotators."""

from __future__ import annotations

from typing import Any, cast

from rich.console import Console, JustifyMethod
from rich.table import Table

from annotator.lead.flag_stats import flag_table
from annotator.lead.stats import MIN_RATE_SECONDS
from annotator.report import name_cell
from annotator.text.layout import Mode


def number(value: float | None, digits: int = 1) -> str:
    """A figure with `digits` decimals, a dash when there is none."""
    return "–" if value is None else f"{value:.{digits}f}"


def duration(seconds: float) -> str:
    """Seconds as h:mm; `<0:01` for under a minute of activity, the time too short for a rate per hour."""
    if 0 < seconds < MIN_RATE_SECONDS:
        # Rounded up it would read 0:01 beside a rate left out (–); rounded down, 0:00 would say nothing was done.
        return "<0:01"
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def annotator_table(stats: dict[str, Any], mode: Mode = "app") -> Table:
    """One row per annotator: documents, spans, lengths, active time and speed."""
    table = Table(title="annotators", title_justify="left")
    for name, justify in (
        ("annotator", "left"),
        ("done", "right"),
        ("in prog.", "right"),
        ("spans", "right"),
        ("mean len", "right"),
        ("active", "right"),
        ("spans/h", "right"),
        ("min/doc", "right"),
    ):
        table.add_column(name, justify=cast(JustifyMethod, justify))
    for name, entry in stats["annotators"].items():
        table.add_row(
            name_cell(name, mode),
            str(entry["documents_done"]),
            str(entry["documents_in_progress"]),
            str(entry["spans"]),
            number(entry["mean_span_length"]),
            duration(entry["active_seconds"]),
            number(entry["spans_per_active_hour"], 0),
            number(entry["median_minutes_per_done_document"]),
        )
    return table


def label_table(stats: dict[str, Any], mode: Mode = "app") -> Table:
    """One row per label: spans per annotator and in gold."""
    table = Table(title="spans per label", title_justify="left")
    table.add_column("label")
    for name in stats["annotators"]:
        table.add_column(name_cell(name, mode), justify="right")
    table.add_column("gold", justify="right")
    for label, entry in stats["labels"].items():
        table.add_row(name_cell(label, mode), *(str(n) for n in entry["annotators"].values()), str(entry["gold"]))
    return table


def render_stats(stats: dict[str, Any], console: Console | None = None, mode: Mode = "app") -> None:
    """Print the stats tables and what their columns mean (names and labels as name_cell's mode)."""
    console = console or Console()
    if not stats["annotators"]:
        documents = stats["documents"]
        console.print(f"{documents} document{'' if documents == 1 else 's'}; no annotator has started yet.")
        return
    console.print(annotator_table(stats, mode))
    console.print(label_table(stats, mode))
    idle = int(stats["idle_gap_seconds"] // 60)
    console.print(
        f"active: h:mm between an annotator's own events, gaps over {idle} minutes not counted; spans/h: spans "
        "their edits made per active hour (– under a minute); min/doc: median active minutes per done article (those with time); "
        "mean len in characters."
    )
    flags = flag_table(stats, mode)
    if flags is not None:
        console.print(flags)
