"""The find box as one types: the query is drawn shaped and in visual order (as GNU FriBidi orders it),
the cursor stands on the cell it edits, and typing, Backspace, Left/Right, Home, Enter and Escape work."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from rich.style import Style

from annotator.text.display import display_line
from annotator.tui.find_bar import FindBar
from annotator.tui.text_view import TextView

WORD = "داعش"
MIXED = "أمام NBC News اليوم"


def fribidi(line: str) -> str:
    """GNU FriBidi's visual order of one line (its own paragraph direction), shaped; fail (never skip) when missing."""
    exe = shutil.which("fribidi")
    if exe is None:
        pytest.fail("GNU FriBidi CLI `fribidi` not found: apt-get install libfribidi-bin (CI installs it)")
    done = subprocess.run(
        [exe, "--nopad", "--nobreak"], input=line + "\n", capture_output=True, text=True, check=True, encoding="utf-8"
    )
    return done.stdout.split("\n")[0]


def fold(text: str) -> str:
    """Presentation forms as base letters, without FriBidi's U+FEFF padding, outer blanks trimmed."""
    return unicodedata.normalize("NFKC", text).replace("\ufeff", "").strip()


def shown(bar: FindBar) -> str:
    """What the find box draws on its text row."""
    return bar.render_line(0).text


def cursor_cell(bar: FindBar) -> int:
    """The column (in the drawn row) of the cell drawn in the cursor's style."""
    bar._cursor_visible = True  # the blink must not hide it while the test reads the row
    wanted = bar.get_component_rich_style("input--cursor")
    x = 0
    for segment in bar.render_line(0):
        if (
            segment.style is not None
            and segment.style.bgcolor == (wanted + Style()).bgcolor
            and segment.style.bgcolor != bar.rich_style.bgcolor
        ):
            return x
        x += segment.cell_length
    raise AssertionError(f"no cursor drawn in {shown(bar)!r}")


async def open_and_type(pilot, text: str) -> FindBar:
    """Press / and type text key by key."""
    await pilot.press("slash")
    await pilot.pause()
    for char in text:
        await pilot.press(char)
    await pilot.pause()
    return pilot.app.screen.query_one(FindBar)


@pytest.mark.parametrize("width", [80, 100])
async def test_typed_arabic_is_drawn_as_fribidi_orders_it(make_app, width: int) -> None:
    app = make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        bar = await open_and_type(pilot, WORD)
        row = shown(bar)
        assert fold(row) == fold(fribidi(WORD)), row
        assert row.strip() == display_line(WORD, 20)  # the engine's own shaped, visual form
        assert WORD not in row  # not the stored (logical, unshaped) order
        # a right-to-left query sits against the right edge, the cursor at its left, where the reading goes on
        assert row.rstrip().endswith(display_line(WORD, 20))
        assert cursor_cell(bar) == row.index(display_line(WORD, 20)) - 1


async def test_a_mixed_query_is_drawn_as_fribidi_orders_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        bar = await open_and_type(pilot, MIXED)
        assert fold(shown(bar)) == fold(fribidi(MIXED)), shown(bar)


async def test_left_right_home_backspace_edit_what_is_seen(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        bar = await open_and_type(pilot, WORD)
        drawn = display_line(WORD, 20)
        left_edge = shown(bar).index(drawn)
        assert bar.cursor_position == len(WORD)
        await pilot.press("right")  # onto the last letter, drawn leftmost
        assert bar.cursor_position == len(WORD) - 1 and cursor_cell(bar) == left_edge
        await pilot.press("right", "right", "right")  # onto the first letter, drawn rightmost
        assert bar.cursor_position == 0 and cursor_cell(bar) == left_edge + len(drawn) - 1
        await pilot.press("right")  # nothing further right
        assert bar.cursor_position == 0
        await pilot.press("left", "left")  # forward in reading order
        assert bar.cursor_position == 2 and cursor_cell(bar) == left_edge + len(drawn) - 3
        await pilot.press("backspace")  # the letter before the cursor in reading order (right of it): ا
        assert bar.value == "دعش" and bar.cursor_position == 1
        await pilot.press("ا")  # typed back where it was
        assert bar.value == WORD and fold(shown(bar)) == fold(fribidi(WORD))
        await pilot.press("home")
        assert bar.cursor_position == 0
        await pilot.press("end")
        assert bar.cursor_position == len(WORD)


async def test_enter_finds_the_typed_word_and_escape_closes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.screen.session
        assert session.cursor == 0
        bar = await open_and_type(pilot, WORD)
        await pilot.press("enter")
        await pilot.pause()
        start = session.text.index(WORD)
        assert session.selection == (start, start + len(WORD))  # the cursor moved to the match, selecting it
        assert not bar.has_class("-open") and app.screen.focused is app.screen.query_one(TextView)
        await pilot.press("slash")
        await pilot.pause()
        assert bar.has_class("-open") and bar.value == WORD  # the last query, drawn as before
        assert fold(shown(bar)) == fold(fribidi(WORD))
        await pilot.press("escape")
        await pilot.pause()
        assert not bar.has_class("-open") and app.screen.focused is app.screen.query_one(TextView)


async def test_terminal_mode_leaves_the_order_to_the_terminal(make_app) -> None:
    app = make_app(bidi="terminal")
    async with app.run_test(size=(80, 24)) as pilot:
        bar = await open_and_type(pilot, WORD)
        assert shown(bar).strip() == WORD  # logical order: a bidi terminal reorders and shapes it itself


async def test_a_query_longer_than_the_box_scrolls_to_keep_the_cursor_in_view(make_app) -> None:
    words = "قال السوداني إن داعش في الأنبار خسر 15 عنصرا أمام NBC News اليوم وأكد المسؤولون ذلك مرة أخرى"
    app = make_app()
    async with app.run_test(size=(60, 24)) as pilot:
        bar = await open_and_type(pilot, words)
        room = bar.scrollable_content_region.width
        row = shown(bar)
        assert fold(row) in fold(fribidi(words)) and len(fold(row)) >= room - 2  # a window of the visual line
        assert row.startswith(" ") and 0 <= cursor_cell(bar) < room  # the end cell, at the left, in view
        await pilot.press("home")  # the reading's start: the first word, at the right
        row = shown(bar)
        assert row.rstrip().endswith(display_line("قال", 10)), row
        assert cursor_cell(bar) == len(row.rstrip()) - 1
        await pilot.press("ctrl+left", "ctrl+left")  # two words forward in reading order
        assert bar.cursor_position == words.index("إن")


async def test_shift_left_selects_what_is_seen_and_a_click_puts_the_cursor_on_the_cell(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        bar = await open_and_type(pilot, WORD)
        await pilot.press("home", "shift+left", "shift+left")  # the first two letters, the two rightmost cells
        assert sorted(bar.selection) == [0, 2]
        selected = bar.get_component_rich_style("input--selection").bgcolor
        row, x, marked = shown(bar), 0, []
        for segment in bar.render_line(0):
            if segment.style is not None and segment.style.bgcolor == selected:
                marked.append(row[x : x + segment.cell_length])
            x += segment.cell_length
        assert fold("".join(marked)) == fold(fribidi("دا")), marked  # ا then د, read from the right
        await pilot.press("right")  # Right on a selection: the cursor to its right end, the reading's start
        assert bar.selection.is_empty and bar.cursor_position == 0
        left_edge = row.index(display_line(WORD, 20))
        gutter = bar.content_region.x - bar.region.x
        await pilot.click(FindBar, offset=(gutter + left_edge, 1))  # the leftmost letter: the word's last
        assert bar.cursor_position == len(WORD) - 1


def test_a_haraka_stays_in_its_letters_cell_and_the_end_cell_is_where_the_reading_ends() -> None:
    from annotator.tui.bidi_input import visual_line

    line = visual_line("عنصراً")
    assert line.rtl and line.cells[0].start == len("عنصراً")  # the end cell, at the left
    drawn = display_line("عنصراً", 20)
    assert drawn[1] == "\u064b" and [cell.text for cell in line.cells[1:]] == [drawn[:2], *drawn[2:]]  # ﺍً: one cell
    latin = visual_line("NBC")
    assert not latin.rtl and latin.cells[-1].start == 3 and [c.x for c in latin.cells] == [0, 1, 2, 3]


async def test_after_a_resize_the_query_is_still_whole_against_the_right_edge(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        bar = await open_and_type(pilot, WORD)
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        row = shown(bar)
        assert row.rstrip().endswith(display_line(WORD, 20)) and len(row) <= bar.scrollable_content_region.width + 1, (
            row
        )
        await pilot.resize_terminal(120, 24)
        await pilot.pause()
        assert shown(bar).rstrip().endswith(display_line(WORD, 20)), shown(bar)
        assert len(shown(bar).rstrip()) >= bar.scrollable_content_region.width - 1
