"""`annotator export` end to end through annotator.cli.main: selection, paths, atomic writes, errors."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ANBAR, anbar_spans

from annotator.export import jsonl as jsonl_module
from annotator.model import GOLD
from annotator.store import Store

Run = Callable[..., tuple[int, str, str]]


def listing(folder: Path) -> list[str]:
    """Every file under folder (hidden ones too, not SQLite's -wal/-shm), relative, sorted."""
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and not p.name.endswith(("-wal", "-shm"))
    )


def test_default_path_is_under_exports_beside_the_database(project: Path, run_cli: Run, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, out, err = run_cli("export", "--db", str(project), "-f", "conll", "--gold", cwd=elsewhere)
    assert code == 0, err
    files = list((project.parent / "exports").iterdir())
    assert len(files) == 1 and files[0].name.startswith("gold-conll-") and files[0].suffix == ".conll"
    assert listing(elsewhere) == [] and out == ""
    assert err.startswith("exported 1 record of gold (1 document, 8 spans, ")
    assert str(files[0]) in err
    # a second export in the same second gets a free name, never overwriting the first
    code, _, err = run_cli("export", "--db", str(project), "-f", "conll", "--gold")
    assert code == 0, err
    assert len(list((project.parent / "exports").iterdir())) == 2


def test_default_path_never_escapes_exports(project: Path, run_cli: Run) -> None:
    with Store(project) as store:
        store.add_span(ANBAR, "../../evil", 0, 3, "actor", user="x")
        store.set_status(ANBAR, "../../evil", "done", user="x")
    code, _, err = run_cli("export", "--db", str(project), "-f", "jsonl", "--annotator", "../../evil")
    assert code == 0, err
    exports = project.parent / "exports"
    assert [p.name for p in exports.iterdir()][0].startswith("evil-jsonl-")
    assert listing(project.parent) == ["annotations.db", *[f"exports/{p.name}" for p in exports.iterdir()]]


def test_existing_output_needs_force(project: Path, run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "train.conll"
    target.write_text("keep me\n", encoding="utf-8")
    code, out, err = run_cli("export", "--db", str(project), "-f", "conll", "--annotator", "alice", "-o", str(target))
    assert code == 1
    assert err.strip() == f"annotator: error: {target} already exists; use --force to overwrite it"
    assert target.read_text(encoding="utf-8") == "keep me\n"
    code, _, err = run_cli(
        "export", "--db", str(project), "-f", "conll", "--annotator", "alice", "-o", str(target), "--force"
    )
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("-DOCSTART- O O\n\n")
    assert listing(tmp_path) == ["project/annotations.db", "train.conll"]


def test_the_database_is_never_an_output(project: Path, run_cli: Run) -> None:
    before = project.read_bytes()
    code, _, err = run_cli("export", "--db", str(project), "-f", "jsonl", "-o", str(project), "--force")
    assert code == 1 and err.strip() == f"annotator: error: {project} is the database itself; name another file"
    assert project.read_bytes() == before


def test_output_to_a_folder_uses_the_default_name_and_missing_folder_fails(
    project: Path, run_cli: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    code, _, err = run_cli("export", "--db", str(project), "-f", "jsonl", "-o", str(folder))
    assert code == 0, err
    assert [p.name.startswith("all-jsonl-") for p in folder.iterdir()] == [True]
    code, _, err = run_cli("export", "--db", str(project), "-f", "jsonl", "-o", str(tmp_path / "nope" / "x.jsonl"))
    assert code == 1 and "the folder" in err and "does not exist" in err
    assert not (tmp_path / "nope").exists()


def test_stdout_holds_only_the_data(project: Path, run_cli: Run) -> None:
    code, out, err = run_cli("export", "--db", str(project), "-f", "jsonl", "--gold", "-o", "-")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["id"], r["annotator"]) for r in records] == [(ANBAR, GOLD)]
    assert "standard output" in err
    assert not (project.parent / "exports").exists()


def test_hf_to_stdout_is_refused(project: Path, run_cli: Run) -> None:
    code, out, err = run_cli("export", "--db", str(project), "-f", "hf", "--gold", "-o", "-")
    assert code == 1 and out == ""
    assert "hf writes a label list beside the records, so it needs a file: give -o PATH" in err


def test_layer_choice_is_named_when_missing(project: Path, run_cli: Run) -> None:
    for fmt in ("conll", "hf"):
        code, _, err = run_cli("export", "--db", str(project), "-f", fmt)
        assert code == 1
        assert err.strip() == (
            f"annotator: error: {fmt} exports one layer: give --annotator NAME or --gold (annotators: alice, bob)"
        )
    code, _, err = run_cli("export", "--db", str(project), "-f", "conll", "--annotator", "carol")
    assert code == 1 and "no annotator 'carol' in the database (annotators: alice, bob; or --gold)" in err
    code, _, err = run_cli("export", "--db", str(project), "-f", "conll", "--annotator", "alice", "--gold")
    assert code == 1 and "not both" in err
    code, _, err = run_cli("export", "--db", str(project), "-f", "jsonl", "--token-boundary", "expand")
    assert code == 1 and "--token-boundary applies to conll, hf and spacy" in err


def test_empty_selection_is_a_clear_error(project: Path, run_cli: Run, tmp_path: Path) -> None:
    with Store(project) as store:
        store.add_span("04-f35-strikes-archive", "carol", 0, 3, "actor", user="carol")
    code, out, err = run_cli("export", "--db", str(project), "-f", "conll", "--annotator", "carol")
    assert code == 1 and out == ""
    assert (
        err.strip() == "annotator: error: no documents to export: carol has marked none done; use --include-unfinished"
    )
    assert not (project.parent / "exports").exists()
    empty = tmp_path / "empty.db"
    Store(empty).close()
    code, _, err = run_cli("export", "--db", str(empty), "-f", "jsonl")
    assert code == 1 and "the database holds none" in err
    code, _, err = run_cli("export", "--db", str(tmp_path / "missing.db"), "-f", "jsonl")
    assert code == 1 and "no such database" in err and not (tmp_path / "missing.db").exists()


def test_documents_in_corpus_order_and_include_unfinished(project: Path, run_cli: Run) -> None:
    code, out, _ = run_cli("export", "--db", str(project), "-f", "jsonl", "-o", "-")
    assert code == 0
    got = [(r["id"], r["annotator"]) for r in map(json.loads, out.splitlines())]
    assert got == [(ANBAR, "alice"), (ANBAR, "bob"), ("03-coalition-presence-debate", "alice")]
    code, out, _ = run_cli(
        "export", "--db", str(project), "-f", "jsonl", "--annotator", "bob", "--include-unfinished", "-o", "-"
    )
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == sorted(p.stem for p in (Path(__file__).parents[2] / "corpus").glob("*.txt"))
    assert [len(r["spans"]) for r in records] == [1, 1, 0, 0, 0]


def test_gold_reads_the_adjudicated_layer(project: Path, run_cli: Run) -> None:
    with Store(project) as store:
        store.add_span("05-coalition-ends-operations", GOLD, 0, 4, "actor", user="lead")  # in progress, not adjudicated
        text = store.document(ANBAR).text
    code, out, err = run_cli("export", "--db", str(project), "-f", "jsonl", "--gold", "-o", "-")
    assert code == 0, err
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["annotator"] == GOLD
    assert [(s["start"], s["end"], s["label"]) for s in record["spans"]] == sorted(anbar_spans(text))


def test_a_failed_check_writes_nothing(
    project: Path, run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = jsonl_module.jsonl_record

    def broken(record):  # type: ignore[no-untyped-def]
        data = real(record)
        if record.annotator == "bob":
            data["spans"][0]["text"] = "شيء آخر"
        return data

    monkeypatch.setattr(jsonl_module, "jsonl_record", broken)
    target = tmp_path / "out.jsonl"
    code, out, err = run_cli("export", "--db", str(project), "-f", "jsonl", "-o", str(target))
    assert code == 1 and out == ""
    with Store(project) as store:
        start, end = anbar_spans(store.document(ANBAR).text)[0][:2]
    assert err.strip() == (
        f"annotator: error: document '{ANBAR}' (bob): span {start}-{end} 'actor' «داعش»: "
        f"its text «شيء آخر» is not text[{start}:{end}]"
    )
    assert listing(tmp_path) == ["project/annotations.db"]
    code, out, err = run_cli("export", "--db", str(project), "-f", "jsonl", "-o", "-")
    assert code == 1 and out == "" and "(bob)" in err
    code, _, err = run_cli("export", "--db", str(project), "-f", "jsonl")
    assert code == 1 and listing(project.parent / "exports") == []


def test_strict_refuses_a_clitic_span_and_writes_nothing(project: Path, run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "strict.conll"
    code, _, err = run_cli(
        "export", "--db", str(project), "-f", "conll", "--gold", "--token-boundary", "strict", "-o", str(target)
    )
    assert code == 1
    assert "'actor' «داعش» starts inside the word «لداعش»; --token-boundary strict refuses it" in err
    assert err.startswith(f"annotator: error: document '{ANBAR}' (gold): span ")
    assert listing(tmp_path) == ["project/annotations.db"]


def test_jsonl_round_trips_through_import(project: Path, run_cli: Run, tmp_path: Path) -> None:
    exported = tmp_path / "all.jsonl"
    code, _, err = run_cli("export", "--db", str(project), "-f", "jsonl", "-o", str(exported))
    assert code == 0, err
    fresh = tmp_path / "fresh.db"
    code, out, err = run_cli("import", str(exported), "--db", str(fresh))
    assert code == 0, err
    with Store(project) as before, Store(fresh) as after:
        ids = [ANBAR, "03-coalition-presence-debate"]
        assert [d[0] for d in after.document_list()] == ids
        for doc_id in ids:
            old, new = before.document(doc_id), after.document(doc_id)
            assert (new.title, new.text, new.meta) == (old.title, old.text, old.meta)
        assert after.annotators() == ["alice", "bob"]
        for doc_id, annotator in [(ANBAR, "alice"), (ANBAR, "bob"), (ids[1], "alice")]:
            key = lambda s: (s.start, s.end, s.label)  # noqa: E731
            assert list(map(key, after.spans(doc_id, annotator))) == list(map(key, before.spans(doc_id, annotator)))
        assert after.done_documents("alice") == ids and after.check() == []


def test_progress_bar_on_a_terminal(
    make_db: Callable[..., Path], run_cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    texts = {f"d{i:03}": f"قال داعش في الأنبار {i}." for i in range(210)}
    db = make_db(texts, {doc_id: [(4, 8, "actor")] for doc_id in texts})
    seen: list[tuple[int, str]] = []
    from contextlib import contextmanager

    import annotator.progress as progress

    @contextmanager
    def fake_bar(total: int, label: str):  # type: ignore[no-untyped-def]
        seen.append((total, label))
        yield lambda n: seen.append((n, "advance"))

    monkeypatch.setattr(progress, "progress_bar", fake_bar)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    code, _, err = run_cli(
        "export", "--db", str(db), "-f", "conll", "--annotator", "alice", "-o", str(tmp_path / "x.conll")
    )
    assert code == 0, err
    assert seen[0] == (210, "exporting conll") and len(seen) == 211
    assert "exported 210 records of alice (210 documents, 210 spans, 210 sentences)" in err


def test_written_files_get_the_usual_permissions(project: Path, run_cli: Run, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        code, _, err = run_cli("export", "--db", str(project), "-f", "hf", "--gold", "-o", str(tmp_path / "g.jsonl"))
    finally:
        os.umask(old)
    assert code == 0, err
    written = ["g.jsonl", "g.labels.json", "g.quote_labels.json"]
    assert listing(tmp_path) == [*written, "project/annotations.db"]
    assert {oct((tmp_path / name).stat().st_mode & 0o777) for name in written} == {"0o644"}
