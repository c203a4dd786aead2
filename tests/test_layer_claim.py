"""One live editor per annotator layer (issue 12, item 2): claims in the database, checked inside every write."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from annotator.model import Document
from annotator.store import (
    CLAIM_STALE_S,
    SCHEMA_VERSION,
    ClaimLost,
    ClaimWatch,
    LayerBusy,
    Store,
    clock,
)

TEXT = "قال السوداني إن داعش في الأنبار"


@pytest.fixture
def two(db_path: Path):
    """Two Store objects on one file (two processes of one annotator), the first holding ali's layer."""
    with Store(db_path) as setup:
        setup.import_batch([Document("d", "t", TEXT), Document("e", "t2", TEXT)], [], user="lead")
    first = Store(db_path)
    second = Store(db_path)
    first.claim("ali")
    yield first, second
    first.close()
    second.close()


def spans(store: Store, doc: str = "d") -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in store.spans(doc, "ali")]


def dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_second_claim_names_the_holder(two) -> None:
    first, second = two
    with pytest.raises(LayerBusy) as busy:
        second.claim("ali")
    holder = busy.value.holder
    assert (holder.host, holder.pid) == (socket.gethostname(), os.getpid())
    assert str(busy.value) == (
        f"ali's layer is open in another terminal (host {holder.host}, pid {holder.pid}, since {clock(holder.since)})"
    )
    # another annotator's layer is free
    assert second.claim("sara") is None


def test_after_take_over_the_old_store_can_write_nothing(two) -> None:
    first, second = two
    first.add_span("d", "ali", 4, 12, "actor", user="ali")
    first.set_status("e", "ali", "done", user="ali", step=True)
    second.claim("ali", take_over=True)
    holder = second.holder("ali")
    assert holder is not None
    message = (
        f"read-only: taken over by {holder.host} pid {holder.pid} at {clock(holder.since)} — nothing more is saved here"
    )
    events_before = len(second.events())
    writes = [
        lambda: first.add_span("d", "ali", 16, 20, "actor", user="ali"),
        lambda: first.apply("d", "ali", remove_ids=[first.spans("d", "ali")[0].id], user="ali"),
        lambda: first.undo("d", "ali", user="ali"),
        lambda: first.redo("d", "ali", user="ali"),
        lambda: first.undo("e", "ali", user="ali"),
        lambda: first.set_status("d", "ali", "done", user="ali", step=True),
        lambda: first.save_place("d", "ali", 7),
        lambda: first.heartbeat("ali"),
    ]
    for write in writes:
        with pytest.raises(ClaimLost) as lost:
            write()
        assert str(lost.value) == message
    with pytest.raises(ClaimLost):
        first.verify_claim("ali")
    assert len(second.events()) == events_before
    assert spans(second) == [(4, 12, "actor")]
    assert second.status("e", "ali") == "done"
    # the new holder writes as usual, and the old one's other layers stay writable
    second.add_span("d", "ali", 16, 20, "actor", user="ali")
    first.add_span("d", "sara", 0, 3, "actor", user="sara")
    assert spans(second) == [(4, 12, "actor"), (16, 20, "actor")]


def test_closing_the_old_store_after_take_over_keeps_the_new_claim(two) -> None:
    first, second = two
    second.claim("ali", take_over=True)
    token = second.holder("ali").token
    first.close()
    assert second.holder("ali").token == token
    second.add_span("d", "ali", 0, 3, "actor", user="ali")


def test_release_on_close_frees_the_layer(db_path: Path, two) -> None:
    first, second = two
    first.close()
    assert second.holder("ali") is None
    assert second.claim("ali") is None


def test_a_dead_process_claim_is_taken_silently(db_path: Path, two) -> None:
    first, second = two
    pid = dead_pid()
    second.conn.execute("UPDATE claims SET pid = ? WHERE annotator = 'ali'", (pid,))
    ended = second.claim("ali")
    assert ended is not None and ended.pid == pid
    second.add_span("d", "ali", 0, 3, "actor", user="ali")


def test_another_host_is_alive_while_its_heartbeat_is_recent(two) -> None:
    first, second = two
    recent = (datetime.now(timezone.utc) - timedelta(seconds=CLAIM_STALE_S / 2)).isoformat()
    second.conn.execute("UPDATE claims SET host = 'elsewhere', seen = ? WHERE annotator = 'ali'", (recent,))
    with pytest.raises(LayerBusy):
        second.claim("ali")
    old = (datetime.now(timezone.utc) - timedelta(seconds=CLAIM_STALE_S + 5)).isoformat()
    second.conn.execute("UPDATE claims SET seen = ? WHERE annotator = 'ali'", (old,))
    ended = second.claim("ali")
    assert ended is not None and ended.host == "elsewhere"


def test_heartbeat_refreshes_last_seen(two) -> None:
    first, second = two
    second.conn.execute("UPDATE claims SET seen = '2000-01-01T00:00:00+00:00' WHERE annotator = 'ali'")
    first.heartbeat("ali")
    seen = datetime.fromisoformat(second.holder("ali").seen)
    assert datetime.now(timezone.utc) - seen < timedelta(seconds=10)


def test_watch_reports_the_take_over_once(two) -> None:
    first, second = two
    lost: list[ClaimLost] = []
    reported = threading.Event()

    def on_lost(exc: ClaimLost) -> None:
        lost.append(exc)
        reported.set()

    watch = ClaimWatch(first, "ali", on_lost, poll=0.05, beat=0.2)
    watch.start()
    try:
        second.claim("ali", take_over=True)
        assert reported.wait(10)
        assert lost[0].holder is not None and lost[0].holder.pid == os.getpid()
    finally:
        watch.stop()


def test_a_version_1_database_migrates(db_path: Path) -> None:
    with Store(db_path) as store:
        store.import_batch([Document("d", "t", TEXT)], [], user="lead")
        store.add_span("d", "ali", 4, 12, "actor", user="ali")
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TABLE claims")
    conn.execute("DROP TABLE suggestions")  # added by migration 3
    conn.execute("DROP TABLE assignments")  # added by migration 4
    conn.execute("DROP TABLE relations")  # added by migration 5
    conn.execute("DROP TABLE flags")  # added by migration 6
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
        assert store.claim("ali") is None
        assert spans(store) == [(4, 12, "actor")]
        assert store.check() == []


def test_a_claim_race_has_one_winner(db_path: Path) -> None:
    """Eight Stores claim one layer at once: exactly one gets it, the others are told who has it."""
    with Store(db_path):
        pass
    stores = [Store(db_path) for _ in range(8)]
    won: list[int] = []
    busy: list[int] = []
    start = threading.Barrier(len(stores))

    def claim(i: int) -> None:
        start.wait()
        try:
            stores[i].claim("ali")
            won.append(i)
        except LayerBusy:
            busy.append(i)

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    try:
        assert len(won) == 1 and len(busy) == len(stores) - 1
        assert stores[0].holder("ali").token == stores[won[0]]._claims["ali"]
    finally:
        for store in stores:
            store.close()


def test_close_gives_up_on_a_stuck_writer_thread(db_path: Path) -> None:
    """A process leaving on SIGHUP must not hang on a thread that holds the connection."""
    store = Store(db_path)
    held = threading.Event()
    done = threading.Event()

    def writer() -> None:
        with store._lock:
            held.set()
            done.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    held.wait(5)
    began = time.monotonic()
    assert store.close(wait=0.2) is False
    assert time.monotonic() - began < 2
    done.set()
    thread.join()
    assert store.close() is True


# -- two screens (Pilot) ----------------------------------------------------------------------------------


async def wait_until(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until condition() holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.05)


async def test_two_screens_the_old_one_turns_read_only(db_path: Path) -> None:
    from annotator.tui.annotate_screen import AnnotateScreen
    from annotator.tui.run import build_app

    with Store(db_path) as setup:
        setup.import_batch([Document("d", "t", TEXT), Document("e", "t2", TEXT)], [], user="lead")
    old_store, new_store = Store(db_path), Store(db_path)
    try:
        old_store.claim("ali")
        old_app = build_app(old_store, user="ali")
        async with old_app.run_test(size=(100, 30)) as old:
            old_screen = old_app.screen
            assert isinstance(old_screen, AnnotateScreen)
            await old.press("space", "1")  # «قال» as actor, saved
            assert spans(new_store) == [(0, 3, "actor")]
            with pytest.raises(LayerBusy):
                new_store.claim("ali")
            new_store.claim("ali", take_over=True)
            new_app = build_app(new_store, user="ali")
            async with new_app.run_test(size=(100, 30)) as new:
                new_screen = new_app.screen
                assert isinstance(new_screen, AnnotateScreen)
                assert [(s.start, s.end, s.label) for s in new_screen.session.spans] == [(0, 3, "actor")]
                await wait_until(old, lambda: old_screen.read_only is not None)
                holder = new_store.holder("ali")
                expected = (
                    f"read-only: taken over by {holder.host} pid {holder.pid} at {clock(holder.since)} "
                    "— nothing more is saved here"
                )
                assert old_screen.read_only == expected
                assert expected in str(old_screen.query_one("#read-only").render())
                events = len(new_store.events())
                for keys in (("ctrl+left", "ctrl+left", "space", "3"), ("u",), ("ctrl+d",)):
                    await old.press(*keys)
                    await old.pause()
                    assert old_screen.message.error and expected in old_screen.message.message
                    assert expected in str(old_screen.query_one("#read-only").render())
                assert len(new_store.events()) == events
                assert spans(new_store) == [(0, 3, "actor")] and new_store.status("d", "ali") == "in_progress"
                # the new screen writes, and its screen and the database agree
                await new.press("ctrl+left", "ctrl+left", "space", "2")
                assert len(spans(new_store)) == 2
                assert [(s.start, s.end, s.label) for s in new_screen.session.spans] == spans(new_store)
                await new.press("u", "u")  # one history per layer: the second u undoes the old screen's tag
                assert spans(new_store) == [] == new_screen.session.spans
        assert new_store.holder("ali") is not None and new_store.holder("ali").pid == os.getpid()
    finally:
        old_store.close()
        new_store.close()


def test_claim_layer_asks_nobody_without_a_terminal(two, monkeypatch) -> None:
    from annotator.commands.common import CommandError, claim_layer

    first, second = two
    monkeypatch.setattr("annotator.commands.common.interactive", lambda: False)
    with pytest.raises(CommandError) as refused:
        claim_layer(second, "ali", take_over=False, command="annotator annotate")
    assert str(refused.value).endswith("; close it there, or start with `annotator annotate --take-over`")
    assert claim_layer(second, "ali", take_over=True, command="annotator annotate") is None
    with pytest.raises(ClaimLost):
        first.add_span("d", "ali", 0, 3, "actor", user="ali")
    # the holder ends without releasing (SIGKILL): the next start takes the layer and says so
    second.conn.execute("UPDATE claims SET pid = ? WHERE annotator = 'ali'", (dead_pid(),))
    third = Store(second.path)
    try:
        notice = claim_layer(third, "ali", take_over=False, command="annotator annotate")
        assert notice is not None and notice.startswith("ali's layer was still claimed by a session that had ended")
    finally:
        third.close()


def test_a_refused_write_wakes_the_watch_at_once(two) -> None:
    """The screen learns of the take-over from its own refused write, not a poll later."""
    first, second = two
    reported = threading.Event()
    watch = ClaimWatch(first, "ali", lambda exc: reported.set(), poll=60, beat=600)
    watch.start()
    try:
        second.claim("ali", take_over=True)
        with pytest.raises(ClaimLost):
            first.add_span("d", "ali", 0, 3, "actor", user="ali")
        assert reported.wait(10)
    finally:
        watch.stop()
