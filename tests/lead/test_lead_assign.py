"""The assignment algorithm: every document to `overlap` annotators, loads within one, every pair meeting."""

from __future__ import annotations

from itertools import combinations
from math import ceil, comb

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.lead.assign import AssignError, assign, pairs_possible


def schoenheim(annotators: int, overlap: int) -> int:
    """Schönheim's lower bound on the documents needed for every pair of annotators to share one."""
    return ceil(annotators / overlap * ceil((annotators - 1) / (overlap - 1)))


def shared_counts(result: dict[str, list[str]], names: list[str]) -> dict[tuple[str, str], int]:
    counts = {pair: 0 for pair in combinations(names, 2)}
    for group in result.values():
        for pair in combinations(group, 2):
            counts[pair] += 1
    return counts


sizes = st.integers(2, 9).flatmap(lambda m: st.tuples(st.just(m), st.integers(1, m), st.integers(0, 30)))


@settings(max_examples=100, deadline=None)
@given(sizes)
def test_balanced_complete_and_deterministic(case: tuple[int, int, int]) -> None:
    m, k, n = case
    names = [f"ann{i}" for i in range(m)]
    docs = [f"doc-{i:03d}" for i in range(n)]
    result = assign(docs, names, k)
    assert list(result) == docs
    loads = dict.fromkeys(names, 0)
    for group in result.values():
        assert len(group) == k and len(set(group)) == k
        assert group == sorted(group, key=names.index)  # in the annotators' order
        for name in group:
            loads[name] += 1
    assert sum(loads.values()) == n * k
    assert max(loads.values()) - min(loads.values()) <= 1
    assert assign(docs, names, k) == result


@settings(max_examples=100, deadline=None)
@given(sizes)
def test_every_pair_shares_a_document_when_the_numbers_allow(case: tuple[int, int, int]) -> None:
    m, k, n = case
    names = [f"ann{i}" for i in range(m)]
    counts = shared_counts(assign([f"d{i}" for i in range(n)], names, k), names)
    covered = all(counts.values())
    if not pairs_possible(n, m, k):
        assert not covered  # the conditions are necessary: no assignment could do it
    elif n >= schoenheim(m, k) + 2:
        assert covered, counts
    if covered and n >= comb(m, 2):
        # the pairs' shared documents are spread: no pair shares more than four more than another
        assert max(counts.values()) - min(counts.values()) <= 4, counts


def test_known_designs_are_found() -> None:
    # a round robin (6 annotators, pairs: 15 documents, each pair exactly once), the Fano plane
    # (7 annotators in threes: 7 documents) and the affine plane of order 4 (16 in fours: 20 documents)
    for m, k, n in ((6, 2, 15), (7, 3, 7), (16, 4, 20)):
        names = [f"a{i:02d}" for i in range(m)]
        counts = shared_counts(assign([f"d{i}" for i in range(n)], names, k), names)
        assert set(counts.values()) == {1}, (m, k, n)


def test_large_corpus_is_even() -> None:
    names = ["ali", "mona", "sara", "omar", "huda"]
    result = assign([f"d{i}" for i in range(1000)], names, 2)
    counts = shared_counts(result, names)
    assert set(counts.values()) == {100}  # 1000 documents over 10 pairs


def test_bad_requests() -> None:
    with pytest.raises(AssignError, match="overlap must be between 1 and the number of annotators \\(3\\), not 4"):
        assign(["d1"], ["a", "b", "c"], 4)
    with pytest.raises(AssignError, match="not 0"):
        assign(["d1"], ["a", "b"], 0)
    with pytest.raises(AssignError, match="names must differ"):
        assign(["d1"], ["a", "a"], 1)
    with pytest.raises(AssignError, match="ids must differ"):
        assign(["d1", "d1"], ["a", "b"], 1)
    assert assign([], ["a", "b"], 2) == {}
    assert assign(["d1", "d2", "d3"], ["a", "b", "c"], 1) == {"d1": ["a"], "d2": ["b"], "d3": ["c"]}
