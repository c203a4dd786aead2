"""The whole report on generated data against independent implementations, plus hand-made cases."""

from __future__ import annotations

import math
import warnings
from collections import Counter
from itertools import combinations
from typing import Any

import krippendorff
import numpy as np
import pytest
from reference import LAYERS, layer_spans, naive_f1, shared_documents, units
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa
from synthetic import Synthetic, generate

from annotator.agreement.data import build_data
from annotator.agreement.report import compute_report, reading
from annotator.model import DEFAULT_LABELS, Document, Span

TOL = 1e-9


def report_of(syn: Synthetic, names: list[str] | None = None, by_document: bool = False) -> dict[str, Any]:
    data = build_data(
        names or syn.annotators, [(d.id, d.title, d.text) for d in syn.documents], syn.done, syn.spans, DEFAULT_LABELS
    )
    return compute_report(data, by_document=by_document)


def close(ours: float | None, theirs: float | None) -> bool:
    if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        return ours is None
    return ours is not None and abs(ours - theirs) < TOL


def package_alpha(rows: list[list[float]]) -> float | None:
    data = np.array(rows, dtype=float)
    present = data[~np.isnan(data)]
    if np.unique(present).size < 2:
        return None
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


CASES = [
    dict(seed=1),
    dict(seed=2, annotators=("amal", "badr")),
    dict(seed=3, annotators=("amal", "badr", "dina", "hadi"), done_rate=0.6),
    dict(seed=4, noise=0.6, n_docs=10),
    dict(seed=5, noise=0.0, done_rate=1.0),
    dict(seed=6, density=0.02, n_docs=4),
]


@pytest.mark.parametrize("case", CASES, ids=[str(c) for c in CASES])
def test_report_matches_independent_implementations(case: dict[str, Any]) -> None:
    syn = generate(**case)
    names = syn.annotators
    report = report_of(syn)
    shared = shared_documents(syn, names)
    assert report["annotators"] == names and report["documents"] == len(shared)
    assert len(shared) >= 3, "the generator should give shared documents"
    for layer, labels in LAYERS.items():
        entry = report["layers"][layer]
        cats = ["O", *labels]
        us = units(syn, names, layer)
        # Krippendorff's alpha over every shared document, missing annotators as NaN
        rows = [[float(cats.index(u[n])) if n in u else math.nan for u in us] for n in names]
        assert close(entry["krippendorff_alpha"], package_alpha(rows))
        for c, label in enumerate(labels, start=1):
            binary = [[float(v == c) if not math.isnan(v) else math.nan for v in row] for row in rows]
            assert close(entry["labels"][label]["krippendorff_alpha"], package_alpha(binary)), label
        # Fleiss over the documents everyone did
        complete = [u for u in us if len(u) == len(names)]
        if len(names) < 3 or not complete:
            assert entry["fleiss_kappa"] is None
        else:
            table, _ = aggregate_raters(np.array([[cats.index(u[n]) for n in names] for u in complete]))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                assert close(entry["fleiss_kappa"], float(fleiss_kappa(table)))
        # pairs: Cohen's kappa and span F1
        confusion: Counter[tuple[str, str]] = Counter()
        assert [(p["a"], p["b"]) for p in entry["pairs"]] == list(combinations(names, 2))
        for pair in entry["pairs"]:
            a, b = pair["a"], pair["b"]
            both = [u for u in us if a in u and b in u]
            docs = {d for d in shared if d in syn.done[a] and d in syn.done[b]}
            assert pair["documents"] == len(docs)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                kappa = cohen_kappa_score([u[a] for u in both], [u[b] for u in both]) if both else math.nan
            assert close(pair["cohen_kappa"], float(kappa))
            confusion.update((u[a], u[b]) for u in both if (u[a], u[b]) != ("O", "O"))
            sa, sb = layer_spans(syn, a, layer, docs), layer_spans(syn, b, layer, docs)
            exact, overlap = naive_f1(sa, sb)
            assert close(pair["span_f1_exact"], exact) and close(pair["span_f1_overlap"], overlap)
            for label in labels:
                exact, overlap = naive_f1([s for s in sa if s[3] == label], [s for s in sb if s[3] == label])
                assert close(pair["labels"][label]["span_f1_exact"], exact)
                assert close(pair["labels"][label]["span_f1_overlap"], overlap)
        assert {(c["a_label"], c["b_label"]): c["count"] for c in entry["confusion"]} == dict(confusion)
        counts = [c["count"] for c in entry["confusion"]]
        assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize("case", CASES, ids=[str(c) for c in CASES])
def test_every_measure_states_its_scope(case: dict[str, Any]) -> None:
    syn = generate(**case)
    names = syn.annotators
    report = report_of(syn)
    shared = shared_documents(syn, names)
    complete = [d for d in shared if all(d in syn.done[n] for n in names)]
    texts = {d.id: d.text for d in syn.documents}
    assert report["complete_documents"] == len(complete)
    for layer in LAYERS:
        us = units(syn, names, layer)
        scope = report["layers"][layer]["scope"]
        alpha, fleiss, alpha_u = scope["krippendorff_alpha"], scope["fleiss_kappa"], scope["alpha_u"]
        assert (alpha["documents"], alpha["annotators"], alpha["units"]) == (len(shared), names, "tokens")
        assert alpha["unit_count"] == len(us)
        assert (fleiss["documents"], fleiss["annotators"], fleiss["units"]) == (len(complete), names, "tokens")
        assert fleiss["unit_count"] == sum(1 for u in us if len(u) == len(names))
        assert (alpha_u["documents"], alpha_u["units"]) == (len(complete), "characters")
        assert alpha_u["unit_count"] == sum(len(texts[d]) for d in complete)
        for measure in ("span_f1", "cohen_kappa", "confusion"):
            assert scope[measure]["documents"].startswith("per pair: the documents both did")
        assert scope["span_f1"]["units"] == "spans" and scope["cohen_kappa"]["units"] == "tokens"
        assert "against all the others" in scope["labels"]


def test_json_shape_and_no_nan() -> None:
    report = report_of(generate(8), by_document=True)
    assert set(report) == {"annotators", "documents", "layers", "by_document", "complete_documents", "units"}
    assert set(report["units"]) == {"tokens", "spans", "characters"}
    assert set(report["layers"]) == {"entity", "quote"}
    for layer, entry in report["layers"].items():
        assert set(entry) == {"pairs", "fleiss_kappa", "krippendorff_alpha", "alpha_u", "labels", "confusion", "scope"}
        assert set(entry["scope"]) == {
            "span_f1",
            "cohen_kappa",
            "fleiss_kappa",
            "krippendorff_alpha",
            "alpha_u",
            "labels",
            "confusion",
        }
        assert set(entry["labels"]) == set(LAYERS[layer])
        for measures in entry["labels"].values():
            assert set(measures) == {"krippendorff_alpha", "alpha_u"}
        for pair in entry["pairs"]:
            assert set(pair) == {"a", "b", "documents", "span_f1_exact", "span_f1_overlap", "cohen_kappa", "labels"}
            for measures in pair["labels"].values():
                assert set(measures) == {"span_f1_exact", "span_f1_overlap"}
        for cell in entry["confusion"]:
            assert set(cell) == {"a_label", "b_label", "count"}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        else:
            assert value is None or isinstance(value, (str, int, float))
            assert not (isinstance(value, float) and math.isnan(value))
            assert type(value).__module__ == "builtins"

    walk(report)


TEXT = "قال السوداني إن داعش في الأنبار"
# tokens: قال 0-3, السوداني 4-12, إن 13-15, داعش 16-20, في 21-23, الأنبار 24-31


def one_doc(
    spans: list[tuple[str, int, int, str]],
    done: tuple[str, ...] = ("a", "b"),
    names: tuple[str, ...] = ("a", "b"),
    text: str = TEXT,
) -> dict[str, Any]:
    syn = Synthetic(
        documents=[Document("d1", "t", text)],
        spans=[Span("d1", who, s, e, label) for who, s, e, label in spans],
        done={name: ({"d1"} if name in done else set()) for name in names},
        annotators=list(names),
    )
    return report_of(syn, by_document=True)


def test_hand_computed_two_annotators() -> None:
    report = one_doc(
        [
            ("a", 4, 12, "actor"),
            ("b", 4, 12, "actor"),  # exact match
            ("a", 16, 20, "actor"),
            ("b", 16, 20, "place"),  # label disagreement
            ("a", 24, 31, "place"),
            ("b", 26, 31, "place"),  # boundary: ال left out by b
            ("a", 0, 31, "quote"),
        ]
    )
    entity = report["layers"]["entity"]
    pair = entity["pairs"][0]
    assert pair["span_f1_exact"] == pytest.approx(2 * 1 / 6)
    # overlap: b's actor-4 hits, b's place(16) misses, b's place(26) hits → P = 2/3; R likewise 2/3
    assert pair["span_f1_overlap"] == pytest.approx(2 / 3)
    assert pair["labels"]["actor"] == {"span_f1_exact": pytest.approx(2 / 3), "span_f1_overlap": pytest.approx(2 / 3)}
    assert pair["labels"]["place"]["span_f1_exact"] == pytest.approx(2 * 0 / 3)
    assert pair["labels"]["place"]["span_f1_overlap"] == pytest.approx(2 * 0.5 * 1 / 1.5)
    assert pair["labels"]["figure"] == {"span_f1_exact": None, "span_f1_overlap": None}
    # tokens: a = O actor O actor O place ; b = O actor O place O place (الأنبار: 5 of 7 chars)
    # confusion (non O-O): actor/actor 1, actor/place 1, place/place 1
    assert {(c["a_label"], c["b_label"]): c["count"] for c in entity["confusion"]} == {
        ("actor", "actor"): 1,
        ("actor", "place"): 1,
        ("place", "place"): 1,
    }
    # Cohen: agree on 5 of 6; a marg O3 actor2 place1, b marg O3 actor1 place2
    po, pe = 5 / 6, (3 * 3 + 2 * 1 + 1 * 2) / 36
    assert pair["cohen_kappa"] == pytest.approx((po - pe) / (1 - pe))
    assert entity["fleiss_kappa"] is None  # two annotators
    quote = report["layers"]["quote"]
    assert quote["pairs"][0]["span_f1_exact"] == 0.0 and quote["pairs"][0]["span_f1_overlap"] == 0.0
    assert quote["pairs"][0]["cohen_kappa"] == pytest.approx(0.0)  # a all quote, b all O
    assert quote["krippendorff_alpha"] is not None and quote["krippendorff_alpha"] < 0
    lines = reading(report)
    assert any(line.startswith("place boundaries disagree") for line in lines)
    assert any("actor and place are confused on 1 token." == line for line in lines)


def test_null_cases() -> None:
    # nobody tagged anything: every measure undefined, no crash
    report = one_doc([])
    for entry in report["layers"].values():
        assert entry["krippendorff_alpha"] is None and entry["alpha_u"] is None and entry["confusion"] == []
        assert all(
            v is None for pair in entry["pairs"] for k, v in pair.items() if k not in ("a", "b", "documents", "labels")
        )
    assert report["by_document"][0]["score"] == 1.0
    # only one annotator did the document: nothing to compare
    report = one_doc([("a", 0, 3, "actor")], done=("a",))
    assert report["documents"] == 0 and report["layers"]["entity"]["pairs"][0]["documents"] == 0
    assert report["layers"]["entity"]["krippendorff_alpha"] is None
    assert reading(report)[0].startswith("No document was marked done")
    # an empty text
    report = one_doc([], text="")
    assert report["documents"] == 1 and report["layers"]["entity"]["pairs"][0]["cohen_kappa"] is None
    # three annotators but no document all three did: Fleiss and alpha_u are null
    report = one_doc([("a", 0, 3, "actor"), ("b", 0, 3, "actor")], done=("a", "b"), names=("a", "b", "c"))
    assert report["layers"]["entity"]["fleiss_kappa"] is None and report["layers"]["entity"]["alpha_u"] is None
    assert report["layers"]["entity"]["krippendorff_alpha"] == 1.0
    # perfect agreement on one label: alpha 1, alpha_u 1
    report = one_doc([("a", 0, 3, "actor"), ("b", 0, 3, "actor"), ("a", 4, 12, "quote"), ("b", 4, 12, "quote")])
    assert report["layers"]["entity"]["krippendorff_alpha"] == 1.0
    assert report["layers"]["entity"]["labels"]["actor"]["alpha_u"] == 1.0
    assert report["layers"]["entity"]["labels"]["place"]["alpha_u"] is None
    assert report["layers"]["quote"]["alpha_u"] == 1.0


def test_spans_of_documents_not_done_do_not_count() -> None:
    syn = Synthetic(
        documents=[Document(i, "t", TEXT) for i in ("d1", "d2")],
        spans=[
            Span("d1", "a", 0, 3, "actor"),
            Span("d1", "b", 0, 3, "actor"),
            Span("d2", "a", 4, 12, "place"),
            Span("d2", "b", 16, 20, "figure"),
            Span("d2", "c", 4, 12, "place"),
        ],
        done={"a": {"d1", "d2"}, "b": {"d1"}, "c": {"d2"}},
        annotators=["a", "b", "c"],
    )
    report = report_of(syn)
    pairs = {(p["a"], p["b"]): p for p in report["layers"]["entity"]["pairs"]}
    assert pairs[("a", "b")]["documents"] == 1 and pairs[("a", "b")]["span_f1_exact"] == 1.0
    assert pairs[("a", "c")]["documents"] == 1 and pairs[("a", "c")]["span_f1_exact"] == 1.0
    assert pairs[("b", "c")]["documents"] == 0 and pairs[("b", "c")]["span_f1_exact"] is None
