"""The store as a package: old databases open unchanged, modules stay small, and every failure takes one path to the user."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CORPUS

import annotator.cli
from annotator import errors
from annotator.errors import AnnotatorError, StoreError, from_sqlite
from annotator.store import SCHEMA_VERSION, Status, Store
from annotator.store.connection import Connection

PACKAGE = Path(__file__).resolve().parent.parent / "annotator" / "store"
OLD_V3 = Path(__file__).resolve().parent / "store_data" / "schema_v3.sql"


def _schema(path: Path) -> list[tuple[str, str, str, str | None]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())
    finally:
        conn.close()


@pytest.fixture
def old_v3(tmp_path: Path) -> Path:
    """A database written by the single-module store of schema version 3 (restored from its SQL dump)."""
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.executescript(OLD_V3.read_text(encoding="utf-8"))
    conn.close()
    return db


def test_a_v3_database_of_the_old_code_opens_and_checks_ok(old_v3: Path) -> None:
    with Store(old_v3) as store:
        assert store.check() == []
        assert [(s.start, s.end, s.label) for s in store.spans("d1", "ali")] == [(4, 12, "actor"), (16, 20, "actor")]
        assert store.status("d1", "ali") == Status.DONE and store.can_undo("d1", "ali") == (True, False)
        assert store.last_place("ali") == ("d2", 5)
        assert store.rejections("d2", "ali") == {(6, 32, "actor")}
    out = subprocess.run(
        [sys.executable, "-m", "annotator", "check", "--db", str(old_v3)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr


def test_a_new_database_has_the_schema_the_old_code_made(old_v3: Path, tmp_path: Path) -> None:
    """The DDL of schema.py is, to the character, what sqlite-utils and the raw DDL wrote before.

    The old database is migrated first (later migrations add tables): a new database and an
    upgraded old one then have one schema.
    """
    Store(tmp_path / "new.db").close()
    Store(old_v3).close()
    assert _schema(tmp_path / "new.db") == _schema(old_v3)
    conn = sqlite3.connect(tmp_path / "new.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_no_store_module_is_over_400_lines() -> None:
    sizes = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in PACKAGE.glob("*.py")}
    assert len(sizes) >= 8
    assert {name: n for name, n in sizes.items() if n > 400} == {}


def _error(code: int, message: str) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorcode = code
    return exc


def test_sqlite_errors_are_classified_by_code_not_by_message() -> None:
    """A message that says `locked` or `full` decides nothing: the result code does."""
    assert isinstance(from_sqlite(_error(8, "database is locked, disk full"), "x.db"), errors.ReadOnlyDatabase)
    assert isinstance(from_sqlite(_error(5, "attempt to write a readonly database"), "x.db"), errors.DatabaseLocked)
    assert isinstance(from_sqlite(_error(13 | (1 << 8), "whatever"), "x.db"), errors.DiskFull)
    assert isinstance(from_sqlite(_error(26, "busy"), "x.db"), errors.NotOurDatabase)
    generic = from_sqlite(_error(1, "the disk is full of locked busy readonly words"), "x.db")
    assert type(generic) is StoreError and str(generic).startswith("x.db: database error:")


def test_every_failure_class_is_an_annotator_error() -> None:
    from annotator.agreement.data import AgreementError
    from annotator.commands.common import CommandError
    from annotator.export.errors import ExportError
    from annotator.export.schemes import SchemeError
    from annotator.lead.assign import AssignError
    from annotator.lead.stats import StatsError
    from annotator.model_loop.errors import ModelError
    from annotator.store import ClaimLost, LayerBusy
    from annotator.suggest.patterns import PatternsError

    for cls in (
        StoreError,
        LayerBusy,
        ClaimLost,
        ExportError,
        SchemeError,
        AgreementError,
        CommandError,
        StatsError,
        AssignError,
        PatternsError,
        ModelError,
    ):
        assert issubclass(cls, AnnotatorError), cls


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the CLI in this process; its exit code and its standard error."""
    with pytest.raises(SystemExit) as leaving:
        annotator.cli.main(argv)
    code = leaving.value.code
    return (code if isinstance(code, int) else 1), capsys.readouterr().err


def _one_line(code: int, err: str, words: str) -> None:
    assert code == 1 and "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: error: ") and words in lines[0], err


def _with_connection(
    monkeypatch: pytest.MonkeyPatch, prepare: Callable[[Connection, sqlite3.Connection], object]
) -> None:
    """Let `prepare` set up every connection the CLI opens, right after it is made."""
    original = Connection._connect

    def connect(self: Connection) -> sqlite3.Connection:
        conn = original(self)
        prepare(self, conn)
        return conn

    monkeypatch.setattr(Connection, "_connect", connect)


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    db = tmp_path / "a.db"
    Store(db).close()
    return db


def test_cli_locked(empty_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    other = sqlite3.connect(empty_db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")

    def short_wait(store: Connection, conn: sqlite3.Connection) -> None:
        store.lock_wait = 0.2

    _with_connection(monkeypatch, short_wait)
    try:
        code, err = _cli(["import", str(CORPUS), "--db", str(empty_db)], capsys)
    finally:
        other.rollback()
        other.close()
    _one_line(code, err, "stayed locked by another annotator; nothing was saved")


def test_cli_read_only(empty_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """SQLite's query_only makes every write fail as a read-only file does (chmod does not stop root)."""
    _with_connection(monkeypatch, lambda store, conn: conn.execute("PRAGMA query_only = 1"))
    code, err = _cli(["import", str(CORPUS), "--db", str(empty_db)], capsys)
    _one_line(code, err, "the database is read-only")


def test_cli_disk_full(empty_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that may not grow by one page fails as a full disk does."""

    def no_room(store: Connection, conn: sqlite3.Connection) -> None:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")

    _with_connection(monkeypatch, no_room)
    code, err = _cli(["import", str(CORPUS), "--db", str(empty_db)], capsys)
    _one_line(code, err, "the disk is full; nothing was saved")
    with Store(empty_db) as store:
        assert store.document_list() == [] and store.check() == []


def test_cli_not_ours(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "theirs.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.close()
    code, err = _cli(["docs", "--db", str(db)], capsys)
    _one_line(code, err, "not an annotator database (it has other tables)")


def test_cli_schema_too_new(empty_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(empty_db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    code, err = _cli(["docs", "--db", str(empty_db)], capsys)
    _one_line(code, err, f"newer than this annotator understands ({SCHEMA_VERSION}); upgrade annotator")


def test_cli_an_error_of_another_module_takes_the_same_path(empty_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """agreement's refusal is no longer caught by its command: the one handler prints it."""
    code, err = _cli(["agreement", "--db", str(empty_db), "--annotators", "ali,sara"], capsys)
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith("annotator: error: ")
