"""The real `annotator suggest` then the annotation screen in tmux: Tab to a suggestion, Enter, quit, and the
span is in the database as the annotator's own, with the patterns file as its origin."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import CORPUS

from annotator.store import Store
from annotator.suggest import Pattern, build_matcher, suggest

from .tmux import ANNOTATOR, Pane

pytestmark = pytest.mark.tmux

ANBAR = "01-anbar-raid-nyt"


def test_suggest_tab_enter_quit_and_the_span_is_saved(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    patterns = tmp_path / "places.jsonl"
    patterns.write_text('{"label": "place", "pattern": "الأنبار"}\n', encoding="utf-8")
    for args in (["import", "--db", str(db), str(CORPUS)], ["suggest", "--db", str(db), "--patterns", str(patterns)]):
        done = subprocess.run(
            [*ANNOTATOR, *args], check=False, capture_output=True, text=True, timeout=60, cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr
    assert "from places.jsonl" in done.stdout
    text = (CORPUS / f"{ANBAR}.txt").read_text(encoding="utf-8")
    first = suggest(text, build_matcher([Pattern("place", "الأنبار")], "places.jsonl"))[0]
    pane = Pane([*ANNOTATOR, "--db", str(db), "--user", "ali"], cwd=tmp_path)
    try:
        pane.wait_for("offset 0/")
        pane.wait_for("suggestions left")
        pane.send("Tab")
        pane.wait_for(f"offset {first.start}/")
        pane.wait_for("suggestion place (places.jsonl) — Enter accept · X reject")
        pane.send("Enter")
        pane.wait_for("accepted place")
        pane.send("C-q")
        pane.wait_dead()
    finally:
        pane.close()
    with Store(db) as store:
        assert [(s.start, s.end, s.label) for s in store.spans(ANBAR, "ali")] == [(first.start, first.end, "place")]
        edits = [event for event in store.events(ANBAR) if event["action"] == "edit"]
        assert [event["origin"] for event in edits] == ["places.jsonl"]
        assert store.check() == []
