"""Edge cases of token boundaries, sentences and tags, on small texts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.export import ExportError, make_format
from annotator.export.records import LayerRecord
from annotator.export.tokens import with_whitespace, word_tokens
from annotator.model import DEFAULT_LABELS, Document, Span

Run = Callable[..., tuple[int, str, str]]
CLITIC = "قال السوداني إن القوات دخلت بالأنبار أمس."


def render(fmt: str, text: str, spans: list[tuple[int, int, str]], **options: str) -> str:
    """The checked output of one document in a format."""
    record = LayerRecord(Document("d", "d", text), "alice", [Span("d", "alice", s, e, label) for s, e, label in spans])
    return make_format(fmt, DEFAULT_LABELS, options.get("scheme"), options.get("boundary")).render(record).text


def rows(block: str) -> list[str]:
    """The token lines of a CoNLL block."""
    return [line for line in block.split("\n")[2:] if line]


def anbar() -> tuple[int, int, str]:
    start = CLITIC.index("الأنبار")
    return start, start + len("الأنبار"), "place"


def test_clitic_split_cuts_the_word() -> None:
    assert rows(render("conll", CLITIC, [anbar()]))[5:8] == ["ب O O", "الأنبار B-place O", "أمس O O"]


def test_clitic_expand_tags_the_whole_word() -> None:
    assert rows(render("conll", CLITIC, [anbar()], boundary="expand"))[5:7] == ["بالأنبار B-place O", "أمس O O"]


def test_clitic_strict_is_an_error_naming_the_span() -> None:
    start, end, _ = anbar()
    with pytest.raises(ExportError) as error:
        render("conll", CLITIC, [anbar()], boundary="strict")
    assert str(error.value) == (
        f"document 'd' (alice): span {start}-{end} 'place' «الأنبار» starts inside the word «بالأنبار»; "
        "--token-boundary strict refuses it (use split or expand, or fix the span)"
    )


def test_span_ending_inside_a_word() -> None:
    text = "زار الوفد العراقية أمس"
    start = text.index("العراق")
    span = (start, start + len("العراق"), "place")
    assert rows(render("conll", text, [span]))[2:4] == ["العراق B-place O", "ية O O"]
    assert rows(render("conll", text, [span], boundary="expand"))[2] == "العراقية B-place O"
    with pytest.raises(ExportError, match="ends inside the word «العراقية»"):
        render("conll", text, [span], boundary="strict")
    assert '"tokens": ["زار", "الوفد", "العراق", "ية", "أمس"], "ner_tags": ["O", "O", "S-place", "O", "O"]' in render(
        "hf", text, [span], scheme="bioes"
    )


def test_expand_refuses_two_spans_on_one_word() -> None:
    text = "بين واشنطنبغداد اتفاق"
    first = text.index("واشنطن")
    spans = [(first, first + 6, "place"), (first + 6, first + 11, "place")]
    assert rows(render("conll", text, spans))[1:3] == ["واشنطن B-place O", "بغداد B-place O"]
    with pytest.raises(ExportError) as error:
        render("conll", text, spans, boundary="expand")
    assert "would tag the same token «واشنطنبغداد» in the entity layer (--token-boundary expand)" in str(error.value)
    assert f"span {first}-{first + 6} 'place' «واشنطن» and span {first + 6}-{first + 11}" in str(error.value)


def test_quote_holding_entities_uses_the_third_column() -> None:
    text = 'قال السوداني: "داعش لم يعد يشكل تهديداً".'
    quote = (text.index("داعش"), text.index('"', text.index("داعش")), "quote")
    actor = (text.index("داعش"), text.index("داعش") + 4, "actor")
    speaker = (text.index("السوداني"), text.index("السوداني") + 8, "actor")
    lines = rows(render("conll", text, [speaker, quote, actor]))
    assert lines == [
        "قال O O",
        "السوداني B-actor O",
        ": O O",
        '" O O',
        "داعش B-actor B-quote",
        "لم O I-quote",
        "يعد O I-quote",
        "يشكل O I-quote",
        "تهديداً O I-quote",
        '" O O',
        ". O O",
    ]
    bioes = rows(render("conll", text, [speaker, quote, actor], scheme="bioes"))
    assert [line.split(" ")[1:] for line in bioes[4:9]] == [
        ["S-actor", "B-quote"],
        ["O", "I-quote"],
        ["O", "I-quote"],
        ["O", "I-quote"],
        ["O", "E-quote"],
    ]


def test_sentences_break_at_marks_and_line_ends_but_never_inside_a_span() -> None:
    text = "قال ليستر: لقد تمكن العراق.\nثم تعافى داعش في سوريا؟ نعم!\nانتهى"
    assert render("conll", text, []).count("\n\n") == 5  # after DOCSTART and after four sentences
    quote = (text.index("لقد"), text.index("تعافى") + 5, "quote")
    block = render("conll", text, [quote])
    sentences = block.split("\n\n")[1:-1]
    assert len(sentences) == 3
    assert sentences[0].split("\n")[-1] == "؟ O O" and "العراق O I-quote\n. O I-quote\nثم O I-quote" in sentences[0]


def test_iob1_begins_with_b_only_after_a_chunk_of_the_same_label() -> None:
    text = "داعش القاعدة في الأنبار"
    spans = [(0, 4, "actor"), (5, 12, "actor"), (16, 23, "place")]
    assert [line.split(" ")[1] for line in rows(render("conll", text, spans, scheme="iob1"))] == [
        "I-actor",
        "B-actor",
        "O",
        "I-place",
    ]


def test_whitespace_around_a_span_is_trimmed_for_token_formats() -> None:
    text = "قال  داعش \nأمس"
    spans = [(4, 11, "actor")]  # " داعش \n"
    assert rows(render("conll", text, spans, boundary="strict")) == ["قال O O", "داعش B-actor O", "أمس O O"]
    with pytest.raises(ExportError, match="holds only whitespace"):
        render("conll", text, [(3, 5, "actor")])


def test_invisible_marks_stay_in_tokens() -> None:
    text = "قال\u200f داعش\u200e\u200f، \u200fأمس"
    words = word_tokens(text)
    assert [t.text for t in words] == ["قال\u200f", "داعش\u200e\u200f", "،", "\u200fأمس"]
    start = text.index("داعش")
    cut = word_tokens(text, [start + 4])
    assert [t.text for t in cut][1:3] == ["داعش", "\u200e\u200f،"]  # cut from داعش, the marks join the comma
    tokens = with_whitespace(text, cut, [start], [start + 4])
    assert "".join(piece + (" " if ws else "") for _, _, piece, ws in tokens) == text
    assert rows(render("conll", text, [(start, start + 4, "actor")]))[1:3] == ["داعش B-actor O", "\u200e\u200f، O O"]


def test_jsonl_spans_keep_their_whitespace_with_whitespace_tokens() -> None:
    import json

    text = "قال  داعش\n\nأمس"
    record = json.loads(render("jsonl", text, [(4, 9, "actor"), (9, 11, "quote")]))
    assert [(t["text"], t["ws"]) for t in record["tokens"]] == [
        ("قال", True),
        (" ", False),
        ("داعش", False),
        ("\n\n", False),
        ("أمس", False),
    ]
    assert [(s["token_start"], s["token_end"]) for s in record["spans"]] == [(1, 2), (3, 3)]
    record = json.loads(render("jsonl", text, [(3, 9, "actor"), (9, 12, "quote")]))
    assert [(t["text"], t["ws"]) for t in record["tokens"]] == [
        ("قال", False),
        ("  ", False),
        ("داعش", False),
        ("\n\n", False),
        ("أ", False),
        ("مس", False),
    ]


def test_line_separators_are_escaped_in_json_lines() -> None:
    text = "قال داعش\u2028أمس\x85هنا"
    line = render("jsonl", text, [(4, 8, "actor")])
    assert line.count("\n") == 1 and "\u2028" not in line and "\x85" not in line
    assert line.splitlines() == [line[:-1]]


def test_expand_mode_cli_checks_against_expanded_spans(
    make_db: Callable[..., Path], run_cli: Run, tmp_path: Path
) -> None:
    db = make_db({"d": CLITIC}, {"d": [anbar()]})
    code, out, err = run_cli(
        "export", "--db", str(db), "-f", "conll", "--annotator", "alice", "--token-boundary", "expand", "-o", "-"
    )
    assert code == 0, err
    assert "بالأنبار B-place O" in out.split("\n")
    code, out, err = run_cli(
        "export", "--db", str(db), "-f", "conll", "--annotator", "alice", "--token-boundary", "strict", "-o", "-"
    )
    assert code == 1 and out == "" and "starts inside the word «بالأنبار»" in err
