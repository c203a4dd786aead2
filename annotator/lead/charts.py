"""Charts of the HTML report, drawn by matplotlib as inline SVG (text kept as text, no external reference).

matplotlib is the optional extra `report`: it is imported only here, and only when a report is made.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from annotator.agreement.numbers import measure
from annotator.errors import AnnotatorError

MISSING = "the report needs matplotlib: pip install 'annotator[report]'"


class ChartsUnavailable(AnnotatorError):
    """matplotlib is not installed (one line naming the extra)."""


def _figure(width: float, height: float) -> Any:
    """A matplotlib Figure of its own (no pyplot: no global state, no GUI backend)."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ChartsUnavailable(MISSING) from None
    return Figure(figsize=(width, height), layout="constrained")


def svg(figure: Any) -> str:
    """The figure as an <svg> element to put inline in HTML: no XML prolog, DOCTYPE or metadata (they hold URLs)."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "annotator", "font.size": 10}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    return re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", text, count=2)


def progress_chart(names: Sequence[str], done: Sequence[int], in_progress: Sequence[int], total: int) -> str:
    """Horizontal bars: documents done and in progress per annotator, out of the corpus."""
    fig = _figure(7, 0.45 * len(names) + 1.2)
    ax = fig.add_subplot()
    y = list(range(len(names)))
    ax.barh(y, done, color="#2e7d32", label="done")
    ax.barh(y, in_progress, left=done, color="#f9a825", label="in progress")
    ax.set_yticks(y, labels=list(names))
    ax.invert_yaxis()
    ax.set_xlim(0, max(total, 1))
    ax.set_xlabel(f"documents (of {total})")
    fig.legend(loc="outside upper right", ncols=2, frameon=False)
    return svg(fig)


def bars(
    groups: Sequence[str],
    series: dict[str, Sequence[float | None]],
    ylabel: str,
    limits: tuple[float, float] | None = None,
) -> str:
    """Grouped vertical bars: one group per name, one bar per series (None drawn as nothing)."""
    fig = _figure(7, 3.2)
    ax = fig.add_subplot()
    width = 0.8 / max(len(series), 1)
    for i, (label, values) in enumerate(series.items()):
        xs = [g + (i - (len(series) - 1) / 2) * width for g in range(len(groups))]
        ax.bar(xs, [0 if v is None else v for v in values], width=width, label=label)
    ax.set_xticks(
        range(len(groups)),
        labels=list(groups),
        rotation=30 if len(groups) > 6 else 0,
        ha="right" if len(groups) > 6 else "center",
    )
    ax.set_ylabel(ylabel)
    if limits:
        ax.set_ylim(*limits)
    ax.axhline(0, color="black", linewidth=0.6)
    if len(series) > 1:
        fig.legend(loc="outside upper right", ncols=len(series), frameon=False, fontsize=8)
    return svg(fig)


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    label: str,
    integer: bool = False,
    limits: tuple[float, float] | None = None,
) -> str:
    """A heatmap with every value written in its cell (empty cells for None)."""
    import numpy as np

    data = np.array([[np.nan if v is None else float(v) for v in row] for row in values], dtype=float)
    fig = _figure(0.75 * len(columns) + 2.6, 0.55 * len(rows) + 1.4)
    ax = fig.add_subplot()
    shown = np.ma.masked_invalid(data)
    low, high = limits if limits else (0.0, float(np.nanmax(data)) if np.isfinite(data).any() else 1.0)
    image = ax.imshow(shown, cmap="viridis", vmin=low, vmax=max(high, low + 1e-9), aspect="auto")
    ax.set_xticks(range(len(columns)), labels=list(columns), rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), labels=list(rows))
    for i in range(len(rows)):
        for j in range(len(columns)):
            if not np.isnan(data[i, j]):
                value = data[i, j]
                text = f"{int(value)}" if integer else measure(float(value))
                bright = (value - low) / max(high - low, 1e-9) > 0.6
                ax.text(j, i, text, ha="center", va="center", fontsize=8, color="black" if bright else "white")
    fig.colorbar(image, ax=ax, label=label, shrink=0.8)
    return svg(fig)


def strip_chart(names: Sequence[str], minutes: dict[str, list[float]]) -> str:
    """Minutes per done article for each annotator: a box per annotator with every article as a dot."""
    fig = _figure(7, 3.2)
    ax = fig.add_subplot()
    data = [minutes.get(name, []) for name in names]
    positions = [i + 1 for i, values in enumerate(data) if values]
    if positions:
        ax.boxplot([values for values in data if values], positions=positions, widths=0.5, showfliers=False)
    for i, values in enumerate(data, start=1):
        ax.plot([i] * len(values), values, "o", alpha=0.6, color="#1f6feb", markersize=4)
    ax.set_xticks(range(1, len(names) + 1), labels=list(names))
    ax.set_xlim(0.5, len(names) + 0.5)
    ax.set_ylabel("active minutes per done article")
    return svg(fig)
