"""The review's pure rules over regions: what gold already agrees on, what taking a version writes, the majority.

No store and no session here: the `Adjudication` of annotator/adjudication.py calls these with what it read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from annotator.agreement.disagreement import Region, disagreements
from annotator.decision_log import (
    NOTHING,
)
from annotator.model import Span
from annotator.store import ADJUDICATED
from annotator.workspace import FINISHED, first_not_finished


def region_json(region: Region) -> dict[str, Any]:
    """The region as stored in a decision's payload."""
    return {"layer": region.layer, "start": region.start, "end": region.end}


def compute_regions(
    spans_by_annotator: Mapping[str, Sequence[Span]],
    statuses: Mapping[str, str | None],
    annotators: Sequence[str],
    layer_of: Mapping[str, str],
) -> tuple[list[tuple[int, int, str]], list[Region]]:
    """The agreed spans and the regions of disagreement among the annotators who finished the document.

    Fewer than two finished annotators leave nothing to compare: no agreed spans, no regions.
    """
    finished = [name for name in annotators if statuses.get(name) in FINISHED]
    if len(finished) < 2:
        return [], []
    return disagreements({name: spans_by_annotator.get(name, []) for name in finished}, layer_of)


def seed_spans(
    agreed: Sequence[tuple[int, int, str]], gold: Sequence[Span], gold_has_events: bool, layer_of: Mapping[str, str]
) -> list[tuple[int, int, str]]:
    """The agreed spans to put into gold on the first opening (none once gold has any event).

    An agreed span overlapping a span already in gold's same layer (an imported gold layer) is left out.
    """
    if gold_has_events:
        return []
    return [
        (start, end, label)
        for start, end, label in agreed
        if not any(
            s.start < end and start < s.end and layer_of.get(s.label, s.label) == layer_of.get(label, label)
            for s in gold
        )
    ]


def gold_in(region: Region, gold: Iterable[Span], layer_of: Mapping[str, str]) -> list[Span]:
    """Gold's spans of the region's layer sharing a character with the region, in text order."""
    return sorted(
        (
            s
            for s in gold
            if s.start < region.end and region.start < s.end and layer_of.get(s.label, s.label) == region.layer
        ),
        key=lambda s: (s.start, s.end),
    )


def take_write(
    region: Region, name: str, gold: Iterable[Span], layer_of: Mapping[str, str]
) -> tuple[list[tuple[int, int, str]], list[int]]:
    """What taking `name`'s version writes: (spans to add, gold span ids to remove); both empty when gold
    already holds exactly that version there (the decision is then recorded without a span change)."""
    if name not in region.versions:
        raise ValueError(f"{name} has no version of this region")
    add = [(s.start, s.end, s.label) for s in region.versions[name]]
    present = gold_in(region, gold, layer_of)
    if sorted(add) == sorted((s.start, s.end, s.label) for s in present):
        return [], []
    return add, [s.id for s in present if s.id is not None]


def majority(region: Region, finished: Sequence[str]) -> list[str] | None:
    """The annotators (in `finished` order) sharing the version that at least two thirds of the finished
    annotators gave in the region, or None when no version reaches two thirds.

    Two thirds of n means at least ceil(2n/3) of them: 2 of 3, 3 of 4, 4 of 5 or 6. With two annotators
    a region is a disagreement between both, so it never has a majority.
    """
    groups: dict[tuple[tuple[int, int, str], ...], list[str]] = {}
    for name in finished:
        if name in region.versions:
            version = tuple(sorted((s.start, s.end, s.label) for s in region.versions[name]))
            groups.setdefault(version, []).append(name)
    if not finished or not groups:
        return None
    best = max(groups.values(), key=len)
    return best if 3 * len(best) >= 2 * len(finished) else None


def majority_write(
    regions: Sequence[Region], finished: Sequence[str], gold: Iterable[Span], layer_of: Mapping[str, str]
) -> tuple[list[tuple[int, int, str]], list[int], list[tuple[Region, str]], list[Region]]:
    """What `M` writes for the given (open) regions: (spans to add, gold span ids to remove, (region, choice)
    for every region with a two-thirds version, the regions without one).

    The choice is the first annotator of the majority, or NOTHING when the majority tagged nothing there.
    A region whose majority version gold already holds is decided without a span change.
    """
    gold = list(gold)
    add: list[tuple[int, int, str]] = []
    remove: list[int] = []
    taken: list[tuple[Region, str]] = []
    left: list[Region] = []
    for region in regions:
        names = majority(region, finished)
        if names is None:
            left.append(region)
            continue
        region_add, region_remove = take_write(region, names[0], gold, layer_of)
        add += region_add
        remove += [
            span_id for span_id in region_remove if span_id not in remove
        ]  # a hand-made gold span may reach two regions
        taken.append((region, names[0] if region.versions[names[0]] else NOTHING))
    return add, remove, taken, left


def next_unadjudicated(order: Sequence[str], gold_statuses: Mapping[str, str], after: str | None = None) -> str | None:
    """The first document of the review order not adjudicated, looking after `after` first."""
    return first_not_finished(order, dict(gold_statuses), after, finished=(ADJUDICATED,))
