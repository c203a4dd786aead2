"""The real `annotator` in tmux: what a person sees (checked against FriBidi) and what lands in the database."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import unicodedata
from pathlib import Path

import pytest
from conftest import CORPUS

from annotator.store import Store
from annotator.text.layout import layout_paragraph

from .tmux import ANNOTATOR, Pane

pytestmark = pytest.mark.tmux


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\ufeff", "").strip()


def fribidi_rows(rows: list[str]) -> list[str]:
    """GNU FriBidi's visual order of each logical row."""
    out = subprocess.run(
        ["fribidi", "--rtl", "--nobreak", "--nopad"],
        input="\n".join(rows) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.split("\n")[: len(rows)]


@pytest.fixture
def pane_factory(tmp_path: Path):
    panes: list[Pane] = []

    def make(*args: str, **kwargs) -> Pane:
        pane = Pane([*ANNOTATOR, *args], cwd=tmp_path, **kwargs)
        panes.append(pane)
        return pane

    yield make
    pids = [pane.pid() for pane in panes if not pane.dead()]
    for pane in panes:
        pane.close()  # the terminal disappears, as when an SSH connection drops
    deadline = time.monotonic() + 10
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in alive if _alive(pid)]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, f"annotator processes outlived their terminal: {alive}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return False


def _text_rows(screen: list[str], count: int) -> list[str]:
    """The article's rows: screen rows 1.., without the span panel and the scrollbar column before it."""
    return [row.split("│")[0][:-1].strip() for row in screen[1 : 1 + count]]


def test_screen_matches_fribidi_then_find_and_tag(tmp_path: Path, pane_factory) -> None:
    db = tmp_path / "team.db"
    pane = pane_factory("--db", str(db), "--user", "ali")
    pane.wait_for("offset 0/")
    screen = pane.settled()
    paragraph = (CORPUS / "01-anbar-raid-nyt.txt").read_text(encoding="utf-8").split("\n")[0]
    shown = _text_rows(screen, 4)
    widths = [
        w
        for w in range(30, 100)
        if [_normal(r.text) for r in layout_paragraph(paragraph, w).rows[:4]] == [_normal(s) for s in shown]
    ]
    assert widths, "no width of our wrapper gives the rows on screen:\n" + "\n".join(screen)
    width = widths[-1]
    logical_rows = [paragraph[r.start : r.end] for r in layout_paragraph(paragraph, width).rows]
    reference = fribidi_rows(logical_rows)
    rows_on_screen = _text_rows(screen, len(logical_rows))
    assert [_normal(r) for r in rows_on_screen] == [_normal(r) for r in reference]
    assert any("ﺶﻋﺍﺩ" in row for row in rows_on_screen)  # shaped letters, not isolated forms

    pane.send("/")
    time.sleep(0.3)
    pane.send("الأنبار", literal=True)
    pane.send("Enter")
    pane.wait_for("selection 7")
    pane.send("a")
    pane.wait_for("saved")
    pane.send("C-q")
    pane.wait_dead()
    text = (CORPUS / "01-anbar-raid-nyt.txt").read_text(encoding="utf-8")
    start = text.index("الأنبار")
    with Store(db) as store:
        assert [(s.start, s.end, s.label) for s in store.spans("01-anbar-raid-nyt", "ali")] == [
            (start, start + 7, "actor")
        ]


def test_kill_9_after_tag_loses_nothing(tmp_path: Path, pane_factory) -> None:
    db = tmp_path / "team.db"
    pane = pane_factory("--db", str(db), "--user", "mona")
    pane.wait_for("offset 0/")
    pane.send("Space")
    pane.send("p")
    pane.wait_for("saved")
    os.kill(pane.pid(), signal.SIGKILL)
    pane.wait_dead()
    with Store(db) as store:
        assert [(s.start, s.end, s.label) for s in store.spans("01-anbar-raid-nyt", "mona")] == [(0, 3, "place")]
        assert store.check() == []


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_hangup_and_term_exit_cleanly_and_reopen_in_place(tmp_path: Path, pane_factory, sig: int) -> None:
    db = tmp_path / "team.db"
    pane = pane_factory("--db", str(db), "--user", "sara")
    pane.wait_for("offset 0/")
    pane.send("]")
    pane.wait_for("article 2/5")
    for _ in range(5):
        pane.send("Left")
    pane.wait_for("offset 5/")
    os.kill(pane.pid(), sig)
    pane.wait_dead()
    screen = "\n".join(pane.screen())
    assert "Traceback" not in screen
    again = pane_factory("--db", str(db), "--user", "sara")
    again.wait_for("article 2/5")
    again.wait_for("offset 5/")


def test_sixteen_colour_terminal_keeps_labels_apart(tmp_path: Path, pane_factory) -> None:
    """TERM=xterm: only 16-colour escape codes, and actor, figure and place on three different backgrounds."""
    import re

    from annotator.cli import bundled_import

    db = tmp_path / "c16.db"
    with Store(db) as store:
        bundled_import(store, "lead")
        text = store.document("01-anbar-raid-nyt").text
        for word, label in (("داعش", "actor"), ("15 عنصراً", "figure"), ("الأنبار", "place")):
            start = text.index(word)
            store.add_span("01-anbar-raid-nyt", "ali", start, start + len(word), label, user="ali")
    pane = pane_factory("--db", str(db), "--user", "ali", term="xterm")
    pane.wait_for("offset 0/")
    pane.settled()
    raw = pane.raw_screen()
    assert not re.search(r"\x1b\[[0-9;]*[34]8;[25];", raw), "256-colour or true-colour codes on a 16-colour terminal"
    backgrounds = set()
    for word in ("ﺶﻋﺍﺩ", "15", "ﺭﺎﺒﻧﻷﺍ"):
        match = re.search(r"\x1b\[(?:[0-9]+;)*((?:4|10)[0-7])m(?:\x1b\[[0-9;]*m)*[^\x1b]*" + word, raw)
        assert match, word
        backgrounds.add(match.group(1))
    assert len(backgrounds) == 3, backgrounds


def _wait_gone(pane: Pane, text: str, timeout: float = 15.0) -> None:
    """Wait until text is no longer on screen."""
    deadline = time.monotonic() + timeout
    while any(text in row for row in pane.screen()):
        assert time.monotonic() < deadline, f"{text!r} stayed on screen:\n" + "\n".join(pane.screen())
        time.sleep(0.1)


def test_tanween_stays_in_the_span_and_a_label_key_relabels_it(tmp_path: Path, pane_factory) -> None:
    """Issue 12's keys in the real app: /15 Enter, Space, Space, shift+Right ×3, 2 saves «15 عنصراً» with its
    tanween; Tab back onto it and 1 relabels the whole span; the message goes once the cursor moves on."""
    db = tmp_path / "team.db"
    pane = pane_factory("--db", str(db), "--user", "ali")
    pane.wait_for("offset 0/")
    text = (CORPUS / "01-anbar-raid-nyt.txt").read_text(encoding="utf-8")
    start = text.index("15 عنصراً")
    tanween = text.index("\u064b", start)
    pane.send("/")
    pane.wait_for("Enter: next")
    pane.send("15", literal=True)
    pane.send("Enter")
    pane.wait_for("selection 2")
    pane.send("Space")
    pane.send("Space")
    pane.wait_for(f"offset {tanween + 3}/")
    for cursor in (tanween + 2, tanween + 1, tanween - 1):
        pane.send("S-Right")
        pane.wait_for(f"offset {cursor}/")
    pane.wait_for(f"selection {tanween + 1 - start}")
    pane.send("2")
    pane.wait_for("saved")
    pane.send("Left")
    _wait_gone(pane, "saved")
    pane.send("Tab")
    pane.wait_for(f"offset {start}/")
    pane.send("1")
    pane.wait_for("figure → actor")
    pane.send("C-q")
    pane.wait_dead()
    with Store(db) as store:
        spans = store.spans("01-anbar-raid-nyt", "ali")
        assert [(s.start, s.end, s.label) for s in spans] == [(start, tanween + 1, "actor")]
        assert text[spans[0].start : spans[0].end] == "15 عنصراً"
