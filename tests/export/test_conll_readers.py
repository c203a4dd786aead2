"""CoNLL that tools read unmodified, and tokens that line up across annotators (issue 17)."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ANBAR, anbar_spans, nth

from annotator.model import GOLD
from annotator.store import Store

Run = Callable[..., tuple[int, str, str]]
ENTITY = {"actor", "figure", "place"}
TAG_PREFIXES = ("B-", "I-", "E-", "S-")


def export(run_cli: Run, db: Path, target: Path, *args: str) -> str:
    code, _, err = run_cli("export", "--db", str(db), *args, "-o", str(target))
    assert code == 0, err
    return target.read_text(encoding="utf-8")


def conlleval_rules(content: str) -> None:
    """conlleval's reading rules, pinned: every non-blank line splits on spaces into the same number of
    fields (the document break included: `unexpected number of features` otherwise), and the last two
    fields of each line are tags (O or a prefix and a label)."""
    widths = set()
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        fields = line.split(" ")
        widths.add(len(fields))
        assert len(widths) == 1, f"line {number}: unexpected number of features: {len(fields)} ({widths})"
        for tag in fields[-2:]:
            assert tag == "O" or (tag[:2] in TAG_PREFIXES and len(tag) > 2), f"line {number}: {tag!r} is no tag"


def rows(content: str) -> list[list[str]]:
    """Every line split into columns (blank lines as [])."""
    return [line.split(" ") if line else [] for line in content.split("\n")]


def test_one_layer_file_has_conll2003_shape_everywhere(project: Path, run_cli: Run, tmp_path: Path) -> None:
    content = export(
        run_cli, project, tmp_path / "alice.conll", "-f", "conll", "--annotator", "alice", "--layer", "entity"
    )
    lines = [line for line in content.split("\n") if line]
    assert lines[0] == "-DOCSTART- -X- O O" and content.count("-DOCSTART- -X- O O\n\n") == 2
    assert {len(line.split(" ")) for line in lines} == {4}
    assert all(line.split(" ")[1:3] == ["_", "_"] for line in lines if not line.startswith("-DOCSTART-"))
    assert all(
        line.split(" ")[3] in {"O"} | {f"{p}{label}" for p in ("B-", "I-") for label in ENTITY} for line in lines
    )


def test_every_conll_file_has_one_width_incl_the_document_break(project: Path, run_cli: Run, tmp_path: Path) -> None:
    both = export(run_cli, project, tmp_path / "gold.conll", "-f", "conll", "--gold")
    assert {len(r) for r in rows(both) if r} == {3} and both.startswith("-DOCSTART- O O\n\n")
    quote = export(
        run_cli, project, tmp_path / "q.conll", "-f", "conll", "--gold", "--layer", "quote", "--scheme", "bioes"
    )
    assert {len(r) for r in rows(quote) if r} == {4}
    assert any(r[-1] == "B-quote" for r in rows(quote) if r) and any(r[-1] == "E-quote" for r in rows(quote) if r)


def test_unknown_layer_is_an_error(project: Path, run_cli: Run) -> None:
    code, _, err = run_cli("export", "--db", str(project), "-f", "conll", "--gold", "--layer", "topic", "-o", "-")
    assert code == 1 and err.strip() == "annotator: error: no layer 'topic' in the label schema (layers: entity, quote)"


def test_spacy_convert_reads_the_untouched_entity_file(project: Path, run_cli: Run, tmp_path: Path) -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    source = tmp_path / "alice.conll"
    export(run_cli, project, source, "-f", "conll", "--annotator", "alice", "--layer", "entity")
    out = tmp_path / "converted"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(source), str(out), "-c", "ner"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "No document delimiters" not in done.stdout
    docs = list(DocBin().from_disk(out / "alice.spacy").get_docs(Vocab()))
    with Store(project) as store:
        ids = store.done_documents("alice")
        assert len(docs) == len(ids) == 2  # one doc per article
        for doc, doc_id in zip(docs, ids, strict=True):
            text = store.document(doc_id).text
            words = [t.text for t in doc]
            where = _offsets(text, words)
            found = sorted((where[e.start][0], where[e.end - 1][1], e.label_) for e in doc.ents)
            stored = sorted((s.start, s.end, s.label) for s in store.spans(doc_id, "alice") if s.label in ENTITY)
            assert found == stored


def _offsets(text: str, words: list[str]) -> list[tuple[int, int]]:
    result, position = [], 0
    for word in words:
        found = text.index(word, position)
        assert not text[position:found].strip()
        result.append((found, found + len(word)))
        position = found + len(word)
    return result


@pytest.mark.parametrize("scheme", ["iob2", "bioes"])
def test_seqeval_strict_reads_one_layer_file_without_warnings(
    project: Path, run_cli: Run, tmp_path: Path, scheme: str
) -> None:
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2, IOBES

    content = export(
        run_cli, project, tmp_path / "g.conll", "-f", "conll", "--gold", "--layer", "entity", "--scheme", scheme
    )
    sentences = [
        [line.split(" ")[-1] for line in block.split("\n") if line]
        for block in content.split("\n\n")
        if block.strip() and not block.startswith("-DOCSTART-")
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = classification_report(
            sentences, sentences, mode="strict", scheme=IOB2 if scheme == "iob2" else IOBES, output_dict=True
        )
    with Store(project) as store:
        text = store.document(ANBAR).text
    expected = [label for _, _, label in anbar_spans(text) if label in ENTITY]
    assert {label: int(report[label]["support"]) for label in ENTITY} == {
        label: expected.count(label) for label in ENTITY
    }


def _second_annotator(project: Path) -> None:
    """bob tags ANBAR differently from alice: other edges, a clitic cut, his own quote over a sentence end."""
    with Store(project) as store:
        text = store.document(ANBAR).text
        start = text.index("بالأنبار") if "بالأنبار" in text else nth(text, "الأنبار", 1)[0] - 1
        store.add_span(ANBAR, "bob", start + 1, start + 4, "place", user="bob")  # ends inside a word
        first_stop = text.index(".") + 1
        store.add_span(ANBAR, "bob", first_stop - 10, first_stop + 12, "quote", user="bob")  # crosses a sentence end


def test_every_annotator_gets_the_same_tokens_and_sentences(project: Path, run_cli: Run, tmp_path: Path) -> None:
    _second_annotator(project)
    tokens = {}
    for who in ("alice", "bob", GOLD):
        args = ["--gold"] if who == GOLD else ["--annotator", who]
        for layer in ("entity", "quote"):
            content = export(
                run_cli,
                project,
                tmp_path / f"{who}-{layer}.conll",
                "-f",
                "conll",
                *args,
                "--layer",
                layer,
                "--include-unfinished",
            )
            block = content.split("-DOCSTART- -X- O O\n\n")[1]  # ANBAR comes first
            tokens[who, layer] = [r[0] if r else "" for r in rows(block)]
        hf = tmp_path / f"{who}-hf.jsonl"
        export(run_cli, project, hf, "-f", "hf", *args, "--include-unfinished")
        sentences = [json.loads(line) for line in hf.read_text(encoding="utf-8").splitlines()]
        tokens[who, "hf"] = [s["tokens"] for s in sentences if s["document"] == ANBAR]
        jsonl = tmp_path / f"{who}.jsonl"
        export(run_cli, project, jsonl, "-f", "jsonl", *args, "--include-unfinished")
        (record,) = [r for r in map(json.loads, jsonl.read_text(encoding="utf-8").splitlines()) if r["id"] == ANBAR]
        tokens[who, "jsonl"] = [(t["start"], t["end"]) for t in record["tokens"]]
    for kind in ("entity", "quote", "hf", "jsonl"):
        assert tokens["alice", kind] == tokens["bob", kind] == tokens[GOLD, kind], kind
    assert tokens["alice", "entity"] == tokens["alice", "quote"]


def test_pasted_annotator_files_pass_conlleval_rules(project: Path, run_cli: Run, tmp_path: Path) -> None:
    """`paste -d' ' alice.conll <(cut -d' ' -f4 bob.conll)`: the same tokens line by line, one width."""
    _second_annotator(project)
    alice, bob = (
        export(
            run_cli,
            project,
            tmp_path / f"{who}.conll",
            "-f",
            "conll",
            "--annotator",
            who,
            "--layer",
            "entity",
            "--include-unfinished",
        )
        for who in ("alice", "bob")
    )
    left, right = rows(alice), rows(bob)
    pasted = []
    for a, b in zip(left, right, strict=True):
        assert (a[0] if a else "") == (b[0] if b else "")
        pasted.append(" ".join(a + [b[3]]) if a else "")
    conlleval_rules("\n".join(pasted))
