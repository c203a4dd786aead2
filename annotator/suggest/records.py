"""What a suggestion source produces, and the counts the `suggest` command prints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple


class Suggestion(NamedTuple):
    """A proposed span [start, end) of one document: offsets into its stored text, never a span itself."""

    start: int
    end: int
    label: str
    source: str
    score: float | None = None


class Summary(NamedTuple):
    """How many suggestions each label and each document received."""

    by_label: dict[str, int]
    by_document: dict[str, int]
    total: int


def summarise(per_document: Mapping[str, Sequence[Suggestion]], labels: Iterable[str] = ()) -> Summary:
    """Counts per label (the given labels first, each shown even at 0) and per document (in the given order)."""
    by_label: Counter[str] = Counter({name: 0 for name in labels})
    by_document: dict[str, int] = {}
    for document, suggestions in per_document.items():
        by_document[document] = len(suggestions)
        by_label.update(suggestion.label for suggestion in suggestions)
    return Summary(dict(by_label), by_document, sum(by_document.values()))


def summary_lines(summary: Summary) -> list[str]:
    """The summary as the command prints it: one line per label, then one per document."""
    width = max((len(name) for name in [*summary.by_label, *summary.by_document]), default=0)
    lines = [f"{summary.total} suggestions in {len(summary.by_document)} documents"]
    lines += [f"  {name:<{width}}  {count}" for name, count in summary.by_label.items()]
    lines += [f"  {name:<{width}}  {count}" for name, count in summary.by_document.items()]
    return lines
