"""Coding measures over token units, vectorised with numpy: Cohen's κ, Fleiss' κ, Krippendorff's α.

Values are small integers (0 = O, 1.. = labels); -1 marks a missing value (the annotator did not
do the document). Counts are (units, categories) arrays, stored column-major so that each
category's column is contiguous. Undefined results (no units, a single category) are None, or
NaN in the per-group arrays.
"""

from __future__ import annotations

import numpy as np


def category_counts(values: np.ndarray, n_categories: int) -> np.ndarray:
    """(units, categories) counts of how many annotators gave each unit each value."""
    n_units = values.shape[1]
    counts = np.zeros((n_categories, n_units), dtype=np.int64)
    flat = counts.reshape(-1)
    units = np.arange(n_units)
    for row in values:
        present = row >= 0
        flat[row[present] * n_units + units[present]] += 1
    return counts.T


def binary_counts(counts: np.ndarray, category: int) -> np.ndarray:
    """(units, 2) counts of one category against all the others."""
    chosen = counts[:, category]
    return np.asfortranarray(np.stack((chosen, _totals(counts) - chosen), axis=1))


def _totals(counts: np.ndarray) -> np.ndarray:
    """Values per unit (the sum of the columns, added column by column)."""
    total = np.zeros(counts.shape[0], dtype=counts.dtype)
    for c in range(counts.shape[1]):
        total += counts[:, c]
    return total


def _squares(counts: np.ndarray) -> np.ndarray:
    """Σ over categories of count² per unit."""
    total = np.zeros(counts.shape[0], dtype=counts.dtype)
    for c in range(counts.shape[1]):
        column = counts[:, c]
        total += column * column
    return total


def _none(value: float) -> float | None:
    """NaN as None, anything else as a float."""
    return None if np.isnan(value) else float(value)


def _group_sum(values: np.ndarray, groups: np.ndarray | None, n_groups: int) -> np.ndarray:
    """Sums of values per group (one group when groups is None)."""
    if groups is None:
        return np.array([values.sum()], dtype=np.float64)
    return np.bincount(groups, weights=values, minlength=n_groups)


def krippendorff_alpha_by_group(counts: np.ndarray, groups: np.ndarray | None, n_groups: int = 1) -> np.ndarray:
    """Nominal Krippendorff's α per group of units (NaN where undefined); groups None = one group."""
    m = _totals(counts)
    pairable = m >= 2
    weight = np.where(pairable, 1.0 / np.maximum(m - 1, 1), 0.0)
    observed = _group_sum((m * m - _squares(counts)) * weight, groups, n_groups)
    n = np.zeros(n_groups)
    squares = np.zeros(n_groups)
    for c in range(counts.shape[1]):
        n_c = _group_sum(np.where(pairable, counts[:, c], 0).astype(np.float64), groups, n_groups)
        n += n_c
        squares += n_c * n_c
    expected = n * n - squares
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 - (n - 1) * observed / expected
    return np.where(expected > 0, alpha, np.nan)


def krippendorff_alpha(counts: np.ndarray) -> float | None:
    """Nominal Krippendorff's α of (units, categories) counts; units with one value are unpairable."""
    return _none(krippendorff_alpha_by_group(counts, None)[0])


def label_alpha(counts: np.ndarray, category: int) -> float | None:
    """Krippendorff's α of one category against all the others (binary nominal)."""
    m = _totals(counts)
    pairable = m >= 2
    chosen = np.where(pairable, counts[:, category], 0).astype(np.float64)
    m = np.where(pairable, m, 0).astype(np.float64)
    observed = (2.0 * chosen * (m - chosen) / np.maximum(m - 1, 1)).sum()
    n, n_chosen = m.sum(), chosen.sum()
    expected = 2.0 * n_chosen * (n - n_chosen)
    return float(1.0 - (n - 1) * observed / expected) if expected > 0 else None


def confusion_by_group(
    a: np.ndarray, b: np.ndarray, n_categories: int, groups: np.ndarray | None = None, n_groups: int = 1
) -> np.ndarray:
    """(groups, categories, categories) counts of (a value, b value) where both are present."""
    present = (a >= 0) & (b >= 0)
    cells = a[present] * n_categories + b[present]
    if groups is not None:
        cells = cells + groups[present] * (n_categories * n_categories)
    flat = np.bincount(cells, minlength=n_groups * n_categories * n_categories)
    return flat.reshape(n_groups, n_categories, n_categories)


def cohen_kappa_from_confusion(confusion: np.ndarray) -> np.ndarray:
    """Cohen's κ of each (…, C, C) confusion matrix (NaN where undefined)."""
    confusion = confusion.astype(np.float64)
    n = confusion.sum(axis=(-2, -1))
    agree = np.trace(confusion, axis1=-2, axis2=-1)
    chance = (confusion.sum(axis=-1) * confusion.sum(axis=-2)).sum(axis=-1)
    denominator = n * n - chance
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = (n * agree - chance) / denominator
    return np.where(denominator > 0, kappa, np.nan)


def cohen_kappa(a: np.ndarray, b: np.ndarray, n_categories: int) -> float | None:
    """Cohen's κ of two annotators over the units both coded."""
    return _none(cohen_kappa_from_confusion(confusion_by_group(a, b, n_categories))[0])


def fleiss_kappa_by_group(counts: np.ndarray, groups: np.ndarray | None, n_groups: int = 1) -> np.ndarray:
    """Fleiss' κ per group of units that every rater coded (rows of counts sum to the rater count)."""
    m = _totals(counts)
    raters = float(m.max()) if m.size else 0.0
    if m.size and (m != raters).any():
        raise ValueError("Fleiss' kappa needs the same number of ratings on every unit")
    if raters < 2:
        return np.full(n_groups, np.nan)
    n_units = _group_sum(np.ones(counts.shape[0]), groups, n_groups)
    per_unit = (_squares(counts) - raters) / (raters * (raters - 1))
    observed_sum = _group_sum(per_unit.astype(np.float64), groups, n_groups)
    totals = np.stack(
        [_group_sum(counts[:, c].astype(np.float64), groups, n_groups) for c in range(counts.shape[1])], axis=1
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = observed_sum / n_units
        shares = totals / (n_units * raters)[:, None]
        chance = (shares * shares).sum(axis=1)
        kappa = (observed - chance) / (1.0 - chance)
    defined = (n_units > 0) & ((totals * totals).sum(axis=1) < (n_units * raters) ** 2)
    return np.where(defined, kappa, np.nan)


def fleiss_kappa(counts: np.ndarray) -> float | None:
    """Fleiss' κ of (units, categories) counts, every unit rated by the same number of raters."""
    return _none(fleiss_kappa_by_group(counts, None)[0])
