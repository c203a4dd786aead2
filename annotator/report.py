"""Rich tables for the command line."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from annotator.status import status_word
from annotator.text.display import display_line
from annotator.text.layout import Mode

STATUS_CELL = len("in progress 000")


def name_cell(text: str, mode: Mode = "app") -> str:
    """A name or label for a table cell, whole: in visual order in app mode (an Arabic annotator's name
    reads right on a terminal without bidi), as stored in terminal mode; markup escaped, controls shown."""
    return escape(display_line(text, max(len(text) * 2, 2), mode))


def _cell(doc: dict[str, Any], name: str) -> str:
    """An annotator's cell: status and span count, then `+N?` for the suggestions still pending for them."""
    entry = doc["annotators"].get(name)
    cell = "" if entry is None else f"{status_word(entry['status'])} {entry['spans']}"
    pending = doc.get("pending", {}).get(name, 0)
    if pending:  # suggestions are no spans: shown apart, as what is left to accept or reject
        cell = f"{cell or status_word(None)} +{pending}?"
    return cell


def docs_table(overview: list[dict[str, Any]], mode: Mode = "app", console: Console | None = None) -> None:
    """Print every document with its status and span count per annotator.

    mode app: titles shaped and in visual order, for a terminal that does no bidi; terminal: in logical
    order (the stored text), for a pipe, a file or a terminal that does bidi itself.
    """
    console = console or Console()
    annotators = sorted({name for doc in overview for name in [*doc["annotators"], *doc.get("pending", {})]})
    widths = {name: max([len(name), STATUS_CELL] + [len(_cell(doc, name)) for doc in overview]) for name in annotators}
    id_width = max([len(doc["id"]) for doc in overview] + [2])
    fixed = (len(str(len(overview))) + 3) + (id_width + 3) + (7 + 3)
    fixed += sum(widths[name] + 3 for name in annotators) + 1
    if fixed > console.width:
        _stacked_table(console, overview, annotators, mode)
        return
    title_width = console.width - fixed - 4
    with_title = title_width >= 12  # a narrow terminal drops the title rather than wrap every row
    table = Table(title=f"{len(overview)} documents")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("id", no_wrap=True, min_width=id_width)
    if with_title:
        table.add_column("title", justify="right", no_wrap=True, min_width=title_width, max_width=title_width)
    table.add_column("chars", justify="right", no_wrap=True, min_width=5)
    for name in annotators:
        table.add_column(name_cell(name, mode), no_wrap=True, justify="right", min_width=widths[name])
    for i, doc in enumerate(overview, start=1):
        cells = [str(i), escape(doc["id"])]
        if with_title:
            cells.append(escape(display_line(doc["title"], title_width, mode)))
        cells.append(str(doc["length"]))
        cells += [_cell(doc, name) for name in annotators]
        table.add_row(*cells)
    console.print(table)
    if annotators:
        console.print(
            "each annotator's status of the article (as the annotation screen shows it), then the number of spans; "
            "+N? = suggestions still waiting for that annotator's accept or reject"
        )


def _stacked_table(console: Console, overview: list[dict[str, Any]], annotators: list[str], mode: Mode) -> None:
    """Too many annotators for one row per document: one row per document and annotator, nothing cut."""
    table = Table(title=f"{len(overview)} documents, {len(annotators)} annotators")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("id", overflow="fold")
    table.add_column("annotator", overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column("spans", justify="right", no_wrap=True)
    table.add_column("pending", justify="right", no_wrap=True)
    for i, doc in enumerate(overview, start=1):
        shown = [name for name in annotators if name in doc["annotators"] or doc.get("pending", {}).get(name)]
        for k, name in enumerate(shown):
            entry = doc["annotators"].get(name) or {"status": None, "spans": 0}
            pending = doc.get("pending", {}).get(name, 0)
            table.add_row(
                str(i) if k == 0 else "",
                escape(doc["id"]) if k == 0 else "",
                name_cell(name, mode),
                status_word(entry["status"]),
                str(entry["spans"]),
                f"+{pending}?" if pending else "",
                end_section=k == len(shown) - 1,
            )
        if not shown:
            table.add_row(str(i), escape(doc["id"]), "", status_word(None), "0", "", end_section=True)
    console.print(table)
    console.print(
        "one row per article and annotator: too many annotators for one row per article at this width; "
        "pending = suggestions still waiting for that annotator's accept or reject"
    )
