"""The outputs as tools nobody here wrote read them: seqeval (CoNLL), spaCy (JSONL), datasets (HF)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ANBAR, anbar_spans

from annotator.store import Store

Run = Callable[..., tuple[int, str, str]]
ENTITY = {"actor", "figure", "place"}


@pytest.fixture(scope="session")
def nlp() -> Any:
    """spaCy's blank Arabic pipeline."""
    import spacy  # a test extra: missing means a broken install, never a skip

    return spacy.blank("ar")


def read_conll(content: str) -> list[tuple[str, list[list[list[str]]]]]:
    """Documents of a CoNLL file: (DOCSTART line, sentences of rows), parsed by hand."""
    documents: list[tuple[str, list[list[list[str]]]]] = []
    for chunk in content.split("-DOCSTART-")[1:]:
        head, _, body = chunk.partition("\n")
        sentences = [[row.split(" ") for row in block.split("\n")] for block in body.strip("\n").split("\n\n")]
        documents.append(("-DOCSTART-" + head, sentences))
    return documents


def offsets(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Character offsets of words found in order in text, with only whitespace between them."""
    result = []
    position = 0
    for word in words:
        found = text.index(word, position)
        assert text[position:found].strip() == "", (word, text[position:found])
        result.append((found, found + len(word)))
        position = found + len(word)
    assert text[position:].strip() == ""
    return result


def seqeval_spans(text: str, sentences: list[list[list[str]]], column: int, scheme: str) -> list[tuple[int, int, str]]:
    """Spans decoded by seqeval's strict mode from one tag column, as character offsets."""
    from seqeval.scheme import IOB1, IOB2, IOBES, Entities

    words = [row[0] for sentence in sentences for row in sentence]
    where = offsets(text, words)
    sequences = [[row[column] for row in sentence] for sentence in sentences]
    scheme_class = {"iob2": IOB2, "iob1": IOB1, "bioes": IOBES}[scheme]
    firsts = []
    count = 0
    for sentence in sentences:
        firsts.append(count)
        count += len(sentence)
    found = []
    for sentence_entities in Entities(sequences, scheme_class).entities:
        for entity in sentence_entities:
            base = firsts[entity.sent_id]
            found.append((where[base + entity.start][0], where[base + entity.end - 1][1], entity.tag))
    return sorted(found)


@pytest.mark.parametrize("scheme", ["iob2", "iob1", "bioes"])
def test_seqeval_strict_decoding_gives_back_the_spans(project: Path, run_cli: Run, tmp_path: Path, scheme: str) -> None:
    target = tmp_path / f"{scheme}.conll"
    code, _, err = run_cli(
        "export", "--db", str(project), "-f", "conll", "--gold", "--scheme", scheme, "-o", str(target)
    )
    assert code == 0, err
    with Store(project) as store:
        text = store.document(ANBAR).text
    ((docstart, sentences),) = read_conll(target.read_text(encoding="utf-8"))
    assert docstart == "-DOCSTART- O O"  # as many columns as every token line
    assert all(len(row) == 3 for sentence in sentences for row in sentence)
    stored = sorted(anbar_spans(text))
    assert seqeval_spans(text, sentences, 1, scheme) == [s for s in stored if s[2] in ENTITY]
    assert seqeval_spans(text, sentences, 2, scheme) == [s for s in stored if s[2] == "quote"]


def test_seqeval_reads_expand_as_the_expanded_spans(project: Path, run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "expand.conll"
    code, _, err = run_cli(
        "export", "--db", str(project), "-f", "conll", "--gold", "--token-boundary", "expand", "-o", str(target)
    )
    assert code == 0, err
    with Store(project) as store:
        text = store.document(ANBAR).text
    ((_, sentences),) = read_conll(target.read_text(encoding="utf-8"))
    expected = []
    for start, end, label in anbar_spans(text):
        if text[start - 1 : end] == "لداعش":
            start -= 1  # the clitic ل joins the tagged word
        if label in ENTITY:
            expected.append((start, end, label))
    assert seqeval_spans(text, sentences, 1, "iob2") == sorted(expected)
    words = [row[0] for sentence in sentences for row in sentence]
    assert "لداعش" in words and "ل" not in words


def test_spacy_builds_the_text_and_finds_every_span(project: Path, run_cli: Run, nlp: Any) -> None:
    from spacy.tokens import Doc

    with Store(project) as store:  # awkward spans: across a line end inside words, starting on a space
        third = store.document("03-coalition-presence-debate").text
        line_end = third.index("\n")
        space = third.index(" ", line_end + 20)
        store.add_span("03-coalition-presence-debate", "alice", line_end - 3, line_end + 4, "quote", user="alice")
        store.add_span("03-coalition-presence-debate", "alice", space, space + 6, "actor", user="alice")
    code, out, err = run_cli("export", "--db", str(project), "-f", "jsonl", "--include-unfinished", "-o", "-")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 10 and sum(len(r["spans"]) for r in records) == 8 + 3 + 1 + 1
    (third_record,) = [r for r in records if (r["id"], r["annotator"]) == ("03-coalition-presence-debate", "alice")]
    assert {"\n", " "} <= {t["text"] for t in third_record["tokens"]}
    for record in records:
        doc = Doc(nlp.vocab, words=[t["text"] for t in record["tokens"]], spaces=[t["ws"] for t in record["tokens"]])
        assert doc.text == record["text"]
        for token, mine in zip(doc, record["tokens"]):
            assert (token.idx, token.idx + len(token.text)) == (mine["start"], mine["end"])
        for span in record["spans"]:
            found = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="strict")
            assert found is not None, span
            assert (found.start, found.end - 1) == (span["token_start"], span["token_end"])
            assert found.text == span["text"] == record["text"][span["start"] : span["end"]]
        assert set(record) == {"id", "title", "text", "annotator", "status", "spans", "tokens", "meta", "relations"}
        assert record["relations"] == []


def test_datasets_loads_hf_with_its_labels(project: Path, run_cli: Run, tmp_path: Path) -> None:
    import datasets  # a test extra: missing means a broken install, never a skip

    target = tmp_path / "gold.jsonl"
    code, _, err = run_cli("export", "--db", str(project), "-f", "hf", "--gold", "--scheme", "bioes", "-o", str(target))
    assert code == 0, err
    labels = json.loads((tmp_path / "gold.labels.json").read_text(encoding="utf-8"))
    assert labels[0] == "O" and "S-place" in labels and len(labels) == 13
    quote_labels = json.loads((tmp_path / "gold.quote_labels.json").read_text(encoding="utf-8"))
    assert quote_labels == ["O", "B-quote", "I-quote", "E-quote", "S-quote"]
    features = datasets.Features(
        {
            "id": datasets.Value("string"),
            "document": datasets.Value("string"),
            "sentence": datasets.Value("int64"),
            "tokens": datasets.Sequence(datasets.Value("string")),
            "ner_tags": datasets.Sequence(datasets.ClassLabel(names=labels)),
            "quote_tags": datasets.Sequence(datasets.ClassLabel(names=quote_labels)),
        }
    )
    data = datasets.load_dataset(
        "json", data_files=str(target), features=features, split="train", cache_dir=str(tmp_path / "cache")
    )
    assert data[0]["id"] == f"{ANBAR}-0" and data[0]["document"] == ANBAR and data[0]["sentence"] == 0
    names = data.features["ner_tags"].feature.names
    with Store(project) as store:
        text = store.document(ANBAR).text
    words = [w for row in data for w in row["tokens"]]
    tags = [[names[i] for i in row["ner_tags"]] for row in data]
    assert [len(t) for t in tags] == [len(row["tokens"]) for row in data]
    from seqeval.scheme import IOBES, Entities

    where = offsets(text, words)
    firsts = [0]
    for row in data:
        firsts.append(firsts[-1] + len(row["tokens"]))
    found = sorted(
        (where[firsts[e.sent_id] + e.start][0], where[firsts[e.sent_id] + e.end - 1][1], e.tag)
        for sentence in Entities(tags, IOBES).entities
        for e in sentence
    )
    assert found == sorted(s for s in anbar_spans(text) if s[2] in ENTITY)
    # the quote layer over the very same tokens: one quote tag per token, decoding to the quote spans
    quote_names = data.features["quote_tags"].feature.names
    quote_tags = [[quote_names[i] for i in row["quote_tags"]] for row in data]
    assert [len(t) for t in quote_tags] == [len(row["tokens"]) for row in data]
    quotes = sorted(
        (where[firsts[e.sent_id] + e.start][0], where[firsts[e.sent_id] + e.end - 1][1], e.tag)
        for sentence in Entities(quote_tags, IOBES).entities
        for e in sentence
    )
    assert quotes == [s for s in anbar_spans(text) if s[2] == "quote"]
