"""`annotator agreement` end to end through annotator.cli.main on a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from synthetic import Synthetic, generate

from annotator.agreement import document_scores
from annotator.agreement.data import build_data
from annotator.agreement.report import compute_report
from annotator.cli import cli, main
from annotator.commands.agreement import agreement_command
from annotator.model import DEFAULT_LABELS
from annotator.store import Store
from annotator.text.display import display_line

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
            pending = [
                (s.start, s.end, s.label)
                for s in syn.spans
                if s.annotator == name and s.document_id == doc.id and doc.id not in syn.done[name]
            ]
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


def test_json_is_the_report_of_the_stored_annotations(
    filled: tuple[Path, Synthetic], capsys: pytest.CaptureFixture[str]
) -> None:
    db, syn = filled
    code, out, err = run(capsys, "--db", str(db), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert list(report) == ["annotators", "documents", "layers", "complete_documents", "units", "speaker"]
    expected = compute_report(
        build_data(
            syn.annotators, [(d.id, d.title, d.text) for d in syn.documents], syn.done, syn.spans, DEFAULT_LABELS
        )
    )
    assert {k: v for k, v in report.items() if k != "speaker"} == json.loads(json.dumps(expected))
    entry = report["layers"]["entity"]
    assert list(entry) == ["pairs", "fleiss_kappa", "krippendorff_alpha", "alpha_u", "labels", "confusion", "scope"]
    assert list(entry["pairs"][0]) == [
        "a",
        "b",
        "documents",
        "span_f1_exact",
        "span_f1_overlap",
        "cohen_kappa",
        "labels",
    ]
    assert list(entry["labels"]) == ["actor", "figure", "place"]
    assert list(report["layers"]["quote"]["labels"]) == ["quote"]
    assert report["annotators"] == ["amal", "badr", "dina"] and report["documents"] > 0


def test_annotators_option_chooses_and_checks(
    filled: tuple[Path, Synthetic], capsys: pytest.CaptureFixture[str]
) -> None:
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
    assert (
        err.strip()
        == "annotator: error: agreement needs at least two annotators with done documents; no done documents: badr"
    )
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
        Span("d0", "a", 4, 12, "actor"),
        Span("d0", "b", 4, 12, "actor"),
        Span("d1", "a", 4, 12, "actor"),
        Span("d1", "b", 4, 12, "actor"),
        Span("d1", "a", 24, 31, "place"),
        Span("d1", "b", 26, 31, "place"),
        Span("d2", "a", 16, 20, "actor"),
        Span("d2", "b", 0, 31, "quote"),
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
    for title in ("entity: Fleiss κ", "entity: per label", "quote: per label", "Cohen κ", "overlap F1"):
        assert title in out
    assert any(
        line.endswith(").") and (" is reliable (α" in line or " is tentative (α" in line or " is unreliable (α" in line)
        for line in out.splitlines()
    )
    assert "\x1b" not in out


def test_text_says_what_each_measure_covered(
    filled: tuple[Path, Synthetic], capsys: pytest.CaptureFixture[str]
) -> None:
    db, syn = filled
    code, out, err = run(capsys, "--db", str(db), "--json")
    report = json.loads(out)
    scope = report["layers"]["entity"]["scope"]
    n, k = report["documents"], report["complete_documents"]
    assert 0 < k < n, "the fixture should have documents not every annotator did"
    code, out, err = run(capsys, "--db", str(db))
    assert code == 0, err
    flat = " ".join(out.split())
    assert f"on {n} documents done by at least two of them ({k} done by all 3 annotators)." in flat
    assert f"Krippendorff α: all {n} docs, 3 annotators, {scope['krippendorff_alpha']['unit_count']:,} tokens" in flat
    assert (
        f"Fleiss κ and α_u: only the {k} docs all 3 annotators did ({scope['fleiss_kappa']['unit_count']:,} "
        f"tokens; α_u on {scope['alpha_u']['unit_count']:,} characters)"
    ) in flat
    assert "each pair on the documents both did" in flat
    assert "whole words, each labelled by the span covering most of its characters" in flat
    assert "per label: that label against all the others of its layer" in flat
    assert f"entity: Fleiss κ {fmt_(report['layers']['entity']['fleiss_kappa'])} ({k} docs) · Krippendorff α" in flat
    assert "README.md, section “Agreement and adjudication”" in flat
    code, out, _ = run(capsys, "--help")
    assert code == 0 and 'README.md, section "Agreement and adjudication"' in " ".join(out.split())


def fmt_(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


SIX = ("amal", "badr", "dina", "hadi", "layla", "omar")
LONG_TITLE = "شنت القوات الأميركية والعراقية هجمات على مخابئ تنظيم داعش في الأنبار غرب العراق"


@pytest.fixture
def six(db_path: Path) -> Path:
    """Six annotators on documents with long ids and long Arabic titles."""
    from annotator.model import Document

    syn = generate(5, n_docs=6, annotators=SIX, done_rate=0.85)
    syn.documents = [
        Document(f"{d.id}-anbar-raid-nyt", f"{LONG_TITLE} {i}", d.text) for i, d in enumerate(syn.documents)
    ]
    rename = {f"doc-{i:03d}": f"doc-{i:03d}-anbar-raid-nyt" for i in range(6)}
    from annotator.model import Span

    syn.spans = [Span(rename[s.document_id], s.annotator, s.start, s.end, s.label) for s in syn.spans]
    syn.done = {name: {rename[d] for d in ids} for name, ids in syn.done.items()}
    with Store(db_path) as store:
        fill(store, syn)
    return db_path


def test_tables_fit_80_columns_with_six_annotators(
    six: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, "--db", str(six), "--json", "--by-document")
    report = json.loads(out)
    assert report["annotators"] == list(SIX) and report["documents"] == 6
    monkeypatch.setenv("COLUMNS", "80")
    # --bidi app: the layout a terminal without bidi gets (captured output alone would be logical order)
    code, out, err = run(capsys, "--db", str(six), "--by-document", "--bidi", "app")
    assert code == 0, err
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in out  # no cell cut short, titles included (they wrap)
    for layer, entry in report["layers"].items():
        section = lines[next(i for i, line in enumerate(lines) if line.startswith(f"{layer}: Fleiss κ")) :]
        for pair in entry["pairs"]:
            row = next(line for line in section if f"│ {pair['a']} – {pair['b']} " in line)
            cells = [c.strip() for c in row.strip("│").split("│")]
            assert cells[1:] == [
                str(pair["documents"]),
                fmt_(pair["span_f1_exact"]),
                fmt_(pair["span_f1_overlap"]),
                fmt_(pair["cohen_kappa"]),
            ]
    for rank, entry in enumerate(report["by_document"], start=1):
        row = next(line for line in lines if line.startswith(f"│ {rank} │ {entry['document'][:6]}"))
        cells = [c.strip() for c in row.strip("│").split("│")]
        expected = [fmt_(entry["score"])]
        for layer in report["layers"]:
            expected += [
                fmt_(entry["layers"][layer]["span_f1_exact"]),
                fmt_(entry["layers"][layer]["krippendorff_alpha"]),
            ]
        assert cells[-len(expected) :] == expected, row
    # every title is there in full: its words, laid out right to left over the wrapped rows
    table = out[out.index("documents, worst first") :]
    for word in LONG_TITLE.split():
        assert table.count(display_line(word, 40)) >= 6, word
