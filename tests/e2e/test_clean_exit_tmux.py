"""Issue 12, item 4: however the real screen ends (ctrl+q, SIGHUP, SIGTERM), the `.db` file alone holds the work.

SQLite folds the `-wal` into the file and removes it when the last connection closes; a copy of the
`.db` made then (what a careless backup does) must hold the span and the done status.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
from pathlib import Path

import pytest

from annotator.model import Document, Span
from annotator.store import Store
from e2e.tmux import ANNOTATOR, Pane

pytestmark = pytest.mark.tmux

DOC = "01-anbar-raid-nyt"
START_TIMEOUT_S = 60.0


def plain_copy_holds(db: Path, tmp_path: Path, user: str) -> tuple[list[tuple[int, int, str]], str | None]:
    """What a file copy of the .db alone (no -wal, no -shm) holds of the user's first article."""
    copy = tmp_path / "copy" / "annotations.db"
    copy.parent.mkdir(exist_ok=True)
    shutil.copyfile(db, copy)
    conn = sqlite3.connect(copy)
    try:
        spans = conn.execute(
            'SELECT start, "end", label FROM spans WHERE document_id = ? AND annotator = ?', (DOC, user)
        ).fetchall()
        status = conn.execute(
            "SELECT status FROM progress WHERE document_id = ? AND annotator = ?", (DOC, user)
        ).fetchone()
    finally:
        conn.close()
    return [tuple(row) for row in spans], status[0] if status else None


@pytest.mark.parametrize("how", ["ctrl+q", "SIGHUP", "SIGTERM"])
def test_tag_done_and_leave_leaves_the_work_in_the_db_file(tmp_path: Path, how: str) -> None:
    db = tmp_path / "annotations.db"
    pane = Pane([*ANNOTATOR, "--db", str(db), "--user", "ali"], cwd=tmp_path)
    try:
        pane.wait_for("offset 0/", timeout=START_TIMEOUT_S)
        pane.send("Space")
        pane.send("1")
        pane.wait_for("saved")
        pane.send("C-d")
        pane.wait_for("article 2/5")
        pane.wait_for("1 of 5 done")
        if how == "ctrl+q":
            pane.send("C-q")
        else:
            os.kill(pane.pid(), getattr(signal, how))
        pane.wait_dead()
        assert "Traceback" not in "\n".join(pane.screen())
    finally:
        pane.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations.db"], "a -wal or -shm was left"
    assert plain_copy_holds(db, tmp_path, "ali") == ([(0, 3, "actor")], "done")
    with Store(db) as store:
        assert store.holder("ali") is None  # the claim was released on the way out
        assert store.check() == []


def test_review_quit_leaves_no_wal(tmp_path: Path) -> None:
    db = tmp_path / "annotations.db"
    text = "قال السوداني إن داعش هاجم الأنبار"
    start = text.index("داعش")
    with Store(db) as store:
        store.import_batch(
            [Document("r1", "t", text)],
            [Span("r1", "ali", start, start + 4, "actor"), Span("r1", "mona", start, start + 4, "place")],
            user="lead",
        )
    pane = Pane([*ANNOTATOR, "review", "--db", str(db), "--user", "lead"], cwd=tmp_path, width=110, height=32)
    try:
        pane.wait_for("review → gold", timeout=START_TIMEOUT_S)
        pane.send("Tab")
        pane.wait_for("disagreement 1/1")
        pane.send("1")
        pane.wait_for("took ali's version")
        pane.send("C-q")
        pane.wait_dead()
    finally:
        pane.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations.db"]
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT label FROM spans WHERE annotator = 'gold'").fetchall() == [("actor",)]
        assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
    finally:
        conn.close()
