"""`annotator agreement` end to end through annotator.cli.main on a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import cli, main
from annotator.commands.agreement import agreement_command
from annotator.agreement import document_scores
from annotator.agreement.data import build_data
from annotator.agreement.report import compute_report
from annotator.model import DEFAULT_LABELS
from annotator.store import Store

from synthetic import Synthetic, generate

if "agreement" not in cli.commands:
    cli.add_command(agreement_command)


def fill(store: Store, syn: Synthetic) -> None:
    """Store a synthetic corpus: done documents through import, the others left in progress."""
    store.import_batch(syn.documents, [], user="lead")
    for name in syn.annotators:
        done = [s for s in syn.spans if s.annotator == name and s.document_id in syn.done[name]]
        store.import_batch([], done, user=name)
        for doc_id in syn.done[name]:
            store.set_status(doc_id, name, "done", user=name)
        for doc in syn.documents:
            pending = [(s.start, s.end, s.label) for s in syn.spans
                       if s.annotator == name and s.document_id == doc.id and doc.id not in syn.done[name]]
            if pending:
                store.apply(doc.id, name, add=pending, user=name)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(["agreement", *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def filled(db_path: Path) -> tuple[Path, Synthetic]:
    syn = generate(21, n_docs=8)
    with Store(db_path) as store:
        fill(store, syn)
    return db_path, syn


def test_json_is_the_report_of_the_stored_annotations(filled: tuple[Path, Synthetic], capsys: pytest.CaptureFixture[str]) -> None:
    db, syn = filled
    code, out, err = run(capsys, "--db", str(db), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert list(report) == ["annotators", "documents", "layers"]
    expected = compute_report(build_data(syn.annotators, [(d.id, d.title, d.text) for d in syn.documents],
                                         syn.done, syn.spans, DEFAULT_LABELS))
    assert report == json.loads(json.dumps(expected))
    entry = report["layers"]["entity"]
    assert list(entry) == ["pairs", "fleiss_kappa", "krippendorff_alpha", "alpha_u", "labels", "confusion"]
    assert list(entry["pairs"][0]) == ["a", "b", "documents", "span_f1_exact", "span_f1_overlap", "cohen_kappa", "labels"]
    assert list(entry["labels"]) == ["actor", "figure", "place"]
    assert list(report["layers"]["quote"]["labels"]) == ["quote"]
    assert report["annotators"] == ["amal", "badr", "dina"] and report["documents"] > 0


def test_annotators_option_chooses_and_checks(filled: tuple[Path, Synthetic], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = filled
    code, out, _ = run(capsys, "--db", str(db), "--json", "--annotators", "dina,amal")
    assert code == 0
    report = json.loads(out)
    assert report["annotators"] == ["dina", "amal"]
    assert [(p["a"], p["b"]) for p in report["layers"]["entity"]["pairs"]] == [("dina", "amal")]
    assert report["layers"]["entity"]["fleiss_kappa"] is None  # two annotators
    code, out, err = run(capsys, "--db", str(db), "--annotators", "amal,zed")
    assert code == 1 and out == ""
    assert err.strip() == "annotator: error: unknown annotator zed (known: amal, badr, dina)"
    assert len(err.strip().splitlines()) == 1


def test_fewer_than_two_annotators_with_done_documents(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    syn = generate(22, n_docs=3)
    syn.done = {"amal": syn.done["amal"] | {"doc-000"}, "badr": set(), "dina": set()}
    with Store(db_path) as store:
        fill(store, syn)
    code, out, err = run(capsys, "--db", str(db_path))
    assert code == 1 and out == ""
    assert err.strip() == "annotator: error: agreement needs at least two annotators with done documents (so far: amal)"
    code, _, err = run(capsys, "--db", str(db_path), "--annotators", "amal,badr")
    assert code == 1
    assert err.strip() == "annotator: error: agreement needs at least two annotators with done documents; no done documents: badr"
    code, _, err = run(capsys, "--db", str(db_path.parent / "missing.db"))
    assert code == 1 and "no such database" in err
    assert not (db_path.parent / "missing.db").exists()


def test_by_document_is_worst_first(filled: tuple[Path, Synthetic], capsys: pytest.CaptureFixture[str]) -> None:
    db, syn = filled
    code, out, _ = run(capsys, "--db", str(db), "--json", "--by-document")
    assert code == 0
    report = json.loads(out)
    entries = report["by_document"]
    assert len(entries) == report["documents"]
    keys = [(e["score"], -e["disagreeing_spans"]) for e in entries]
    assert keys == sorted(keys)
    assert entries[0]["score"] < entries[-1]["score"]
    for entry in entries:
        assert set(entry["layers"]) == {"entity", "quote"}
        assert set(entry["layers"]["entity"]) == {"span_f1_exact", "span_f1_overlap", "krippendorff_alpha", "alpha_u"}
        assert len(entry["annotators"]) >= 2
    with Store(db) as store:
        ranked = document_scores(store)
    assert [doc for doc, _ in ranked] == [e["document"] for e in entries]
    assert [score for _, score in ranked] == [e["score"] for e in entries]


def test_score_counts_disagreeing_spans(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.model import Document, Span

    text = "قال السوداني إن داعش في الأنبار"
    docs = [Document(f"d{i}", f"t{i}", text) for i in range(3)]
    spans = [
        # d0: perfect; d1: one of two spans differs; d2: nothing in common
        Span("d0", "a", 4, 12, "actor"), Span("d0", "b", 4, 12, "actor"),
        Span("d1", "a", 4, 12, "actor"), Span("d1", "b", 4, 12, "actor"),
        Span("d1", "a", 24, 31, "place"), Span("d1", "b", 26, 31, "place"),
        Span("d2", "a", 16, 20, "actor"), Span("d2", "b", 0, 31, "quote"),
    ]
    with Store(db_path) as store:
        store.import_batch(docs, spans, user="lead")
        assert document_scores(store) == [("d2", 0.0), ("d1", 0.5), ("d0", 1.0)]
    code, out, _ = run(capsys, "--db", str(db_path), "--by-document")
    assert code == 0
    assert out.index("d2") < out.index("d1") < out.index("d0")


def test_tables_and_reading(filled: tuple[Path, Synthetic], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = filled
    code, out, err = run(capsys, "--db", str(db))
    assert code == 0, err
    assert "Agreement of amal, badr, dina on" in out
    for title in ("entity: Fleiss κ", "entity: labels", "quote: labels", "Cohen κ", "overlap F1"):
        assert title in out
    assert any(line.endswith(")." ) and (" is reliable (α" in line or " is tentative (α" in line
               or " is unreliable (α" in line) for line in out.splitlines())
    assert "\x1b" not in out
