"""The UAX #9 implementation: classes, levels, reordering, mirroring."""

from __future__ import annotations

from annotator.text.bidi import (
    CLOSING,
    OPENING,
    bidi_classes,
    is_rtl_paragraph,
    line_levels,
    mirror,
    resolve_levels,
    visual_order,
)


def test_classes() -> None:
    """One letter per character; explicit formats are ignored (B), controls neutral (O)."""
    assert bidi_classes("aب1١ ,\u064e\u202e\x1b") == "LAENW,MBO"


def test_paragraph_direction_is_any_strong_rtl() -> None:
    """Any R/AL character (even after Latin, even an RLM) makes the paragraph RTL."""
    assert is_rtl_paragraph("NBC News قالت")
    assert is_rtl_paragraph("abc\u200f")
    assert not is_rtl_paragraph("NBC 2500 ()")
    assert not is_rtl_paragraph("")
    assert not is_rtl_paragraph("abc \u202eabc")  # RLO is not a strong character


def test_levels_match_fribidi_examples() -> None:
    """Levels pinned from `fribidi --rtl --levels` (GNU FriBidi 1.0.8)."""
    assert list(resolve_levels("abc שלום (x) def", True)) == [2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 2, 2, 2]
    # numbers: EN after AL becomes AN; separators between digits join them
    assert list(resolve_levels("ب 1,5 a", True)) == [1, 1, 2, 2, 2, 1, 2]
    assert list(resolve_levels("a 1 ب", False)) == [0, 0, 0, 0, 1]


def test_overrides_are_ignored() -> None:
    """RLO ... PDF does not change the levels of the characters it encloses."""
    assert list(resolve_levels("ab\u202ecd\u202c", False)) == [0, 0, 0, 0, 0, 0]


def test_bracket_pairs() -> None:
    """N0: brackets enclosing a strong embedding-direction character take that direction."""
    assert list(resolve_levels("ب (a) ج", True)) == [1, 1, 1, 2, 1, 1, 1]
    assert list(resolve_levels("a (b) ج", True)) == [2, 2, 2, 2, 2, 1, 1]
    assert OPENING["("] == ")" and CLOSING["]"] == "["


def test_visual_order_reverses_runs() -> None:
    """L2 on levels 1/2: RTL text with an LTR run inside."""
    assert visual_order([1, 1, 2, 2, 1]) == [4, 2, 3, 1, 0]
    assert visual_order([0, 0, 0]) == [0, 1, 2]
    assert visual_order([1, 1]) == [1, 0]
    assert visual_order([0, 1, 1, 2, 2, 0]) == [0, 3, 4, 2, 1, 5]
    assert visual_order([]) == []


def test_line_levels_reset_trailing_whitespace() -> None:
    """L1: trailing whitespace of a line goes to the paragraph level."""
    assert line_levels([2, 2, 2, 2], "LLWW", 1) == [2, 2, 1, 1]
    assert line_levels([2, 2, 2], "LTL", 1) == [2, 1, 2]


def test_mirror() -> None:
    """L4 mirrored glyphs."""
    assert mirror("(") == ")" and mirror("«") == "»" and mirror("<") == ">" and mirror("a") == "a"
