"""The `annotator stats` table of suggestions per source (beside lead/tables.py's annotator and label tables)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

SOURCES_NOTE = (
    "per suggestion and annotator who opened its article: accepted = in their final layer; rejected = rejected "
    "with X, another span of theirs there, or the article done without it; pending = still to decide; "
    "precision = accepted / (accepted + rejected)."
)


def percent(value: float | None) -> str:
    """A share as a whole percentage, a dash when there is none."""
    return "–" if value is None else f"{value:.0%}"


def source_table(sources: dict[str, dict[str, Any]]) -> Table:
    """One row per suggestion source: suggestions, documents holding them, accepted, rejected, pending, precision."""
    table = Table(title="suggestions per source", title_justify="left")
    table.add_column("source", overflow="fold", min_width=8)  # a long file name wraps, never cut
    for name in ("suggested", "docs", "accepted", "rejected", "pending", "precision"):
        table.add_column(name, justify="right", overflow="fold")  # headers wrap at narrow widths, numbers stay whole
    for source, entry in sources.items():
        table.add_row(
            escape(source),
            str(entry["suggestions"]),
            str(entry["documents"]),
            str(entry["accepted"]),
            str(entry["rejected"]),
            str(entry["pending"]),
            percent(entry["precision"]),
        )
    return table


def render_sources(stats: dict[str, Any], console: Console | None = None) -> None:
    """Print the sources table and what its columns mean (nothing when no source suggested anything)."""
    if not stats.get("sources"):
        return
    console = console or Console()
    console.print(source_table(stats["sources"]))
    console.print(SOURCES_NOTE)
