"""`!` in the annotation screen: flag the article or a span with a note, edit it, clear it, Escape cancels;
the ⚑ in the header and on the articles screen."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from annotator.store import Store
from annotator.text.display import display_line
from annotator.tui.annotate_screen import AnnotateScreen
from annotator.tui.bidi_input import BidiInput
from annotator.tui.flag_input import FlagNote

SIZE = (100, 30)
NOTE = "هل هو فاعل؟"


def screen_of(app) -> AnnotateScreen:
    screen = app.screen
    assert isinstance(screen, AnnotateScreen)
    return screen


def title(screen: AnnotateScreen) -> str:
    return str(screen.query_one("#title").render())


def status(screen: AnnotateScreen) -> str:
    return str(screen.query_one("#status").render())


def flags_in_db(store: Store) -> list[tuple[str, str, int | None, int | None, str]]:
    return [(f.document_id, f.annotator, f.start, f.end, f.note) for f in store.flags(open_only=True)]


async def open_note(app, pilot) -> FlagNote:
    await pilot.press("exclamation_mark")
    await pilot.pause()
    assert isinstance(app.screen, FlagNote)
    return app.screen


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_flag_the_article_with_an_arabic_note(make_app, small_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        assert "⚑" not in title(screen)
        note = await open_note(app, pilot)
        assert "this article" in str(note.query_one("#flag-title").render())
        for char in NOTE[:-1]:  # typed key by key, as the annotator does
            await pilot.press("space" if char == " " else char)
        field = note.query_one(BidiInput)
        field.insert_text_at_cursor(NOTE[-1])  # ؟ has no key name Pilot knows: inserted as a paste would
        await pilot.pause()
        assert field.value == NOTE
        # the input itself draws the note shaped and in visual order (the engine's), not in logical order
        row = field.render_line(0).text
        assert row.rstrip().endswith(display_line(NOTE, 80, "app")) and NOTE not in row, row
        assert not note.query("#flag-preview")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert flags_in_db(small_store) == [("a1", "ali", None, None, NOTE)]
        assert "⚑ article" in title(screen) and "flagged for the lead" in status(screen)
        assert display_line(f"«{NOTE}»", 80, "app") in status(screen) and NOTE not in status(screen)


async def test_flag_the_span_under_the_cursor_with_no_note(make_app, small_store: Store) -> None:
    small_store.add_span("a1", "ali", 4, 12, "actor", user="ali")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(6)
        await pilot.pause()
        note = await open_note(app, pilot)
        assert display_line("«السوداني»", 60, "app") in str(note.query_one("#flag-title").render())
        await pilot.press("enter")  # an empty note: a bare flag
        await settle(app, pilot)
        assert flags_in_db(small_store) == [("a1", "ali", 4, 12, "")]
        assert "⚑ 1 span" in title(screen) and "(no note)" in status(screen)


async def test_bang_on_a_flagged_target_edits_its_note_then_clears_it(make_app, small_store: Store) -> None:
    small_store.set_flag("a1", "ali", None, "first thought", user="ali")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        assert "⚑ article" in title(screen)
        note = await open_note(app, pilot)
        assert note.query_one(Input).value == "first thought"
        assert "Flagged already" in str(note.query_one("#flag-title").render())
        assert "ctrl+r clears" in str(note.query_one("#flag-keys").render())
        note.query_one(Input).value = "second thought"
        await pilot.press("enter")
        await settle(app, pilot)
        assert flags_in_db(small_store) == [("a1", "ali", None, None, "second thought")]
        assert len(small_store.flags()) == 1  # edited, not a second flag
        await open_note(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert small_store.flags() == []
        assert "⚑" not in title(screen) and "cleared" in status(screen)


async def test_escape_cancels_and_writes_nothing(make_app, small_store: Store) -> None:
    small_store.set_flag("a1", "ali", None, "keep me", user="ali")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        note = await open_note(app, pilot)
        note.query_one(Input).value = "changed my mind"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert flags_in_db(small_store) == [("a1", "ali", None, None, "keep me")]
        assert "cancelled" in status(screen)
        await open_note(app, pilot)
        await pilot.press("ctrl+r", "escape")  # ctrl+r clears; nothing is open to cancel afterwards
        await settle(app, pilot)
        assert small_store.flags() == [] and app.screen is screen


async def test_ctrl_r_on_an_unflagged_target_does_nothing(make_app, small_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        note = await open_note(app, pilot)
        assert "ctrl+r" not in str(note.query_one("#flag-keys").render())
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen is note and small_store.flags() == []


async def test_the_articles_screen_marks_flagged_articles(make_app, small_store: Store) -> None:
    small_store.set_flag("a2", "ali", None, "", user="ali")
    small_store.set_flag("a2", "ali", (0, 2), "", user="ali")
    small_store.set_flag("a3", "mona", None, "", user="mona")  # someone else's: not on ali's list
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert "⚑2" in str(table.get_row("a2")[2])
        assert "⚑" not in str(table.get_row("a1")[2]) + str(table.get_row("a3")[2])


async def test_the_dashboard_counts_open_flags_as_they_come_and_go(tmp_path) -> None:
    from annotator.tui.dashboard_screen import DashboardScreen
    from annotator.tui.run import build_dashboard_app

    from .conftest import DOCS
    from .test_dashboard import _shown, _wait

    path = tmp_path / "dash.db"
    with Store(path) as setup:
        setup.import_batch(DOCS, [], user="lead")
    store = Store(path)
    app = build_dashboard_app(store, refresh=0.1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await _wait(pilot, lambda: "no open flags" in _shown(screen), "the first read")
        with Store(path) as other:  # annotators at work in other processes
            other.set_flag("a1", "ali", None, "", user="ali")
            other.set_flag("a2", "ali", (0, 2), "?", user="ali")
            first = other.set_flag("a2", "mona", None, "", user="mona")
        await _wait(pilot, lambda: "3 open flags (ali 2, mona 1)" in _shown(screen), "three open flags")
        with Store(path) as lead:
            lead.resolve_flag(first.id, user="lead")
        await _wait(pilot, lambda: "2 open flags (ali 2)" in _shown(screen), "the resolved flag gone")
    store.close()
