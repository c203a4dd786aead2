"""The SQLite store: schema, transactions, spans, undo/redo from the event log, progress."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from annotator.model import Document, Span
from annotator.store import SCHEMA_VERSION, Store, StoreError

TEXT = "قال السوداني إن داعش في الأنبار"


def _doc(store: Store, doc_id: str = "d1", text: str = TEXT) -> None:
    store.import_batch([Document(doc_id, "t", text)], [], user="lead")


def test_new_database_has_schema_wal_and_default_labels(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [(l.name, l.layer, l.key) for l in store.labels()] == [
        ("actor", "entity", "1"),
        ("figure", "entity", "2"),
        ("place", "entity", "3"),
        ("quote", "quote", "4"),
    ]


def test_add_span_records_text_event_and_in_progress(store: Store) -> None:
    _doc(store)
    edit = store.add_span("d1", "ali", 16, 20, "actor", user="ali")
    assert [(s.start, s.end, s.label) for s in edit.added] == [(16, 20, "actor")]
    assert store.conn.execute("SELECT text FROM spans").fetchone()[0] == "داعش"
    assert store.status("d1", "ali") == "in_progress"
    assert [e["action"] for e in store.events("d1") if e["annotator"] == "ali"] == ["edit", "status"]


def test_overlapping_span_in_same_layer_replaces_but_quote_layer_nests(store: Store) -> None:
    _doc(store)
    store.add_span("d1", "ali", 4, 12, "actor", user="ali")
    store.add_span("d1", "ali", 0, 31, "quote", user="ali")
    edit = store.add_span("d1", "ali", 8, 20, "place", user="ali")
    assert [(s.start, s.end, s.label) for s in edit.removed] == [(4, 12, "actor")]
    spans = [(s.start, s.end, s.label) for s in store.spans("d1", "ali")]
    assert spans == [(0, 31, "quote"), (8, 20, "place")]


def test_spans_outside_text_are_refused_and_nothing_changes(store: Store) -> None:
    _doc(store)
    with pytest.raises(StoreError):
        store.add_span("d1", "ali", 20, 99, "actor", user="ali")
    with pytest.raises(StoreError):
        store.add_span("d1", "ali", 5, 5, "actor", user="ali")
    with pytest.raises(StoreError):
        store.add_span("d1", "ali", 1, 3, "nonsense", user="ali")
    assert store.spans("d1", "ali") == []


def test_undo_redo_replay_from_log_and_survive_reopen(db_path: Path) -> None:
    with Store(db_path) as store:
        _doc(store)
        store.add_span("d1", "ali", 4, 12, "actor", user="ali")
        store.add_span("d1", "ali", 4, 20, "place", user="ali")  # replaces the actor
        assert store.undo("d1", "ali", user="ali") is not None
        assert [(s.start, s.end, s.label) for s in store.spans("d1", "ali")] == [(4, 12, "actor")]
    with Store(db_path) as store:  # a restart keeps the history
        assert store.can_undo("d1", "ali") == (True, True)
        store.redo("d1", "ali", user="ali")
        assert [(s.start, s.end, s.label) for s in store.spans("d1", "ali")] == [(4, 20, "place")]
        store.undo("d1", "ali", user="ali")
        store.undo("d1", "ali", user="ali")
        assert store.spans("d1", "ali") == []
        assert store.undo("d1", "ali", user="ali") is None
        store.redo("d1", "ali", user="ali")
        store.add_span("d1", "ali", 0, 3, "actor", user="ali")  # a new edit clears redo
        assert store.can_undo("d1", "ali") == (True, False)
        assert store.check() == []


def test_undo_is_per_annotator(store: Store) -> None:
    _doc(store)
    store.add_span("d1", "ali", 4, 12, "actor", user="ali")
    store.add_span("d1", "mona", 16, 20, "actor", user="mona")
    store.undo("d1", "ali", user="ali")
    assert store.spans("d1", "ali") == []
    assert len(store.spans("d1", "mona")) == 1


def test_event_log_is_append_only(store: Store) -> None:
    _doc(store)
    store.add_span("d1", "ali", 4, 12, "actor", user="ali")
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("DELETE FROM events")
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("UPDATE events SET user = 'x'")


def test_check_finds_tampering(store: Store) -> None:
    _doc(store)
    store.add_span("d1", "ali", 4, 12, "actor", user="ali")
    store.conn.execute('UPDATE spans SET "end" = 13')
    problems = store.check()
    assert any("no longer matches" in p for p in problems)
    assert any("event log" in p for p in problems)


def test_import_marks_done_and_reimport_adds_nothing(store: Store) -> None:
    doc = Document("d1", "t", TEXT)
    spans = [Span("d1", "ali", 16, 20, "actor")]
    first = store.import_batch([doc], spans, user="lead")
    second = store.import_batch([doc], spans, user="lead")
    assert (first.added, first.spans, second.added, second.present, second.spans) == (1, 1, 0, 1, 0)
    assert store.status("d1", "ali") == "done"
    with pytest.raises(StoreError, match="different text"):
        store.import_batch([Document("d1", "t", TEXT + "!")], [], user="lead")


def test_status_and_place(store: Store) -> None:
    _doc(store)
    _doc(store, "d2")
    store.set_status("d1", "ali", "done", user="ali")
    assert store.done_documents("ali") == ["d1"]
    store.save_place("d2", "ali", 7)
    assert store.last_place("ali") == ("d2", 7)
    with pytest.raises(StoreError):
        store.set_status("d1", "ali", "bogus", user="ali")


def test_newer_schema_is_refused(db_path: Path) -> None:
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(db_path)


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b"this is not sqlite at all" * 100), "not a valid annotator database"),
    ],
)
def test_bad_database_files(db_path: Path, setup, message: str) -> None:
    setup(db_path)
    with pytest.raises(StoreError, match=message):
        Store(db_path)


def test_foreign_database_is_refused(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE other (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not an annotator database"):
        Store(db_path)


def test_read_only_database_write_is_a_clear_error(db_path: Path) -> None:
    """chmod 444 for ordinary users; root ignores permissions, so there SQLite's query_only stands in."""
    with Store(db_path) as store:
        _doc(store)
    db_path.chmod(0o444)
    with Store(db_path) as store:
        if os.geteuid() == 0:
            store.conn.execute("PRAGMA query_only = ON")
        with pytest.raises(StoreError, match="read-only"):
            store.add_span("d1", "ali", 0, 3, "actor", user="ali")
        assert store.spans("d1", "ali") == []


def test_database_file_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        Store(tmp_path / "team.db").close()
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "team.db").stat().st_mode)
    assert mode & 0o020, oct(mode)


def _journal_mode_inside_import(store: Store, docs: list[Document]) -> str:
    """The journal mode the import's own transaction ran in (read from inside it)."""
    modes: list[str] = []
    store.import_batch(
        docs,
        [],
        user="lead",
        on_progress=lambda n: modes.append(store.conn.execute("PRAGMA journal_mode").fetchone()[0]),
    )
    return modes[0]


def test_import_alone_writes_through_a_rollback_journal_then_returns_to_wal(store: Store) -> None:
    raw = TEXT.encode("utf-8")
    doc = Document("d1", "t", TEXT, utf8=raw)
    assert _journal_mode_inside_import(store, [doc]) == "delete"
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # The file's bytes were bound as they are and stored as TEXT, equal to the decoded text.
    typ, length, stored = store.conn.execute("SELECT typeof(text), length, text FROM documents").fetchone()
    assert (typ, length, stored) == ("text", len(TEXT), TEXT)
    assert store.check() == []


def test_import_with_another_connection_open_stays_in_wal(store: Store, db_path: Path) -> None:
    other = Store(db_path)  # an annotator at work: leaving WAL would need the file to ourselves
    try:
        other.document_list()
        assert _journal_mode_inside_import(store, [Document("d1", "t", TEXT)]) == "wal"
        assert [row[0] for row in other.document_list()] == ["d1"]
        other.add_span("d1", "ali", 16, 20, "actor", user="ali")
    finally:
        other.close()
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_wal_files_after_an_import_follow_umask(tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        with Store(tmp_path / "team.db") as store:
            _doc(store)
            store.add_span("d1", "ali", 16, 20, "actor", user="ali")
            for suffix in ("-wal", "-shm"):
                mode = stat.S_IMODE((tmp_path / f"team.db{suffix}").stat().st_mode)
                assert mode & 0o020, (suffix, oct(mode))
    finally:
        os.umask(old)


def test_status_steps_undo_and_redo_with_the_spans(store: Store) -> None:
    """Done and reopen are steps of the layer's one undo/redo stack; each undo restores the status it replaced."""
    _doc(store)
    store.save_place("d1", "ali", 4)
    assert store.status("d1", "ali") == "new" and store.events("d1") == []
    store.add_span("d1", "ali", 4, 12, "actor", user="ali")
    assert store.status("d1", "ali") == "in_progress"
    done = store.set_status("d1", "ali", "done", user="ali", step=True)
    assert done is not None and done.status == "done"
    assert store.events("d1")[-1]["payload"] == {
        "add": [],
        "remove": [],
        "status": "done",
        "previous": "in_progress",
        "step": True,
    }
    assert store.set_status("d1", "ali", "done", user="ali", step=True) is None  # no change, no step
    reopened = store.set_status("d1", "ali", "in_progress", user="ali", step=True, only_from=("done",))
    assert reopened is not None
    with pytest.raises(StoreError, match="in progress, not done"):
        store.set_status("d1", "ali", "in_progress", user="ali", step=True, only_from=("done",))
    assert store.undo("d1", "ali", user="ali").status == "done"
    assert store.status("d1", "ali") == "done"
    assert store.undo("d1", "ali", user="ali").status == "in_progress"
    undone = store.undo("d1", "ali", user="ali")
    assert undone.removed and store.spans("d1", "ali") == []
    assert store.status("d1", "ali") == "in_progress"  # the automatic in progress is no step
    assert store.undo("d1", "ali", user="ali") is None
    assert store.redo("d1", "ali", user="ali").added
    assert store.redo("d1", "ali", user="ali").status == "done"
    assert store.status("d1", "ali") == "done"
    assert store.can_undo("d1", "ali") == (True, True)
    assert store.check() == []


def test_done_without_an_edit_undoes_to_new(store: Store) -> None:
    _doc(store)
    store.set_status("d1", "ali", "done", user="ali", step=True)
    assert store.undo("d1", "ali", user="ali").status == "new"
    assert store.status("d1", "ali") == "new"


def test_close_folds_the_wal_in_and_removes_it(db_path: Path) -> None:
    first, second = Store(db_path), Store(db_path)
    _doc(first)
    first.add_span("d1", "ali", 4, 12, "actor", user="ali")
    first.close()
    assert Path(f"{db_path}-wal").exists()  # the second connection is still open
    second.close()
    assert not Path(f"{db_path}-wal").exists() and not Path(f"{db_path}-shm").exists()
    first.close()  # twice is harmless
    copy = db_path.parent / "copy.db"
    copy.write_bytes(db_path.read_bytes())
    assert sqlite3.connect(copy).execute("SELECT count(*) FROM spans").fetchone()[0] == 1
