"""Tokens, sentences and word look-ups (DESIGN §5), including the local fast paths against whole-text scans."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.text.tokenizer import (
    _raw_tokens,
    _raw_tokens_slow,
    next_word_start,
    previous_word_start,
    sentence_breaks,
    tokenize,
    word_bounds,
)

ALPHABET = 'ابتجة ىأإآ\u064b\u064e\u0640\u200f\u200c«»“”"().،؛؟!:-\n\t 1٢aZ\x1b\U0001f600'


def _reference_bounds(text: str, offset: int) -> tuple[int, int] | None:
    for start, end in _raw_tokens_slow(text):
        if start <= offset < end:
            return start, end
        if start > offset:
            return None
    return None


@settings(max_examples=400)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_regex_tokens_equal_the_character_loop(text: str) -> None:
    assert list(_raw_tokens(text)) == list(_raw_tokens_slow(text))


@settings(max_examples=400)
@given(st.text(alphabet=ALPHABET, max_size=40), st.integers(0, 40))
def test_local_word_lookups_equal_whole_text_scans(text: str, offset: int) -> None:
    if offset < len(text):
        assert word_bounds(text, offset) == _reference_bounds(text, offset)
    starts = [start for start, _ in _raw_tokens_slow(text)]
    after = [s for s in starts if s > offset]
    before = [s for s in starts if s < offset]
    assert next_word_start(text, offset) == (after[0] if after else None)
    assert previous_word_start(text, offset) == (before[-1] if before else None)


@settings(max_examples=300)
@given(st.text(alphabet=ALPHABET, max_size=40), st.lists(st.integers(0, 40), max_size=5))
def test_tokens_are_cut_at_every_cut_and_cover_all_visible_text(text: str, cuts: list[int]) -> None:
    tokens = tokenize(text, cuts)
    for token in tokens:
        assert token.text == text[token.start : token.end] and token.start < token.end
        assert not any(c.isspace() for c in token.text)
        assert token.ws == (token.end < len(text) and text[token.end].isspace())
    edges = {t.start for t in tokens} | {t.end for t in tokens}
    for cut in cuts:
        if any(t.start < cut < t.end for t in tokenize(text)):
            assert cut in edges


def test_clitics_are_never_split_outside_cuts() -> None:
    assert [t.text for t in tokenize("بغداد بالأنبار")] == ["بغداد", "بالأنبار"]
    text = "بالأنبار"
    assert [t.text for t in tokenize(text, [1])] == ["ب", "الأنبار"]


def test_sentences_end_at_marks_and_line_ends_not_inside_numbers() -> None:
    text = "بلغ العدد 2.5 مليون... ثم انتهى. هل انتهى؟ نعم!\nسطر جديد"
    tokens = tokenize(text)
    ends = [tokens[i].text for i in sentence_breaks(text, tokens)]
    assert ends == [".", ".", "؟", "!", "جديد"]


def test_punctuation_tokens() -> None:
    assert [t.text for t in tokenize('قال: "داعش"، (15) «نعم»')] == [
        "قال",
        ":",
        '"',
        "داعش",
        '"',
        "،",
        "(",
        "15",
        ")",
        "«",
        "نعم",
        "»",
    ]
