"""Rich tables of an agreement report."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from annotator.agreement.numbers import measure
from annotator.agreement.report import reading
from annotator.report import name_cell
from annotator.text.layout import Mode, layout_paragraph


def fmt(value: float | None) -> str:
    """A measure with two decimals, a dash when undefined."""
    return measure(value)


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


README_SECTION = "README.md, section “Agreement and adjudication”"
"""Where each measure is defined in one line."""


def _docs(count: int) -> str:
    return f"{count} doc{'s' if count != 1 else ''}"


def scope_lines(report: dict[str, Any]) -> list[str]:
    """What the measures were computed on, one line each (the same for every layer)."""
    scope = next(iter(report["layers"].values()))["scope"]
    names = len(report["annotators"])
    alpha = scope["krippendorff_alpha"]
    return [
        "What each measure covers (definitions: " + README_SECTION + "):",
        "· pairs — span F1 (spans), Cohen κ and the confusion table (tokens): each pair on the documents both "
        "did (the documents column).",
        f"· Krippendorff α: all {_docs(alpha['documents'])}, {names} annotators, {alpha['unit_count']:,} tokens; "
        "an annotator who did not do a document is missing data there.",
        _complete_line(scope, names),
        "· tokens: whole words, each labelled by the span covering most of its characters (O when none).",
        "· per label: that label against all the others of its layer.",
    ]


def _everyone(names: int) -> str:
    return "both annotators" if names == 2 else f"all {names} annotators"


def _complete_line(scope: dict[str, Any], names: int) -> str:
    """The scope of Fleiss' κ and α_u: the documents every annotator did."""
    complete = scope["alpha_u"]
    everyone = _everyone(names)
    if complete["documents"] == 0:
        return f"· Fleiss κ and α_u: no document was done by {everyone}, so both are undefined (–)."
    fleiss = "" if names >= 3 else " (Fleiss κ needs three or more annotators)"
    return (
        f"· Fleiss κ and α_u: only the {_docs(complete['documents'])} {everyone} did "
        f"({scope['fleiss_kappa']['unit_count']:,} tokens; α_u on {complete['unit_count']:,} characters){fleiss}."
    )


def layer_tables(layer: str, entry: dict[str, Any], mode: Mode = "app") -> list[RenderableType]:
    """The pair, label and confusion tables of one layer, each after a line saying what it shows."""
    scope = entry["scope"]
    all_docs, complete = _docs(scope["krippendorff_alpha"]["documents"]), _docs(scope["alpha_u"]["documents"])
    headline = Text(
        f"{layer}: Fleiss κ {fmt(entry['fleiss_kappa'])} ({complete}) · Krippendorff α "
        f"{fmt(entry['krippendorff_alpha'])} ({all_docs}) · α_u {fmt(entry['alpha_u'])} ({complete})"
    )
    pairs = Table()
    for name in ("pair", "documents", "exact F1", "overlap F1", "Cohen κ"):
        if name == "pair":
            pairs.add_column(name, overflow="fold")
        else:
            pairs.add_column(name, justify="right", no_wrap=True, min_width=4)
    for pair in entry["pairs"]:
        pairs.add_row(
            f"{name_cell(pair['a'], mode)} – {name_cell(pair['b'], mode)}",
            str(pair["documents"]),
            fmt(pair["span_f1_exact"]),
            fmt(pair["span_f1_overlap"]),
            fmt(pair["cohen_kappa"]),
        )
    labels_headline = Text(
        f"{layer}: per label (that label against the rest; α on {all_docs}, α_u on {complete}, F1 the mean over pairs)"
    )
    labels = Table()
    for name in ("label", "α", "α_u", "exact F1", "overlap F1"):
        if name == "label":
            labels.add_column(name, overflow="fold")
        else:
            labels.add_column(name, justify="right", no_wrap=True, min_width=4)
    for label, measures in entry["labels"].items():
        labels.add_row(
            escape(label),
            fmt(measures["krippendorff_alpha"]),
            fmt(measures["alpha_u"]),
            fmt(_mean([p["labels"][label]["span_f1_exact"] for p in entry["pairs"]])),
            fmt(_mean([p["labels"][label]["span_f1_overlap"] for p in entry["pairs"]])),
        )
    tables: list[RenderableType] = [headline, pairs, labels_headline, labels]
    if entry["confusion"]:
        names = ["O", *entry["labels"]]
        cells = {(c["a_label"], c["b_label"]): c["count"] for c in entry["confusion"]}
        tables.append(Text(f"{layer}: tokens, summed over pairs (rows: the first of a pair, columns: the second)"))
        confusion = Table()
        confusion.add_column("", overflow="fold")
        for name in names:
            confusion.add_column(escape(name), justify="right", overflow="fold")
        for a in names:
            confusion.add_row(escape(a), *(str(cells[(a, b)]) if (a, b) in cells else "" for b in names))
        tables.append(confusion)
    return tables


TITLE_MIN = 10
"""Below this many cells the title gets no column of its own: it goes under the document id."""


def _title_rows(title: str, width: int, pad: bool = False, mode: Mode = "app") -> list[str]:
    """A title laid out at width, every row of it (never cut); pad: right-aligned by spaces.

    mode app: shaped rows in visual order; terminal: rows in logical order (the stored text).
    """
    flat = " ".join(title.split())
    if not flat:
        return []
    rows = [row.text for row in layout_paragraph(flat, width, mode).rows]
    return [" " * (width - cell_len(row)) + row if pad else row for row in rows]


def document_table(entries: list[dict[str, Any]], layers: list[str], width: int = 80, mode: Mode = "app") -> Table:
    """The documents worst first, fitted to width cells: titles wrap (under the id when narrow), numbers never cut."""
    table = Table()
    # a column costs its width plus 3 cells (padding and a border); a number needs 4 cells, its header its layer name
    numbers = (5 + 3) + sum(2 * (max(4, len(layer)) + 3) for layer in layers)
    rank_width = len(str(len(entries)))
    rest = width - numbers - (rank_width + 3) - 1
    id_width = max([len(e["document"]) for e in entries] + [8])
    separate = rest - (id_width + 3) - 3 >= TITLE_MIN
    table.add_column("#", justify="right", no_wrap=True)
    if separate:
        title_width = min(40, rest - (id_width + 3) - 3)
        table.add_column("document", no_wrap=True)
        table.add_column("title", justify="right", width=title_width, no_wrap=True)
    else:
        stacked_width = max(rest - 3, TITLE_MIN)
        table.add_column("document / title", overflow="fold", width=stacked_width)
    table.add_column("score", justify="right", no_wrap=True, min_width=4)
    for layer in layers:
        table.add_column(f"{escape(layer)}\nF1", justify="right", no_wrap=True, min_width=4)
        table.add_column(f"{escape(layer)}\nα", justify="right", no_wrap=True, min_width=4)
    for rank, entry in enumerate(entries, start=1):
        cells = [str(rank)]
        if separate:
            cells += [escape(entry["document"]), escape("\n".join(_title_rows(entry["title"], title_width, mode=mode)))]
        else:
            cells.append(
                escape("\n".join([entry["document"], *_title_rows(entry["title"], stacked_width, pad=True, mode=mode)]))
            )
        cells.append(fmt(entry["score"]))
        for layer in layers:
            measures = entry["layers"][layer]
            cells += [fmt(measures["span_f1_exact"]), fmt(measures["krippendorff_alpha"])]
        table.add_row(*cells)
    return table


def render_report(report: dict[str, Any], console: Console | None = None, mode: Mode = "app") -> None:
    """Print the report as tables followed by its plain-language reading (titles as document_table's mode)."""
    console = console or Console()
    documents = report["documents"]
    complete = report.get("complete_documents", 0)
    console.print(
        f"Agreement of {', '.join(escape(a) for a in report['annotators'])} "
        f"on {documents} document{'s' if documents != 1 else ''} done by at least two of them"
        + (f" ({complete} done by {_everyone(len(report['annotators']))})." if documents else ".")
    )
    if documents:
        for line in scope_lines(report):
            console.print(escape(line))
        for layer, entry in report["layers"].items():
            for table in layer_tables(layer, entry, mode):
                console.print(table)
        if report.get("speaker"):
            from annotator.agreement.relations import speaker_results, speaker_table

            console.print(speaker_table(speaker_results(report["speaker"])))
        if "by_document" in report:
            console.print("documents, worst first (F1: exact span F1 over pairs; α: Krippendorff's α)")
            console.print(document_table(report["by_document"], list(report["layers"]), console.width, mode))
    for line in reading(report):
        console.print(escape(line))
