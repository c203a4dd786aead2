"""Flags in `annotator stats` and the HTML report: open and resolved flags per annotator, the open ones listed.

Plain data in, plain data out (no I/O): the flags come from store.flags(), the texts from the store's
documents. A flag's span text is read from the document by its offsets (the text never changes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

from rich.table import Table

from annotator.report import name_cell
from annotator.store.flags import Flag
from annotator.text.layout import Mode


def flag_counts(flags: Sequence[Flag], names: Sequence[str]) -> dict[str, dict[str, int]]:
    """Annotator → {"open": n, "resolved": m}, for each name asked for (zeros included)."""
    counts = {name: {"open": 0, "resolved": 0} for name in names}
    for flag in flags:
        if flag.annotator in counts:
            counts[flag.annotator]["resolved" if flag.resolved else "open"] += 1
    return counts


def open_flag_rows(flags: Sequence[Flag], names: Sequence[str], text_of: Callable[[str], str]) -> list[dict[str, Any]]:
    """The open flags of the named annotators, in the order raised: document, annotator, offsets, span text
    (None for a flag on the whole article) and note."""
    rows = []
    for flag in flags:
        if flag.resolved or flag.annotator not in names:
            continue
        text = None if flag.start is None or flag.end is None else text_of(flag.document_id)[flag.start : flag.end]
        rows.append(
            {
                "id": flag.id,
                "document": flag.document_id,
                "annotator": flag.annotator,
                "start": flag.start,
                "end": flag.end,
                "text": text,
                "note": flag.note,
            }
        )
    return rows


def add_flags(stats: dict[str, Any], flags: Sequence[Flag], text_of: Callable[[str], str]) -> dict[str, Any]:
    """The stats dict with "flags": {"annotators": name → {"open", "resolved"}, "open": the open flags}."""
    names = list(stats["annotators"])
    stats["flags"] = {"annotators": flag_counts(flags, names), "open": open_flag_rows(flags, names, text_of)}
    return stats


def flag_cells(stats: Mapping[str, Any], name: str) -> list[str]:
    """One annotator's open and resolved flag counts, as table cells."""
    counts = (stats.get("flags") or {}).get("annotators", {}).get(name, {"open": 0, "resolved": 0})
    return [str(counts["open"]), str(counts["resolved"])]


def flag_table(stats: Mapping[str, Any], mode: Mode = "app") -> Table | None:
    """The text output's flags table (None when nobody has raised a flag): open and resolved per annotator."""
    counts = (stats.get("flags") or {}).get("annotators", {})
    if not any(entry["open"] or entry["resolved"] for entry in counts.values()):
        return None
    table = Table(title="flags", title_justify="left")
    table.add_column("annotator")
    table.add_column("open", justify="right")
    table.add_column("resolved", justify="right")
    for name in counts:
        table.add_row(name_cell(name, mode), *flag_cells(stats, name))
    return table


def _note_cell(note: str) -> str:
    """A note's cell: right to left when it holds Arabic letters (the browser lays out the logical order)."""
    arabic = any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in note)
    return f'<td dir="rtl" lang="ar">{escape(note)}</td>' if arabic else f"<td>{escape(note)}</td>"


def flags_html(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The report's open-flags section: a short table, Arabic cells dir="rtl" in logical order."""
    parts = ["<h2>Open flags</h2>"]
    if not rows:
        return [*parts, '<p class="note">No open flag.</p>']
    body = []
    for row in rows:
        target = (
            '<td class="note">article</td>'
            if row["text"] is None
            else f'<td dir="rtl" lang="ar">{escape(row["text"])}</td>'
        )
        body.append(
            f"<tr><td>{escape(row['document'])}</td><td>{escape(row['annotator'])}</td>{target}"
            f"{_note_cell(row['note'])}</tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in ("document", "annotator", "span", "note"))
    return [
        *parts,
        f'<table id="open-flags"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>',
        f'<p class="note">{len(rows)} open; resolve them in review (F, then R) or with `annotator flags --resolve ID`.</p>',
    ]
