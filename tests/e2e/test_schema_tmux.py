"""Issue 19's schema change in the real app: `annotator labels set` adds `date` on key 5, a word tagged with 5 in
`python -m annotator` (tmux) reaches the JSONL and CoNLL exports as `date`."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from annotator.cli import bundled_import
from annotator.labels import LabelSchema
from annotator.store import Store

from .tmux import ANNOTATOR, Pane

pytestmark = pytest.mark.tmux

DATE_TOML = '\n[label.date]\nlayer = "entity"\nkey = 5\ncolour = "dark_cyan"\ndescription = "A date or time."\n'
DOC = "01-anbar-raid-nyt"


def annotator(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line, as a lead types it."""
    return subprocess.run(
        [*ANNOTATOR, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120, env={**os.environ}
    )


def test_a_label_added_on_key_5_tags_in_the_app_and_reaches_the_exports(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    with Store(db) as store:
        bundled_import(store, "lead")
        text = store.document(DOC).text
    schema_file = tmp_path / "labels.toml"
    schema_file.write_text(LabelSchema.default().to_toml() + DATE_TOML, encoding="utf-8")
    done = annotator(tmp_path, "labels", "set", str(schema_file), "--db", str(db), "--user", "lead")
    assert done.returncode == 0, done.stderr
    assert "added: date" in done.stdout

    pane = Pane([*ANNOTATOR, "--db", str(db), "--user", "ali"], cwd=tmp_path)
    try:
        pane.wait_for("offset 0/")
        pane.send("Space")  # the first word
        pane.wait_for("selection ")
        pane.send("5")
        pane.wait_for("saved")
        pane.send("C-d")  # done → the next article
        pane.wait_for("article 2/")
        pane.send("C-q")
        pane.wait_dead()
        assert "Traceback" not in "\n".join(pane.screen())
    finally:
        pane.close()
    first_word = text.split()[0]
    with Store(db) as store:
        spans = [(s.start, s.end, s.label) for s in store.spans(DOC, "ali")]
    assert spans == [(0, len(first_word), "date")]

    out = tmp_path / "out.jsonl"
    done = annotator(tmp_path, "export", "--db", str(db), "-f", "jsonl", "-o", str(out))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    ours = [r for r in records if r["id"] == DOC and r["annotator"] == "ali"]
    assert [r["status"] for r in ours] == ["done"]  # exported without --include-unfinished: ctrl+d marked it done
    assert [(s["start"], s["end"], s["label"], s["text"]) for s in ours[0]["spans"]] == [
        (0, len(first_word), "date", first_word)
    ]
    conll = tmp_path / "out.conll"
    done = annotator(
        tmp_path, "export", "--db", str(db), "-f", "conll", "--layer", "entity", "--annotator", "ali", "-o", str(conll)
    )
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in conll.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [first_word, "B-date"] in [[row[0], row[-1]] for row in rows], rows[:5]
