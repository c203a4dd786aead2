"""`annotator review` refuses clearly when there is nothing to adjudicate."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotator.model import Document, Span
from annotator.store import Store


def review(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "annotator", "review", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def one_line(out: subprocess.CompletedProcess, words: str) -> None:
    assert out.returncode == 1 and "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], out.stderr


def test_missing_database(tmp_path: Path) -> None:
    one_line(review(tmp_path / "none.db"), "no such database")
    assert not (tmp_path / "none.db").exists()


def test_fewer_than_two_annotators_and_unknown_names(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with Store(db) as store:
        store.import_batch([Document("d", "t", "قال داعش")], [Span("d", "ali", 4, 8, "actor")], user="lead")
    one_line(review(db), "at least two annotators")
    one_line(review(db, "--annotators", "ali,nobody"), "unknown annotator nobody")


def test_two_annotators_without_a_shared_document(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with Store(db) as store:
        store.import_batch(
            [Document("d1", "t", "قال داعش"), Document("d2", "t", "قال داعش")],
            [Span("d1", "ali", 4, 8, "actor"), Span("d2", "mona", 4, 8, "actor")],
            user="lead",
        )
    one_line(review(db), "no document was marked done by two or more")
