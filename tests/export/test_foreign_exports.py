"""Exports for Prodigy, doccano, Label Studio and spaCy (issue 17): each read by its tool's rules and
imported back unchanged; and --split by document, the same for every format and annotator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ANBAR

from annotator.model import GOLD
from annotator.store import Store

Run = Callable[..., tuple[int, str, str]]
ENTITY = {"actor", "figure", "place"}
LAYERS = ("alice", "bob", GOLD)


def export(run_cli: Run, db: Path, target: Path, *args: str) -> Path:
    code, _, err = run_cli("export", "--db", str(db), *args, "--include-unfinished", "-o", str(target))
    assert code == 0, err
    return target


def state(db: Path, labels: set[str] | None = None) -> dict[str, object]:
    """Everything a round trip must keep: texts, titles, and per layer its spans and status."""
    with Store(db) as store:
        result: dict[str, object] = {}
        for doc_id, title, _ in store.document_list():
            doc = store.document(doc_id)
            assert doc is not None
            result[doc_id] = (doc.text, title)
            for who in LAYERS:
                spans = sorted(
                    (s.start, s.end, s.label) for s in store.spans(doc_id, who) if labels is None or s.label in labels
                )
                result[doc_id, who] = (spans, store.status(doc_id, who))
        return result


def round_trip(run_cli: Run, project: Path, tmp_path: Path, fmt: str, extension: str, *args: str) -> Path:
    """Export every annotator and gold in fmt, import both files into a fresh database; its path."""
    everyone = export(run_cli, project, tmp_path / f"all{extension}", "-f", fmt, *args)
    gold = export(run_cli, project, tmp_path / f"gold{extension}", "-f", fmt, "--gold", *args)
    target = tmp_path / "fresh" / "annotations.db"
    target.parent.mkdir()
    code, out, err = run_cli("import", "--db", str(target), str(everyone), str(gold))
    assert code == 0, err
    return target


@pytest.mark.parametrize(
    "fmt, extension, args, labels",
    [
        ("doccano", ".jsonl", (), None),
        ("labelstudio", ".json", (), None),
        ("spacy", ".spacy", ("--token-boundary", "split"), None),
        ("prodigy", ".jsonl", (), ENTITY),
        ("prodigy", ".jsonl", ("--layer", "quote"), {"quote"}),
    ],
)
def test_round_trip_through_our_import(
    fmt: str,
    extension: str,
    args: tuple[str, ...],
    labels: set[str] | None,
    project: Path,
    run_cli: Run,
    tmp_path: Path,
) -> None:
    target = round_trip(run_cli, project, tmp_path, fmt, extension, *args)
    assert state(target, labels) == state(project, labels)


def test_prodigy_records_carry_what_prodigy_reads(project: Path, run_cli: Run, tmp_path: Path) -> None:
    path = export(run_cli, project, tmp_path / "p.jsonl", "-f", "prodigy", "--gold")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len({r["_input_hash"] for r in records}) == len(records) == 5
    for record in records:
        assert record["answer"] == "accept" and isinstance(record["_task_hash"], int)
        assert -(2**31) <= record["_input_hash"] < 2**31
        for span in record["spans"]:
            assert span["label"] in ENTITY
            first, last = record["tokens"][span["token_start"]], record["tokens"][span["token_end"]]
            assert (first["start"], last["end"]) == (span["start"], span["end"])


def test_labelstudio_tasks_have_the_documented_shape(project: Path, run_cli: Run, tmp_path: Path) -> None:
    """One task per document (`data.text`), one annotation per annotator, `labels` regions over `text`."""
    path = export(run_cli, project, tmp_path / "ls.json", "-f", "labelstudio")
    tasks = json.loads(path.read_text(encoding="utf-8"))
    assert len(tasks) == 5
    (anbar,) = [t for t in tasks if t["data"]["id"] == ANBAR]
    assert anbar["meta"]["annotators"] == ["alice", "bob"] and len(anbar["annotations"]) == 2
    for annotation in anbar["annotations"]:
        assert annotation["was_cancelled"] is False
        for region in annotation["result"]:
            assert region["type"] == "labels" and region["from_name"] == "label" and region["to_name"] == "text"
            value = region["value"]
            assert anbar["data"]["text"][value["start"] : value["end"]] == value["text"] and len(value["labels"]) == 1


def test_spacy_docbin_has_ents_quotes_and_ids(project: Path, run_cli: Run, tmp_path: Path) -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    path = export(run_cli, project, tmp_path / "gold.spacy", "-f", "spacy", "--gold")
    docs = list(DocBin().from_disk(path).get_docs(Vocab()))
    with Store(project) as store:
        assert [d.user_data["annotator", "id"] for d in docs] == [d for d, _, _ in store.document_list()]
        doc = docs[0]
        text = store.document(ANBAR).text
        assert doc.text == text
        stored = sorted((s.start, s.end, s.label) for s in store.spans(ANBAR, GOLD))
    ents = sorted((e.start_char, e.end_char, e.label_) for e in doc.ents)
    quotes = [(s.start_char, s.end_char, s.label_) for s in doc.spans["quote"]]
    assert quotes == [s for s in stored if s[2] == "quote"]
    clitic = text.index("لداعش")
    # whole words by default: «لداعش» is one token and one entity, not «ل» + «داعش»
    assert (clitic, clitic + 5, "actor") in ents
    assert len(ents) == len([s for s in stored if s[2] in ENTITY])
    assert all(doc.char_span(s, e, alignment_mode="strict") is not None for s, e, _ in ents)


def test_hf_takes_the_quote_layer(project: Path, run_cli: Run, tmp_path: Path) -> None:
    path = export(run_cli, project, tmp_path / "q.jsonl", "-f", "hf", "--gold", "--layer", "quote")
    labels = json.loads((tmp_path / "q.labels.json").read_text(encoding="utf-8"))
    assert labels == ["O", "B-quote", "I-quote"]
    tags = {t for line in path.read_text(encoding="utf-8").splitlines() for t in json.loads(line)["ner_tags"]}
    assert tags == {"O", "B-quote", "I-quote"}


def split_ids(folder: Path, stem: str, extension: str, names: tuple[str, ...]) -> dict[str, set[str]]:
    """Document ids per split file (of those written)."""
    result: dict[str, set[str]] = {}
    for name in names:
        path = folder / f"{stem}.{name}{extension}"
        if not path.exists():
            continue
        content = path.read_text(encoding="utf-8")
        if extension == ".json":
            result[name] = {task["data"]["id"] for task in json.loads(content)}
        else:
            result[name] = {json.loads(line)["id"] for line in content.splitlines()}
    return result


def test_split_by_document_is_the_same_for_every_format_and_annotator(
    project: Path, run_cli: Run, tmp_path: Path
) -> None:
    names = ("train", "dev", "test")
    seen = []
    for fmt, extension, who in (
        ("jsonl", ".jsonl", "alice"),
        ("jsonl", ".jsonl", "bob"),
        ("doccano", ".jsonl", "alice"),
        ("labelstudio", ".json", "bob"),
    ):
        folder = tmp_path / f"{fmt}-{who}"
        folder.mkdir()
        code, _, err = run_cli(
            "export",
            "--db",
            str(project),
            "-f",
            fmt,
            "--annotator",
            who,
            "--include-unfinished",
            "--split",
            "train=0.6,dev=0.2,test=0.2",
            "--seed",
            "7",
            "-o",
            str(folder / f"x{extension}"),
        )
        assert code == 0, err
        assert err.count("exported") == 3
        seen.append(split_ids(folder, "x", extension, names))
    assert all(s == seen[0] for s in seen)
    assert sorted(len(ids) for ids in seen[0].values()) == [1, 1, 3]
    assert set().union(*seen[0].values()) == {p.stem for p in (Path(__file__).parents[2] / "corpus").glob("*.txt")}


def test_split_changes_with_the_seed_and_checks_its_spec(project: Path, run_cli: Run, tmp_path: Path) -> None:
    from annotator.export.run import assign_splits, parse_split

    ids = [f"doc-{n}" for n in range(100)]
    parts = parse_split("train=0.8,dev=0.1,test=0.1")
    first = assign_splits(ids, parts, 1)
    assert [list(first.values()).count(n) for n in ("train", "dev", "test")] == [80, 10, 10]
    assert assign_splits(list(reversed(ids)), parts, 1) == first
    assert assign_splits(ids, parts, 2) != first
    code, _, err = run_cli(
        "export", "--db", str(project), "-f", "jsonl", "--split", "train=0.8,dev=0.3", "-o", str(tmp_path / "x.jsonl")
    )
    assert code == 1 and "add up to 1.1, not 1" in err
    code, _, err = run_cli("export", "--db", str(project), "-f", "jsonl", "--split", "train=0.8,dev=0.2", "-o", "-")
    assert code == 1 and "one file per split" in err
