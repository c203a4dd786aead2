"""Where annotators disagree on one document: the spans all agree on, and the regions they do not."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from annotator.model import Span


@dataclass(frozen=True)
class Region:
    """A maximal run of overlapping spans of one layer on which the annotators do not all agree."""

    start: int
    end: int
    layer: str
    versions: dict[str, list[Span]] = field(default_factory=dict)
    """Each annotator's spans in the region, in text order (empty when they tagged nothing there)."""


def disagreements(
    spans_by_annotator: Mapping[str, Sequence[Span]], layer_of: Mapping[str, str]
) -> tuple[list[tuple[int, int, str]], list[Region]]:
    """(start, end, label) present identically in every annotator, and the regions of disagreement.

    Spans are grouped per layer into maximal runs of overlapping spans (of any annotator); a run
    where every annotator has exactly the same spans is agreed, any other run is a Region. A
    label missing from layer_of counts as a layer of its own.
    """
    names = list(spans_by_annotator)
    by_layer: dict[str, list[tuple[int, int, str, Span]]] = {}
    for name in names:
        for span in spans_by_annotator[name]:
            layer = layer_of.get(span.label, span.label)
            by_layer.setdefault(layer, []).append((span.start, span.end, name, span))
    agreed: list[tuple[int, int, str]] = []
    regions: list[Region] = []
    for layer, items in by_layer.items():
        items.sort(key=lambda item: (item[0], item[1]))
        run: list[tuple[int, int, str, Span]] = []
        reach = 0
        for item in items:
            if run and item[0] >= reach:
                _settle(run, names, layer, agreed, regions)
                run = []
            if not run:
                reach = item[1]
            run.append(item)
            reach = max(reach, item[1])
        _settle(run, names, layer, agreed, regions)
    agreed.sort()
    regions.sort(key=lambda region: (region.start, -region.end, region.layer))  # an outer region before those inside it
    return agreed, regions


def _settle(
    run: list[tuple[int, int, str, Span]],
    names: list[str],
    layer: str,
    agreed: list[tuple[int, int, str]],
    regions: list[Region],
) -> None:
    """File one run of overlapping spans as agreed spans or as a Region."""
    if not run:
        return
    versions: dict[str, list[Span]] = {name: [] for name in names}
    for _start, _end, name, span in run:
        versions[name].append(span)
    keys = [sorted((s.start, s.end, s.label) for s in versions[name]) for name in names]
    if all(key == keys[0] for key in keys[1:]):
        agreed.extend(keys[0])
        return
    start = min(item[0] for item in run)
    end = max(item[1] for item in run)
    regions.append(Region(start, end, layer, versions))
