"""Issue 12: every command leaves a complete `.db` and no `-wal`; backup; check's WAL note; annotator names; claims."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS

from annotator.model import Document, Span
from annotator.store import Store

TEXT = "قال السوداني إن داعش في الأنبار"


def run(*args: str, db: Path, cwd: Path | None = None, columns: int | None = None) -> subprocess.CompletedProcess:
    """The real command in a child process, with no terminal on stdin (nobody to answer a question)."""
    env = None if columns is None else {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=env,
    )


def one_line(out: subprocess.CompletedProcess, *words: str) -> str:
    """The single stderr line of a failed command, checked to hold every word."""
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    for word in words:
        assert word in lines[0], out.stderr
    return lines[0]


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """The corpus with ali and sara done on the first two articles (closed: no -wal)."""
    db = tmp_path / "team.db"
    with Store(db) as store:
        from annotator.importer import expand_paths, parse_files

        files, _ = expand_paths([CORPUS])
        parsed = parse_files(files, store.labels())
        store.import_batch(parsed.documents, [], user="lead")
        for doc in ("01-anbar-raid-nyt", "02-centcom-joint-operation"):
            text = store.document(doc).text
            for name, word in (("ali", "داعش"), ("sara", "داعش")):
                start = text.index(word)
                store.add_span(doc, name, start, start + len(word), "actor", user=name)
                store.set_status(doc, name, "done", user=name)
    assert not Path(f"{db}-wal").exists()
    return db


COMMANDS = [
    ("docs",),
    ("docs", "--json"),
    ("check",),
    ("export", "-f", "jsonl", "--annotator", "ali"),
    ("export", "-f", "conll", "--annotator", "sara", "--include-unfinished"),
    ("agreement",),
    ("agreement", "--json"),
    ("import", str(CORPUS / "01-anbar-raid-nyt.txt")),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_leaves_no_wal(team: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    out = run(*command, db=team, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert not Path(f"{team}-wal").exists(), f"{' '.join(command)} left {team}-wal"


def test_a_failing_command_leaves_no_wal(team: Path, tmp_path: Path) -> None:
    out = run("export", "-f", "jsonl", "--annotator", "nobody", db=team, cwd=tmp_path)
    assert out.returncode != 0
    assert not Path(f"{team}-wal").exists()


def test_an_import_into_a_new_database_leaves_only_the_db(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    out = run("import", str(CORPUS), db=db)
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.db"]
    copy = tmp_path / "copy" / "new.db"
    copy.parent.mkdir()
    shutil.copyfile(db, copy)
    assert sqlite3.connect(copy).execute("SELECT count(*) FROM documents").fetchone()[0] == 5


# -- backup and check ---------------------------------------------------------------------------------------


def open_writer(db: Path) -> Store:
    """A Store that stays open with a committed change still in the -wal (an annotator at work)."""
    store = Store(db)
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    store.add_span("03-coalition-presence-debate", "ali", 0, 3, "place", user="ali")
    assert Path(f"{db}-wal").stat().st_size > 0
    return store


def test_backup_while_an_annotator_works_holds_the_latest_change(team: Path, tmp_path: Path) -> None:
    writer = open_writer(team)
    try:
        # a plain copy of the .db alone misses the change still in the -wal: the reason for backup
        plain = tmp_path / "plain.db"
        shutil.copyfile(team, plain)
        assert (
            sqlite3.connect(plain)
            .execute("SELECT count(*) FROM spans WHERE document_id = '03-coalition-presence-debate'")
            .fetchone()[0]
            == 0
        )
        dest = tmp_path / "backups" / "b.db"
        dest.parent.mkdir()
        out = run("backup", str(dest), db=team)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip().endswith("ok")
        assert sorted(p.name for p in dest.parent.iterdir()) == ["b.db"]  # no temporary, no -wal
        row = (
            sqlite3.connect(dest)
            .execute("SELECT start, \"end\", label FROM spans WHERE document_id = '03-coalition-presence-debate'")
            .fetchall()
        )
        assert row == [(0, 3, "place")]
    finally:
        writer.close()


def test_backup_refuses_to_overwrite_without_force(team: Path, tmp_path: Path) -> None:
    dest = tmp_path / "b.db"
    dest.write_bytes(b"keep me")
    one_line(run("backup", str(dest), db=team), str(dest), "already exists", "--force")
    assert dest.read_bytes() == b"keep me"
    out = run("backup", str(dest), "--force", db=team)
    assert out.returncode == 0, out.stderr
    with Store(dest) as copy:
        assert copy.check() == [] and len(copy.document_list()) == 5
    one_line(run("backup", str(tmp_path / "no" / "b.db"), db=team), "does not exist")
    one_line(run("backup", str(team), "--force", db=team), "the database itself")
    one_line(run("backup", str(dest), db=tmp_path / "none.db"), "no such database")


def test_check_notes_a_wal_beside_the_file(team: Path) -> None:
    assert "-wal" not in run("check", db=team).stdout
    writer = open_writer(team)
    try:
        out = run("check", db=team)
        assert out.returncode == 0, out.stderr
        lines = out.stdout.strip().splitlines()
        assert len(lines) == 2 and lines[0].startswith(f"note: {team}-wal holds ") and "annotator backup" in lines[0]
        assert lines[1] == f"{team}: ok"
    finally:
        writer.close()


# -- names ------------------------------------------------------------------------------------------------


def test_names_are_trimmed_and_bad_names_refused(team: Path) -> None:
    one_line(run("annotate", "--user", "   ", db=team), "--user", "empty")
    one_line(run("annotate", "--user", "gold", db=team), "reserved")
    one_line(run("annotate", "--user", " Gold ", db=team), "reserved")
    one_line(run("annotate", "--user", "al\x1bi", db=team), "control", "U+001B")
    one_line(run("annotate", "--user", "ali\u202e", db=team), "U+202E")
    one_line(run("review", "--user", " ", db=team), "empty")
    one_line(run("import", str(CORPUS), "--as", "\x07", db=team), "--as")


def test_an_unknown_name_needs_new_and_lists_the_known(team: Path) -> None:
    line = one_line(run("annotate", "--user", "Ali ", db=team), "'Ali'", "known: ali, sara", "--new")
    assert "Ali " not in line  # trimmed before it is compared
    one_line(run("annotate", "--user", "mona", db=team), "'mona'", "--new")
    with Store(team) as store:
        assert store.annotators() == ["ali", "sara"]  # nothing was created


def test_unknown_name_check_and_claim_run_before_the_screen(team: Path, tmp_path: Path) -> None:
    """`--user ' ali '` is ali: with ali's layer held by a live process, the refusal names the holder, not the name."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from annotator.store import Store; s = Store(sys.argv[1]); s.claim('ali'); "
            "print('ready', flush=True); sys.stdin.readline(); s.close()",
            str(team),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        line = one_line(
            run("annotate", "--user", " ali ", db=team),
            "ali's layer is open in another terminal",
            f"pid {holder.pid}",
            "--take-over",
        )
        assert "since " in line
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(20)
    with Store(team) as store:
        assert store.holder("ali") is None  # released on close


def test_review_refuses_while_another_review_holds_gold(team: Path) -> None:
    with Store(team) as store:
        store.claim("gold")
        line = one_line(
            run("review", db=team), "the gold layer is open in another terminal", "annotator review --take-over"
        )
        assert f"pid {os.getpid()}" in line


def test_docs_shows_the_words_of_the_screens(team: Path) -> None:
    with Store(team) as store:
        store.save_place("03-coalition-presence-debate", "ali", 5)  # opened, nothing done
        store.save_place("04-f35-strikes-archive", "ali", 0)
        store.add_span("04-f35-strikes-archive", "ali", 0, 3, "place", user="ali")
        assert store.status("03-coalition-presence-debate", "ali") == "new"
        assert store.status("04-f35-strikes-archive", "ali") == "in_progress"
    docs = {
        d["id"]: d["annotators"]["ali"]["status"]
        for d in json.loads(run("docs", "--json", db=team).stdout)
        if "ali" in d["annotators"]
    }
    assert docs["03-coalition-presence-debate"] == "new"
    out = run("docs", db=team, columns=200)  # wide enough for one row per article (tests/test_docs_table.py: narrow)
    assert out.returncode == 0, out.stderr
    rows = {row.split("│")[2].strip(): row for row in out.stdout.splitlines() if row.count("│") > 3}
    assert "new 0" in rows["03-coalition-presence-debate"]
    assert "in progress 1" in rows["04-f35-strikes-archive"]
    assert "done 1" in rows["01-anbar-raid-nyt"]


def test_done_spans_import_still_done(tmp_path: Path) -> None:
    """Imported spans make their documents done, as before (a status of the import, not a step)."""
    db = tmp_path / "i.db"
    with Store(db) as store:
        store.import_batch([Document("d", "t", TEXT)], [Span("d", "ali", 4, 12, "actor")], user="lead")
        assert store.status("d", "ali") == "done"
        assert store.can_undo("d", "ali") == (False, False)


def test_a_leftover_wal_is_noted_then_folded_in_by_the_next_command(team: Path, tmp_path: Path) -> None:
    """What a SIGKILL or a crash leaves (a .db and its -wal): check says so, and its own close folds the -wal in."""
    writer = open_writer(team)
    try:
        crashed = tmp_path / "crashed"
        crashed.mkdir()
        for suffix in ("", "-wal"):
            shutil.copyfile(f"{team}{suffix}", crashed / f"team.db{suffix}")
    finally:
        writer.close()
    db = crashed / "team.db"
    out = run("check", db=db)
    assert out.returncode == 0 and out.stdout.startswith(f"note: {db}-wal holds "), out.stdout + out.stderr
    assert sorted(p.name for p in crashed.iterdir()) == ["team.db"]
    assert (
        sqlite3.connect(db)
        .execute("SELECT count(*) FROM spans WHERE document_id = '03-coalition-presence-debate'")
        .fetchone()[0]
        == 1
    )
    assert run("check", db=db).stdout.strip() == f"{db}: ok"
