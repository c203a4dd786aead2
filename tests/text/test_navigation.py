"""Cursor movement: visual steps, rows, Home/End, words."""

from __future__ import annotations

from annotator.text.layout import layout_paragraph

RTL_TEXT = "كلمة كلمة كلمة"  # rows at width 10: "كلمة كلمة " and "كلمة"


def test_left_moves_forward_in_an_rtl_paragraph_and_wraps_to_the_next_row() -> None:
    """Left from the rightmost cell reads forward; at the left edge it continues on the next row."""
    layout = layout_paragraph(RTL_TEXT, 10)
    assert layout.visual_left(0) == 1
    assert layout.visual_left(8) == 9  # the last letter of row 0 -> the break space
    assert layout.visual_left(9) == 10  # left edge of row 0 -> rightmost cell of row 1
    assert layout.visual_left(13) is None  # leaves the paragraph forward: the TUI goes to the next one
    assert layout.visual_right(10) == 9
    assert layout.visual_right(0) is None  # leaves backward: previous paragraph


def test_right_moves_forward_in_an_ltr_paragraph() -> None:
    """LTR: Right reads forward and wraps down; Left at the start leaves to the previous paragraph."""
    layout = layout_paragraph("one two three", 8)
    assert [(row.start, row.end) for row in layout.rows] == [(0, 8), (8, 13)]
    assert layout.visual_right(7) == 8
    assert layout.visual_left(8) == 7
    assert layout.visual_left(0) is None
    assert layout.visual_right(12) is None


def test_visual_moves_inside_mixed_text_follow_the_screen() -> None:
    """Inside Latin embedded in Arabic, Left still moves one cell left on screen."""
    layout = layout_paragraph("قال NBC اليوم", 20)
    row, x = layout.locate(5)  # "B"
    left = layout.visual_left(5)
    assert left == 4 and layout.locate(left) == (row, x - 1)  # "N" is left of "B"
    right = layout.visual_right(5)
    assert right == 6 and layout.locate(right) == (row, x + 1)


def test_up_and_down_keep_the_column() -> None:
    """Up/Down move to the same column (or the nearest cell) and stop at the paragraph edges."""
    layout = layout_paragraph(RTL_TEXT, 10)
    row, x = layout.locate(10)
    assert row == 1
    assert layout.up(10) == layout.offset_at(0, x)
    assert layout.down(layout.up(10)) == 10  # type: ignore[arg-type]
    assert layout.up(0) is None
    assert layout.down(10) is None
    assert layout.down(0, goal_x=0) == layout.nearest_offset(1, 0) == 13


def test_home_and_end_are_the_row_reading_edges() -> None:
    """Home goes to the row's first logical cell, End to its last (the break space)."""
    layout = layout_paragraph(RTL_TEXT, 10)
    assert layout.row_home(7) == 0
    assert layout.row_end(2) == 9
    assert layout.row_home(12) == 10 and layout.row_end(10) == 13
    assert layout.row_rightmost(0) == 0 and layout.row_leftmost(0) == 9
    lam_alef = layout_paragraph("لا", 5)
    assert lam_alef.row_end(0) == 0  # the ligature cell starts at 0 and ends after 1


def test_word_boundaries_in_reading_order() -> None:
    """Next/previous word starts are logical; marks and ligatures stay inside their word."""
    text = "قالَ لا، NBC News"
    layout = layout_paragraph(text, 40)
    assert layout.word_start_after(0) == 5
    assert layout.word_start_after(5) == 9
    assert layout.word_start_after(9) == 13
    assert layout.word_start_after(13) is None
    assert layout.word_start_before(13) == 9
    assert layout.word_start_before(11) == 9  # inside "NBC": back to its start
    assert layout.word_start_before(5) == 0
    assert layout.word_start_before(0) is None
    assert layout.word_at(2) == (0, 4)  # "قالَ" with its fatha
    assert layout.word_at(6) == (5, 7)  # the ligature: both letters
    assert layout.word_at(7) == (7, 8)  # the Arabic comma stands alone
    assert layout.word_at(8) == (8, 9)  # one space
