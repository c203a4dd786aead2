"""Help draws the Arabic it shows through the layout engine: the Arabic-layout twins of the keys shaped, a lone
haraka (the layout's shifted keys) on a dotted circle, the keys of a row left to right in the order listed."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from textual.geometry import Region
from textual.widgets import Static

from annotator.text.display import display_line
from annotator.tui.help_screen import HelpScreen


def fribidi(line: str) -> str:
    """GNU FriBidi's visual order of one left-to-right line, shaped; fail (never skip) when missing."""
    exe = shutil.which("fribidi")
    if exe is None:
        pytest.fail("GNU FriBidi CLI `fribidi` not found: apt-get install libfribidi-bin (CI installs it)")
    done = subprocess.run(
        [exe, "--ltr", "--nopad", "--nobreak"],
        input=line + "\n",
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    )
    return done.stdout.split("\n")[0]


async def help_rows(pilot) -> dict[str, str]:
    """Each row of the help table as drawn: its description → its key cell."""
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(pilot.app.screen, HelpScreen)
    static = pilot.app.screen.query_one("#help Static", Static)
    lines = [strip.text for strip in static.render_lines(Region(0, 0, static.size.width, static.size.height))]
    rows: dict[str, str] = {}
    for line in lines:
        cells = line.split("│")
        if len(cells) >= 4:
            rows[cells[2].strip()] = cells[1].strip()
    return rows


async def test_help_draws_the_arabic_layout_keys_shaped_and_harakat_on_a_circle(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        rows = await help_rows(pilot)
        actor = next(keys for description, keys in rows.items() if description.startswith("Actor"))
        assert actor == f"1 / a / ١ / {display_line('ش', 4)}", actor
        # each key is laid out on its own (the table reads left to right): the letter as FriBidi draws it alone
        assert unicodedata.normalize("NFKC", actor.split(" / ")[-1]) == unicodedata.normalize("NFKC", fribidi("ش"))
        assert "ش" not in actor  # the engine's isolated form, not the raw letter
        accept_all = next(keys for description, keys in rows.items() if description.startswith("Accept every"))
        assert accept_all == "A / \u25cc\u0650", accept_all  # kasra alone would sit on the blank before it
        assert rows["Help"] == "? / ؟"  # the left-to-right table keeps its order: the Latin key first
        quote = next(keys for description, keys in rows.items() if description.startswith("Quote"))
        assert quote.startswith("4 / q / ٤ / "), quote  # each label's Arabic-Indic digit twin in its own row
