"""Krippendorff's unitizing α against a slow reference written from the published formula.

Reference: Krippendorff, K. (2004) Content Analysis, 2nd ed., §11.6 / (1995) "On the reliability
of unitizing contiguous data", Sociological Methodology 25: every observer's continuum is cut into
segments (units of category c and the gaps between them); D_o(c) sums δ² over every ordered pair
of observers and every pair of their segments; D_e(c) is the 2004 expected disagreement. The
overall α_u is 1 − mean D_o / mean D_e over the categories that occur, as DKPro Agreement's
KrippendorffAlphaUnitizingAgreement.calculateAgreement computes it. Exact arithmetic with Fractions.
"""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import LAYER_OF, LAYERS
from synthetic import generate

from annotator.agreement.data import build_data
from annotator.agreement.report import compute_report
from annotator.agreement.unitizing import alpha_by_group, unitizing_alpha, unitizing_by_group
from annotator.model import DEFAULT_LABELS

Unit = tuple[int, int, int, str]  # rater, start, end, category


def segments(units: list[Unit], rater: int, category: str, length: int) -> list[tuple[int, int, bool]]:
    """One observer's continuum for a category: (begin, end, is_unit) covering [0, length)."""
    own = sorted((s, e) for r, s, e, c in units if r == rater and c == category)
    out, pos = [], 0
    for s, e in own:
        if s > pos:
            out.append((pos, s, False))
        out.append((s, e, True))
        pos = e
    if pos < length:
        out.append((pos, length, False))
    return out


def delta2(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
    """Krippendorff's δ² between a segment of one observer and a segment of another."""
    (bg, eg, unit_g), (bh, eh, unit_h) = g, h
    if unit_g and unit_h and bg < eh and bh < eg:
        return (bg - bh) ** 2 + (eg - eh) ** 2
    if unit_g and not unit_h and bh <= bg and eg <= eh:
        return (eg - bg) ** 2
    if unit_h and not unit_g and bg <= bh and eh <= eg:
        return (eh - bh) ** 2
    return 0


def reference(units: list[Unit], m: int, length: int, categories: list[str]) -> tuple[dict, dict, dict, float | None]:
    """(D_o, D_e, α_u per category, overall α_u) by the book."""
    observed, expected, alpha = {}, {}, {}
    for c in categories:
        segs = {i: segments(units, i, c, length) for i in range(m)}
        total = sum(delta2(g, h) for i in range(m) for j in range(m) if i != j for g in segs[i] for h in segs[j])
        observed[c] = Fraction(total, m * (m - 1) * length * length)
        all_units = [g for i in range(m) for g in segs[i] if g[2]]
        all_gaps = [g for i in range(m) for g in segs[i] if not g[2]]
        n_c = len(all_units)
        numerator = Fraction(0)
        for b, e, _ in all_units:
            l = e - b
            numerator += Fraction((n_c - 1) * (2 * l**3 - 3 * l**2 + l), 3)
            numerator += l * l * sum(ge - gb - l + 1 for gb, ge, _ in all_gaps if ge - gb >= l)
        denominator = m * length * (m * length - 1) - sum((e - b) * (e - b - 1) for b, e, _ in all_units)
        expected[c] = Fraction(2, length) * numerator / denominator
        alpha[c] = None if not all_units or expected[c] == 0 else 1 - observed[c] / expected[c]
    present = [c for c in categories if any(u[3] == c for u in units)]
    overall = None
    if present:
        mean_e = sum(expected[c] for c in present) / len(present)
        overall = None if mean_e == 0 else 1 - (sum(observed[c] for c in present) / len(present)) / mean_e
    return observed, expected, alpha, overall


def ours(units: list[Unit], m: int, length: int, categories: list[str]):
    index = {c: i for i, c in enumerate(categories)}
    arr = lambda k: np.array([u[k] for u in units], dtype=np.int64)  # noqa: E731
    return unitizing_alpha(
        arr(0), arr(1), arr(2), np.array([index[u[3]] for u in units], dtype=np.int64), m, length, len(categories)
    )


def test_delta_matches_dkpro_distance_examples() -> None:
    # Krippendorff (2004: 252) as in DKPro's Krippendorff2004Test: (begin, length) pairs
    seg = lambda b, n, unit: (b, b + n, unit)  # noqa: E731
    assert delta2(seg(225, 70, True), seg(220, 80, True)) == 50
    assert delta2(seg(370, 30, True), seg(355, 20, True)) == 850
    assert delta2(seg(400, 50, False), seg(400, 20, True)) == 400
    assert delta2(seg(5, 6, True), seg(4, 2, True)) == 26
    assert delta2(seg(5, 6, True), seg(6, 4, True)) == 2


def test_krippendorff_2004_example() -> None:
    # Content Analysis (2004: 254): continuum 150..450, two observers, categories c and k.
    units = [
        (0, 225, 295, "c"),
        (0, 370, 400, "c"),
        (1, 220, 300, "c"),
        (1, 355, 375, "c"),
        (1, 400, 420, "c"),
        (0, 180, 240, "k"),
        (0, 300, 350, "k"),
        (1, 180, 240, "k"),
        (1, 300, 350, "k"),
    ]
    units = [(r, s - 150, e - 150, c) for r, s, e, c in units]
    result = ours(units, 2, 300, ["c", "k"])
    observed, expected, alpha, overall = reference(units, 2, 300, ["c", "k"])
    # the published figures (rounded): D_o(c) .0144, D_e(c) .0532, α_u(c) .7286, α_u(k) 1, overall .8591
    assert result.observed[0] == pytest.approx(0.0144, abs=5e-5) and result.expected[0] == pytest.approx(
        0.0532, abs=5e-5
    )
    assert result.category_alpha(0) == pytest.approx(0.7286, abs=5e-5) and result.category_alpha(1) == 1.0
    assert result.expected[1] == pytest.approx(0.0490, abs=5e-5)
    assert result.alpha == pytest.approx(0.8591, abs=5e-4)
    assert abs(result.alpha - float(overall)) < 1e-12  # type: ignore[arg-type]
    assert observed["c"] == Fraction(2 * (50 + 850 + 400), 2 * 300 * 300)


def test_hand_computed_small_example() -> None:
    # r0: -11111111-   r1: --1-1-1---   (DKPro UnitizingAgreementTest)
    units = [(0, 1, 9, "A"), (1, 2, 3, "A"), (1, 4, 5, "A"), (1, 6, 7, "A")]
    result = ours(units, 2, 10, ["A"])
    # D_o = 2·(37 + 25 + 29) / (2·1·10²) = 0.91
    # D_e = (2/10)·[(4−1)(2·512 − 3·64 + 8)/3 + 3·(1²·(1+1+2+1+1+3))] / (2·10·19 − 8·7) = 173.4/324
    assert result.observed[0] == pytest.approx(0.91, abs=1e-12)
    assert result.expected[0] == pytest.approx(173.4 / 324, abs=1e-12)
    assert result.alpha == pytest.approx(1 - 0.91 / (173.4 / 324), abs=1e-12)  # −0.7003


def test_krippendorff_1995_observed_disagreements() -> None:
    # Krippendorff (1995: 57), four two-observer examples on 24 positions; D_o as DKPro's Krippendorff1995Test.
    units = [
        (0, 2, 10, "A"),
        (0, 14, 20, "A"),
        (1, 4, 8, "A"),
        (1, 15, 17, "A"),
        (0, 0, 18, "B"),
        (1, 0, 2, "B"),
        (1, 2, 3, "B"),
        (1, 3, 4, "B"),
        (1, 4, 5, "B"),
        (1, 5, 6, "B"),
        (1, 6, 9, "B"),
        (1, 9, 10, "B"),
        (0, 2, 8, "C"),
        (0, 10, 12, "C"),
        (0, 14, 18, "C"),
        (0, 20, 22, "C"),
        (1, 0, 2, "C"),
        (1, 4, 8, "C"),
        (1, 10, 14, "C"),
        (1, 16, 18, "C"),
        (1, 20, 22, "C"),
        (0, 0, 2, "D"),
        (0, 2, 10, "D"),
        (0, 10, 14, "D"),
        (0, 14, 20, "D"),
        (0, 20, 24, "D"),
        (1, 0, 4, "D"),
        (1, 4, 8, "D"),
        (1, 8, 15, "D"),
        (1, 15, 17, "D"),
        (1, 17, 24, "D"),
    ]
    result = ours(units, 2, 24, ["A", "B", "C", "D"])
    assert result.observed.tolist() == pytest.approx([18 / 576, 1306 / 576, 16 / 576, 223 / 576], abs=1e-12)
    observed, expected, alpha, overall = reference(units, 2, 24, ["A", "B", "C", "D"])
    assert [float(observed[c]) for c in "ABCD"] == pytest.approx(result.observed.tolist(), abs=1e-12)
    assert [float(expected[c]) for c in "ABCD"] == pytest.approx(result.expected.tolist(), abs=1e-12)


def test_single_unit_and_empty_study() -> None:
    # DKPro: one unit of three raters on 20 positions → α 0 (D_o = D_e); no unit at all → undefined
    result = ours([(0, 0, 1, "X")], 3, 20, ["X"])
    assert result.alpha == pytest.approx(0.0, abs=1e-12)
    assert ours([], 3, 20, ["X"]).alpha is None
    assert ours([], 3, 20, ["X"]).category_alpha(0) is None


def random_units(rng: random.Random, m: int, length: int, categories: list[str]) -> list[Unit]:
    units: list[Unit] = []
    for r in range(m):
        for c in categories:
            pos = rng.randint(0, 5)
            while pos < length and rng.random() < 0.85:
                end = min(length, pos + rng.randint(1, 9))
                units.append((r, pos, end, c))
                pos = end + rng.choice((0, 0, 1, 3, 7))
    return units


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 4), st.integers(1, 60))
def test_matches_reference_on_random_units(seed: int, m: int, length: int) -> None:
    rng = random.Random(seed)
    categories = ["x", "y", "z"][: rng.randint(1, 3)]
    units = random_units(rng, m, length, categories)
    result = ours(units, m, length, categories)
    observed, expected, alpha, overall = reference(units, m, length, categories)
    for i, c in enumerate(categories):
        assert abs(result.observed[i] - float(observed[c])) < 1e-12
        assert abs(result.expected[i] - float(expected[c])) < 1e-12
        mine = result.category_alpha(i)
        assert (mine is None) == (alpha[c] is None)
        if mine is not None:
            assert abs(mine - float(alpha[c])) < 1e-9
    assert (result.alpha is None) == (overall is None)
    if overall is not None:
        assert abs(result.alpha - float(overall)) < 1e-9  # type: ignore[operator]


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_report_alpha_u_over_documents_all_did_laid_end_to_end(seed: int) -> None:
    syn = generate(seed, n_docs=5, words_per_doc=(10, 25), done_rate=0.85)
    names = syn.annotators
    data = build_data(names, [(d.id, d.title, d.text) for d in syn.documents], syn.done, syn.spans, DEFAULT_LABELS)
    report = compute_report(data)
    everyone = [d for d in syn.documents if all(d.id in syn.done[n] for n in names)]
    assert everyone, "the seed should give documents everyone did"
    for layer, labels in LAYERS.items():
        units: list[Unit] = []
        offset = 0
        for doc in everyone:
            for span in syn.spans:
                if span.document_id == doc.id and LAYER_OF[span.label] == layer:
                    units.append((names.index(span.annotator), offset + span.start, offset + span.end, span.label))
            offset += len(doc.text)
        _, _, alpha, overall = reference(units, len(names), offset, labels)
        entry = report["layers"][layer]
        assert (entry["alpha_u"] is None) == (overall is None)
        if overall is not None:
            assert abs(entry["alpha_u"] - float(overall)) < 1e-9
        for label in labels:
            got = entry["labels"][label]["alpha_u"]
            assert (got is None) == (alpha[label] is None)
            if got is not None:
                assert abs(got - float(alpha[label])) < 1e-9


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_per_document_alpha_u_equals_each_document_on_its_own(seed: int) -> None:
    rng = random.Random(seed)
    n_raters, categories = rng.randint(2, 4), ["x", "y"]
    docs = []
    for _ in range(rng.randint(1, 5)):
        length = rng.randint(1, 40)
        did = [r for r in range(n_raters) if rng.random() < 0.8]
        units = [u for u in random_units(rng, n_raters, length, categories) if u[0] in did]
        docs.append((length, did, units))
    rows = [(d, *u) for d, (_, _, units) in enumerate(docs) for u in units]
    col = lambda k: np.array([row[k] for row in rows], dtype=np.int64)  # noqa: E731
    done = np.array([[r in did for r in range(n_raters)] for _, did, _ in docs], dtype=bool)
    observed, expected, present = unitizing_by_group(
        col(1),
        col(2),
        col(3),
        np.array([categories.index(row[4]) for row in rows], dtype=np.int64),
        col(0),
        np.array([length for length, _, _ in docs], dtype=np.int64),
        done,
        2,
    )
    alphas = alpha_by_group(observed, expected, present)
    for d, (length, did, units) in enumerate(docs):
        if len(did) < 2:
            continue
        renumbered = [(did.index(r), s, e, c) for r, s, e, c in units]
        obs, exp, alpha, overall = reference(renumbered, len(did), length, categories)
        for i, c in enumerate(categories):
            if present[d, i]:
                assert abs(observed[d, i] - float(obs[c])) < 1e-12
                assert abs(expected[d, i] - float(exp[c])) < 1e-12
        assert np.isnan(alphas[d]) == (overall is None)
        if overall is not None:
            assert abs(alphas[d] - float(overall)) < 1e-9
