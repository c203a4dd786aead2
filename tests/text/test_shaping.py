"""Arabic shaping: presentation forms with a 1:1 offset map."""

from __future__ import annotations

from pathlib import Path

from arabic_reshaper import ArabicReshaper
from hypothesis import given
from hypothesis import strategies as st

from annotator.text import _forms as forms
from annotator.text import shaping
from annotator.text.shaping import form_codes, joining_type, needs_shaping, shape

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
# arabic-reshaper with harakat kept and only the LAM-ALEF ligatures (its default also
# deletes harakat and turns "الله" into one ligature cell)
RESHAPER = ArabicReshaper(configuration={"delete_harakat": False, "ARABIC LIGATURE ALLAH": False})


def test_corpus_shapes_like_arabic_reshaper() -> None:
    """Every corpus paragraph shapes exactly as arabic-reshaper does (harakat kept)."""
    paragraphs = [
        line for path in sorted(CORPUS.glob("*.txt")) for line in path.read_text(encoding="utf-8").split("\n")
    ]
    assert len(paragraphs) > 150
    for paragraph in paragraphs:
        assert "".join(shape(paragraph).forms) == RESHAPER.reshape(paragraph)


def test_forms_of_one_word() -> None:
    """Initial, medial and final forms; a right-joining letter breaks the word."""
    shaped = shape("بيت دار")
    assert shaped.forms == ["\ufe91", "\ufef4", "\ufe96", " ", "\ufea9", "\ufe8d", "\ufead"]
    assert shaped.ligated == []


def test_lam_alef_ligature_keeps_the_offset_map() -> None:
    """LAM + ALEF: the ligature sits at LAM's offset, ALEF's form is empty."""
    shaped = shape("بلا")
    assert shaped.forms == ["\ufe91", "\ufefc", ""]
    assert shaped.ligated == [2]
    with_mark = shape("لَا")
    assert with_mark.forms == ["\ufefb", "\u064e", ""]
    assert with_mark.ligated == [2]


def test_format_character_blocks_the_ligature() -> None:
    """An LRM or ZWJ between LAM and ALEF: no ligature (it would hide the character's effect)."""
    assert shape("ل\u200eا").ligated == []
    assert shape("ل\u200dا").ligated == []


def test_zwnj_and_zwj() -> None:
    """ZWNJ stops joining, ZWJ forces it."""
    assert shape("ب\u200cب").forms == ["\ufe8f", "\u200c", "\ufe8f"]
    assert shape("ب\u200d").forms == ["\ufe91", "\u200d"]


def test_joining_types_and_form_codes() -> None:
    """Joining types come from the presentation-form tables."""
    assert [joining_type(ch) for ch in "بدءـ\u064e a"] == ["D", "R", "U", "C", "T", "U", "U"]
    assert form_codes("DDRUD") == "imfss"
    assert not needs_shaping("abc 123")


@given(st.text(alphabet="ابتلدرزءةـىيو \u064e\u0651\u200c\u200daz1", max_size=40))
def test_shape_keeps_one_entry_per_offset(text: str) -> None:
    """Same length; only ligated ALEFs are empty; non-letters are untouched."""
    shaped = shape(text)
    assert len(shaped.forms) == len(text)
    assert [i for i, form in enumerate(shaped.forms) if form == ""] == shaped.ligated
    for ch, form in zip(text, shaped.forms):
        if ch in " \u064e\u0651\u200c\u200daz1ـ":
            assert form == ch


def test_literal_forms_table_equals_unicode_decompositions() -> None:
    """_forms.py is generated; it must still be what this Python's unicodedata derives (regenerate if not)."""
    letters, lam_alef = shaping._build_tables()
    assert (forms.LETTER_FORMS, forms.LAM_ALEF_FORMS) == (letters, lam_alef)
    assert len(letters) >= 40 and set(lam_alef) == {"\u0622", "\u0623", "\u0625", "\u0627"}
    assert Path(forms.__file__).read_text(encoding="utf-8") == shaping.render_forms_module()


def test_lam_alef_ligature_forms_across_an_explicit_embedding_but_not_a_joiner() -> None:
    """Explicit embeddings are removed for display (UAX #9 X9), so LAM + LRE + ALEF ligates as FriBidi does;
    ZWJ, ZWNJ and LRM between them ask for the letters apart."""
    from annotator.text.shaping import shape

    assert shape("ل\u202aا").ligated == [2]
    for separator in ("\u200d", "\u200c", "\u200e"):
        assert shape(f"ل{separator}ا").ligated == []
