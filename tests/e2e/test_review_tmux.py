"""Two annotators' JSONL with known disagreements → `annotator review` in tmux → `annotator export --gold`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from annotator.model import GOLD
from annotator.store import Store

from .tmux import ANNOTATOR, Pane

pytestmark = pytest.mark.tmux

TEXT = "قال السوداني إن داعش هاجم بالأنبار وقتل 15 عنصراً من القوات"


def at(word: str, skip: int = 0) -> dict[str, int]:
    start = TEXT.index(word)
    return {"start": start + skip, "end": start + len(word)}


def test_review_adjudicates_and_export_gold(tmp_path: Path) -> None:
    ali = [
        {**at("السوداني"), "label": "actor"},
        {**at("داعش"), "label": "actor"},
        {**at("بالأنبار", 1), "label": "place"},
        {**at("15 عنصراً"), "label": "figure"},
    ]
    mona = [
        {**at("السوداني"), "label": "actor"},
        {**at("داعش"), "label": "actor"},
        {**at("بالأنبار"), "label": "place"},
        {**at("15 عنصراً"), "label": "figure"},
    ]
    db = tmp_path / "team.db"
    for name, spans in (("ali", ali), ("mona", mona)):
        path = tmp_path / f"{name}.jsonl"
        path.write_text(
            json.dumps(
                {"id": "r1", "title": "خبر", "text": TEXT, "annotator": name, "spans": spans}, ensure_ascii=False
            )
            + "\n",
            encoding="utf-8",
        )
        out = subprocess.run([*ANNOTATOR, "import", str(path), "--db", str(db)], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr

    pane = Pane([*ANNOTATOR, "review", "--db", str(db), "--user", "lead"], cwd=tmp_path, width=110, height=32)
    try:
        pane.wait_for("open 1 of 1 disagreement")
        pane.wait_for("agreed span")  # السوداني, داعش and the figure went into gold by themselves
        pane.send("C-d")  # one disagreement still open: the review asks first
        pane.wait_for("1 of 1 disagreement is still open — mark adjudicated anyway? y/N")
        pane.send("n")
        pane.wait_for("not marked: 1 open")
        pane.send("Tab")
        pane.wait_for("disagreement 1/1 (entity")
        screen = "\n".join(pane.screen())
        assert "1 ali" in screen and "2 mona" in screen and "digits here = annotators" in screen
        pane.send("1")  # ali's version: the place without the clitic ب
        pane.wait_for("took ali's version")
        pane.wait_for("open 0 of 1")
        pane.send("C-d")  # nothing open: no question
        pane.wait_for("every document is adjudicated")
        pane.send("C-q")
        pane.wait_dead()
    finally:
        pane.close()

    with Store(db) as store:
        assert store.status("r1", GOLD) == "adjudicated"
        events = [e for e in store.events("r1") if e["annotator"] == GOLD and e["action"] == "edit"]
        assert [(e["user"], e["origin"]) for e in events] == [("lead", "agreed"), ("lead", "ali")]
        decided = [e["payload"] for e in store.events("r1") if e["annotator"] == GOLD and e["action"] == "decide"]
        assert decided == [
            {
                "add": [],
                "remove": [],
                "region": {"layer": "entity", **at("بالأنبار")},
                "choice": "ali",
                "edit": events[1]["id"],
            }
        ]
    out_file = tmp_path / "gold.jsonl"
    out = subprocess.run(
        [*ANNOTATOR, "export", "--db", str(db), "-f", "jsonl", "--gold", "-o", str(out_file)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    record = json.loads(out_file.read_text(encoding="utf-8"))
    assert record["annotator"] == GOLD
    assert sorted((s["start"], s["end"], s["label"]) for s in record["spans"]) == sorted(
        (s["start"], s["end"], s["label"]) for s in ali
    )
    conll = subprocess.run(
        [*ANNOTATOR, "export", "--db", str(db), "-f", "conll", "--gold", "-o", "-"], capture_output=True, text=True
    )
    assert conll.returncode == 0, conll.stderr
    lines = conll.stdout.splitlines()
    assert "ب O O" in lines and "الأنبار B-place O" in lines
