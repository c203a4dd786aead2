"""Issue 20 in the real review: two annotators gave a quote different speakers; the lead links gold's quote to
a third choice by hand with s, Tab, Enter, marks the article adjudicated without being asked (the link decided
it), quits, and `annotator export --gold` carries the link with token indices that spell the quote and speaker."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from annotator.model import GOLD
from annotator.store import Store

from .tmux import ANNOTATOR, Pane

pytestmark = pytest.mark.tmux

TEXT = "قال السوداني إن داعش هاجم الأنبار وقتل 15 عنصراً"
QUOTE = "هاجم الأنبار وقتل 15 عنصراً"


def span(word: str, label: str) -> dict[str, object]:
    start = TEXT.index(word)
    return {"start": start, "end": start + len(word), "label": label}


def record(name: str, speaker: str) -> dict[str, object]:
    spans = [span("السوداني", "actor"), span("داعش", "actor"), span(QUOTE, "quote")]
    relation = {"head": 0, "child": 0, "label": "speaker", "head_span": spans[2], "child_span": span(speaker, "actor")}
    return {"id": "r1", "title": "خبر", "text": TEXT, "annotator": name, "status": "done", "spans": spans,
            "relations": [relation]}  # fmt: skip


def test_lead_links_a_speaker_by_hand_in_review_and_export_gold_has_it(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    for name, speaker in (("ali", "السوداني"), ("mona", "داعش")):
        path = tmp_path / f"{name}.jsonl"
        path.write_text(json.dumps(record(name, speaker), ensure_ascii=False) + "\n", encoding="utf-8")
        out = subprocess.run([*ANNOTATOR, "import", str(path), "--db", str(db)], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr

    pane = Pane([*ANNOTATOR, "review", "--db", str(db), "--user", "lead"], cwd=tmp_path, width=110, height=32)
    try:
        pane.wait_for("open 1 of 1 disagreement")
        pane.send("Tab")  # the speaker region: the cursor goes to the quote's start, inside it
        pane.wait_for("disagreement 1/1 (speaker")
        pane.send("s")
        pane.wait_for("speaker 1/2")  # داعش, touching the quote, is offered first
        pane.send("Tab")
        pane.wait_for("speaker 2/2")
        pane.send("Enter")
        pane.wait_for("speaker linked")
        pane.wait_for("open 0 of 1")
        pane.send("C-d")  # nothing open: no question
        pane.wait_for("every document is adjudicated")
        pane.send("C-q")
        pane.wait_dead()
    finally:
        pane.close()

    with Store(db) as store:
        assert store.status("r1", GOLD) == "adjudicated"
        gold = {s.id: (TEXT[s.start : s.end], s.label) for s in store.spans("r1", GOLD)}
        links = [(gold[r.head_span_id], gold[r.child_span_id]) for r in store.relations("r1", GOLD)]
        assert links == [((QUOTE, "quote"), ("السوداني", "actor"))]
        assert store.check() == []

    out_file = tmp_path / "gold.jsonl"
    out = subprocess.run(
        [*ANNOTATOR, "export", "--db", str(db), "-f", "jsonl", "--gold", "-o", str(out_file)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    exported = json.loads(out_file.read_text(encoding="utf-8"))
    words = [token["text"] for token in exported["tokens"]]
    (relation,) = exported["relations"]
    assert relation["label"] == "speaker"
    assert words[relation["head"]] == QUOTE.split()[-1] and words[relation["child"]] == "السوداني"
    assert TEXT[relation["head_span"]["start"] : relation["head_span"]["end"]] == QUOTE
