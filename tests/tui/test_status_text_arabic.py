"""The status line's own text (not «quoted» article text) with Arabic in it: a query not found, an Arabic
login. Each right-to-left run is drawn shaped and reversed in place, as GNU FriBidi orders the whole line
with a left-to-right paragraph direction."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from annotator.tui.keys import status_text

from .test_find_box import fold

MESSAGES = [
    "not found: الفلوجة",
    "took مريم بن علي's version (3 spans): 1 added, 0 removed",
    "no document تقرير 2024 here",
    "مريم did not finish this document",
    "no document تقرير ٢٠٢٤ here, 3 left",
    "took مريم 2 and علي 3.5 too",
]


def fribidi_ltr(line: str) -> str:
    """GNU FriBidi's visual order of one line in a left-to-right paragraph; fail (never skip) when missing."""
    exe = shutil.which("fribidi")
    if exe is None:
        pytest.fail("GNU FriBidi CLI `fribidi` not found: apt-get install libfribidi-bin (CI installs it)")
    done = subprocess.run(
        [exe, "--ltr", "--nopad", "--nobreak"], input=line + "\n", capture_output=True, text=True, check=True
    )
    return done.stdout.split("\n")[0]


@pytest.mark.parametrize("message", MESSAGES)
def test_arabic_in_a_message_is_drawn_as_fribidi_orders_it(message: str) -> None:
    shown = status_text(message, "app")
    assert fold(shown) == fold(fribidi_ltr(message)), shown
    assert shown != message  # not the stored order


def test_terminal_mode_leaves_the_order_to_the_terminal() -> None:
    assert status_text(MESSAGES[0], "terminal") == MESSAGES[0]


async def test_a_failed_find_names_the_query_as_it_is_seen(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        screen = app.screen
        await pilot.press("slash")
        await pilot.pause()
        for char in "الفلوجة":
            await pilot.press(char)
        await pilot.press("enter")
        await pilot.pause()
        status = str(screen.query_one("#status").render())
        assert status_text("not found: الفلوجة", "app") in status and "الفلوجة" not in status
