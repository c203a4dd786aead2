"""The six findings of issue 19's hard test set: emoji widths, visible format characters, tabs,
mirroring, joining types, paragraph direction -- each as the annotator would see it on screen."""

from __future__ import annotations

import unicodedata

import pytest
from rich.cells import cell_len

from annotator.text.document import DocumentLayout, meta_direction
from annotator.text.layout import Cell, ParagraphLayout, layout_paragraph
from annotator.text.sanitize import FLAG, kind_letters, sanitize
from annotator.text.shaping import shape

THUMBS_UP_MEDIUM = "\U0001f44d\U0001f3fd"  # thumbs up + skin tone modifier
RED_HEART = "\u2764\ufe0f"  # text-default heart + VS16
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl
SAUDI_FLAG = "\U0001f1f8\U0001f1e6"  # regional indicators S A
EMOJI_PARTS = (
    set("\ufe0f\u200d") | {chr(c) for c in range(0x1F3FB, 0x1F400)} | {chr(c) for c in range(0x1F1E6, 0x1F200)}
)


def cells(layout: ParagraphLayout) -> list[Cell]:
    """Every cell of every row."""
    return [cell for row in layout.rows for cell in row.cells]


def fold(text: str) -> str:
    """Presentation forms back to base letters."""
    return unicodedata.normalize("NFKC", text)


# -- 1. emoji width ------------------------------------------------------------------------------------


def test_emoji_clusters_are_sent_in_a_form_rich_and_terminals_agree_on() -> None:
    """Each emoji sequence is one cell showing its first emoji alone; Rich measures what the engine counts.

    Originally the heart with VS16 was a 1-cell cell Rich measures as 2, and the skin tone was sent
    (tmux draws the pair as 4 cells).
    """
    text = f"قال {THUMBS_UP_MEDIUM} و{RED_HEART} {FAMILY} {SAUDI_FLAG} نعم"
    layout = layout_paragraph(text, 40)
    by_start = {cell.start: cell for cell in cells(layout)}
    for cell in cells(layout):
        assert cell_len(cell.text) == cell.width, cell
        assert not EMOJI_PARTS & set(cell.text), cell
    thumbs = by_start[text.index(THUMBS_UP_MEDIUM)]
    assert (thumbs.text, thumbs.width, thumbs.end - thumbs.start) == ("\U0001f44d", 2, 2)
    heart = by_start[text.index(RED_HEART)]
    assert (heart.text, heart.width, heart.end - heart.start) == ("\u2764", 1, 2)
    family = by_start[text.index(FAMILY)]
    assert (family.text, family.width, family.end - family.start) == ("\U0001f468", 2, 5)
    flag = by_start[text.index(SAUDI_FLAG)]
    assert (flag.text, flag.width, flag.end - flag.start) == (FLAG, 1, 2)
    row = layout.rows[0]
    assert row.x0 + cell_len(row.text) == 40  # right-aligned by Rich's count too: no letter lost at the edge
    covered = sorted(offset for cell in cells(layout) for offset in range(cell.start, cell.end))
    assert covered == list(range(len(text)))  # the offset map stays whole, the stored text untouched


def test_lone_emoji_parts_are_placeholders_and_flags_pair_from_the_start() -> None:
    """A skin tone or regional indicator with nothing to belong to is a visible placeholder, never dropped."""
    assert kind_letters("a\U0001f3fd") == "bc"
    assert sanitize("a\U0001f3fd") == "a\ufffd"
    assert kind_letters("\U0001f1f8\U0001f1e6\U0001f1ea") == "chc"  # SA then a lone E
    assert sanitize(THUMBS_UP_MEDIUM + RED_HEART) == "\U0001f44d\u2764"


# -- 2. visible format characters ----------------------------------------------------------------------


def test_visible_arabic_format_characters_are_shown() -> None:
    """Number signs, the end of ayah and the disputed end of ayah are drawn; LRM, ZWJ and RLO are not.

    Originally every Cf character was hidden, so a verse number lost its end-of-ayah sign.
    """
    text = "\u0600١٢ الآية \u06dd١٢ \u08e2 \u0605\u200e\u200d\u202e"
    drawn = "".join(row.text for row in layout_paragraph(text, 40).rows)
    for ch in "\u0600\u06dd\u08e2\u0605":
        assert ch in drawn
    assert not set("\u200e\u200d\u202e") & set(drawn)
    assert sanitize("\u06dd١\u200f") == "\u06dd١"


# -- 3. tab ----------------------------------------------------------------------------------------------


def test_tab_separated_columns_in_arabic_read_right_to_left() -> None:
    """Columns separated by tabs in an Arabic paragraph: first column at the right (rule L1 on the tabs).

    Originally TAB was ON: between Latin columns it resolved to L and the columns read left to right.
    """
    text = "سعر صرف الدينار\tUSD 10\tEUR 12"
    layout = layout_paragraph(text, 40)
    assert layout.rtl
    row = layout.rows[0]
    shown = fold(row.text)
    assert shown.index("EUR 12") < shown.index("USD 10") < shown.index("رعس")
    tabs = [cell for cell in row.cells if cell.text == "\u2409"]  # drawn as SYMBOL FOR HORIZONTAL TABULATION
    assert len(tabs) == 2 and all(cell.rtl for cell in tabs)


# -- 4. mirroring ----------------------------------------------------------------------------------------


def test_mirrored_math_signs_in_rtl_runs() -> None:
    """Pairs python-bidi's table lacked (angle, right angle, approximately equal) mirror in Arabic text."""
    text = "الزاوية \u2220 و\u221f و\u2245"
    drawn = layout_paragraph(text, 40).rows[0].text
    assert "\u29a3" in drawn and "\u2bfe" in drawn and "\u224c" in drawn
    assert not set("\u2220\u221f\u2245") & set(drawn)


# -- 5. joining types ------------------------------------------------------------------------------------


def test_dual_joining_letters_without_presentation_forms_join_their_neighbours() -> None:
    """A letter that is dual-joining in ArabicShaping.txt (U+0750) makes BEH before it initial.

    Originally every letter without presentation forms was non-joining, and U+06BA right-joining.
    """
    assert shape("\u0628\u0750").forms[0] == "\ufe91"  # BEH initial
    assert shape("\u06ba\u0628").forms[1] == "\ufe90"  # NOON GHUNNA joins the BEH after it: BEH final
    # the number sign does not join, and is no longer skipped as transparent: BEH stays isolated
    assert shape("\u0628\u0600\u0628").forms[0] == "\ufe8f"


# -- 6. paragraph direction ------------------------------------------------------------------------------

ARABIC_OPENING_LATIN = "NBC News قالت إن القوات الأميركية وصلت إلى قاعدة عين الأسد"
ENGLISH_QUOTING_ARABIC = "The spokesman said «لا تفاوض» and the talks ended on Monday."


def test_arabic_paragraph_opening_with_a_latin_name_stays_rtl() -> None:
    """The majority of strong letters is Arabic: RTL, right-aligned, the Latin name at the right end."""
    layout = layout_paragraph(ARABIC_OPENING_LATIN, 80)
    assert layout.rtl
    assert fold(layout.rows[0].text).endswith("NBC News")


def test_english_paragraph_quoting_arabic_is_ltr() -> None:
    """The English clauses keep their order; originally any Arabic letter made the paragraph RTL."""
    layout = layout_paragraph(ENGLISH_QUOTING_ARABIC, 80)
    assert not layout.rtl and layout.rows[0].x0 == 0
    shown = fold(layout.rows[0].text)
    assert shown.startswith("The spokesman said «") and shown.endswith("» and the talks ended on Monday.")
    assert "«ضوافت لا»" in shown  # the quoted Arabic itself reads right to left (لا: one ligature cell)


def test_meta_direction_overrides_the_majority() -> None:
    """A document's meta {"direction": ...} forces every paragraph's direction."""
    assert meta_direction({"direction": "ltr"}) == "ltr" and meta_direction({"direction": "RTL"}) == "rtl"
    assert meta_direction({}) == meta_direction(None) == meta_direction({"direction": 3}) == "auto"
    forced = layout_paragraph(ARABIC_OPENING_LATIN, 80, direction="ltr")
    assert not forced.rtl and forced.rows[0].x0 == 0
    assert layout_paragraph(ENGLISH_QUOTING_ARABIC, 80, direction="rtl").rtl
    with pytest.raises(ValueError):
        layout_paragraph("abc", 10, direction="up")  # type: ignore[arg-type]
    document = DocumentLayout(ARABIC_OPENING_LATIN + "\n\n" + ENGLISH_QUOTING_ARABIC, 80, "app", "ltr")
    assert [document.is_rtl(i) for i in range(3)] == [False, False, False]
    auto = DocumentLayout(ARABIC_OPENING_LATIN + "\n\n" + ENGLISH_QUOTING_ARABIC, 80)
    assert [auto.is_rtl(0), auto.is_rtl(2)] == [True, False]
