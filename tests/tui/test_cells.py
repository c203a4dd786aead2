"""Highlights, selection and cursor land on exactly the cells of their characters, and follow every change.

The view keeps drawn rows in a cache, so each check runs after the change that must redraw a row:
a tag, an undo, a cursor move, a selection growing and shrinking. The cells expected are found through
`DocumentLayout.place`, whose visual order is checked against GNU FriBidi in tests/text.
"""

from __future__ import annotations

from rich.color import Color
from textual.geometry import Region

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
        frames.append({
            (x, y) for y, strip in enumerate(strips) for x in range(strip.cell_length)
            if (segments := list(strip.crop(x, x + 1))) and segments[0].style is not None and segments[0].style.reverse
        })
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
