"""Cohen's κ, Fleiss' κ and Krippendorff's α against scikit-learn, statsmodels, krippendorff and nltk."""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from annotator.agreement.coding import (
    binary_counts,
    category_counts,
    cohen_kappa,
    cohen_kappa_from_confusion,
    confusion_by_group,
    fleiss_kappa,
    fleiss_kappa_by_group,
    krippendorff_alpha,
    krippendorff_alpha_by_group,
)

TOL = 1e-9


def random_values(rng: np.random.Generator, raters: int, units: int, categories: int, missing: float) -> np.ndarray:
    """(raters, units) codes, skewed towards 0 like O tokens, with missing values (-1) but ≥ 2 per unit."""
    p = np.array([0.6] + [0.4 / (categories - 1)] * (categories - 1))
    values = rng.choice(categories, size=(raters, units), p=p)
    # annotators mostly agree: copy rater 0 often
    copy = rng.random((raters, units)) < 0.6
    values = np.where(copy, values[0], values)
    gone = rng.random((raters, units)) < missing
    values = np.where(gone, -1, values)
    enough = (values >= 0).sum(axis=0) >= 2
    return values[:, enough]


def package_alpha(values: np.ndarray, categories: int) -> float:
    data = np.where(values >= 0, values, np.nan).astype(float)
    return krippendorff.alpha(
        reliability_data=data, level_of_measurement="nominal", value_domain=list(range(categories))
    )


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 5), st.integers(2, 5), st.floats(0, 0.5))
def test_krippendorff_alpha_matches_the_package(seed: int, raters: int, categories: int, missing: float) -> None:
    rng = np.random.default_rng(seed)
    values = random_values(rng, raters, int(rng.integers(5, 300)), categories, missing)
    counts = category_counts(values, categories)
    used = np.unique(values[values >= 0])
    ours = krippendorff_alpha(counts)
    if used.size < 2:
        assert ours is None
        return
    assert ours is not None and abs(ours - package_alpha(values, categories)) < TOL
    for c in range(categories):
        binary = np.where(values >= 0, (values == c).astype(int), -1)
        theirs = package_alpha(binary, 2) if np.unique(binary[binary >= 0]).size == 2 else None
        mine = krippendorff_alpha(binary_counts(counts, c))
        assert (mine is None and theirs is None) or abs(mine - theirs) < TOL  # type: ignore[operator]


def test_krippendorff_alpha_matches_nltk_on_complete_data() -> None:
    rng = np.random.default_rng(7)
    values = random_values(rng, 3, 120, 4, 0.0)
    task = AnnotationTask(data=[(str(r), str(u), str(v)) for r in range(3) for u, v in enumerate(values[r])])
    assert abs(krippendorff_alpha(category_counts(values, 4)) - task.alpha()) < TOL  # type: ignore[operator]


def test_krippendorff_alpha_hand_computed() -> None:
    # Krippendorff (2011) "Computing Krippendorff's alpha-reliability", nominal example with missing data.
    nan = -1
    rows = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]
    values = np.array(rows)
    assert abs(krippendorff_alpha(category_counts(values, 6)) - 0.743) < 0.0005  # type: ignore[operator]
    # two coders, 2x2: units (0,0) (0,1) (1,1) (1,1): o = [[2,1],[1,4]], n = 8, n_c = 3, 5
    pair = np.array([[0, 0, 1, 1], [0, 1, 1, 1]])
    expected = 1 - (8 - 1) * 2 / (3 * 5 * 2)
    assert abs(krippendorff_alpha(category_counts(pair, 2)) - expected) < TOL  # type: ignore[operator]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 5))
def test_cohen_kappa_matches_sklearn(seed: int, categories: int) -> None:
    rng = np.random.default_rng(seed)
    values = random_values(rng, 2, int(rng.integers(2, 300)), categories, 0.2)
    a, b = values[0], values[1]
    both = (a >= 0) & (b >= 0)
    ours = cohen_kappa(a, b, categories)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = cohen_kappa_score(a[both], b[both]) if both.any() else math.nan
    if math.isnan(theirs):
        assert ours is None
    else:
        assert ours is not None and abs(ours - theirs) < TOL


def test_cohen_kappa_hand_computed_and_by_group() -> None:
    # 10 units: agree on 7; a: 5×0 5×1, b: 6×0 4×1 → po 0.7, pe 0.5 → κ 0.4
    a = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    b = np.array([0, 0, 0, 0, 1, 1, 1, 1, 0, 0])
    assert abs(cohen_kappa(a, b, 2) - 0.4) < TOL  # type: ignore[operator]
    groups = np.array([0] * 5 + [1] * 5)
    per_group = cohen_kappa_from_confusion(confusion_by_group(a, b, 2, groups, 3))
    assert abs(per_group[0] - cohen_kappa_score(a[:5], b[:5])) < TOL
    assert abs(per_group[1] - cohen_kappa_score(a[5:], b[5:])) < TOL
    assert math.isnan(per_group[2])  # an empty group


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(3, 6), st.integers(2, 5))
def test_fleiss_kappa_matches_statsmodels(seed: int, raters: int, categories: int) -> None:
    rng = np.random.default_rng(seed)
    values = random_values(rng, raters, int(rng.integers(1, 300)), categories, 0.0)
    ours = fleiss_kappa(category_counts(values, categories))
    table, _ = aggregate_raters(values.T)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = sm_fleiss(table)
    if np.unique(values).size < 2:
        assert ours is None
    else:
        assert ours is not None and abs(ours - theirs) < TOL


def test_fleiss_kappa_hand_computed() -> None:
    # Fleiss (1971)-style toy: 3 raters, 4 units
    counts = np.array([[3, 0], [0, 3], [2, 1], [1, 2]])
    p_i = [1, 1, 1 / 3, 1 / 3]
    p_bar = sum(p_i) / 4
    p_j = [6 / 12, 6 / 12]
    p_e = sum(p * p for p in p_j)
    assert abs(fleiss_kappa(counts) - (p_bar - p_e) / (1 - p_e)) < TOL  # type: ignore[operator]
    per = fleiss_kappa_by_group(counts, np.array([0, 0, 1, 1]), 2)
    assert per[0] == pytest.approx(1.0) and per[1] == pytest.approx(-1 / 3)


def test_undefined_measures_are_none_never_nan() -> None:
    empty = np.zeros((0, 3), dtype=np.int64)
    assert krippendorff_alpha(empty) is None
    assert fleiss_kappa(empty) is None
    assert cohen_kappa(np.array([], dtype=np.int64), np.array([], dtype=np.int64), 3) is None
    only_o = np.zeros((3, 10), dtype=np.int64)
    assert krippendorff_alpha(category_counts(only_o, 3)) is None
    assert fleiss_kappa(category_counts(only_o, 3)) is None
    assert cohen_kappa(only_o[0], only_o[1], 3) is None
    # one rater per unit: nothing pairable
    lonely = np.array([[0, 1, -1], [-1, -1, 2]])
    assert krippendorff_alpha(category_counts(lonely, 3)) is None
    alphas = krippendorff_alpha_by_group(category_counts(only_o, 3), np.zeros(10, dtype=np.int64), 2)
    assert np.isnan(alphas).all()
    with pytest.raises(ValueError):
        fleiss_kappa(np.array([[2, 0], [1, 0]]))
