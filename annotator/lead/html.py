"""`annotator report`: one self-contained HTML page (inline CSS and SVG, no network) for people off the terminal.

Arabic goes into the page in logical order inside `dir="rtl"` elements: the browser does the bidi and
the shaping (the terminal's visual order must never reach it).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from annotator.agreement.numbers import measure
from annotator.lead import charts
from annotator.lead.flag_stats import flag_cells, flags_html
from annotator.lead.tables import duration

STYLE = """
body { font-family: system-ui, "Noto Sans", "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 1100px;
       color: #1b1b1b; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
figure { margin: 1em 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.9em; color: #444; margin-bottom: 0.4em; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td[dir="rtl"] { text-align: right; font-size: 1.05em; }
.note { color: #555; font-size: 0.9em; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 1em; }
"""


def _figure(chart_id: str, caption: str, svg: str) -> str:
    """One chart with its caption, marked by id so tests and readers can find it."""
    return f'<figure id="{chart_id}" class="chart"><figcaption>{escape(caption)}</figcaption>{svg}</figure>'


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table of already escaped cells (cells may carry their own <td> attributes via a leading marker)."""
    out = ["<table><thead><tr>", *(f"<th>{escape(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>")
        for cell in row:
            out.append(cell if cell.startswith("<td") else f"<td>{cell}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _fmt(value: float | None, digits: int = 2) -> str:
    return measure(value, digits)


def _docs(count: int) -> str:
    return f"{count} document{'' if count == 1 else 's'}"


def _rtl(text: str) -> str:
    """A table cell of right-to-left text in logical order: the browser lays it out."""
    return f'<td dir="rtl" lang="ar">{escape(text)}</td>'


def agreement_section(agreement: dict[str, Any] | None, why: str | None) -> list[str]:
    """Agreement per label and per pair (bars, a pairwise κ heatmap) and the label confusion heatmaps."""
    parts = ["<h2>Agreement</h2>"]
    if agreement is None or agreement["documents"] == 0:
        parts.append(f'<p class="note">{escape(why or "No document was done by two annotators yet.")}</p>')
        return parts
    names = agreement["annotators"]
    parts.append(
        f'<p class="note">{len(names)} annotators ({escape(", ".join(names))}) on {_docs(agreement["documents"])} '
        f"done by at least two of them; {agreement['complete_documents']} done by all. Pairs use the documents both "
        "did; Krippendorff's α every document (an annotator who did not do one is missing data); Fleiss' κ and "
        "α_u only the documents all did. Units are whole-word tokens labelled by the span covering most of "
        "them; “per label” is that label against the rest.</p>"
    )
    for layer, entry in agreement["layers"].items():
        scope = entry["scope"]
        parts.append(
            f"<h3>{escape(layer)}</h3><p>Fleiss κ {_fmt(entry['fleiss_kappa'])} "
            f"({_docs(scope['fleiss_kappa']['documents'])}) · Krippendorff α {_fmt(entry['krippendorff_alpha'])} "
            f"({_docs(scope['krippendorff_alpha']['documents'])}) · α_u {_fmt(entry['alpha_u'])} "
            f"({_docs(scope['alpha_u']['documents'])})</p>"
        )
        labels = list(entry["labels"])
        if not entry["confusion"]:
            parts.append(f'<p class="note">No {escape(layer)} span on these documents yet: nothing to chart.</p>')
            continue
        grid = ['<div class="grid">']
        grid.append(
            _figure(
                f"chart-agreement-labels-{layer}",
                f"{layer}: agreement per label (label against the rest)",
                charts.bars(
                    labels,
                    {
                        "Krippendorff α": [entry["labels"][x]["krippendorff_alpha"] for x in labels],
                        "α_u": [entry["labels"][x]["alpha_u"] for x in labels],
                    },
                    "agreement",
                    (min(0.0, *(v or 0 for x in labels for v in entry["labels"][x].values())), 1.0),
                ),
            )
        )
        pairs = entry["pairs"]
        grid.append(
            _figure(
                f"chart-agreement-pairs-{layer}",
                f"{layer}: agreement per pair (documents both did)",
                charts.bars(
                    [f"{p['a']}–{p['b']}" for p in pairs],
                    {
                        "Cohen κ": [p["cohen_kappa"] for p in pairs],
                        "exact span F1": [p["span_f1_exact"] for p in pairs],
                        "overlap span F1": [p["span_f1_overlap"] for p in pairs],
                    },
                    "agreement",
                    (min(0.0, *(p["cohen_kappa"] or 0 for p in pairs)), 1.0),
                ),
            )
        )
        kappa: list[list[float | None]] = [[None for _ in names] for _ in names]
        for p in pairs:
            i, j = names.index(p["a"]), names.index(p["b"])
            kappa[i][j] = kappa[j][i] = p["cohen_kappa"]
        grid.append(
            _figure(
                f"chart-kappa-{layer}",
                f"{layer}: Cohen κ of every pair",
                charts.heatmap(names, names, kappa, "Cohen κ", limits=(0.0, 1.0)),
            )
        )
        categories = ["O", *labels]
        cells = {(c["a_label"], c["b_label"]): c["count"] for c in entry["confusion"]}
        grid.append(
            _figure(
                f"chart-confusion-{layer}",
                f"{layer}: tokens by label, first annotator of a pair (rows) against the second (columns), "
                "summed over pairs",
                charts.heatmap(
                    categories,
                    categories,
                    [[cells.get((a, b)) for b in categories] for a in categories],
                    "tokens",
                    integer=True,
                ),
            )
        )
        grid.append("</div>")
        parts += grid
    return parts + speaker_section(agreement.get("speaker"))


def speaker_section(entry: dict[str, Any] | None) -> list[str]:
    """Who said it: per pair, F1 of the (quote, speaker) pairs over the quotes both annotated, exact and by overlap."""
    if not entry or not entry["pairs"]:
        return []
    from annotator.agreement.relations import SCOPE

    rows = [
        [
            escape(f"{p['a']} · {p['b']}"),
            str(p["documents"]),
            f"{p['exact']['shared_quotes']} / {p['overlap']['shared_quotes']}",
            f"{p['exact']['a_pairs']}/{p['exact']['b_pairs']}",
            _fmt(p["exact"]["f1"]),
            _fmt(p["overlap"]["f1"]),
        ]
        for p in entry["pairs"]
    ]
    return [
        '<h3 id="speaker-agreement">Who said it: speaker links</h3>',
        _table(
            ["pair", "documents", "shared quotes exact / overlap", "pairs A/B exact", "F1 exact", "F1 overlap"], rows
        ),
        f'<p class="note">{escape(SCOPE)}</p>',
    ]


SLOWEST = 20
"""The time-per-article table lists this many articles, the slowest; one line sums up the rest."""


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def time_table(
    minutes: dict[str, dict[str, float]], titles: dict[str, str], names: Sequence[str], limit: int = SLOWEST
) -> list[str]:
    """The slowest `limit` done articles (by mean active minutes over the annotators timed on them), and a
    line summing up the others, so the page stays short however large the corpus."""
    per_doc: dict[str, list[float]] = {}
    for n in names:
        for doc_id, value in minutes.get(n, {}).items():
            per_doc.setdefault(doc_id, []).append(value)
    if not per_doc:
        return []
    position = {doc_id: i for i, doc_id in enumerate(titles)}
    ranked = sorted(per_doc, key=lambda d: (-_mean(per_doc[d]), position.get(d, len(position))))
    shown, rest = ranked[:limit], ranked[limit:]
    rows = [
        [
            escape(doc_id),
            _rtl(titles.get(doc_id, "")),
            _fmt(_mean(per_doc[doc_id]), 1),
            *(_fmt(minutes.get(n, {}).get(doc_id), 1) for n in names),
        ]
        for doc_id in shown
    ]
    head = (
        f"The {len(shown)} slowest of {len(ranked)} timed done articles"
        if rest
        else (f"All {len(ranked)} timed done articles" if len(ranked) > 1 else "The one timed done article")
    ) + ", slowest first (minutes)."
    out = [
        f'<p class="note" id="time-table-note">{escape(head)}</p>',
        _table(["document", "title", "mean", *names], rows),
    ]
    if rest:
        means = sorted(_mean(per_doc[d]) for d in rest)
        out.append(
            f'<p class="note" id="time-table-rest">{len(rest)} more article{"" if len(rest) == 1 else "s"} not listed: '
            f"{_fmt(means[0], 1)}–{_fmt(means[-1], 1)} minutes each, {_fmt(sum(means), 0)} minutes in all "
            "(mean over their annotators).</p>"
        )
    return out


def sources_section(sources: dict[str, dict[str, Any]]) -> list[str]:
    """Suggestions per source: accepted, rejected, pending and precision against the final layers."""
    if not sources:
        return []
    from annotator.lead.source_table import SOURCES_NOTE, percent

    rows = [
        [
            escape(source),
            str(e["suggestions"]),
            str(e["documents"]),
            str(e["accepted"]),
            str(e["rejected"]),
            str(e["pending"]),
            percent(e["precision"]),
        ]
        for source, e in sources.items()
    ]
    return [
        "<h2>Suggestions</h2>",
        _table(["source", "suggestions", "articles", "accepted", "rejected", "pending", "precision"], rows),
        f'<p class="note">Counted {escape(SOURCES_NOTE)}</p>',
    ]


def build_html(
    stats: dict[str, Any],
    agreement: dict[str, Any] | None,
    minutes: dict[str, dict[str, float]],
    titles: dict[str, str],
    *,
    agreement_note: str | None = None,
    generated: str = "",
) -> str:
    """The whole page: progress, agreement, label distribution, time per article."""
    names = list(stats["annotators"])
    entries = stats["annotators"]
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Annotation report</title><style>{STYLE}</style></head><body>",
        "<h1>Annotation report</h1>",
        f'<p class="note">{stats["documents"]} documents · {len(names)} annotators · '
        f"{stats['gold_documents']} adjudicated{' · ' + escape(generated) if generated else ''}</p>",
        "<h2>Progress</h2>",
    ]
    if names:
        parts.append(
            _figure(
                "chart-progress",
                "documents done and in progress per annotator",
                charts.progress_chart(
                    names,
                    [entries[n]["documents_done"] for n in names],
                    [entries[n]["documents_in_progress"] for n in names],
                    stats["documents"],
                ),
            )
        )
        parts.append(
            _table(
                [
                    "annotator",
                    "done",
                    "in progress",
                    "spans",
                    "mean span length",
                    "active (h:mm)",
                    "spans per active hour",
                    "median minutes per done article",
                    "flags open",
                    "flags resolved",
                ],
                [
                    [
                        escape(n),
                        str(entries[n]["documents_done"]),
                        str(entries[n]["documents_in_progress"]),
                        str(entries[n]["spans"]),
                        _fmt(entries[n]["mean_span_length"], 1),
                        escape(duration(entries[n]["active_seconds"])),
                        _fmt(entries[n]["spans_per_active_hour"], 0),
                        _fmt(entries[n]["median_minutes_per_done_document"], 1),
                        *flag_cells(stats, n),
                    ]
                    for n in names
                ],
            )
        )
        parts.append(
            f'<p class="note">Active time comes from the event log: the gaps between an annotator\'s own actions, '
            f"a gap over {int(stats['idle_gap_seconds'] // 60)} minutes counted as a break.</p>"
        )
        parts += flags_html((stats.get("flags") or {}).get("open", []))
    else:
        parts.append('<p class="note">No annotator has started yet.</p>')
    parts += agreement_section(agreement, agreement_note)
    if not names:
        parts.append("</body></html>")
        return "\n".join(parts)
    parts.append("<h2>Labels</h2>")
    labels = list(stats["labels"])
    series: dict[str, Sequence[float | None]] = {
        n: [stats["labels"][x]["annotators"][n] for x in labels] for n in names
    }
    series["gold"] = [stats["labels"][x]["gold"] for x in labels]
    parts.append(
        _figure("chart-labels", "spans per label, per annotator and in gold", charts.bars(labels, series, "spans"))
    )
    parts += sources_section(stats.get("sources") or {})
    parts.append("<h2>Time per article</h2>")
    done_minutes = {n: list(minutes.get(n, {}).values()) for n in names}
    parts.append(
        _figure(
            "chart-time",
            "active minutes per done article (each dot an article)",
            charts.strip_chart(names, done_minutes),
        )
    )
    parts += time_table(minutes, titles, names)
    parts.append("</body></html>")
    return "\n".join(parts)
