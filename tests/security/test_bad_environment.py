"""Broken databases and disks, and names that try to reach SQL: one clear line, a non-zero exit, nothing half-written."""

from __future__ import annotations

import json
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS

from annotator.model import Document
from annotator.store import SCHEMA_VERSION, Store


def annotator(*args: str, preexec=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], capture_output=True, text=True, preexec_fn=preexec, timeout=120
    )


def one_clear_line(out: subprocess.CompletedProcess, words: str) -> None:
    assert out.returncode == 1, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: error:") and words in lines[0], out.stderr
    assert "Traceback" not in out.stderr


def test_full_disk_on_import_is_one_line_and_no_half_import(tmp_path: Path) -> None:
    db = tmp_path / "full.db"
    Store(db).close()

    def small_disk() -> None:  # a file-size limit makes every write past 40 kB fail, as a full disk does
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    out = annotator("import", str(CORPUS), "--db", str(db), preexec=small_disk)
    one_clear_line(out, "nothing was saved")
    with Store(db) as store:
        assert store.document_list() == [] and store.check() == []


def test_directory_newer_schema_and_corrupt_file(tmp_path: Path) -> None:
    folder = tmp_path / "db-is-a-folder"
    folder.mkdir()
    one_clear_line(annotator("docs", "--db", str(folder)), "is a directory")
    newer = tmp_path / "newer.db"
    Store(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 7}")
    conn.close()
    one_clear_line(annotator("docs", "--db", str(newer)), "newer than this annotator")
    corrupt = tmp_path / "corrupt.db"
    Store(corrupt).close()
    data = bytearray(corrupt.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # trash the schema page
    corrupt.write_bytes(bytes(data))
    out = annotator("docs", "--db", str(corrupt))
    assert out.returncode == 1 and "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"SQLite format 2\x00" + b"\x01" * 5000)
    one_clear_line(annotator("docs", "--db", str(garbage)), "not a valid annotator database")
    one_clear_line(annotator("docs", "--db", str(tmp_path / "missing-folder" / "x.db")), "does not exist")


def test_check_reports_each_problem_and_exits_1(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store(db) as store:
        store.import_batch([Document("d", "t", "ابن بطوطة في طنجة")], [], user="lead")
        store.add_span("d", "ali", 0, 3, "actor", user="ali")
        store.add_span("d", "ali", 4, 9, "place", user="ali")
        store.conn.execute('UPDATE spans SET "end" = 6 WHERE start = 0')  # overlap + wrong text + log mismatch
    out = annotator("check", "--db", str(db))
    assert out.returncode == 1
    text = out.stdout
    for expected in ("overlaps", "no longer matches", "event log"):
        assert expected in text, text


def test_names_and_labels_never_reach_sql_as_text(tmp_path: Path) -> None:
    db = tmp_path / "inj.db"
    evil = "x'); DROP TABLE spans; --"
    source = tmp_path / "evil.jsonl"
    source.write_text(
        json.dumps(
            {
                "id": "d'; DROP TABLE documents; --",
                "text": "نص قصير هنا",
                "annotator": evil,
                "spans": [{"start": 0, "end": 2, "label": "actor"}],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    assert annotator("import", str(source), "--db", str(db)).returncode == 0
    bad_label = tmp_path / "label.jsonl"
    bad_label.write_text(
        json.dumps({"text": "نص", "annotator": "a", "spans": [{"start": 0, "end": 1, "label": "actor' OR '1'='1"}]})
        + "\n",
        encoding="utf-8",
    )
    one_clear_line_or_more = annotator("import", str(bad_label), "--db", str(db))
    assert one_clear_line_or_more.returncode == 1 and "unknown label" in one_clear_line_or_more.stderr
    with Store(db) as store:
        assert store.annotators() == [evil]
        assert [s.annotator for s in store.spans("d'; DROP TABLE documents; --", evil)] == [evil]
        assert store.check() == []
        store.add_span("d'; DROP TABLE documents; --", evil, 3, 7, "place", user=evil)
        assert len(store.spans("d'; DROP TABLE documents; --", evil)) == 2


def test_hundred_megabyte_line_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        chunk = ("ب" * 50_000).encode()
        for _ in range(1000):  # 100 MB, one line
            handle.write(chunk)
    tiny = tmp_path / "tiny.txt"
    tiny.write_text("نص قصير", encoding="utf-8")

    def peak_of_import(path: Path) -> tuple[subprocess.CompletedProcess, int]:
        db = tmp_path / f"{path.stem}.db"
        Store(db).close()
        code = (
            "import resource, sys\n"
            "from annotator.cli import main\n"
            "try:\n"
            f"    main(['import', {str(path)!r}, '--db', {str(db)!r}])\n"
            "finally:\n"
            "    print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        return out, int(out.stderr.rsplit("PEAK", 1)[1].strip())

    out, peak_huge = peak_of_import(huge)
    _, peak_tiny = peak_of_import(tiny)
    assert out.returncode == 1 and "too large" in out.stderr and str(huge) in out.stderr
    assert peak_huge - peak_tiny < 20_000, (peak_huge, peak_tiny)  # kB: the 100 MB file is never read into memory


@pytest.mark.parametrize("umask, group_writable", [(0o002, True), (0o022, False)])
def test_files_follow_the_umask(tmp_path: Path, umask: int, group_writable: bool) -> None:
    code = f"import os, sys; os.umask({umask}); from annotator.cli import main; main(sys.argv[1:])"
    db = tmp_path / "team.db"
    out = subprocess.run(
        [sys.executable, "-c", code, "import", str(CORPUS), "--db", str(db)], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    for path in (db, Path(str(db) + "-wal")):
        if path.exists():
            assert bool(path.stat().st_mode & 0o020) is group_writable, (path, oct(path.stat().st_mode))
