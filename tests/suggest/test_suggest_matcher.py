"""The pattern matcher: clitics, normalisation, whole words, multi-word names, overlaps, offsets."""

from __future__ import annotations

import pytest

from annotator.model import DEFAULT_LABELS, Label
from annotator.suggest import (
    Pattern,
    Suggestion,
    build_matcher,
    suggest,
    suggest_many,
    summarise,
    summary_lines,
)
from annotator.suggest.normal import plain


def found(text: str, *patterns: tuple[str, str], labels: tuple[Label, ...] = DEFAULT_LABELS) -> list[tuple[str, str]]:
    """(suggested text, label) of every suggestion of these (label, pattern) pairs in text."""
    matcher = build_matcher([Pattern(label, pattern) for label, pattern in patterns], "test", labels)
    return [(text[s.start : s.end], s.label) for s in suggest(text, matcher)]


@pytest.mark.parametrize(
    ("text", "pattern", "expected"),
    [
        ("في بالأنبار أمس", "الأنبار", "الأنبار"),
        ("والعراق", "العراق", "العراق"),
        ("ضربة لداعش", "داعش", "داعش"),
        ("وبالأنبار", "الأنبار", "الأنبار"),
        ("فبالأنبار", "الأنبار", "الأنبار"),
        ("كالعراق", "العراق", "العراق"),
        ("فالعراق", "العراق", "العراق"),
        ("ولداعش", "داعش", "داعش"),
        ("وداعش", "داعش", "داعش"),
        ("فكداعش", "داعش", "داعش"),
    ],
)
def test_a_proclitic_stays_outside(text: str, pattern: str, expected: str) -> None:
    assert found(text, ("place", pattern)) == [(expected, "place")]


@pytest.mark.parametrize(
    ("text", "expected"), [("للفلوجة", "للفلوجة"), ("وللفلوجة", "للفلوجة"), ("فللفلوجة", "للفلوجة")]
)
def test_a_lam_that_swallowed_the_article_is_suggested_with_the_word(text: str, expected: str) -> None:
    assert found(f"قرب {text}.", ("place", "الفلوجة")) == [(expected, "place")]


@pytest.mark.parametrize(
    "text",
    ["داعشي", "الداعشية", "العراقية", "سالعراق", "ببالعراق", "والالعراق", "لالعراق", "x العراقx", "2العراق"],
)
def test_only_whole_words_and_known_proclitics_match(text: str) -> None:
    assert found(text, ("place", "العراق"), ("actor", "داعش")) == []


def test_a_name_starting_with_a_clitic_letter_is_never_split() -> None:
    # «بغداد» is the name, not ب + غداد; «ببغداد» is ب + بغداد.
    assert found("بغداد وببغداد", ("place", "غداد"), ("place", "بغداد")) == [("بغداد", "place"), ("بغداد", "place")]


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("إيران", "ايران"),
        ("ايران", "إيران"),
        ("آمرلي", "امرلي"),
        ("ٱلعراق", "العراق"),
        ("الأنبار", "الانبار"),
        ("الفلوجه", "الفلوجة"),
        ("الفلوجة", "الفلوجه"),
        ("ديالى", "ديالي"),
        ("ديالي", "ديالى"),
        ("العِرَاقُ", "العراق"),
        ("العراق", "العِراق"),
        ("داعـــش", "داعش"),
        ("CENTCOM", "Centcom"),
        ("centcom", "CENTCOM"),
        ("نيويورك \t  تايمز", "نيويورك تايمز"),
        ("نيويورك تايمز", " نيويورك   تايمز "),
    ],
)
def test_matching_is_normalised(text: str, pattern: str) -> None:
    assert found(f"«{text}»", ("actor", pattern)) == [(text, "actor")]


@pytest.mark.parametrize(("text", "pattern"), [("رئيس", "رييس"), ("مسؤول", "مسوول"), ("ß", "ss")])
def test_only_the_issues_foldings_apply(text: str, pattern: str) -> None:
    # find also folds ئ and ؤ; suggestions keep them apart, as issue 15 lists its foldings exactly.
    assert found(text, ("actor", pattern)) == []


def test_a_name_does_not_run_across_a_line_break() -> None:
    assert found("نيويورك\nتايمز", ("actor", "نيويورك تايمز")) == []
    assert found("نيويورك \n\n تايمز", ("actor", "نيويورك تايمز")) == []


def test_multi_word_names_with_a_clitic_on_the_first_word() -> None:
    text = "وقالت القيادة المركزية الأميركية، وللقيادة المركزية الأميركية بيان والقيادة المركزية الأميركيةِ."
    assert found(text, ("actor", "القيادة المركزية الأميركية")) == [
        ("القيادة المركزية الأميركية", "actor"),
        ("للقيادة المركزية الأميركية", "actor"),
        ("القيادة المركزية الأميركيةِ", "actor"),
    ]


def test_the_longest_match_wins() -> None:
    text = "الدولة الإسلامية في العراق والشام"
    patterns = (
        ("actor", "الدولة"),
        ("actor", "الدولة الإسلامية"),
        ("place", "العراق"),
        ("actor", "الدولة الإسلامية في العراق والشام"),
    )
    assert found(text, *patterns) == [(text, "actor")]
    assert found("الدولة الإسلامية وحدها", *patterns[:3]) == [("الدولة الإسلامية", "actor")]


def test_overlapping_matches_are_read_leftmost_longest() -> None:
    # As POSIX regular expressions: the match that starts first wins, the longest of those starting there.
    text = "وادي الحزيمي الغربي"
    assert found(text, ("place", "الحزيمي الغربي"), ("place", "وادي الحزيمي")) == [("وادي الحزيمي", "place")]
    assert found(text, ("place", "الحزيمي الغربي"), ("place", "وادي")) == [
        ("وادي", "place"),
        ("الحزيمي الغربي", "place"),
    ]


def test_of_two_equally_long_overlapping_matches_the_leftmost_wins() -> None:
    text = "سوق نهر جسر"
    assert found(text, ("place", "نهر جسر"), ("place", "سوق نهر")) == [("سوق نهر", "place")]


def test_a_longer_match_that_fails_at_a_word_edge_does_not_hide_a_shorter_one() -> None:
    assert found("الدولة الإسلاميين", ("actor", "الدولة"), ("actor", "الدولة الإسلامي")) == [("الدولة", "actor")]


def test_suggestions_of_different_layers_may_overlap() -> None:
    labels = (*DEFAULT_LABELS, Label("org", "org", "5", "#000000"))
    result = found("قالت القيادة المركزية", ("actor", "القيادة المركزية"), ("org", "القيادة"), labels=labels)
    assert result == [("القيادة المركزية", "actor"), ("القيادة", "org")]


def test_the_same_name_with_two_labels_in_one_layer_keeps_the_first_and_says_so() -> None:
    matcher = build_matcher([Pattern("actor", "داعش"), Pattern("place", "داعش"), Pattern("actor", "دَاعش")], "p.jsonl")
    assert [s.label for s in suggest("داعش", matcher)] == ["actor"]
    assert len(matcher.conflicts) == 1
    assert "'داعش' (place)" in matcher.conflicts[0] and "(actor)" in matcher.conflicts[0]


def test_a_pattern_starting_with_punctuation_needs_no_word_edge_before_it() -> None:
    assert found("قاعدة 'يونيون 3'", ("place", "'يونيون 3'")) == [("'يونيون 3'", "place")]


def test_suggestions_carry_source_and_no_score() -> None:
    matcher = build_matcher([Pattern("place", "العراق")], "patterns.jsonl")
    assert suggest("في العراق", matcher) == [Suggestion(3, 9, "place", "patterns.jsonl", None)]


def test_unknown_label_or_blank_pattern_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown label"):
        build_matcher([Pattern("city", "بغداد")], "x")
    with pytest.raises(ValueError, match="blank"):
        build_matcher([Pattern("place", " \u064e ")], "x")


def test_offsets_point_into_the_stored_text_past_astral_characters_and_marks() -> None:
    text = "😀\u200f بِالأَنْبَارِ\u200f، 𝐀 والعراقُ"
    result = found(text, ("place", "الأنبار"), ("place", "العراق"))
    assert result == [("الأَنْبَارِ\u200f", "place"), ("العراقُ", "place")]


def test_a_batch_finds_what_each_text_finds_alone() -> None:
    texts = ["داعش في الأنبار", "", "\u064e", "لداعش\n\nوالأنبار", "نيويورك", "تايمز داعش"] * 3
    matcher = build_matcher(
        [Pattern("actor", "داعش"), Pattern("place", "الأنبار"), Pattern("actor", "نيويورك تايمز")], "x"
    )
    assert suggest_many(texts, matcher) == [suggest(text, matcher) for text in texts]
    assert all(
        plain(texts[i][s.start : s.end]) in {"داعش", "الانبار"}
        for i, doc in enumerate(suggest_many(texts, matcher))
        for s in doc
    )


def test_no_match_runs_across_two_texts_of_a_batch() -> None:
    matcher = build_matcher([Pattern("actor", "نيويورك تايمز")], "x")
    assert suggest_many(["نيويورك", "تايمز"], matcher) == [[], []]


def test_the_summary_counts_per_label_and_per_document() -> None:
    per_document = {
        "a": [Suggestion(0, 1, "place", "x"), Suggestion(2, 3, "actor", "x"), Suggestion(4, 5, "place", "x")],
        "b": [],
    }
    summary = summarise(per_document, ["actor", "figure", "place"])
    assert summary.by_label == {"actor": 1, "figure": 0, "place": 2}
    assert summary.by_document == {"a": 3, "b": 0}
    assert summary.total == 3
    lines = summary_lines(summary)
    assert lines[0] == "3 suggestions in 2 documents"
    assert [line.split() for line in lines[1:]] == [
        ["actor", "1"],
        ["figure", "0"],
        ["place", "2"],
        ["a", "3"],
        ["b", "0"],
    ]
