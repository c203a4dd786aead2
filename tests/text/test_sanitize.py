"""Display sanitising: controls become placeholders, format characters are hidden."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.text.sanitize import (
    BIDI_FORMATS,
    DOTTED_CIRCLE,
    Kind,
    classify,
    is_unsafe,
    kind_letters,
    placeholder,
    sanitize,
    table_kind,
)


def test_c0_controls_use_control_pictures() -> None:
    """NUL..US map to U+2400..U+241F, DEL to U+2421."""
    assert placeholder("\x00") == "\u2400"
    assert placeholder("\x1b") == "\u241b"
    assert placeholder("\t") == "\u2409"
    assert placeholder("\x7f") == "\u2421"
    assert placeholder("\x9b") == "\ufffd"


def test_escape_sequence_is_made_visible_one_cell_per_character() -> None:
    """ESC[2J cannot clear the screen: it is drawn, offsets kept."""
    assert sanitize("a\x1b[2Jb") == "a\u241b[2Jb"
    assert len(sanitize("\x1b[2J")) == 4


def test_kinds() -> None:
    """Letters are bases, harakat marks, format characters hidden, controls placeholders."""
    assert classify("ب") == (Kind.BASE, "ب")
    assert classify("\u064e") == (Kind.MARK, "\u064e")
    assert classify("\u200f") == (Kind.HIDDEN, "")
    assert classify("\ufeff") == (Kind.HIDDEN, "")
    assert classify("\u2028") == (Kind.CONTROL, "\u2424")
    assert classify("\u2029") == (Kind.CONTROL, "\u00b6")
    assert classify("\ud800") == (Kind.CONTROL, "\ufffd")
    assert classify("中") == (Kind.WIDE, "中")
    assert classify("\u06dd") == (Kind.BASE, "\u06dd")  # END OF AYAH: a visible format character
    assert classify("\ufe0f") == (Kind.HIDDEN, "")  # variation selectors are default-ignorable
    assert classify("\U000e0000") == (Kind.HIDDEN, "")  # unassigned but default-ignorable
    assert classify("\U0003fffd") == (Kind.CONTROL, "\ufffd")  # unassigned: no glyph to draw
    assert kind_letters("ب\u064e\u200f\x1b中") == "bmhcw"
    assert DOTTED_CIRCLE == "\u25cc"


def test_bidi_formats_are_hidden_and_unsafe() -> None:
    """All twelve bidi format characters are removed from display strings."""
    assert len(BIDI_FORMATS) == 12
    for ch in BIDI_FORMATS:
        assert classify(ch)[0] is Kind.HIDDEN
        assert is_unsafe(ch)
        assert sanitize("a" + ch + "b") == "ab"
    assert not is_unsafe("ب")


@given(st.text())
def test_sanitized_text_has_no_control_or_hidden_characters(text: str) -> None:
    """Whatever the input, the sanitised string is safe to print: only visible format characters remain."""
    import unicodedata

    clean = sanitize(text)
    assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in clean)
    assert all(table_kind(ord(ch)) in "bwm" for ch in clean)
    assert "\u2028" not in clean and "\u2029" not in clean
