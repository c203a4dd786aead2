"""Rich tables of an agreement report."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from annotator.agreement.report import reading
from annotator.text.display import display_line


def fmt(value: float | None) -> str:
    """A measure with two decimals, a dash when undefined."""
    return "–" if value is None else f"{value:.2f}"


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def layer_tables(layer: str, entry: dict[str, Any]) -> list[Table]:
    """The pair, label and confusion tables of one layer."""
    pairs = Table(
        title=f"{layer}: Fleiss κ {fmt(entry['fleiss_kappa'])} · Krippendorff α {fmt(entry['krippendorff_alpha'])}"
        f" · α_u {fmt(entry['alpha_u'])}",
        title_justify="left",
    )
    for name in ("pair", "documents", "exact F1", "overlap F1", "Cohen κ"):
        pairs.add_column(name, justify="left" if name == "pair" else "right")
    for pair in entry["pairs"]:
        pairs.add_row(
            f"{escape(pair['a'])} – {escape(pair['b'])}", str(pair["documents"]),
            fmt(pair["span_f1_exact"]), fmt(pair["span_f1_overlap"]), fmt(pair["cohen_kappa"]),
        )
    labels = Table(title=f"{layer}: labels", title_justify="left")
    for name in ("label", "α", "α_u", "exact F1", "overlap F1"):
        labels.add_column(name, justify="left" if name == "label" else "right")
    for label, measures in entry["labels"].items():
        labels.add_row(
            escape(label), fmt(measures["krippendorff_alpha"]), fmt(measures["alpha_u"]),
            fmt(_mean([p["labels"][label]["span_f1_exact"] for p in entry["pairs"]])),
            fmt(_mean([p["labels"][label]["span_f1_overlap"] for p in entry["pairs"]])),
        )
    tables = [pairs, labels]
    if entry["confusion"]:
        names = ["O", *entry["labels"]]
        cells = {(c["a_label"], c["b_label"]): c["count"] for c in entry["confusion"]}
        confusion = Table(title=f"{layer}: tokens, first of a pair ↓ against second →", title_justify="left")
        confusion.add_column("")
        for name in names:
            confusion.add_column(escape(name), justify="right")
        for a in names:
            confusion.add_row(escape(a), *(str(cells[(a, b)]) if (a, b) in cells else "" for b in names))
        tables.append(confusion)
    return tables


def document_table(entries: list[dict[str, Any]], layers: list[str]) -> Table:
    """The documents worst first."""
    table = Table(title="documents, worst first", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("document")
    table.add_column("title", justify="right", max_width=40, no_wrap=True)
    table.add_column("score", justify="right")
    for layer in layers:
        table.add_column(f"{layer} exact F1", justify="right")
        table.add_column(f"{layer} α", justify="right")
    for rank, entry in enumerate(entries, start=1):
        cells = [str(rank), escape(entry["document"]), escape(display_line(entry["title"], 40)), fmt(entry["score"])]
        for layer in layers:
            measures = entry["layers"][layer]
            cells += [fmt(measures["span_f1_exact"]), fmt(measures["krippendorff_alpha"])]
        table.add_row(*cells)
    return table


def render_report(report: dict[str, Any], console: Console | None = None) -> None:
    """Print the report as tables followed by its plain-language reading."""
    console = console or Console()
    console.print(
        f"Agreement of {', '.join(escape(a) for a in report['annotators'])} "
        f"on {report['documents']} document{'s' if report['documents'] != 1 else ''} done by at least two of them."
    )
    if report["documents"]:
        for layer, entry in report["layers"].items():
            for table in layer_tables(layer, entry):
                console.print(table)
        if "by_document" in report:
            console.print(document_table(report["by_document"], list(report["layers"])))
    for line in reading(report):
        console.print(escape(line))
