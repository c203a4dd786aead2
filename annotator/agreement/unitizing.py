"""Krippendorff's unitizing α (α_u) on a character continuum, as DKPro Agreement computes it.

The computation follows DKPro Agreement's `KrippendorffAlphaUnitizingAgreement` (the 1995
measure in the 2004 form; the one INCEpTION reports), vectorised with numpy:

* each annotator's segmentation of the continuum [0, L) for a category c is its units of c and
  the gaps between them;
* observed D_o(c) = 2 / (R(R-1) L²) · Σ over annotator pairs and overlapping segment pairs of
  δ²: (Δstart)² + (Δend)² for two overlapping units, the unit's length² for a unit lying inside
  the other's gap, 0 otherwise;
* expected D_e(c) = (2/L) · Σ over units u of c [ (N_c − 1)(2l³ − 3l² + l)/3 + l² Σ over gaps
  g ≥ l of (g − l + 1) ] / (R·L(R·L − 1) − Σ over units of c of l(l − 1));
* α_u(c) = 1 − D_o(c)/D_e(c); the overall α_u = 1 − mean_c D_o(c) / mean_c D_e(c) over the
  categories that occur.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class UnitizingResult:
    """Observed and expected disagreement per category, α_u per category and overall."""

    observed: np.ndarray
    expected: np.ndarray
    present: np.ndarray
    """Whether any annotator has a unit of the category."""

    def category_alpha(self, category: int) -> float | None:
        """α_u of one category (None when it has no unit or no expected disagreement)."""
        if not self.present[category] or self.expected[category] <= 0:
            return None
        return float(1.0 - self.observed[category] / self.expected[category])

    @property
    def alpha(self) -> float | None:
        """1 − mean D_o / mean D_e over the categories that occur (None when none does)."""
        if not self.present.any():
            return None
        expected = float(self.expected[self.present].mean())
        if expected <= 0:
            return None
        return 1.0 - float(self.observed[self.present].mean()) / expected


def unitizing_alpha(
    rater: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    category: np.ndarray,
    n_raters: int,
    length: int,
    n_categories: int,
) -> UnitizingResult:
    """α_u of units (rater, [start, end), category) on the continuum [0, length).

    A rater's units of one category must not overlap each other (the store guarantees it within
    a layer).
    """
    group = np.zeros(start.size, dtype=np.int64)
    done = np.ones((1, n_raters), dtype=bool)
    observed, expected, present = unitizing_by_group(
        rater, start, end, category, group, np.array([length], dtype=np.int64), done, n_categories
    )
    return UnitizingResult(observed[0], expected[0], present[0])


def unitizing_by_group(
    rater: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    category: np.ndarray,
    group: np.ndarray,
    lengths: np.ndarray,
    done: np.ndarray,
    n_categories: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(D_o, D_e, present) per (group, category): each group (document) is a continuum of its own.

    Offsets are local to the group, lengths gives each group's length and done (groups, raters)
    which raters took part in each group (the others are not counted there at all).
    """
    n_groups, n_raters = done.shape
    taking_part = done[group, rater]
    if not taking_part.all():
        rater, start, end, category, group = (x[taking_part] for x in (rater, start, end, category, group))
    shape = (n_groups, n_categories)
    cells = n_groups * n_categories
    bucket = group * n_categories + category
    units = np.bincount(bucket, minlength=cells)[:cells]
    present = (units > 0).reshape(shape)
    observed = np.zeros(shape)
    expected = np.zeros(shape)
    if not present.any():
        return observed, expected, present
    lengths = lengths.astype(np.int64)
    m = done.sum(axis=1).astype(np.float64)
    span = (end - start).astype(np.float64)
    # one line holding every group end to end, each category on a stretch of its own
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    stretch = int(lengths.sum()) + 1
    left = category * stretch + offsets[group] + start
    right = category * stretch + offsets[group] + end
    order = np.lexsort((left, rater))
    by_rater = np.searchsorted(rater[order], np.arange(n_raters + 1), side="left")
    sums = np.zeros(cells)
    for r1 in range(n_raters):
        for r2 in range(r1 + 1, n_raters):
            a = order[by_rater[r1] : by_rater[r1 + 1]]
            b = order[by_rater[r2] : by_rater[r2 + 1]]
            a = a[done[group[a], r2]]
            b = b[done[group[b], r1]]
            first = np.searchsorted(right[b], left[a], side="right")
            last = np.searchsorted(left[b], right[a], side="left")
            counts = np.maximum(last - first, 0)
            total = int(counts.sum())
            if total:
                ia = np.repeat(np.arange(a.size), counts)
                ib = first[ia] + (np.arange(total) - (np.cumsum(counts) - counts)[ia])
                d_start = (left[a[ia]] - left[b[ib]]).astype(np.float64)
                d_end = (right[a[ia]] - right[b[ib]]).astype(np.float64)
                sums += np.bincount(bucket[a[ia]], weights=d_start * d_start + d_end * d_end, minlength=cells)
            # a unit overlapping no unit of the other rater lies inside one of their gaps
            alone_a = a[counts == 0]
            b_first = np.searchsorted(right[a], left[b], side="right")
            b_last = np.searchsorted(left[a], right[b], side="left")
            alone_b = b[b_last <= b_first]
            for alone in (alone_a, alone_b):
                sums += np.bincount(bucket[alone], weights=span[alone] ** 2, minlength=cells)
    present &= ((m >= 2) & (lengths > 0))[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = 2.0 / (m * (m - 1) * lengths.astype(np.float64) ** 2)
        observed = np.where(present, sums.reshape(shape) * scale[:, None], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = _expected_by_group(rater, start, end, bucket, group, lengths, m, units, n_raters, shape, done)
    return observed, np.where(present, expected, 0.0), present


def _expected_by_group(
    rater: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    bucket: np.ndarray,
    group: np.ndarray,
    lengths: np.ndarray,
    m: np.ndarray,
    units: np.ndarray,
    n_raters: int,
    shape: tuple[int, int],
    done: np.ndarray,
) -> np.ndarray:
    """D_e per (group, category), from the gaps of every rater between their units of the category."""
    n_groups, n_categories = shape
    cells = n_groups * n_categories
    order = np.lexsort((start, rater, bucket))
    r, s, e, k = rater[order], start[order], end[order], bucket[order]
    g = k // n_categories
    run = np.ones(s.size, dtype=bool)
    run[1:] = (k[1:] != k[:-1]) | (r[1:] != r[:-1])
    previous_end = np.where(run, 0, np.concatenate(([0], e[:-1])))
    last = np.ones(s.size, dtype=bool)
    last[:-1] = run[1:]
    # gaps: before each unit, after each rater's last unit, and whole continua of silent raters
    speaking = np.bincount(k[run], minlength=cells)
    silent = np.maximum(np.repeat(done.sum(axis=1), n_categories) - speaking, 0)
    silent_buckets = np.repeat(np.arange(cells), silent)
    gap_bucket = np.concatenate((k, k[last], silent_buckets))
    gap_length = np.concatenate((s - previous_end, lengths[g[last]] - e[last], lengths[silent_buckets // n_categories]))
    keep = gap_length > 0
    gap_bucket, gap_length = gap_bucket[keep], gap_length[keep]
    wide = int(lengths.max()) + 2
    keys = np.sort(gap_bucket * wide + gap_length)
    sorted_lengths = (keys % wide).astype(np.float64)
    prefix = np.concatenate(([0.0], np.cumsum(sorted_lengths)))
    l = (e - s).astype(np.float64)
    at = np.searchsorted(keys, k * wide + (e - s), side="left")
    stop = np.searchsorted(keys, (k + 1) * wide, side="left")
    gap_term = l * l * ((prefix[stop] - prefix[at]) - (stop - at) * (l - 1.0))
    own_term = (units[k] - 1.0) * (2.0 * l**3 - 3.0 * l**2 + l) / 3.0
    numerator = np.bincount(k, weights=own_term + gap_term, minlength=cells).reshape(shape)
    squares = np.bincount(k, weights=l * (l - 1.0), minlength=cells).reshape(shape)
    rl = (m * lengths.astype(np.float64))[:, None]
    denominator = rl * (rl - 1.0) - squares
    with np.errstate(divide="ignore", invalid="ignore"):
        result = (2.0 / lengths.astype(np.float64))[:, None] * numerator / denominator
    return np.where(denominator > 0, result, 0.0)


def alpha_by_group(observed: np.ndarray, expected: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Overall α_u per group: 1 − mean D_o / mean D_e over the categories present (NaN where undefined)."""
    count = present.sum(axis=1)
    mean_o = np.where(present, observed, 0.0).sum(axis=1)
    mean_e = np.where(present, expected, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 - mean_o / mean_e
    return np.where((count > 0) & (mean_e > 0), alpha, np.nan)
