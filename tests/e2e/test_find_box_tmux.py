"""What a terminal without bidi shows in the find box as one types Arabic, checked against GNU FriBidi in tmux
at 80 and 100 columns; Enter then finds the word (the cursor moves and selects it)."""

from __future__ import annotations

import re
import subprocess
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from .tmux import ANNOTATOR, Pane

pytestmark = pytest.mark.tmux

WORD = "القوات"


def fold(text: str) -> str:
    """Presentation forms as base letters, without FriBidi's U+FEFF padding."""
    return unicodedata.normalize("NFKC", text).replace("\ufeff", "").strip()


def fribidi(line: str) -> str:
    """GNU FriBidi's visual order of one right-to-left line, shaped."""
    return subprocess.run(
        ["fribidi", "--rtl", "--nobreak", "--nopad"], input=line + "\n", capture_output=True, text=True, check=True
    ).stdout.split("\n")[0]


def wait_until(pane: Pane, test: Callable[[list[str]], bool], what: str, timeout: float = 15.0) -> list[str]:
    """The screen once test(screen) holds."""
    deadline = time.monotonic() + timeout
    while True:
        screen = pane.screen()
        if test(screen):
            return screen
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not appear; screen:\n" + "\n".join(screen))
        time.sleep(0.1)


def box_text(screen: list[str]) -> str | None:
    """The find box's text row: between its side borders (▊ … ▎), the one row there that is not a rule."""
    for row in screen:
        if row.startswith("▊") and row.rstrip().endswith("▎") and not set(row[1:-1]) <= {"▔", "▁"}:
            return row.rstrip()[1:-1].strip()
    return None


@pytest.mark.parametrize("width", [80, 100])
def test_the_find_box_shows_typed_arabic_as_fribidi_does_and_enter_finds_it(tmp_path: Path, width: int) -> None:
    db = tmp_path / "team.db"
    pane = Pane([*ANNOTATOR, "--db", str(db), "--user", "ali"], width=width, height=30, cwd=tmp_path)
    try:
        before = pane.wait_for("offset 0/")
        status = next(row for row in before if "offset 0/" in row)
        pane.send("/")
        pane.wait_for("find whole words")  # the placeholder: the box is open and has the focus
        pane.send(WORD, literal=True)  # UTF-8, as a terminal sends typed Arabic
        screen = wait_until(pane, lambda rows: len(fold(box_text(rows) or "")) == len(WORD), "the typed word")
        shown = box_text(screen)
        assert shown is not None
        assert fold(shown) == fold(fribidi(WORD)), shown  # FriBidi's visual order, shaped
        assert shown != WORD and fold(shown) != WORD  # not the stored, logical order
        pane.send("Enter")
        screen = wait_until(pane, lambda rows: any("found at" in row for row in rows), "the match")
        status = next(row for row in screen if "found at" in row)
        found = re.search(r"offset (\d+)/", status)
        assert found is not None and int(found.group(1)) > 0 and f"selection {len(WORD)}" in status, (
            status
        )  # the cursor moved onto the word
        assert box_text(screen) is None  # the box closed
        pane.send("C-q")
        pane.wait_dead()
    finally:
        pane.close()
