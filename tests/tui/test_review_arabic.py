"""The review panel draws each annotator's span texts (and gold's) through the layout engine: shaped, in the
visual order GNU FriBidi gives, never the stored logical order a terminal without bidi would show backwards."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from annotator.model import Document, Span
from annotator.store import Store
from annotator.text.display import display_line
from annotator.tui.review_screen import ReviewScreen
from annotator.tui.run import build_review_app

TEXT = "قال السوداني إن داعش هاجم بالأنبار وقتل 15 عنصراً من القوات"


def at(words: str, skip: int = 0) -> tuple[int, int]:
    start = TEXT.index(words)
    return start + skip, start + len(words)


def fribidi(line: str) -> str:
    """GNU FriBidi's visual order of one right-to-left line, shaped; fail (never skip) when missing."""
    exe = shutil.which("fribidi")
    if exe is None:
        pytest.fail("GNU FriBidi CLI `fribidi` not found: apt-get install libfribidi-bin (CI installs it)")
    done = subprocess.run(
        [exe, "--rtl", "--nopad", "--nobreak"],
        input=line + "\n",
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    )
    return done.stdout.split("\n")[0]


def fold(text: str) -> str:
    """Presentation forms as base letters, without FriBidi's U+FEFF padding."""
    return unicodedata.normalize("NFKC", text).replace("\ufeff", "").strip()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """ali and mona disagree on a place (the clitic ب) and on a figure against an actor."""
    ali = [Span("r1", "ali", *at("بالأنبار", 1), "place"), Span("r1", "ali", *at("15 عنصراً"), "figure")]
    mona = [Span("r1", "mona", *at("بالأنبار"), "place"), Span("r1", "mona", *at("عنصراً من القوات"), "actor")]
    store = Store(tmp_path / "review.db")
    store.import_batch([Document("r1", "خبر", TEXT)], ali + mona, user="lead")
    yield store
    store.close()


@pytest.mark.parametrize("width", [80, 120])
async def test_the_panel_draws_every_versions_text_as_fribidi_orders_it(store: Store, width: int) -> None:
    app = build_review_app(store, user="lead", annotators=["ali", "mona"], order=["r1"], start="r1")
    async with app.run_test(size=(width, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        seen: list[str] = []
        for _ in range(2):  # both disagreements
            await pilot.press("tab")
            await pilot.pause()
            panel = str(screen.query_one("#review-panel").render())
            # label, the span's text, its [start-end]: the text must be the engine's visual form of text[start:end]
            for shown, start, end in re.findall(r"(?:place|figure|actor) (.+?) \[(\d+)-(\d+)\]", panel):
                words = TEXT[int(start) : int(end)]
                assert shown == display_line(words, 30), panel
                assert fold(shown) == fold(fribidi(words)), (shown, words)
                assert fold(shown) != words  # not the stored order
                seen.append(words)
        assert {"الأنبار", "بالأنبار", "15 عنصراً", "عنصراً من القوات"} <= set(seen)
