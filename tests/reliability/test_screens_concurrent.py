"""Four real `annotator` screens in tmux tagging the same database at once (issue 7).

The four start together on a database that does not exist yet (so they also race to create it and
import the bundled corpus), then press the same keys in lockstep so their writes collide. What
each status line said ("saved", "removed", "undone") must be exactly what the database holds.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e.tmux import ANNOTATOR, Pane

from annotator.store import Store

pytestmark = pytest.mark.tmux

SCREENS = 4
ARTICLES = 3
TAGS_PER_ARTICLE = 3
LABEL_KEYS = {"a": "actor", "f": "figure", "p": "place"}
STATUS = re.compile(r"offset (\d+)/(\d+)\s+selection (\d+)\s+span (\S+)\s*(.*)$")
START_TIMEOUT_S = 90.0
STEP_TIMEOUT_S = 45.0


def status(pane: Pane) -> re.Match[str] | None:
    """The parsed status line (offset, length, selection, span here, message), or None if not drawn yet."""
    for row in reversed(pane.screen()):
        found = STATUS.search(row)
        if found:
            return found
    return None


def wait_status(
    pane: Pane, accept: Callable[[re.Match[str]], bool], what: str, seen: list[str], timeout: float = STEP_TIMEOUT_S
) -> re.Match[str]:
    """Wait until the status line satisfies accept(match), collecting the messages shown meanwhile."""
    deadline = time.monotonic() + timeout
    while True:
        found = status(pane)
        if found is not None:
            message = found.group(5)
            if message and (not seen or seen[-1] != message):
                seen.append(message)
            assert not message.startswith("not "), f"an error reached the user: {message}"
            if accept(found):
                return found
        if time.monotonic() > deadline:
            raise AssertionError(f"waited for {what}; screen:\n" + "\n".join(pane.screen()))
        time.sleep(0.05)


def test_four_screens_tagging_at_once(tmp_path: Path) -> None:
    """Four annotators tag, remove and undo in lockstep across three articles; the database agrees with every screen."""
    db = tmp_path / "team.db"
    users = [f"s{i}" for i in range(1, SCREENS + 1)]
    panes = [Pane([*ANNOTATOR, "--db", str(db), "--user", user, "--new"], cwd=tmp_path) for user in users]
    said: dict[str, list[tuple[int, int, str]]] = {user: [] for user in users}  # (article, offset, label)
    seen: list[str] = []
    try:
        for pane in panes:
            pane.wait_for("offset 0/", timeout=START_TIMEOUT_S)
        for article in range(1, ARTICLES + 1):
            for pane in panes:
                pane.wait_for(f"article {article}/5", timeout=STEP_TIMEOUT_S)
            for k in range(TAGS_PER_ARTICLE):
                key = list(LABEL_KEYS)[k % len(LABEL_KEYS)]
                for pane in panes:
                    pane.send("C-Left", "Space")
                for pane in panes:
                    wait_status(pane, lambda m: int(m.group(3)) > 0 and not m.group(5), "a selection", seen)
                for pane in panes:  # all four write at the same moment
                    pane.send(key)
                for user, pane in zip(users, panes):
                    found = wait_status(pane, lambda m: m.group(5).endswith("saved"), f"{user} saved", seen)
                    assert found.group(4) == LABEL_KEYS[key], found.group(0)
                    said[user].append((article, int(found.group(1)), LABEL_KEYS[key]))
            for pane in panes:
                pane.send("x")
            for user, pane in zip(users, panes):
                wait_status(pane, lambda m: m.group(5).startswith("removed"), f"{user} removed", seen)
            for pane in panes:
                pane.send("u")
            for user, pane in zip(users, panes):
                found = wait_status(pane, lambda m: m.group(5).startswith("undone"), f"{user} undone", seen)
                assert found.group(5).startswith("undone: 1 added, 0 removed"), found.group(0)
            for pane in panes:
                pane.send("]")
        for pane in panes:
            pane.wait_for(f"article {ARTICLES + 1}/5", timeout=STEP_TIMEOUT_S)
            pane.send("C-q")
        for pane in panes:
            pane.wait_dead(timeout=STEP_TIMEOUT_S)
            screen = "\n".join(pane.screen())
            assert "Traceback" not in screen and "error" not in screen.lower(), screen
    finally:
        for pane in panes:
            pane.close()
    with Store(db) as store:
        assert store.check() == []
        documents = [doc_id for doc_id, _, _ in store.document_list()]
        assert len(documents) == 5, "the bundled corpus was imported more or less than once"
        for user in users:
            for article in range(1, ARTICLES + 1):
                spans = [(s.start, s.end, s.label) for s in store.spans(documents[article - 1], user)]
                told = [(offset, label) for a, offset, label in said[user] if a == article]
                assert len(spans) == len(told) == TAGS_PER_ARTICLE, (user, article, spans, told)
                for offset, label in told:
                    assert [s for s in spans if s[0] <= offset < s[1] and s[2] == label], (user, article, offset, spans)
            for doc_id in documents[ARTICLES:]:
                assert store.spans(doc_id, user) == []
    waits = sum("waiting for the database" in message for message in seen)
    print(f"[4 screens] {sum(map(len, said.values()))} tags saved; {waits} 'waiting for the database' notices seen")
