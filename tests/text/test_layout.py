"""Named cases for the paragraph layout (issue 3)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len

from annotator.text import layout as layout_module
from annotator.text.layout import (
    BIDI_EXPLICIT_MODE,
    BIDI_IMPLICIT_MODE,
    Cell,
    ParagraphLayout,
    layout_paragraph,
    terminal_epilogue,
    terminal_prologue,
)

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def fold(text: str) -> str:
    """Presentation forms back to base letters, for readable expectations."""
    return unicodedata.normalize("NFKC", text)


def visual(layout: ParagraphLayout) -> list[str]:
    """Rows as base letters, padded to the layout width."""
    return [fold(row.line(layout.width)) for row in layout.rows]


def all_cells(layout: ParagraphLayout) -> list[Cell]:
    """Every cell of every row."""
    return [cell for row in layout.rows for cell in row.cells]


def test_arabic_paragraph_is_rtl_and_right_aligned() -> None:
    """An Arabic paragraph reads right to left and its rows end at the right edge."""
    layout = layout_paragraph("مرحبا بالعالم", 20)
    assert layout.rtl
    assert visual(layout) == ["       ملاعلاب ابحرم"]
    row = layout.rows[0]
    assert row.x0 + row.cell_width == 20
    assert layout.locate(0) == (0, 19)  # the first letter is the rightmost cell


def test_latin_paragraph_is_ltr_and_left_aligned() -> None:
    """No strong RTL character: left to right, x0 == 0."""
    layout = layout_paragraph("NBC News (2500)", 20)
    assert not layout.rtl
    assert [row.x0 for row in layout.rows] == [0]
    assert layout.rows[0].text == "NBC News (2500)"


def test_latin_name_and_number_inside_arabic() -> None:
    """'NBC News' and '2500' keep their own left-to-right order inside Arabic."""
    text = "قالت NBC News إن 2500 جندي"
    layout = layout_paragraph(text, 40)
    assert visual(layout) == [" " * 14 + "يدنج 2500 نإ NBC News تلاق"]
    digits = [cell for cell in all_cells(layout) if cell.text.isdigit()]
    assert [cell.text for cell in digits] == list("2500")
    assert all(cell.rtl is False for cell in digits)  # level 2: even
    letters = [cell for cell in all_cells(layout) if "\u0600" <= fold(cell.text)[0] <= "\u06ff"]
    assert all(cell.rtl for cell in letters)


def test_brackets_and_guillemets_are_mirrored() -> None:
    """Rule L4: in RTL runs '(' is drawn as ')' and '«' as '»' so they still open the quote."""
    layout = layout_paragraph("قال (نعم) و«لا»", 30)
    # read left to right on screen: the logical "(" is the right-hand bracket, drawn as ")"
    assert visual(layout)[0].strip() == "«لا»و (معن) لاق"
    opening = next(cell for cell in all_cells(layout) if cell.start == 4)
    assert opening.text == ")" and opening.rtl
    guillemet = next(cell for cell in all_cells(layout) if cell.start == 11)
    assert guillemet.text == "»"


def test_brackets_around_latin_follow_rule_n0() -> None:
    """A bracket pair enclosing only Latin text inside Arabic takes the Latin direction."""
    layout = layout_paragraph("كتب (NBC) هنا", 30)
    assert visual(layout)[0].strip() == "انه (NBC) بتك"


def test_paragraph_that_is_one_long_quote_wraps_top_to_bottom() -> None:
    """A paragraph-long quotation: rows follow reading order, the quotes sit at the outer ends."""
    text = '"' + " ".join(["كلمة"] * 12) + '"'
    layout = layout_paragraph(text, 20)
    rows = visual(layout)
    assert len(rows) == 4
    assert rows[0].endswith('ةملك"')  # the opening quote is at the right end of the FIRST row
    assert rows[-1].lstrip().startswith('"')  # the closing quote is at the left of the LAST row
    assert [row.start for row in layout.rows] == [0, 16, 36, 56]
    assert layout.rows[-1].end == len(text)


def test_word_longer_than_width_is_hard_broken() -> None:
    """A word wider than the row is cut into full rows, in reading order."""
    layout = layout_paragraph("ابتثجحخدذرزسشصضط عربي", 5)
    assert [(row.start, row.end) for row in layout.rows] == [(0, 5), (5, 10), (10, 15), (15, 17), (17, 21)]
    assert all(row.x0 + row.cell_width <= 5 for row in layout.rows)
    assert fold(layout.rows[0].text) == "جثتبا"


def test_break_space_stays_at_the_end_of_its_row() -> None:
    """The space where a row breaks is the last cell of that logical row (the leftmost in RTL)."""
    layout = layout_paragraph("كلمة كلمة كلمة", 10)
    first = layout.rows[0]
    assert (first.start, first.end) == (0, 10)
    assert first.cells[0].text == " " and first.cells[0].start == 9
    assert first.x0 + first.cell_width <= 10


def test_empty_paragraph() -> None:
    """One row without cells, left-aligned, no offsets, LTR."""
    layout = layout_paragraph("", 30)
    assert not layout.rtl
    assert len(layout.rows) == 1
    row = layout.rows[0]
    assert (row.cells, row.x0, row.start, row.end, row.text) == ((), 0, 0, 0, "")
    assert layout.offset_at(0, 0) is None
    assert layout.nearest_offset(0, 5) == 0
    assert layout.range_runs(0, 1) == []
    with pytest.raises(IndexError):
        layout.locate(0)


def test_harakat_share_the_base_cell_on_the_last_letter_of_a_row() -> None:
    """Marks on a row's last letter stay in that letter's cell, on that row."""
    text = "كتبً كتاب"  # fathatan on the last letter of the first word
    layout = layout_paragraph(text, 4)
    first = layout.rows[0]
    assert (first.start, first.end) == (0, 5)  # three letters, one mark, the space
    cell = next(cell for cell in first.cells if cell.start == 2)
    assert (cell.start, cell.end) == (2, 4)
    assert cell.text.endswith("\u064b") and cell_len(cell.text) == 1
    assert layout.locate(3) == layout.locate(2)
    assert layout.rows[1].start == 5


def test_lam_alef_ligature_covers_two_offsets() -> None:
    """LAM + ALEF is one cell showing both offsets; both locate to it."""
    layout = layout_paragraph("لا", 10)
    (cell,) = layout.rows[0].cells
    assert (cell.start, cell.end) == (0, 2)
    assert cell.text == "\ufefb"  # ARABIC LIGATURE LAM WITH ALEF ISOLATED FORM
    assert layout.locate(0) == layout.locate(1) == (0, 9)
    joined = layout_paragraph("الأميركية", 20)
    ligature = next(cell for cell in all_cells(joined) if cell.end - cell.start == 2)
    assert (ligature.start, ligature.end, ligature.text) == (1, 3, "\ufef7")  # LAM WITH ALEF WITH HAMZA ABOVE


def test_control_characters_and_escape_sequences_become_placeholders() -> None:
    """ESC[2J and other controls are drawn as visible symbols, one cell each."""
    text = "قبل\x1b[2J\x07\tبعد\x9b\x7f"
    layout = layout_paragraph(text, 40)
    drawn = "".join(row.text for row in layout.rows)
    assert "\x1b" not in drawn and "\x07" not in drawn and "\t" not in drawn
    assert "\x9b" not in drawn and "\x7f" not in drawn
    by_offset = {cell.start: cell.text for cell in all_cells(layout)}
    assert by_offset[3] == "\u241b"  # SYMBOL FOR ESCAPE
    assert by_offset[7] == "\u2407"  # SYMBOL FOR BELL
    assert by_offset[8] == "\u2409"  # SYMBOL FOR HORIZONTAL TABULATION
    assert by_offset[12] == "\ufffd"  # C1 CSI
    assert by_offset[13] == "\u2421"  # SYMBOL FOR DELETE
    assert len(all_cells(layout)) == len(text)


def test_rlo_override_is_ignored() -> None:
    """'Trojan source': RLO/LRO do not reorder the display, and never reach the terminal."""
    text = "abc \u202edef\u202c ghi \u202dجمل\u202c"
    layout = layout_paragraph(text, 40)
    drawn = layout.rows[0].text
    assert not any(ch in drawn for ch in "\u202a\u202b\u202c\u202d\u202e")
    plain = layout_paragraph("abc def ghi جمل", 40)
    assert fold(drawn) == fold(plain.rows[0].text)
    assert fold(drawn).index("def") > fold(drawn).index("abc")  # not reversed to "fed"
    assert layout.locate(4)[0] == 0  # the override's offset maps to a cell


def test_isolates_and_marks_never_reach_the_output() -> None:
    """Every bidi format character has a cell to map to but draws nothing."""
    text = "\u2067abc\u2069 \u200fعربي\u200e \u061c\ufeff"
    layout = layout_paragraph(text, 40)
    drawn = "".join(row.text for row in layout.rows)
    assert all(unicodedata.category(ch) != "Cf" for ch in drawn)
    for offset in range(len(text)):
        row, x = layout.locate(offset)
        back = layout.offset_at(row, x)
        assert back is not None
        # an invisible character shares its cell with a neighbour: the round trip lands on that
        # cell's owner, which must map back to the very same cell
        assert layout.locate(back) == (row, x)


def test_terminal_mode_keeps_logical_order() -> None:
    """Terminal mode: no shaping, no reordering, left aligned; sanitising still applies."""
    text = "مرحبا NBC\x1b"
    layout = layout_paragraph(text, 20, "terminal")
    assert layout.rows[0].x0 == 0
    assert layout.rows[0].text == "مرحبا NBC\u241b"
    assert [cell.start for cell in layout.rows[0].cells] == list(range(len(text)))


def test_terminal_escape_sequences() -> None:
    """App mode turns the terminal's own bidi off at start (CSI 8 l) and back on at exit."""
    assert BIDI_EXPLICIT_MODE == "\x1b[8l" and BIDI_IMPLICIT_MODE == "\x1b[8h"
    assert terminal_prologue("app") == "\x1b[8l"
    assert terminal_epilogue("app") == "\x1b[8h"
    assert terminal_prologue("terminal") == "\x1b[8h"
    assert terminal_epilogue("terminal") == ""
    with pytest.raises(ValueError):
        terminal_prologue("bogus")  # type: ignore[arg-type]


def test_invalid_arguments() -> None:
    """Width below one and unknown modes are errors."""
    with pytest.raises(ValueError):
        layout_paragraph("abc", 0)
    with pytest.raises(ValueError):
        layout_paragraph("abc", 10, "visual")  # type: ignore[arg-type]


def test_wide_characters_take_two_columns() -> None:
    """CJK/emoji cells are two columns wide; at width 1 they become a placeholder."""
    layout = layout_paragraph("a中b", 10)
    cells = layout.rows[0].cells
    assert [cell.width for cell in cells] == [1, 2, 1]
    assert [layout.locate(i) for i in range(3)] == [(0, 0), (0, 1), (0, 3)]
    assert layout.offset_at(0, 2) == 1
    narrow = layout_paragraph("a中b", 1)
    assert [row.text for row in narrow.rows] == ["a", "\ufffd", "b"]


def test_locate_offset_at_and_nearest_offset() -> None:
    """Clicks map back to offsets; padding gives None; nearest_offset clamps."""
    layout = layout_paragraph("عربي", 10)
    assert [layout.locate(i) for i in range(4)] == [(0, 9), (0, 8), (0, 7), (0, 6)]
    assert [layout.offset_at(0, x) for x in range(10)] == [None] * 6 + [3, 2, 1, 0]
    assert layout.nearest_offset(0, 0) == 3
    assert layout.nearest_offset(0, 99) == 0
    with pytest.raises(IndexError):
        layout.locate(4)


def test_range_runs_cross_a_direction_change_and_a_row_break() -> None:
    """A span over Arabic and Latin on two rows gives several separate runs."""
    text = "واحد two ثلاثة اربعة"
    layout = layout_paragraph(text, 15)
    assert [(row.start, row.end) for row in layout.rows] == [(0, 15), (15, 20)]
    runs = layout.range_runs(2, 7)  # "حد tw": the "o" between them on screen is not in the span
    assert len(runs) == 2 and all(row == 0 for row, _, _ in runs)
    covered = {(row, x) for row, x0, x1 in runs for x in range(x0, x1)}
    assert covered == {layout.locate(i) for i in range(2, 7)}
    runs = layout.range_runs(2, 17)  # "حد two ثلاثة ار": crosses the row break
    covered = {(row, x) for row, x0, x1 in runs for x in range(x0, x1)}
    assert covered == {layout.locate(i) for i in range(2, 17)}
    assert [row for row, _, _ in runs] == [0, 1]


def test_layouts_are_cached_per_paragraph() -> None:
    """Same (text, width, mode) -> same object; other paragraphs are not re-laid."""
    first = layout_paragraph("فقرة أولى", 30)
    assert layout_paragraph("فقرة أولى", 30) is first
    assert layout_paragraph("فقرة أولى", 31) is not first
    before = layout_paragraph.cache_info().misses
    layout_paragraph("فقرة ثانية تغيرت", 30)
    assert layout_paragraph.cache_info().misses == before + 1
    assert layout_paragraph("فقرة أولى", 30) is first
    assert layout_module.layout_paragraph.cache_info().maxsize >= 1024


def test_corpus_paragraph_rows_never_exceed_width() -> None:
    """Every corpus paragraph at a few widths: rows fit and tile the paragraph."""
    for path in sorted(CORPUS.glob("*.txt")):
        for text in path.read_text(encoding="utf-8").split("\n"):
            for width in (1, 7, 33, 80):
                layout = layout_paragraph(text, width)
                assert all(row.x0 + row.cell_width <= width for row in layout.rows)
                assert layout.rows[0].start == 0 and layout.rows[-1].end == len(text)
