"""Issue 12, item 2: `annotator --user dup` in two terminals (an SSH reconnect with the old session still running).

The second start names the holder and asks; on y it takes the layer over, the first screen says it is
read-only and saves nothing more, and the database is what the second screen shows.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.model import Document
from annotator.store import Store
from e2e.tmux import ANNOTATOR, Pane

pytestmark = pytest.mark.tmux

DOC = "01-anbar-raid-nyt"
START_TIMEOUT_S = 60.0


def db_state(db: Path) -> tuple[list[tuple[int, int, str]], int, str | None]:
    """dup's spans of the first article, the number of events, and its status."""
    with Store(db) as store:
        return (
            [(s.start, s.end, s.label) for s in store.spans(DOC, "dup")],
            len(store.events()),
            store.status(DOC, "dup"),
        )


def span_count_on(pane: Pane) -> int:
    """The number in the span panel's title, `Spans (N)`."""
    for row in pane.screen():
        found = re.search(r"Spans \((\d+)\)", row)
        if found:
            return int(found.group(1))
    raise AssertionError("no span panel:\n" + "\n".join(pane.screen()))


def test_second_terminal_takes_over_and_the_first_turns_read_only(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    command = [*ANNOTATOR, "--db", str(db), "--user", "dup"]
    first = Pane(command, cwd=tmp_path)
    panes = [first]
    try:
        first.wait_for("offset 0/", timeout=START_TIMEOUT_S)
        first.send("Space")
        first.send("1")
        first.wait_for("saved")
        first_pid = first.pid()

        # a start that answers no (Enter: the default) leaves the layer where it is
        refused = Pane(command, cwd=tmp_path)
        panes.append(refused)
        refused.wait_for("Take it over? [y/N]", timeout=START_TIMEOUT_S)
        refused.send("Enter")
        refused.wait_dead()
        said = "".join(row.strip() for row in refused.screen())
        assert "not taken over" in said and "--take-over" in said, said

        second = Pane(command, cwd=tmp_path)
        panes.append(second)
        rows = second.wait_for("Take it over? [y/N]", timeout=START_TIMEOUT_S)
        question = " ".join(row.strip() for row in rows if row.strip())
        assert re.search(
            rf"dup's layer is open in another terminal \(host {re.escape(socket.gethostname())}, "
            rf"pid {first_pid}, since \d\d:\d\d\)\. Take it over\? \[y/N\]",
            question,
        ), question
        second.send("y", "Enter")
        second.wait_for("offset 0/", timeout=START_TIMEOUT_S)
        assert span_count_on(second) == 1
        second_pid = second.pid()

        first.wait_for(f"read-only: taken over by {socket.gethostname()} pid {second_pid} at ", timeout=20)
        spans, events, status = db_state(db)
        assert len(spans) == 1 and status == "in_progress"

        # a key press in the first terminal saves nothing, and it says so
        first.send("C-Left")
        first.send("Space")
        first.send("3")
        first.wait_for("not saved: read-only")
        first.send("u")
        first.wait_for("not undone: read-only")
        first.send("C-d")
        first.wait_for("not marked: read-only")
        assert db_state(db) == (spans, events, status)

        # the second terminal works on, and the database is what it shows
        second.send("C-Left")
        second.send("C-Left")
        second.send("Space")
        second.send("3")
        second.wait_for("saved")
        second.wait_for("Spans (2)")
        after, _, _ = db_state(db)
        assert len(after) == 2 == span_count_on(second)
        assert spans[0] in after and sorted(label for _, _, label in after) == ["actor", "place"]

        for pane in (first, second):
            pane.send("C-q")
            pane.wait_dead()
        assert db_state(db)[0] == after
        assert not Path(f"{db}-wal").exists()
        with Store(db) as store:
            assert store.holder("dup") is None  # released by the second; the first never removed it
            assert store.check() == []
    finally:
        for pane in panes:
            pane.close()


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_a_signal_while_asking_leaves_the_layer_and_no_wal(tmp_path: Path, sig: int) -> None:
    """The SSH connection drops while the second start asks: it exits, takes nothing, leaves no -wal."""
    db = tmp_path / "team.db"
    with Store(db) as store:
        store.import_batch([Document("d", "t", "قال السوداني إن داعش في الأنبار")], [], user="lead")
        store.save_place("d", "dup", 0)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from annotator.store import Store; s = Store(sys.argv[1]); s.claim('dup'); "
            "print('ready', flush=True); sys.stdin.readline(); s.close()",
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "ready"
    pane = Pane([*ANNOTATOR, "--db", str(db), "--user", "dup"], cwd=tmp_path)
    try:
        pane.wait_for("Take it over? [y/N]", timeout=START_TIMEOUT_S)
        os.kill(pane.pid(), sig)
        pane.wait_dead()
        assert "Traceback" not in "\n".join(pane.screen())
        with Store(db) as store:
            assert store.holder("dup").pid == holder.pid
    finally:
        pane.close()
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(20)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team.db"]


def test_a_new_name_is_asked_about_once_listing_the_known(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    with Store(db) as store:
        store.import_batch([Document("d", "t", "قال السوداني إن داعش في الأنبار")], [], user="lead")
        for name in ("ali", "sara"):
            store.save_place("d", name, 0)
    refused = Pane([*ANNOTATOR, "--db", str(db), "--user", "Ali "], cwd=tmp_path)
    try:
        rows = refused.wait_for("Start a new annotator 'Ali'? [y/N]", timeout=START_TIMEOUT_S)
        assert "knows the annotators: ali, sara" in "".join(row.strip() for row in rows)
        refused.send("n", "Enter")
        refused.wait_dead()
        said = "".join(row.strip() for row in refused.screen())
        assert "not started; use --user with one of: ali, sara" in said
    finally:
        refused.close()
    accepted = Pane([*ANNOTATOR, "--db", str(db), "--user", "mona"], cwd=tmp_path)
    try:
        accepted.wait_for("Start a new annotator 'mona'? [y/N]", timeout=START_TIMEOUT_S)
        accepted.send("y", "Enter")
        accepted.wait_for("offset 0/", timeout=START_TIMEOUT_S)
        accepted.send("C-q")
        accepted.wait_dead()
    finally:
        accepted.close()
    with Store(db) as store:
        assert store.known_annotators() == ["ali", "mona", "sara"]
