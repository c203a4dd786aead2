"""Issue 20 in the real app: tag a speaker and a quote in the first bundled article, link them with s … Enter,
quit, `annotator export -f jsonl`, and find the relation with token indices that spell the quote and the speaker."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import CORPUS

from annotator.outcome import excerpt
from annotator.tui.keys import status_text

from .tmux import ANNOTATOR, Pane

pytestmark = pytest.mark.tmux

FIRST = "01-anbar-raid-nyt"
SPEAKER = "القيادة المركزية للجيش الأميركي"
QUOTE = "استهدفت العملية قادة داعش"


def find_and_tag(pane: Pane, words: str, key: str) -> None:
    """/words Enter selects them (loose whole words), then the label key tags the selection."""
    pane.send("/")
    pane.wait_for("▔▔▔")  # the find bar, holding the last query
    pane.send("C-u")  # emptied: its hint shows
    pane.wait_for("Enter: next")
    pane.send(words, literal=True)
    pane.send("Enter")
    pane.wait_for(f"selection {len(words)}")
    pane.send(key)
    pane.wait_for("saved")


def test_link_a_quote_to_its_speaker_then_export_jsonl(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    text = (CORPUS / f"{FIRST}.txt").read_text(encoding="utf-8")
    pane = Pane([*ANNOTATOR, "--db", str(db), "--user", "ali"], cwd=tmp_path, width=110, height=32)
    try:
        pane.wait_for("offset 0/")
        find_and_tag(pane, SPEAKER, "a")
        find_and_tag(pane, QUOTE, "q")  # the cursor stays on the quote's last letter, inside it
        pane.send("s")
        pane.wait_for("speaker 1/1")  # the only actor is offered (the Pilot tests check the cursor moves to it;
        # here the offer is too long to share the status line with the offset figures)
        pane.send("Enter")
        pane.wait_for("speaker linked")
        pane.send("Right")  # one letter back into the quote (RTL): the figures come back as the long message goes
        # The status line names the quote's speaker, shaped and in visual order like the article.
        pane.wait_for(status_text(f"span quote ← «{excerpt(SPEAKER)}»", "app"))
        pane.send("C-d")  # done: the export takes finished articles
        pane.wait_for("marked done")
        pane.send("C-q")
        pane.wait_dead()
    finally:
        pane.close()

    out_file = tmp_path / "out.jsonl"
    out = subprocess.run(
        [*ANNOTATOR, "export", "--db", str(db), "-f", "jsonl", "-o", str(out_file)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    [record] = records  # ali finished one article
    assert (record["id"], record["annotator"]) == (FIRST, "ali")
    [relation] = record["relations"]
    tokens = record["tokens"]
    head, child = relation["head_span"], relation["child_span"]
    assert relation["label"] == "speaker"
    assert (head["label"], child["label"]) == ("quote", "actor")
    assert relation["head"] == head["token_end"] and relation["child"] == child["token_end"]

    def spelled(span: dict) -> str:
        words = tokens[span["token_start"] : span["token_end"] + 1]
        return text[words[0]["start"] : words[-1]["end"]]

    assert spelled(head) == QUOTE
    assert spelled(child) == SPEAKER
