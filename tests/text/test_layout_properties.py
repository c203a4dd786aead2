"""Property tests: random bidi mixes at random (also tiny) widths keep every invariant."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from annotator.text.layout import ParagraphLayout, layout_paragraph
from annotator.text.sanitize import table_kind

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويةأإآءئؤى"
PIECES = st.one_of(
    st.sampled_from(list(ARABIC)),
    st.sampled_from(["لا", "لأ", "لإ", "لآ", "لَا", "ال", "ـ", "\u200c", "\u200d"]),
    st.sampled_from(list("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670")),
    st.sampled_from(list("0123456789٠١٢٣٤٥٦٧٨٩") + ["2500", "15"]),
    st.sampled_from(list("abcXYZ") + ["NBC", "News"]),
    st.sampled_from([" ", " ", " ", "  ", "\u00a0"]),
    st.sampled_from(list(".,:;!?-/%+$#،؛؟=\"'“”")),
    st.sampled_from(list("()[]{}<>«»")),
    st.sampled_from(list("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad")),
    st.sampled_from(list("\x00\x07\x1b\t\x7f\x85\x9b\u2028\u2029") + ["\x1b[2J", "\r\n"]),
    st.sampled_from(
        [
            "中",
            "😀",
            "\U0001f44d\U0001f3fd",
            "\u2764\ufe0f",
            "\U0001f468\u200d\U0001f469\u200d\U0001f467",
            "\U0001f1f8\U0001f1e6",
            "\U0001f1ea",
            "\U0001f3fd",
            "1\ufe0f\u20e3",
        ]
    ),
    st.sampled_from(["\u0600", "\u0605", "\u06dd", "\u08e2", "\ufff9", "\U0001f3fb"]),
)
TEXT = st.lists(PIECES, max_size=60).map("".join)
WIDTH = st.one_of(st.integers(1, 5), st.integers(6, 90))
MODE = st.sampled_from(["app", "terminal"])
FORBIDDEN = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]} | set(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
)


def cells_with_rows(layout: ParagraphLayout) -> list[tuple[int, int, int, int]]:
    """(row, x, start, end) of every cell."""
    found = []
    for r, row in enumerate(layout.rows):
        x = row.x0
        for cell in row.cells:
            found.append((r, x, cell.start, cell.end))
            x += cell.width
    return found


@settings(max_examples=300, deadline=None)
@given(TEXT, WIDTH, MODE)
def test_offsets_cells_and_columns_round_trip(text: str, width: int, mode: str) -> None:
    """Every offset lies in exactly one cell; locate and offset_at invert each other."""
    layout = layout_paragraph(text, width, mode)  # type: ignore[arg-type]
    cells = cells_with_rows(layout)
    covered = sorted(offset for _, _, start, end in cells for offset in range(start, end))
    assert covered == list(range(len(text)))
    for r, x, start, end in cells:
        assert start < end
        for offset in range(start, end):
            assert layout.locate(offset) == (r, x)
            assert layout.offset_at(r, x) == start
            assert layout.nearest_offset(r, x) == start


@settings(max_examples=300, deadline=None)
@given(TEXT, WIDTH, MODE)
def test_rows_fit_and_tile_the_paragraph(text: str, width: int, mode: str) -> None:
    """Rows never exceed the width, hold consecutive logical ranges, and align by direction."""
    layout = layout_paragraph(text, width, mode)  # type: ignore[arg-type]
    assert layout.rows[0].start == 0 and layout.rows[-1].end == len(text)
    for row, following in zip(layout.rows, layout.rows[1:]):
        assert row.end == following.start
    for row in layout.rows:
        assert 0 <= row.x0 and row.x0 + row.cell_width <= width
        assert sorted(o for cell in row.cells for o in range(cell.start, cell.end)) == list(range(row.start, row.end))
        if mode == "app" and layout.rtl and row.cells:
            assert row.x0 + row.cell_width == width
        else:
            assert row.x0 == 0
        if mode == "terminal":
            assert [cell.start for cell in row.cells] == sorted(cell.start for cell in row.cells)


@settings(max_examples=300, deadline=None)
@given(TEXT, WIDTH, MODE)
def test_output_is_safe_for_a_terminal(text: str, width: int, mode: str) -> None:
    """No C0/C1/DEL/bidi-format/default-ignorable character is drawn; every cell is as wide as it says (for Rich too)."""
    layout = layout_paragraph(text, width, mode)  # type: ignore[arg-type]
    for row in layout.rows:
        assert not FORBIDDEN & set(row.text)
        for cell in row.cells:
            assert cell.text
            assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in cell.text)
            assert all(table_kind(ord(ch)) in "bwm" for ch in cell.text)  # only visible Cf (U+0600...) is drawn
            assert cell_len(cell.text) == cell.width
            assert unicodedata.combining(cell.text[0]) == 0


@settings(max_examples=300, deadline=None)
@given(TEXT, WIDTH, st.integers(0, 70), st.integers(0, 70))
def test_range_runs_cover_exactly_the_cells_of_the_range(text: str, width: int, a: int, b: int) -> None:
    """The runs of [start, end) are disjoint, sorted, and cover exactly the cells showing it."""
    layout = layout_paragraph(text, width)
    start, end = min(a, b), max(a, b)
    runs = layout.range_runs(start, end)
    covered: set[tuple[int, int]] = set()
    for row, x0, x1 in runs:
        assert x0 < x1
        span = {(row, x) for x in range(x0, x1)}
        assert not covered & span
        covered |= span
    assert runs == sorted(runs)
    for (row, _x0, x1), (row2, x2, _) in zip(runs, runs[1:]):
        assert row2 > row or x2 > x1  # adjacent cells are merged into one run
    expected: set[tuple[int, int]] = set()
    for r, row in enumerate(layout.rows):
        x = row.x0
        for cell in row.cells:
            if start < end and cell.start < end and cell.end > start:
                expected |= {(r, x + dx) for dx in range(cell.width)}
            x += cell.width
    assert covered == expected


@settings(max_examples=200, deadline=None)
@given(TEXT, WIDTH)
def test_visual_left_visits_every_cell_once(text: str, width: int) -> None:
    """From the reading start, Left (RTL) or Right (LTR) walks every cell once, then leaves."""
    layout = layout_paragraph(text, width)
    cells = cells_with_rows(layout)
    if not cells:
        assert text == ""
        return
    step = layout.visual_left if layout.rtl else layout.visual_right
    offset = layout.row_rightmost(0) if layout.rtl else layout.row_leftmost(0)
    seen: list[int] = []
    while offset is not None:
        seen.append(offset)
        assert len(seen) <= len(cells)
        offset = step(offset)
    assert sorted(seen) == sorted(start for _, _, start, _ in cells)
    back = layout.visual_right if layout.rtl else layout.visual_left
    offset = seen[-1]
    walked = [offset]
    while (offset := back(offset)) is not None:
        walked.append(offset)
    assert walked == seen[::-1]
