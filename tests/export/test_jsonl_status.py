"""A JSONL round trip keeps every layer's status (issue 12, item 5): unfinished work never comes back done."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import CORPUS, nth

from annotator.agreement.data import load_data
from annotator.importer import expand_paths, parse_files
from annotator.model import GOLD
from annotator.store import STATUSES, Store

Run = Callable[..., tuple[int, str, str]]

DOCS = sorted(path.stem for path in CORPUS.glob("*.txt"))


def _team_db(path: Path) -> Path:
    """sara: done on 01, in progress with spans on 02, opened without spans on 03, never on 04 and 05;
    ali: done on 01 and 02 (so agreement sees 01 done by both); gold: adjudicated on 01."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with Store(path) as store:
        files, _ = expand_paths([CORPUS])
        parsed = parse_files(files, store.labels())
        store.import_batch(parsed.documents, parsed.spans, user="lead")
        first, second = store.document(DOCS[0]).text, store.document(DOCS[1]).text
        store.add_span(DOCS[0], "sara", *nth(first, "داعش"), "actor", user="sara")
        store.set_status(DOCS[0], "sara", "done", user="sara")
        store.add_span(DOCS[1], "sara", *nth(second, "داعش"), "actor", user="sara")
        store.set_status(DOCS[2], "sara", "in_progress", user="sara")
        for doc_id, text in ((DOCS[0], first), (DOCS[1], second)):
            store.add_span(doc_id, "ali", *nth(text, "داعش"), "actor", user="ali")
            store.set_status(doc_id, "ali", "done", user="ali")
        store.add_span(DOCS[0], GOLD, *nth(first, "داعش"), "actor", user="lead")
        store.set_status(DOCS[0], GOLD, "adjudicated", user="lead")
    return path


def _statuses(path: Path, annotator: str) -> dict[str, str | None]:
    with Store(path) as store:
        return {doc_id: store.status(doc_id, annotator) for doc_id, _, _ in store.document_list()}


def _status_events(path: Path) -> list[tuple[str, str, str]]:
    with Store(path) as store:
        return sorted(
            (e["document_id"], e["annotator"], e["payload"]["status"])
            for e in store.events()
            if e["action"] == "status"
        )


def test_round_trip_keeps_every_status(tmp_path: Path, run_cli: Run) -> None:
    source = _team_db(tmp_path / "a" / "annotations.db")
    exported = tmp_path / "sara.jsonl"
    code, _, err = run_cli(
        "export", "--db", str(source), "-f", "jsonl", "--annotator", "sara", "--include-unfinished", "-o", str(exported)
    )
    assert code == 0, err
    records = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["status"]) for r in records] == [
        (DOCS[0], "done"),
        (DOCS[1], "in_progress"),
        (DOCS[2], "in_progress"),
        (DOCS[3], None),
        (DOCS[4], None),
    ]
    target = tmp_path / "b" / "annotations.db"
    target.parent.mkdir()
    code, _, err = run_cli("import", "--db", str(target), str(exported))
    assert code == 0, err
    assert _statuses(target, "sara") == _statuses(source, "sara")
    with Store(target) as store:
        assert store.done_documents("sara") == [DOCS[0]]
        assert [(s.start, s.end) for s in store.spans(DOCS[1], "sara")] == [nth(store.document(DOCS[1]).text, "داعش")]
    # a never-opened layer leaves no progress row and no status event behind
    assert [e for e in _status_events(target) if e[1] == "sara"] == [
        (DOCS[0], "sara", "done"),
        (DOCS[1], "sara", "in_progress"),
        (DOCS[2], "sara", "in_progress"),
    ]


def test_round_trip_of_every_layer_keeps_agreement_done_set(tmp_path: Path, run_cli: Run) -> None:
    source = _team_db(tmp_path / "a" / "annotations.db")
    exported = tmp_path / "all.jsonl"
    code, _, err = run_cli("export", "--db", str(source), "-f", "jsonl", "--include-unfinished", "-o", str(exported))
    assert code == 0, err
    target = tmp_path / "b" / "annotations.db"
    target.parent.mkdir()
    assert run_cli("import", "--db", str(target), str(exported))[0] == 0
    for name in ("ali", "sara"):  # every annotator's layer; gold leaves only with --gold
        assert _statuses(target, name) == _statuses(source, name), name
    with Store(source) as before, Store(target) as after:
        old, new = load_data(before, ["ali", "sara"]), load_data(after, ["ali", "sara"])
    assert new.doc_ids == old.doc_ids == [DOCS[0]]
    assert new.done.tolist() == old.done.tolist()


def test_unknown_status_is_one_error_naming_file_and_line(tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "bad.jsonl"
    lines = [
        {"id": "a", "text": "نص أول", "annotator": "sara", "spans": [], "status": "done"},
        {"id": "b", "text": "نص ثان", "annotator": "sara", "spans": [], "status": "finished"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines) + "\n", encoding="utf-8")
    db = tmp_path / "db" / "annotations.db"
    db.parent.mkdir()
    code, _, err = run_cli("import", "--db", str(db), str(path))
    assert code == 1
    problems = [line for line in err.splitlines() if line.startswith("annotator: error: ") and "status" in line]
    known = ", ".join(STATUSES)  # the store's statuses: another status added there is known here too
    assert {"in_progress", "done", "adjudicated"} <= set(STATUSES)
    expected = f"annotator: error: {path}:2: unknown status 'finished' (known: {known}, or null)"
    assert problems == [expected]
    assert not db.exists() or Store(db).document_list() == []


def test_records_without_status_still_import_as_done(tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "old.jsonl"
    text = "قال السوداني إن داعش في الأنبار"
    lines = [
        {"id": "a", "text": text, "annotator": "sara", "spans": [{"start": 16, "end": 20, "label": "actor"}]},
        {"id": "b", "text": "نص آخر", "annotator": "sara", "spans": []},
        {"id": "g", "text": "نص ثالث", "annotator": GOLD, "spans": []},
        {"id": "plain", "text": "نص بلا طبقة"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines) + "\n", encoding="utf-8")
    db = tmp_path / "db" / "annotations.db"
    db.parent.mkdir()
    code, _, err = run_cli("import", "--db", str(db), str(path))
    assert code == 0, err
    assert _statuses(db, "sara") == {"a": "done", "b": "done", "g": None, "plain": None}
    assert _statuses(db, GOLD) == {"a": None, "b": None, "g": "adjudicated", "plain": None}
