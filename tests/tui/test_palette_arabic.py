"""The command palette's search box (ctrl+p) draws typed Arabic like the find box: shaped, in the visual order
GNU FriBidi gives it, not in stored order; Latin queries still find the screen's actions."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

from annotator.text.display import display_line
from annotator.tui.commands import BidiCommandInput

from .test_find_box import fold, fribidi

WORD = "داعش"


async def open_palette_and_type(pilot, text: str) -> BidiCommandInput:
    await pilot.press("ctrl+p")
    for _ in range(100):  # the palette focuses its box once mounted: wait (up to 5 s) before typing
        if isinstance(pilot.app.focused, BidiCommandInput):
            break
        await pilot.pause(0.05)
    assert isinstance(pilot.app.screen, CommandPalette)
    for char in text:
        await pilot.press(char)
    await pilot.pause()
    box = pilot.app.screen.query_one(BidiCommandInput)
    assert box.value == text
    return box


async def test_typed_arabic_in_the_palette_is_drawn_as_fribidi_orders_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        box = await open_palette_and_type(pilot, WORD)
        assert box.value == WORD  # stored as typed: only the drawing is visual
        row = box.render_line(0).text
        assert fold(row) == fold(fribidi(WORD)), row
        assert display_line(WORD, 20) in row and WORD not in row


async def test_a_latin_query_still_finds_the_screens_actions(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        box = await open_palette_and_type(pilot, "speaker")
        assert box.render_line(0).text.strip().startswith("speaker")
        results = pilot.app.screen.query_one(CommandList)
        found: list[str] = []
        for _ in range(100):  # the palette searches in a worker: wait (up to 5 s) for its hits
            found = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
            if found:
                break
            await pilot.pause(0.05)
        assert any("Speaker" in text for text in found), found
