"""Highlights, selection and cursor land on exactly the cells of their characters, and follow every change.

The view keeps drawn rows in a cache, so each check runs after the change that must redraw a row:
a tag, an undo, a cursor move, a selection growing and shrinking. The cells expected are found through
`DocumentLayout.place`, whose visual order is checked against GNU FriBidi in tests/text.

A key press repaints only the cells it changed, so a terminal fed every update the app writes must
end up showing what one full repaint of the same state shows.
"""

from __future__ import annotations

import re

import pyte
from rich.color import Color
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate
from textual.app import App
from textual.geometry import Region
from textual.strip import Strip

from annotator.model import DEFAULT_LABELS
from annotator.tui.annotate_screen import AnnotateScreen
from annotator.tui.text_view import MARGIN, SELECTION, TextView

from .conftest import TEXT

SIZE = (60, 20)  # narrow, so the first paragraph wraps and a span can sit on a row that is not the first
COLOUR = {label.name: Color.parse(label.colour) for label in DEFAULT_LABELS}


def painted(view: TextView) -> dict[tuple[int, int], tuple[str, object]]:
    """Every cell the view paints, as (x, y) -> (text, style), through the same call the compositor makes."""
    width, height = view.scrollable_content_region.size
    cells: dict[tuple[int, int], tuple[str, object]] = {}
    for y, strip in enumerate(view.render_lines(Region(0, 0, width, height))):
        for x in range(width):
            segments = list(strip.crop(x, x + 1))
            text = "".join(segment.text for segment in segments)
            cells[(x, y)] = (text, segments[0].style if segments else None)
    return cells


def cells_of(view: TextView, start: int, end: int) -> set[tuple[int, int]]:
    """Screen cells showing the characters [start, end)."""
    layout = view.document_layout()
    scroll_x, scroll_y = view.scroll_offset
    found = set()
    for offset in range(start, end):
        place = layout.place(offset)
        found.add((MARGIN + place.x - scroll_x, layout.top_of(place.paragraph) + place.row - scroll_y))
    return found


def with_background(cells: dict, colour: Color) -> set[tuple[int, int]]:
    return {xy for xy, (_, style) in cells.items() if style is not None and style.bgcolor == colour}


def reversed_cells(cells: dict) -> set[tuple[int, int]]:
    return {xy for xy, (_, style) in cells.items() if style is not None and style.reverse}


async def test_tag_undo_cursor_and_selection_land_on_their_cells(make_app) -> None:
    app = make_app()
    word = "NBC"  # Latin inside Arabic: its cells are reordered, not where a logical count would put them
    start = TEXT.index(word)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        view = screen.view
        view.move_to(start)
        await pilot.pause()
        before = painted(view)
        assert reversed_cells(before) == cells_of(view, start, start + 1)
        assert not with_background(before, COLOUR["actor"])

        await pilot.press("space", "1")  # select the word, tag it actor
        await pilot.pause()
        cells = painted(view)
        assert with_background(cells, COLOUR["actor"]) - reversed_cells(cells) == (
            cells_of(view, start, start + len(word)) - reversed_cells(cells)
        )
        assert "".join(cells[xy][0] for xy in sorted(cells_of(view, start, start + len(word)))) == word

        await pilot.press("u")  # undo: the colour goes, the text stays
        await pilot.pause()
        cells = painted(view)
        assert not with_background(cells, COLOUR["actor"])
        assert [cells[xy][0] for xy in sorted(cells)] == [before[xy][0] for xy in sorted(before)]

        place_ar = TEXT.index("الأنبار")
        view.move_to(place_ar)
        await pilot.pause()
        await pilot.press("shift+left", "shift+left", "shift+left")  # grows the selection over three letters
        await pilot.pause()
        cells = painted(view)
        selection = screen.session.selection
        assert selection is not None and selection[0] == place_ar and selection[1] >= place_ar + 4
        grown = selection
        assert reversed_cells(cells) == cells_of(view, screen.session.cursor, screen.session.cursor + 1)
        assert with_background(cells, SELECTION.bgcolor) == cells_of(view, *selection)  # the cursor cell too
        assert cells_of(view, start, start + 1).isdisjoint(reversed_cells(cells))  # the old cursor cell is clear

        await pilot.press("shift+right")  # shrinks by one cell: the released cell loses the selection colour
        await pilot.pause()
        cells = painted(view)
        selection = screen.session.selection
        assert selection is not None and selection[0] == place_ar and selection[1] < grown[1]
        assert cells_of(view, selection[1], grown[1]).isdisjoint(with_background(cells, SELECTION.bgcolor))
        assert with_background(cells, SELECTION.bgcolor) == cells_of(view, *selection)  # the cursor cell too
        await pilot.press("escape")
        await pilot.pause()
        assert not with_background(painted(view), SELECTION.bgcolor)


async def test_quote_underlines_and_entity_inside_keeps_its_colour(make_app) -> None:
    app = make_app()
    first_line = TEXT.split("\n")[0]
    actor = TEXT.index("داعش")
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.view
        view.move_to(0)
        await pilot.pause()
        await pilot.press("shift+end", "4")  # the whole first row as a quote
        selection_end = app.screen.session.spans[0].end
        view.move_to(actor)
        await pilot.press("1")
        view.move_to(len(TEXT) - 1)  # the cursor away from both
        await pilot.pause()
        cells = painted(view)
        underlined = {xy for xy, (_, style) in cells.items() if style is not None and style.underline}
        assert underlined == cells_of(view, 0, selection_end)
        assert with_background(cells, COLOUR["actor"]) == cells_of(view, actor, actor + len("داعش"))
        assert len(first_line) >= selection_end


async def test_reopened_at_a_saved_place_the_first_frame_already_shows_the_cursor(tmp_path, monkeypatch) -> None:
    """An annotator resuming far down an article sees that place in the very first frame, not page one."""
    from annotator.model import Document
    from annotator.store import Store
    from annotator.tui.run import build_app

    store = Store(tmp_path / "long.db")
    text = "\n".join([TEXT] * 200)
    store.import_batch([Document("long", "long", text)], [], user="lead")
    place = text.index("الأنبار", len(text) * 3 // 4)
    store.save_place("long", "ali", place)
    frames: list[set[tuple[int, int]]] = []
    original = TextView.render_lines

    def recording(view: TextView, crop: Region):  # type: ignore[no-untyped-def]
        strips = original(view, crop)
        frames.append(
            {
                (x, y)
                for y, strip in enumerate(strips)
                for x in range(strip.cell_length)
                if (segments := list(strip.crop(x, x + 1)))
                and segments[0].style is not None
                and segments[0].style.reverse
            }
        )
        return strips

    monkeypatch.setattr(TextView, "render_lines", recording)
    app = build_app(store, user="ali")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.view
        assert app.screen.session.cursor == place
        assert view.scroll_offset.y > 0
        assert frames and frames[0], "the first frame of the article shows no cursor: it is not at the saved place"
        assert frames[-1] == cells_of(view, place, place + 1)
    store.close()


class Terminal:
    """A terminal emulator fed with what the app writes, frame by frame."""

    def __init__(self, width: int, height: int) -> None:
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.Stream(self.screen)

    def feed(self, update: CompositorUpdate, app: App) -> None:
        self.stream.feed(update.render_segments(app.console))

    def cells(self) -> list[list[tuple]]:
        """Every cell: its text (a letter with its marks) and attributes."""
        return [[tuple(self.screen.buffer[y][x]) for x in range(self.screen.columns)] for y in range(self.screen.lines)]


async def test_partial_repaints_leave_on_the_terminal_the_cells_of_a_full_repaint(make_app, monkeypatch) -> None:
    """Keys that move, select, tag, undo and step between spans, across a word with a mark (tanween):
    the terminal that received only the changed cells shows what a full repaint of the final state shows."""
    app = make_app()
    terminal = Terminal(*SIZE)
    display = App._display

    def recording(self: App, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if isinstance(renderable, CompositorUpdate):
            terminal.feed(renderable, self)
        display(self, screen, renderable)

    monkeypatch.setattr(App, "_display", recording)
    word = "عنصراً"
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        await pilot.pause()
        partial_frames = 0
        original_partial = ChopsUpdate.render_segments

        def counting(update: ChopsUpdate, console) -> str:  # type: ignore[no-untyped-def]
            nonlocal partial_frames
            partial_frames += 1
            return original_partial(update, console)

        monkeypatch.setattr(ChopsUpdate, "render_segments", counting)
        screen.view.move_to(TEXT.index(word) - 2)
        await pilot.pause()
        for key in ["left"] * 9 + ["right", "down", "up", "end", "home", "ctrl+left", "ctrl+right"]:
            await pilot.press(key)
        await pilot.press("space", "shift+left", "1", "u", "ctrl+y", "tab", "shift+tab", "shift+right", "escape")
        screen.view.move_to(TEXT.index(word) + 1)  # onto the letter that carries the mark
        await pilot.press("space", "shift+left", "3", "left", "left", "x", "u")
        await pilot.pause()
        assert partial_frames > 20, "the keys were not drawn as partial updates"
        full = Terminal(*SIZE)
        full.feed(screen._compositor.render_update(full=True), app)
    after_keys, afresh = terminal.cells(), full.cells()
    differing = [
        (x, y, a, b)
        for y, (row_a, row_b) in enumerate(zip(after_keys, afresh))
        for x, (a, b) in enumerate(zip(row_a, row_b))
        if a != b
    ]
    assert not differing, f"{len(differing)} cells differ from a full repaint, first: {differing[:4]}"
    assert any("\u064b" in cell[0] for row in afresh for cell in row), "the word with tanween is not on screen"


async def test_a_frame_drawn_while_a_tag_is_written_does_not_hide_the_tag(make_app, monkeypatch) -> None:
    """A tag is written in a thread; a frame can come after its spans changed and before the screen
    repaints them, drawing a row whose other cells are due (the cursor moved there). That frame sends
    only those cells, so the new span's cells must still be sent by the repaint that follows."""
    app = make_app()
    terminal = Terminal(*SIZE)
    display = App._display

    def recording(self: App, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if isinstance(renderable, CompositorUpdate):
            terminal.feed(renderable, self)
        display(self, screen, renderable)

    monkeypatch.setattr(App, "_display", recording)
    start = TEXT.index("داعش")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        view = screen.view
        view.move_to(start)
        await pilot.pause()
        view.move_to(start + 1)  # the cursor's cells on this row are due
        assert screen.session.tag("actor").message.endswith("saved")  # what the writing thread does
        await pilot.pause()  # a frame before the screen hears of the tag

        def written() -> None:  # what AnnotateScreen.write does once the thread is done
            screen.refresh_spans()
            view.refresh_view()

        screen.call_later(written)
        await pilot.pause()
        assert with_background(painted(view), COLOUR["actor"]), "the tag is not drawn at all"
        full = Terminal(*SIZE)
        full.feed(screen._compositor.render_update(full=True), app)
    differing = [
        (x, y)
        for y, (row_a, row_b) in enumerate(zip(terminal.cells(), full.cells()))
        for x, (a, b) in enumerate(zip(row_a, row_b))
        if a != b
    ]
    assert not differing, f"{len(differing)} cells not repainted after the tag: {differing[:6]}"


def test_a_partial_update_keeps_each_mark_with_its_letter() -> None:
    """A changed region that starts or ends next to a letter with a mark neither drops the mark nor sends it
    alone (a terminal would put a lone mark on the letter before the region: twice on that letter)."""
    style = Style(bold=True)
    line = Strip([Segment("ab\u064ecd", style)])  # cells: a, b + fatha, c, d
    for x1, x2, expected in [(1, 2, "b\u064e"), (2, 3, "c"), (0, 2, "ab\u064e"), (2, 4, "cd"), (1, 3, "b\u064ec")]:
        update = ChopsUpdate([{0: line}], [(0, x1, x2)], [[4]])
        sent = update.render_segments(Console(color_system=None, force_terminal=True))
        text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", sent)
        assert text == expected, (x1, x2, repr(sent))
        assert sent.startswith(f"\x1b[1;{x1 + 1}H"), (x1, x2, repr(sent))
