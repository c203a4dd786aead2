"""The default label schema and span validation."""

from __future__ import annotations

from rich.color import Color, ColorSystem

from annotator.model import DEFAULT_LABELS, Span, span_problems


def test_label_colours_stay_distinct_in_16_and_256_colours() -> None:
    """Each label keeps its own colour in a 16-colour terminal, and never the grey of the panels."""
    for system in (ColorSystem.STANDARD, ColorSystem.EIGHT_BIT):
        numbers = [Color.parse(label.colour).downgrade(system).number for label in DEFAULT_LABELS]
        assert len(set(numbers)) == len(numbers), (system, numbers)
    standard = [Color.parse(label.colour).downgrade(ColorSystem.STANDARD).number for label in DEFAULT_LABELS]
    assert not set(standard) & {0, 7, 8, 15}, standard  # black, white and greys are the screen's own


def test_default_labels_and_keys() -> None:
    assert [(l.name, l.layer, l.key) for l in DEFAULT_LABELS] == [
        ("actor", "entity", "1"),
        ("figure", "entity", "2"),
        ("place", "entity", "3"),
        ("quote", "quote", "4"),
    ]


def test_span_problems() -> None:
    text = "ابن بطوطة"
    ok = [Span("d", "a", 0, 3, "actor"), Span("d", "a", 0, 9, "quote"), Span("d", "b", 1, 4, "place")]
    assert span_problems(text, ok, DEFAULT_LABELS) == []
    bad = [
        Span("d", "a", 0, 3, "actor"),
        Span("d", "a", 2, 5, "place"),
        Span("d", "a", 5, 5, "actor"),
        Span("d", "a", 8, 12, "actor"),
        Span("d", "a", 0, 1, "person"),
    ]
    problems = " | ".join(span_problems(text, bad, DEFAULT_LABELS))
    for expected in ("overlaps", "start must be less than end", "out of range", "unknown label"):
        assert expected in problems


def test_span_edge_inside_a_cluster_is_a_problem() -> None:
    """«15 عنصرا» without the tanween the screen highlights with its alef: refused, saying where to cut."""
    text = "سقوط 15 عنصراً من التنظيم"
    start, tanween = text.index("15"), text.index("\u064b")
    problems = span_problems(text, [Span("d", "a", start, tanween, "figure")], DEFAULT_LABELS)
    assert problems == [
        (
            f"span {start}-{tanween} 'figure': end {tanween} cuts the character «اً» before its U+064B ARABIC FATHATAN "
            f"(a letter and its marks stay together: use {tanween - 1} or {tanween + 1})"
        )
    ]
    assert span_problems(text, [Span("d", "a", start, tanween + 1, "figure")], DEFAULT_LABELS) == []
    shadda = "محمّد"
    inside = span_problems(shadda, [Span("d", "a", 3, 5, "actor")], DEFAULT_LABELS)  # starts on the shadda
    assert len(inside) == 1 and "start 3 cuts the character «مّ»" in inside[0]
