"""A write that meets another annotator's lock says it is waiting, then lands; it is never silently dropped."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

from annotator.session import Outcome, Session
from annotator.store import Store

from .journal import make_database, read_journal, start_worker, verify

HOLD_S = 1.5


def test_worker_write_waits_for_the_lock_then_lands(tmp_path: Path) -> None:
    """The worker's first write starts while another connection holds BEGIN IMMEDIATE; it lands after the release."""
    db = tmp_path / "team.db"
    make_database(db, ["w"])
    journal = tmp_path / "w.jsonl"
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another annotator is in the middle of a write
    worker = start_worker(db, "w", 1, 1.0, journal)
    try:
        deadline = time.monotonic() + 90
        while '"intent"' not in (journal.read_text() if journal.exists() else ""):
            assert time.monotonic() < deadline and worker.poll() is None, "the worker did not start writing"
            time.sleep(0.02)
        time.sleep(HOLD_S)
        lines = [json.loads(line) for line in journal.read_text().splitlines()]
        assert [line["t"] for line in lines] == ["start", "intent"], "a write went through a held lock"
    finally:
        other.execute("COMMIT")
        other.close()
    assert worker.wait(timeout=60) == 0, worker.stderr.read() if worker.stderr else ""
    first = read_journal(journal)[0].ok[0]
    assert first["ms"] >= HOLD_S * 1000, first
    assert first["waited_ms"] is not None and first["waited_ms"] >= (HOLD_S - 0.3) * 1000, first
    with Store(db) as store:
        assert verify(store, {"w": journal}).problems == []
        assert store.check() == []


def test_session_shows_waiting_while_locked_then_saves(tmp_path: Path) -> None:
    """Session.tag blocks while the lock is held, the store reports the wait, and the span is saved after."""
    db = tmp_path / "team.db"
    documents = make_database(db, ["ali"])
    notices: list[float] = []
    store = Store(db, on_wait=notices.append)
    session = Session(store, "ali", store.document(documents[0]))  # type: ignore[arg-type]
    session.cursor = 0
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    outcome: list[Outcome] = []
    began = time.monotonic()
    writer = threading.Thread(target=lambda: outcome.append(session.tag("place")))
    writer.start()
    try:
        time.sleep(HOLD_S)
        assert writer.is_alive() and outcome == [], "the write did not wait for the lock"
        assert notices and max(notices) >= HOLD_S - 0.5, notices  # what the screen turns into "waiting…"
        with Store(db) as peek:  # another reader: `store` itself is busy in the writer thread
            assert peek.spans(documents[0], "ali") == []
        assert session.spans == []  # nothing shown before it is saved
    finally:
        other.execute("COMMIT")
        other.close()
    writer.join(timeout=30)
    took = time.monotonic() - began
    assert outcome and not outcome[0].error and outcome[0].message.endswith("saved"), outcome
    assert took >= HOLD_S
    assert [(s.start, s.label) for s in store.spans(documents[0], "ali")] == [(0, "place")]
    assert store.check() == []
    store.close()


def test_lock_held_past_the_wait_is_an_error_the_user_sees_never_a_silent_drop(tmp_path: Path) -> None:
    """When the lock outlasts lock_wait, the Outcome is an error saying nothing was saved, and nothing was."""
    db = tmp_path / "team.db"
    documents = make_database(db, ["ali"])
    store = Store(db, lock_wait=0.5)
    session = Session(store, "ali", store.document(documents[0]))  # type: ignore[arg-type]
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        outcome = session.tag("actor")
    finally:
        other.execute("COMMIT")
        other.close()
    assert outcome.error and outcome.message.startswith("not saved") and "nothing was saved" in outcome.message
    assert session.spans == [] and store.spans(documents[0], "ali") == []
    again = session.tag("actor")
    assert not again.error, again.message
    assert len(store.spans(documents[0], "ali")) == 1
    assert store.check() == []
    store.close()
