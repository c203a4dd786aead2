"""The UAX #9 implementation: classes, levels, reordering, mirroring."""

from __future__ import annotations

import pytest

from annotator.text.bidi import (
    CLOSING,
    MIRROR,
    OPENING,
    bidi_classes,
    first_strong_rtl,
    is_rtl_paragraph,
    line_levels,
    mirror,
    paragraph_rtl,
    resolve_levels,
    visual_order,
)


def test_classes() -> None:
    """One letter per character; explicit formats are ignored (B); controls keep their own class."""
    assert bidi_classes("aب1١ ,\u064e\u202e\x1b") == "LAENW,MBB"
    assert bidi_classes("\t\x0b\x1f\r\x1c\x85") == "TTTPPP"  # segment and paragraph separators


def test_tab_is_a_segment_separator_so_rule_l1_applies() -> None:
    """Tab-separated Latin columns in an Arabic paragraph: each column is its own run, right to left.

    With TAB as ON (the original classes) the tabs between Latin columns resolved to L and the
    columns came out in left-to-right order.
    """
    text = "جدول\tAB\tCD\tEF"
    classes = bidi_classes(text)
    assert classes.count("T") == 3
    levels = line_levels(resolve_levels(text, True), classes, 1)
    assert [levels[i] for i, ch in enumerate(text) if ch == "\t"] == [1, 1, 1]
    order = "".join(text[i] for i in visual_order(levels))
    assert order == "EF\tCD\tAB\tلودج"


def test_paragraph_direction_is_the_majority_of_strong_letters() -> None:
    """More R/AL than L letters: RTL; fewer: LTR; a tie: the first strong letter."""
    assert is_rtl_paragraph("NBC News قالت إن القوات وصلت")  # opens with a Latin name, mostly Arabic
    assert not is_rtl_paragraph("The statement said «لا تفاوض» and ended there.")
    assert is_rtl_paragraph("abc\u200f\u200f\u200f\u200f")  # RLM is a strong R character
    assert not is_rtl_paragraph("NBC 2500 ()")
    assert not is_rtl_paragraph("")
    assert not is_rtl_paragraph("abc \u202eabc")  # RLO is not a strong character
    assert is_rtl_paragraph("ابc") and not is_rtl_paragraph("abب")
    assert is_rtl_paragraph("اa") and not is_rtl_paragraph("aا")  # tie: first strong letter
    assert first_strong_rtl(bidi_classes("قال NBC")) and not first_strong_rtl(bidi_classes("NBC قالت"))


def test_direction_can_be_forced() -> None:
    """ "rtl"/"ltr" override the majority; anything else is an error."""
    assert paragraph_rtl("NBC News", "rtl") and not paragraph_rtl("قالت", "ltr")
    assert paragraph_rtl("قالت", "auto")
    with pytest.raises(ValueError):
        paragraph_rtl("x", "sideways")  # type: ignore[arg-type]


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
    assert line_levels([2, 2, 2, 2, 2], "LWBTL", 1) == [2, 1, 1, 1, 2]  # whitespace before a tab too


def test_mirror() -> None:
    """L4 mirrored glyphs."""
    assert mirror("(") == ")" and mirror("«") == "»" and mirror("<") == ">" and mirror("a") == "a"


def test_mirroring_table_is_complete() -> None:
    """Every pair of BidiMirroring.txt, including those python-bidi's copy lacked."""
    assert len(MIRROR) == 428
    assert mirror("\u2220") == "\u29a3" and mirror("\u29a3") == "\u2220"  # ANGLE / REVERSED ANGLE
    assert mirror("\u221f") == "\u2bfe" and mirror("\u2245") == "\u224c"
