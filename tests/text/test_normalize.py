"""Find: loose Arabic matching on whole words, a proclitic prefix left outside, `*` for a partial match."""

from __future__ import annotations

import pytest

from annotator.text.normalize import end_cuts_word, find, start_cuts_word

TEXT = "هاجمت القوات الأميركية والعراقية مواقع في العراق وبالعراق، وقال العراقيون إن لبنان بعيد"


def _all(text: str, query: str) -> list[str]:
    """Every match's text, in order, following find from the start until it wraps around."""
    found: list[str] = []
    position = -1
    seen: set[int] = set()
    while (match := find(text, query, position)) is not None and match[0] not in seen:
        seen.add(match[0])
        found.append(text[match[0] : match[1]])
        position = match[0]
    return found


def test_whole_words_only_by_default() -> None:
    """«العراق» is not found inside «العراقية» or «العراقيون»."""
    start = find(TEXT, "العراق", -1)
    assert start is not None and TEXT[start[0] : start[1]] == "العراق"
    assert start == (TEXT.index(" العراق ") + 1, TEXT.index(" العراق ") + 1 + len("العراق"))
    assert _all(TEXT, "العراق") == ["العراق", "العراق"]  # the word, then inside «وبالعراق» after «وب»


@pytest.mark.parametrize(
    "word, query",
    [
        ("والعراق", "العراق"),
        ("فالعراق", "العراق"),
        ("بالعراق", "العراق"),
        ("كالعراق", "العراق"),
        ("لأميركا", "أميركا"),
        ("وبالعراق", "العراق"),
        ("ولأميركا", "أميركا"),
        ("وكالعراق", "العراق"),
        ("فبالعراق", "العراق"),
        ("فلأميركا", "أميركا"),
        ("فكالعراق", "العراق"),
        ("وَبِالعراق", "العراق"),
    ],
)
def test_a_proclitic_prefix_is_left_outside(word: str, query: str) -> None:
    """«والعراق» finds «العراق» with the «و» left outside: how the guidelines tag."""
    text = f"زار {word} أمس"
    start = text.index(word)
    assert find(text, query, 0) == (start + len(word) - len(query), start + len(word))


@pytest.mark.parametrize("word", ["مالعراق", "بوالعراق", "الالعراق", "عراق"])
def test_other_letters_before_are_not_a_prefix(word: str) -> None:
    assert find(f"زار {word} أمس", "العراق" if word != "عراق" else "راق", 0) is None


def test_star_asks_for_a_partial_match() -> None:
    start = TEXT.index("العراقية")
    assert find(TEXT, "العراق*", 0) == (start, start + len("العراق"))  # «و» of «والعراقية» is a prefix
    inside = TEXT.index("عراقيون")
    assert find(TEXT, "*عراقيو", inside - 5) is None  # ends inside: needs the trailing star too
    assert find(TEXT, "*عراقيو*", inside - 5) == (inside, inside + len("عراقيو"))
    assert find(TEXT, "*راقيون", inside - 5) == (inside + 1, inside + len("عراقيون"))


def test_loose_folding_and_harakat_still_apply() -> None:
    text = "قال إنَّ الأَنبارَ هادئة"
    start = text.index("الأَنبارَ")
    assert find(text, "الانبار", 0) == (start, start + len("الأَنبارَ"))  # the last fatha comes along
    assert find(text, "ان", 0) == (text.index("إنَّ"), text.index("إنَّ") + len("إنَّ"))
    assert find(text, "هادئه", 0) == (text.index("هادئة"), len(text))


def test_backwards_skips_part_words_and_wraps() -> None:
    last = TEXT.index("وبالعراق") + 2  # the last whole-word match, after «وب»
    word = TEXT.index(" العراق ") + 1
    assert find(TEXT, "العراق", last, backwards=True) == (word, word + len("العراق"))
    assert find(TEXT, "العراق", word, backwards=True) == (last, last + len("العراق"))  # wraps past «العراقيون»


def test_latin_and_digits_are_words_too() -> None:
    text = "NBC News و NBCs قالت 15 و150"
    assert find(text, "nbc", 0) == (0, 3)
    assert find(text, "nbc", 1) == (0, 3)  # wraps: «NBCs» is no match
    assert find(text, "15", 0) == (text.index("15"), text.index("15") + 2)
    assert find(text, "150", 0) == (text.index("150"), text.index("150") + 3)  # after the proclitic «و»


def test_nothing_to_find() -> None:
    assert find(TEXT, "  ", 0) is None
    assert find(TEXT, "*", 0) is None
    assert find(TEXT, "غير موجود", 0) is None


def test_word_cut_helpers() -> None:
    text = "والعراقية"
    assert start_cuts_word(text, 1) is None  # after «و»
    assert start_cuts_word(text, 3) == (0, len(text))  # after «وال»
    assert end_cuts_word(text, len(text) - 2) == (0, len(text))
    assert end_cuts_word(text, len(text)) is None
    assert start_cuts_word("«داعش»", 1) is None and end_cuts_word("«داعش»", 5) is None


def test_a_format_character_between_words_is_a_word_break_kept_with_the_letter_before() -> None:
    """An RLM splits tokens as a space does; it is drawn in its letter's cell, so the match takes it along."""
    text = "العراق\u200fاليوم"
    assert find(text, "العراق", 0) == (0, len("العراق") + 1)
    assert find(text, "اليوم", 0) == (len("العراق") + 1, len(text))
