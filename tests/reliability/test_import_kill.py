"""kill -9 in the middle of a bulk import, which writes through a rollback journal: all or nothing, then WAL again."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from annotator.importer import expand_paths, parse_files
from annotator.resources import corpus_dir
from annotator.store import Store

ARTICLES = 2500


def _write_corpus(folder: Path) -> None:
    """ARTICLES files of about 9 KB of the bundled corpus's Arabic each."""
    lines = [
        line for path in sorted(corpus_dir().glob("*.txt")) for line in path.read_text("utf-8").split("\n") if line
    ]
    rng = random.Random(3)
    folder.mkdir()
    for i in range(ARTICLES):
        body = "\n".join(rng.choice(lines) for _ in range(14))
        (folder / f"bulk-{i:05d}.txt").write_text(f"bulk {i}\n{body}", encoding="utf-8")


def _base_database(path: Path) -> int:
    """A database holding the bundled corpus with one span; returns its document count."""
    with Store(path) as store:
        files, _ = expand_paths([corpus_dir()])
        parsed = parse_files(files, store.labels())
        store.import_batch(parsed.documents, [], user="lead")
        first = parsed.documents[0].id
        store.add_span(first, "ali", 0, 3, "actor", user="ali")
        return len(parsed.documents)


def test_kill_9_during_a_bulk_import_keeps_all_or_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "bulk"
    _write_corpus(folder)
    base = tmp_path / "base.db"
    before = _base_database(base)
    rng = random.Random(11)
    outcomes: list[str] = []
    for round_number in range(6):
        db = tmp_path / f"round{round_number}.db"
        shutil.copy(base, db)
        process = subprocess.Popen(
            [sys.executable, "-m", "annotator", "import", str(folder), "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "COLUMNS": "80"},
        )
        journal = Path(f"{db}-journal")
        deadline = time.monotonic() + 60
        while not journal.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        in_write = journal.exists()
        time.sleep(rng.uniform(0, 0.04))
        process.kill()
        process.wait()
        with Store(db) as store:  # a hot journal is rolled back on opening
            count = len(store.document_list())
            assert count in (before, before + ARTICLES), count
            assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert store.check() == []
            assert len(store.spans(store.document_list()[0][0], "ali")) == 1
        outcomes.append("complete" if count == before + ARTICLES else "rolled back" if in_write else "early")
    assert outcomes.count("rolled back") >= 2, outcomes
    # After the kills, a whole import still lands.
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(folder), "--db", str(tmp_path / "round0.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with Store(tmp_path / "round0.db") as store:
        assert len(store.document_list()) == before + ARTICLES
        assert store.check() == []
