"""Rich tables for the command line."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from annotator.text.display import display_line


def docs_table(overview: list[dict[str, Any]]) -> None:
    """Print every document with its status and span count per annotator."""
    annotators = sorted({name for doc in overview for name in doc["annotators"]})
    table = Table(title=f"{len(overview)} documents")
    table.add_column("#", justify="right")
    table.add_column("id", no_wrap=True)
    table.add_column("title", justify="right", max_width=28, no_wrap=True)
    table.add_column("chars", justify="right", no_wrap=True)
    for name in annotators:
        table.add_column(escape(name))
    for i, doc in enumerate(overview, start=1):
        cells = [str(i), escape(doc["id"]), escape(display_line(doc["title"], 28)), str(doc["length"])]
        for name in annotators:
            entry = doc["annotators"].get(name)
            cells.append("" if entry is None else f"{(entry['status'] or '-').replace('_', ' ')} ({entry['spans']})")
        table.add_row(*cells)
    Console().print(table)
