"""Patterns files (spaCy EntityRuler phrase JSONL) and patterns from a layer's spans (--from gold|NAME)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.model import DEFAULT_LABELS
from annotator.suggest import (
    Pattern,
    PatternsError,
    build_matcher,
    patterns_from_spans,
    read_patterns,
    suggest,
)


def write(tmp_path: Path, *lines: str) -> Path:
    """A patterns file holding these lines."""
    path = tmp_path / "patterns.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_phrase_patterns_file_is_read_with_its_ids(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        json.dumps({"label": "place", "pattern": "الأنبار"}, ensure_ascii=False),
        "",
        json.dumps({"label": "actor", "pattern": "داعش", "id": "isis"}, ensure_ascii=False),
        json.dumps({"label": "actor", "pattern": "القيادة المركزية", "id": 7}, ensure_ascii=False),
    )
    assert read_patterns(path) == [
        Pattern("place", "الأنبار"),
        Pattern("actor", "داعش", "isis"),
        Pattern("actor", "القيادة المركزية", "7"),
    ]


def test_a_byte_order_mark_is_no_error(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes("\ufeff".encode() + json.dumps({"label": "place", "pattern": "x"}).encode())
    assert read_patterns(path) == [Pattern("place", "x")]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"label": "place", "pattern": [{"LOWER": "anbar"}]}', "2: a token pattern (a list) is not supported"),
        ('{"label": "city", "pattern": "بغداد"}', "2: unknown label 'city' (labels: actor, figure, place, quote)"),
        ('{"label": "place", "pattern": ""}', "2: blank pattern"),
        ('{"label": "place", "pattern": "  \\t "}', "2: blank pattern"),
        ('{"label": "place", "pattern": "\\u064e\\u0640"}', "2: blank pattern"),
        ('{"label": "place", "pattern": 5}', "2: pattern must be a string, not int"),
        ('{"label": "place"}', "2: missing pattern"),
        ('{"pattern": "x"}', "2: missing label"),
        ('{"label": "place", "pattern": "x", "kb_id": "Q1"}', "2: unknown field 'kb_id'"),
        ('{"label": "place", "pattern": "x", "id": [1]}', "2: id must be a string, not list"),
        ('["place", "x"]', "2: expected an object"),
        ('{"label": "place", "pattern": "x"', "2: not JSON: Expecting ',' delimiter (column 34)"),
    ],
)
def test_any_other_form_is_a_one_line_error_naming_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path, '{"label": "actor", "pattern": "داعش"}', line, '{"label": "actor", "pattern": "x"}')
    with pytest.raises(PatternsError) as caught:
        read_patterns(path)
    text = str(caught.value)
    assert text.startswith(f"{path}:{message}")
    assert "\n" not in text


def test_unreadable_undecodable_and_empty_files_are_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"
    with pytest.raises(PatternsError, match=r"missing\.jsonl: cannot read it"):
        read_patterns(missing)
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"label": "place", "pattern": "\xe9"}')
    with pytest.raises(PatternsError, match=r"latin\.jsonl: not UTF-8 \(byte 31\)"):
        read_patterns(latin)
    empty = write(tmp_path, "", "  ")
    with pytest.raises(PatternsError, match=r"patterns\.jsonl: no patterns$"):
        read_patterns(empty)


def test_labels_come_from_the_label_list_passed_in(tmp_path: Path) -> None:
    labels = (*DEFAULT_LABELS[:3],)
    path = write(tmp_path, '{"label": "quote", "pattern": "x"}')
    with pytest.raises(PatternsError, match="unknown label 'quote' \\(labels: actor, figure, place\\)"):
        read_patterns(path, labels)


def test_gold_patterns_take_each_texts_most_frequent_label() -> None:
    spans = [
        ("داعش", "actor"),
        ("الأنبار", "place"),
        ("داعش", "place"),
        ("دَاعش", "actor"),
        ("الانبار", "place"),
        ("الأنبار", "place"),
    ]
    assert patterns_from_spans(spans) == [Pattern("actor", "داعش"), Pattern("place", "الأنبار")]


def test_a_tie_goes_to_the_label_listed_first() -> None:
    assert patterns_from_spans([("السوداني", "place"), ("السوداني", "actor")]) == [Pattern("actor", "السوداني")]
    assert patterns_from_spans([("السوداني", "actor"), ("السوداني", "place")]) == [Pattern("actor", "السوداني")]


def test_gold_patterns_suggest_their_texts_elsewhere() -> None:
    patterns = patterns_from_spans([("داعش", "actor"), ("الأنبار", "place"), ("15 عنصراً", "figure"), ("ـ", "actor")])
    assert len(patterns) == 3
    text = "قتل 15 عنصرا من داعش بالأنبار"
    got = [(text[s.start : s.end], s.label, s.source) for s in suggest(text, build_matcher(patterns, "gold"))]
    assert got == [("15 عنصرا", "figure", "gold"), ("داعش", "actor", "gold"), ("الأنبار", "place", "gold")]
