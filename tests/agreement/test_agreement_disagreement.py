"""disagreements(): the spans everyone agrees on and the regions to adjudicate."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from reference import LAYER_OF

from annotator.agreement.disagreement import Region, disagreements
from annotator.model import Span


def s(who: str, start: int, end: int, label: str) -> Span:
    return Span("d", who, start, end, label)


def test_agreed_and_regions() -> None:
    spans = {
        "a": [s("a", 0, 5, "actor"), s("a", 10, 15, "place"), s("a", 20, 25, "actor"), s("a", 0, 40, "quote")],
        "b": [
            s("b", 0, 5, "actor"),
            s("b", 11, 15, "place"),
            s("b", 20, 25, "figure"),
            s("b", 0, 40, "quote"),
            s("b", 30, 33, "place"),
        ],
    }
    agreed, regions = disagreements(spans, LAYER_OF)
    assert agreed == [(0, 5, "actor"), (0, 40, "quote")]
    assert [(r.start, r.end, r.layer) for r in regions] == [(10, 15, "entity"), (20, 25, "entity"), (30, 33, "entity")]
    assert regions[0].versions == {"a": [spans["a"][1]], "b": [spans["b"][1]]}
    assert regions[2].versions == {"a": [], "b": [spans["b"][4]]}


def test_a_region_is_a_maximal_run_of_overlapping_spans() -> None:
    # a: [0,4) [6,10)   b: [2,8)  → one region 0..10; c adds nothing there
    spans = {
        "a": [s("a", 0, 4, "actor"), s("a", 6, 10, "actor"), s("a", 10, 12, "place")],
        "b": [s("b", 2, 8, "actor"), s("b", 10, 12, "place")],
        "c": [s("c", 10, 12, "place")],
    }
    agreed, regions = disagreements(spans, LAYER_OF)
    assert agreed == [(10, 12, "place")]
    assert regions == [Region(0, 10, "entity", {"a": spans["a"][:2], "b": spans["b"][:1], "c": []})]


def test_a_span_not_everyone_has_is_a_region() -> None:
    spans = {"a": [s("a", 0, 5, "actor")], "b": [s("b", 0, 5, "actor")], "c": []}
    agreed, regions = disagreements(spans, LAYER_OF)
    assert agreed == [] and len(regions) == 1 and regions[0].versions["c"] == []


def test_layers_are_separate_and_edge_cases() -> None:
    # a quote containing an entity is no conflict; touching spans do not overlap
    spans = {
        "a": [s("a", 0, 10, "quote"), s("a", 2, 4, "actor"), s("a", 4, 6, "place")],
        "b": [s("b", 0, 10, "quote"), s("b", 2, 4, "actor"), s("b", 4, 6, "place")],
    }
    assert disagreements(spans, LAYER_OF) == ([(0, 10, "quote"), (2, 4, "actor"), (4, 6, "place")], [])
    assert disagreements({}, LAYER_OF) == ([], [])
    assert disagreements({"a": [s("a", 1, 2, "actor")]}, LAYER_OF) == ([(1, 2, "actor")], [])
    agreed, regions = disagreements({"a": [s("a", 1, 2, "odd")], "b": []}, LAYER_OF)
    assert agreed == [] and regions[0].layer == "odd"


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_properties_on_random_layers(seed: int, n: int) -> None:
    rng = random.Random(seed)
    names = [f"n{i}" for i in range(n)]
    base = []
    pos = 0
    while pos < 60:
        start = pos + rng.randint(0, 4)
        end = start + rng.randint(1, 6)
        base.append((start, end, rng.choice(["actor", "place"])))
        pos = end
    spans: dict[str, list[Span]] = {}
    for name in names:
        mine: list[tuple[int, int, str]] = []
        for start, end, label in base:
            roll = rng.random()
            if roll < 0.15:
                continue
            if roll < 0.3:
                end = max(start + 1, end - 1)
            elif roll < 0.4:
                label = "figure"
            mine.append((start, end, label))
        spans[name] = [s(name, a, b, c) for a, b, c in mine]
    agreed, regions = disagreements(spans, LAYER_OF)
    everyone = set.intersection(*({(x.start, x.end, x.label) for x in spans[nm]} for nm in names))
    assert set(agreed) == everyone
    # every span is either agreed or in exactly one region; regions are disjoint and not all-equal
    for name in names:
        for span in spans[name]:
            inside = [r for r in regions if span in r.versions[name]]
            assert len(inside) == ((span.start, span.end, span.label) not in everyone)
            for r in inside:
                assert r.start <= span.start and span.end <= r.end
    for first, second in zip(regions, regions[1:]):
        assert first.end <= second.start
    for region in regions:
        keys = [sorted((x.start, x.end, x.label) for x in region.versions[nm]) for nm in names]
        assert any(k != keys[0] for k in keys)


def test_nested_regions_come_outer_first_in_text_order() -> None:
    # a quote region holding entity regions, one starting where the quote starts: Tab walks them in this order
    spans = {
        "a": [s("a", 0, 30, "quote"), s("a", 0, 5, "actor"), s("a", 10, 14, "place")],
        "b": [s("b", 0, 29, "quote"), s("b", 0, 5, "place"), s("b", 9, 14, "place")],
    }
    _, regions = disagreements(spans, LAYER_OF)
    assert [(r.layer, r.start, r.end) for r in regions] == [("quote", 0, 30), ("entity", 0, 5), ("entity", 9, 14)]
