"""With the keyboard switched to Arabic, the same physical keys work in the real annotator in tmux: ظ opens
find, the query is typed in Arabic, ش tags an actor, ح relabels it a place, ع undoes, and the database holds
what the screen said."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import CORPUS

from annotator.store import Store

from .tmux import ANNOTATOR, Pane

pytestmark = pytest.mark.tmux

ANBAR = "01-anbar-raid-nyt"


def test_arabic_layout_keys_find_tag_relabel_and_undo(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    done = subprocess.run(
        [*ANNOTATOR, "import", "--db", str(db), str(CORPUS)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    text = (CORPUS / f"{ANBAR}.txt").read_text(encoding="utf-8")
    pane = Pane([*ANNOTATOR, "--db", str(db), "--user", "ali"], cwd=tmp_path)
    try:
        pane.wait_for("offset 0/")
        pane.send("ظ", literal=True)  # / on the Arabic layout
        pane.wait_for("find")
        pane.send("داعش", literal=True)
        pane.send("Enter")
        start = text.index("داعش")
        pane.wait_for(f"offset {start + 3}/")  # the match is selected, the cursor on its last letter
        pane.send("ش", literal=True)  # a: actor
        pane.wait_for("actor: «")
        pane.send("ح", literal=True)  # p: the span under the cursor becomes a place
        pane.wait_for("actor → place")
        pane.send("ع", literal=True)  # u: undo the relabel
        pane.wait_for("undone")
        pane.send("C-q")
        pane.wait_dead()
    finally:
        pane.close()
    with Store(db) as store:
        assert [(s.start, s.end, s.label) for s in store.spans(ANBAR, "ali")] == [(start, start + 4, "actor")]
        assert store.check() == []
