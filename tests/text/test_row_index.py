"""RowIndex (a Fenwick tree of paragraph heights) against plain prefix sums, for any heights and updates."""

from __future__ import annotations

import bisect
import itertools

from hypothesis import given
from hypothesis import strategies as st

from annotator.text.row_index import RowIndex

heights_st = st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=60)


@given(heights_st, st.lists(st.tuples(st.integers(min_value=0, max_value=59), st.integers(1, 9)), max_size=40))
def test_tops_rows_and_totals_match_prefix_sums_after_any_updates(heights: list[int], updates) -> None:
    index = RowIndex(heights)
    current = list(heights)
    for position, height in updates:
        position %= len(current)
        index.set(position, height)
        current[position] = height
    prefix = [0, *itertools.accumulate(current)]
    assert index.total == prefix[-1]
    assert [index.top(i) for i in range(len(current))] == prefix[:-1]
    assert [index.height(i) for i in range(len(current))] == current
    # every row belongs to exactly one paragraph, the one bisection over the prefix sums names
    for y in range(prefix[-1]):
        assert index.find(y) == bisect.bisect_right(prefix, y) - 1


def test_empty_and_single() -> None:
    assert RowIndex([]).total == 0
    one = RowIndex([3])
    assert (one.find(0), one.find(2), one.top(0), one.total) == (0, 0, 0, 3)


def test_document_lays_out_a_margin_and_keeps_rows_consistent() -> None:
    from annotator.text.document import DocumentLayout

    text = "\n".join(("قال السوداني إن داعش في الأنبار خسر 15 عنصراً " * (i % 5 + 1)).strip() for i in range(200))
    layout = DocumentLayout(text, 30)
    layout.lay_out_rows(0, 100)
    laid_out = [i for i in range(len(layout)) if layout._exact[i]]
    assert laid_out and laid_out == list(range(len(laid_out)))  # a prefix of the paragraphs, nothing else
    assert layout.top_of(laid_out[-1]) < 100 <= layout.top_of(laid_out[-1]) + len(layout.paragraph(laid_out[-1]).rows)
    # row_at and top_of agree everywhere, whatever has been laid out so far
    for y in range(0, layout.height, 7):
        index, row = layout.row_at(y)
        assert layout.top_of(index) + row == y
