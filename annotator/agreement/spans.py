"""Span F1 between two annotators, exact and overlap, per label and per document, with numpy.

Exact: TP = spans with the same start, end and label in both; F1 = 2·TP / (|A| + |B|).
Overlap: P = share of B's spans overlapping a same-label span of A, R = share of A's spans
overlapping a same-label span of B, F1 = 2PR / (P + R).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SpanCounts:
    """Counts per (group, code) of one pair of annotators A and B."""

    a: np.ndarray
    b: np.ndarray
    exact: np.ndarray
    """Spans present with the same start, end and label in both."""
    a_hit: np.ndarray
    """A's spans overlapping a same-label span of B."""
    b_hit: np.ndarray
    """B's spans overlapping a same-label span of A."""

    def total(self, axis: int | tuple[int, ...] | None = None) -> SpanCounts:
        """The counts summed over an axis (0: groups, 1: codes, None: everything)."""
        return SpanCounts(*(x.sum(axis=axis) for x in (self.a, self.b, self.exact, self.a_hit, self.b_hit)))

    def __add__(self, other: SpanCounts) -> SpanCounts:
        return SpanCounts(
            self.a + other.a,
            self.b + other.b,
            self.exact + other.exact,
            self.a_hit + other.a_hit,
            self.b_hit + other.b_hit,
        )


def _overlapping(starts: np.ndarray, ends: np.ndarray, other_starts: np.ndarray, other_ends: np.ndarray) -> np.ndarray:
    """Whether each [start, end) overlaps at least one of the other intervals."""
    if other_starts.size == 0:
        return np.zeros(starts.size, dtype=bool)
    order = np.argsort(other_starts, kind="stable")
    sorted_starts = other_starts[order]
    reach = np.maximum.accumulate(other_ends[order])
    before = np.searchsorted(sorted_starts, ends, side="left")
    hit = np.zeros(starts.size, dtype=bool)
    some = before > 0
    hit[some] = reach[before[some] - 1] > starts[some]
    return hit


def span_counts(
    a_group: np.ndarray,
    a_start: np.ndarray,
    a_end: np.ndarray,
    a_code: np.ndarray,
    b_group: np.ndarray,
    b_start: np.ndarray,
    b_end: np.ndarray,
    b_code: np.ndarray,
    n_groups: int,
    n_codes: int,
) -> SpanCounts:
    """Exact and overlap matches of A's and B's spans; spans match only within a group and code."""
    top = int(max(a_end.max(initial=0), b_end.max(initial=0))) + 1
    stride = top * n_codes

    def place(group: np.ndarray, code: np.ndarray) -> np.ndarray:
        return (group * n_codes + code) * top

    a_shift, b_shift = place(a_group, a_code), place(b_group, b_code)
    a_key = (a_shift + a_start) * top + a_end
    b_key = (b_shift + b_start) * top + b_end
    if stride * n_groups * top >= 2**62:
        raise OverflowError("too many characters for the span keys")
    exact_a = np.isin(a_key, b_key)
    a_hit = _overlapping(a_shift + a_start, a_shift + a_end, b_shift + b_start, b_shift + b_end)
    b_hit = _overlapping(b_shift + b_start, b_shift + b_end, a_shift + a_start, a_shift + a_end)
    size = n_groups * n_codes

    def count(group: np.ndarray, code: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        cells = group * n_codes + code
        if mask is not None:
            cells = cells[mask]
        return np.bincount(cells, minlength=size).reshape(n_groups, n_codes)

    return SpanCounts(
        count(a_group, a_code),
        count(b_group, b_code),
        count(a_group, a_code, exact_a),
        count(a_group, a_code, a_hit),
        count(b_group, b_code, b_hit),
    )


def f1_exact(exact: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """2·TP / (|A| + |B|), NaN where neither annotator has a span."""
    total = (a + b).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, 2.0 * exact / total, np.nan)


def f1_overlap(a_hit: np.ndarray, b_hit: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """2PR / (P + R) with P = B's hit share and R = A's hit share.

    0 where only one side has spans (or nothing overlaps); NaN where neither has any.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(b > 0, b_hit / b, 0.0)
        recall = np.where(a > 0, a_hit / a, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    return np.where((a + b) > 0, f1, np.nan)
