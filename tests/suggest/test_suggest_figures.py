"""The built-in figures rule, on sentences of the bundled corpus and on constructed ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.suggest import FIGURE, figures, figures_many

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
TEXTS = {path.name[:2]: path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))}


def in_corpus(article: str, passage: str) -> list[str]:
    """The figures the rule finds, in the whole article, inside this passage of it."""
    text = TEXTS[article]
    at = text.index(passage)
    return [text[s.start : s.end] for s in figures(text) if at <= s.start and s.end <= at + len(passage)]


@pytest.mark.parametrize(
    ("article", "passage", "expected"),
    [
        ("01", "مما أسفر عن سقوط 15 عنصراً من التنظيم", ["15 عنصراً"]),
        (
            "01",
            "وأصيب سبعة جنود أميركيين خلال العملية التي شملت أكثر من 200 جندي من البلدين",
            ["سبعة جنود", "200 جندي"],
        ),
        ("01", "في العملية بـ15 مسلحاً.", ["15 مسلحاً"]),
        ("01", "أكثر من 40 ألف عنصر من أكثر من 80 دولة.", ["40 ألف عنصر", "80 دولة"]),
        ("01", "أكثر من تسعة آلاف معتقل", ["تسعة آلاف معتقل"]),
        ("01", "ويتم احتجاز 43 ألف شخص", ["43 ألف شخص"]),
        ("04", "80 ألف باوند (36 طنا)", ["80 ألف باوند", "36 طنا"]),
        ("05", "2500 جندي في العراق و900 جندي في سوريا", ["2500 جندي", "900 جندي"]),
        ("05", "ما بين 1500 و3000 مقاتل", ["3000 مقاتل"]),
        ("05", "بعد 10 سنوات من", ["10 سنوات"]),
        # Not figures: years, dates, times, a model name, a number followed by a preposition.
        ("01", "من عام 2024.", []),
        ("03", "داعش منذ 2014 حينما", []),
        ("05", "السبت 28/سبتمبر/2024 - 01:01", []),
        ("05", "يوم الجمعة 27 سبتمبر إن", []),
        ("02", '"في الساعة 04:00 من فجر', []),
        ("02", "(01:00 بتوقيت جرينتش)", []),
        ("04", "من طراز F-35،", []),
        ("01", "سقط فيها 15 من مسلحي", []),
        ("01", "في واحدة من أكبر", []),
        ("01", "خمسة من", []),
    ],
)
def test_figures_in_corpus_sentences(article: str, passage: str, expected: list[str]) -> None:
    assert in_corpus(article, passage) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل خمسة وعشرون مسلحا", ["خمسة وعشرون مسلحا"]),
        ("قتل ثلاثة عشر مسلحا", ["ثلاثة عشر مسلحا"]),
        ("أحد عشر لاعبا", ["أحد عشر لاعبا"]),
        ("إحدى عشرة دولة", ["إحدى عشرة دولة"]),
        ("مئة ألف شخص", ["مئة ألف شخص"]),
        ("مائتا جندي", []),  # not in the list of words
        ("ثلاثمائة جندي", ["ثلاثمائة جندي"]),
        ("خمسة آلاف جندي", ["خمسة آلاف جندي"]),
        ("2,500 جندي و1.5 مليون دولار", ["2,500 جندي", "1.5 مليون دولار"]),
        ("١٥ عنصراً و١٬٢٠٠ جندي و٢٫٥ مليون دولار", ["١٥ عنصراً", "١٬٢٠٠ جندي", "٢٫٥ مليون دولار"]),
        ("بنسبة 15% من الأصوات و20 ٪ أخرى و7٪", ["15%", "20 ٪", "7٪"]),
        ("ووصل بـ15 مسلحاً وبخمسة جنود", ["15 مسلحاً", "خمسة جنود"]),
        ("ألف الكتاب", []),
        ("15 الجنود", []),
        ("15\nجنديا", []),
        ("15، جنديا", []),
        ("قاعدة يونيون 3", []),
        ("عشرةُ جنودٍ", ["عشرةُ جنودٍ"]),
    ],
)
def test_figures_rule(text: str, expected: list[str]) -> None:
    found = figures(text)
    assert [text[s.start : s.end] for s in found] == expected
    assert all(s.label == FIGURE and s.source == "figures" and s.score is None for s in found)


def test_figures_of_many_texts_are_those_of_each() -> None:
    texts = list(TEXTS.values())
    assert figures_many(texts) == [figures(text) for text in texts]
