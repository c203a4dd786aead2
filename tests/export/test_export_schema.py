"""Exports and agreement follow the label schema: a fifth label (`event`, entity layer) goes out like the four."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from annotator.labels import LabelSchema
from annotator.model import DEFAULT_LABELS, Document, Label
from annotator.store import Store

Run = Callable[..., tuple[int, str, str]]
TEXT = "قال السوداني إن داعش نفذ غارة في الأنبار."
EVENT = Label("event", "entity", "5", "dark_orange", "An event.")


def build(path: Path) -> Path:
    """One article, alice and bob done with an actor and an event each (bob's event a word longer)."""
    with Store(path) as store:
        store.import_batch([Document("d1", "d1", TEXT)], [], user="lead")
        store.set_label_schema(LabelSchema((*DEFAULT_LABELS, EVENT)), user="lead")
        for name, event in (("alice", "غارة"), ("bob", "نفذ غارة")):
            store.add_span("d1", name, TEXT.index("داعش"), TEXT.index("داعش") + 4, "actor", user=name)
            store.add_span("d1", name, TEXT.index(event), TEXT.index(event) + len(event), "event", user=name)
            store.set_status("d1", name, "done", user=name)
    return path


def test_conll_tags_the_fifth_label(run_cli: Run, tmp_path: Path) -> None:
    db = build(tmp_path / "annotations.db")
    out_file = tmp_path / "alice.conll"
    code, _, err = run_cli("export", "--db", str(db), "-f", "conll", "--annotator", "alice", "-o", str(out_file))
    assert code == 0, err
    rows = [
        line.split(" ") for line in out_file.read_text(encoding="utf-8").splitlines() if line and "DOCSTART" not in line
    ]
    assert [row[0] for row in rows if row[1] != "O"] == ["داعش", "غارة"]
    assert [row[1] for row in rows if row[1] != "O"] == ["B-actor", "B-event"]


def test_hf_label_list_holds_the_fifth_label(run_cli: Run, tmp_path: Path) -> None:
    db = build(tmp_path / "annotations.db")
    out_file = tmp_path / "alice.jsonl"
    code, _, err = run_cli("export", "--db", str(db), "-f", "hf", "--annotator", "alice", "-o", str(out_file))
    assert code == 0, err
    names = json.loads((tmp_path / "alice.labels.json").read_text(encoding="utf-8"))
    assert names == ["O", "B-actor", "I-actor", "B-figure", "I-figure", "B-place", "I-place", "B-event", "I-event"]
    record = json.loads(out_file.read_text(encoding="utf-8").splitlines()[0])
    tagged = {
        token: names[tag] if isinstance(tag, int) else tag for token, tag in zip(record["tokens"], record["ner_tags"])
    }
    assert tagged["غارة"] == "B-event" and tagged["داعش"] == "B-actor"


def test_agreement_counts_the_fifth_label(run_cli: Run, tmp_path: Path) -> None:
    db = build(tmp_path / "annotations.db")
    code, out, err = run_cli("agreement", "--db", str(db), "--json")
    assert code == 0, err
    pair = json.loads(out)["layers"]["entity"]["pairs"][0]["labels"]
    # the events overlap but differ by a word: exact F1 0, overlap F1 1; the actors agree exactly
    assert (pair["event"]["span_f1_exact"], pair["event"]["span_f1_overlap"]) == (0.0, 1.0)
    assert pair["actor"]["span_f1_exact"] == 1.0
