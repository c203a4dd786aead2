"""The key bar keeps `? Help` at every width: the keys that do not fit go whole, lower priority first."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from annotator.tui.key_bar import KeyBar


@pytest.mark.parametrize("width", [40, 60, 80, 100])
async def test_help_stays_on_the_key_bar(make_app, width: int) -> None:
    app = make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        line = "".join(segment.text for segment in bar.render_line(0))
        assert cell_len(line) == width
        assert " ? " in line and " Help " in line, line
        assert " 1 " in line and " Actor " in line, line  # the first label key stays as long as it can
        entries = [f" {key} " + f" {description} " for key, description in bar.keys]
        shown = [entry for entry in entries if entry in line]
        assert "".join(shown) in line  # every entry shown is whole: none cut in its middle
        if len(shown) < len(entries):
            assert line.rstrip().endswith("…")  # says that some were left out (help lists them all)


async def test_at_80_columns_the_labels_done_and_help_fit(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = "".join(segment.text for segment in app.screen.query_one(KeyBar).render_line(0))
        for entry in (" 1  Actor ", " 2  Figure ", " 3  Place ", " 4  Quote ", " ^d  Done → next ", " ?  Help "):
            assert entry in line, line


async def test_a_wide_terminal_shows_every_key(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(160, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        line = "".join(segment.text for segment in bar.render_line(0))
        assert all(f" {key}  {description} " in line for key, description in bar.keys)
        assert "…" not in line
