"""One annotator hammering the database through the screen's code path (Session), journaling what it was told.

Usage: python worker.py DB ANNOTATOR SEED SECONDS JOURNAL

Every line of the journal is one JSON object written with a single os.write on an O_APPEND
descriptor, so a kill -9 leaves whole lines only:

- {"t": "start", ...}: the process began; `last_event` is the annotator's newest event id then.
- {"t": "intent", "n": N, "op": ...}: about to run operation N (what a key press asks for).
- {"t": "ok", "n": N, ...}: the Outcome said it happened (what the status line shows), with the
  span ids added and removed as the session now shows them, its duration and lock wait.
- {"t": "error", ...}: an Outcome with error=True or an exception: an error reached the user.
- {"t": "finish", ...}: the run ended normally; the sessions matched the database.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import traceback
from typing import Any

from annotator.model import Span
from annotator.session import Outcome, Session
from annotator.store import Store
from annotator.text.tokenizer import word_bounds

ENTITY_LABELS = ("actor", "figure", "place")


class Journal:
    """Append-only JSON lines, each one write(2) on an O_APPEND descriptor."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, record: dict[str, Any]) -> None:
        """Append one record as a line."""
        os.write(self.fd, (json.dumps(record, ensure_ascii=False) + "\n").encode())


def span_row(span: Span) -> list[Any]:
    """A span as [id, start, end, label]."""
    return [span.id, span.start, span.end, span.label]


def by_id(spans: list[Span]) -> dict[int, Span]:
    """Spans keyed by their database id (every span a session shows has one)."""
    return {span.id: span for span in spans if span.id is not None}


class Worker:
    """Random tag/remove/undo/redo/done actions on every document of the store for one annotator."""

    def __init__(self, db: str, annotator: str, seed: int, journal: Journal) -> None:
        self.annotator = annotator
        self.rng = random.Random(seed)
        self.journal = journal
        self.waited: float | None = None
        self.store = Store(db, on_wait=self._on_wait)
        self.documents = self.store.documents()
        self.sessions = {doc.id: Session(self.store, annotator, doc) for doc in self.documents}
        # Known lower bounds of each document's undo and redo stacks, so undo/redo never say "nothing to".
        self.depth: dict[str, list[int]] = {}
        for doc in self.documents:
            can_undo, can_redo = self.store.can_undo(doc.id, annotator)
            self.depth[doc.id] = [int(can_undo), int(can_redo)]
        self.count = 0

    def _on_wait(self, waited: float) -> None:
        """The store's notice that a write is waiting for the lock (the screen shows this)."""
        self.waited = waited

    def last_event(self) -> int:
        """The id of this annotator's newest event in the database."""
        row = self.store.conn.execute(
            "SELECT coalesce(max(id), 0) FROM events WHERE annotator = ?", (self.annotator,)
        ).fetchone()
        return int(row[0])

    def _word_at_random(self, text: str) -> tuple[int, int]:
        """The bounds of a word at a random offset."""
        while True:
            bounds = word_bounds(text, self.rng.randrange(len(text)))
            if bounds is not None:
                return bounds

    def plan(self, session: Session) -> dict[str, Any]:
        """Choose the next operation and put the session's cursor and selection where it needs them."""
        doc_id = session.document.id
        undo_n, redo_n = self.depth[doc_id]
        if redo_n and self.rng.random() < 0.3:
            return {"op": "redo"}
        roll = self.rng.random()
        if roll < 0.10 and undo_n:
            return {"op": "undo"}
        if roll < 0.30 and session.spans:
            span = self.rng.choice(session.spans)
            session.anchor = None
            session.cursor = self.rng.randrange(span.start, span.end)
            return {"op": "remove", "cursor": session.cursor}
        if roll < 0.31:
            return {"op": "done"}
        quote = self.rng.random() < 0.2
        start, end = self._word_at_random(session.text)
        session.anchor = None
        session.cursor = start
        outcome = session.select_word()
        assert not outcome.error, outcome.message
        for _ in range(self.rng.randrange(2, 7) if quote else self.rng.randrange(0, 2)):
            if session.select_word().error:
                break
        selection = session.selection
        assert selection is not None
        label = "quote" if quote else self.rng.choice(ENTITY_LABELS)
        return {"op": "tag", "start": selection[0], "end": selection[1], "label": label}

    def run_op(self, session: Session, plan: dict[str, Any]) -> Outcome:
        """Run a planned operation exactly as the screen's key would."""
        op = plan["op"]
        if op == "tag":
            return session.tag(plan["label"])
        if op == "remove":
            return session.remove_here()
        if op == "undo":
            return session.undo()
        if op == "redo":
            return session.undo(redo=True)
        return session.mark_done()

    def step(self) -> bool:
        """One operation, journaled before and after; False when an error reached the user."""
        doc = self.rng.choice(self.documents)
        session = self.sessions[doc.id]
        plan = self.plan(session)
        self.count += 1
        number = self.count
        self.journal.write({"t": "intent", "n": number, "doc": doc.id, **plan})
        before = by_id(session.spans)
        self.waited = None
        began = time.monotonic()
        try:
            outcome = self.run_op(session, plan)
        except Exception:
            self.journal.write(
                {"t": "error", "n": number, "doc": doc.id, "op": plan["op"], "message": traceback.format_exc()}
            )
            return False
        took = time.monotonic() - began
        if outcome.error:
            self.journal.write({"t": "error", "n": number, "doc": doc.id, "op": plan["op"], "message": outcome.message})
            return False
        after = by_id(session.spans)
        if plan["op"] == "tag" and after == before:
            # The selection was exactly a span with that label already: the session writes nothing.
            self.journal.write({"t": "noop", "n": number, "doc": doc.id, "op": plan["op"], "message": outcome.message})
            return True
        self.journal.write(
            {
                "t": "ok",
                "n": number,
                "doc": doc.id,
                "op": plan["op"],
                "message": outcome.message,
                "added": [span_row(after[i]) for i in sorted(after.keys() - before.keys())],
                "removed": [span_row(before[i]) for i in sorted(before.keys() - after.keys())],
                "ms": round(took * 1000, 2),
                "waited_ms": None if self.waited is None else round(self.waited * 1000, 2),
            }
        )
        depth = self.depth[doc.id]
        if plan["op"] in ("tag", "remove"):
            depth[0] += 1
            depth[1] = 0
        elif plan["op"] == "undo":
            depth[0] -= 1
            depth[1] += 1
        elif plan["op"] == "redo":
            depth[0] += 1
            depth[1] -= 1
        if self.rng.random() < 0.1:
            session.save_place()  # the screen saves the place after cursor moves; failures are silent by design
        return True

    def compare(self) -> list[str]:
        """Differences between what each session shows and what the database holds."""
        problems = []
        for doc_id, session in self.sessions.items():
            shown = sorted(span_row(s) for s in session.spans)
            stored = sorted(span_row(s) for s in self.store.spans(doc_id, self.annotator))
            if shown != stored:
                problems.append(f"{doc_id}: the session shows {shown} but the database has {stored}")
        return problems


def main(argv: list[str]) -> int:
    """Run one worker for SECONDS after its start line; exit 0 when no error reached the user."""
    db, annotator, seed, seconds, journal_path = argv
    journal = Journal(journal_path)
    try:
        worker = Worker(db, annotator, int(seed), journal)
        journal.write({"t": "start", "pid": os.getpid(), "seed": int(seed), "last_event": worker.last_event()})
        began = time.monotonic()
        deadline = began + float(seconds)
        while time.monotonic() < deadline:
            if not worker.step():
                return 1
        problems = worker.compare()
    except Exception:
        journal.write({"t": "error", "n": None, "message": traceback.format_exc()})
        return 1
    for problem in problems:
        journal.write({"t": "error", "n": None, "message": problem})
    journal.write({"t": "finish", "ops": worker.count, "seconds": round(time.monotonic() - began, 3)})
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
