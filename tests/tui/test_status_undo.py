"""Issue 12, "untrue on screen": status changes are undo steps, `r` reopens, one word per status everywhere."""

from __future__ import annotations

from textual.widgets import DataTable

from annotator.model import GOLD, Document, Span
from annotator.store import Store
from annotator.tui.annotate_screen import AnnotateScreen
from annotator.tui.documents_screen import DocumentsScreen
from annotator.tui.review_screen import ReviewScreen
from annotator.tui.run import build_review_app

SIZE = (100, 30)


def screen_of(app) -> AnnotateScreen:
    screen = app.screen
    assert isinstance(screen, AnnotateScreen)
    return screen


def title(app) -> str:
    return str(screen_of(app).query_one("#title").render())


def message(app) -> str:
    return screen_of(app).message.message


async def test_done_then_back_then_u_restores_the_status(make_app, small_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "1")
        assert small_store.status("a1", "ali") == "in_progress"
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert small_store.status("a1", "ali") == "done"
        assert screen_of(app).session.document.id == "a2"
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen_of(app).session.document.id == "a1"
        assert "done" in title(app)
        await pilot.press("u")
        assert small_store.status("a1", "ali") == "in_progress"
        assert "in progress" in title(app) and message(app) == "undone: the article is in progress"
        assert [(s.start, s.end) for s in small_store.spans("a1", "ali")] == [(0, 3)]  # the span stays
        await pilot.press("U")
        assert small_store.status("a1", "ali") == "done"
        assert message(app) == "redone: the article is done"
        await pilot.press("u", "u")  # the status step, then the tag before it
        assert small_store.status("a1", "ali") == "in_progress"
        assert small_store.spans("a1", "ali") == []
        await pilot.press("u")
        assert message(app) == "nothing to undo"
    assert small_store.check() == []


async def test_done_without_an_edit_undoes_back_to_new(make_app, small_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.press("left_square_bracket")
        await pilot.pause()
        await pilot.press("u")
        assert small_store.status("a1", "ali") == "new"
        assert "·  new  " in title(app)


async def test_r_reopens_and_u_undoes_the_reopening(make_app, small_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert "not reopened" in message(app) and small_store.status("a1", "ali") in (None, "new")
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.press("left_square_bracket")
        await pilot.pause()
        await pilot.press("r")
        assert small_store.status("a1", "ali") == "in_progress"
        assert "in progress" in title(app) and "0 of 3 done" in title(app)
        await pilot.press("u")
        assert small_store.status("a1", "ali") == "done"
        assert "1 of 3 done" in title(app)


async def test_r_in_help_and_command_palette(make_app, small_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        small_store.set_status("a1", "ali", "done", user="ali")
        await pilot.press("question_mark")
        await pilot.pause()
        rows = dict(app.screen.rows)
        assert rows["r / ق"].startswith("Reopen")  # with its key on the Arabic layout
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "Reopen":
            await pilot.press(char)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert small_store.status("a1", "ali") == "in_progress"


async def test_header_articles_screen_and_store_say_the_same_word(make_app, small_store: Store) -> None:
    """Opening an article records no status: the header and the articles screen both say new; a tag makes it in progress."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen._save_place_in_background()
        await app.workers.wait_for_complete()
        assert small_store.status("a1", "ali") == "new"

        async def articles_screen_says() -> str:
            await pilot.press("o")
            await pilot.pause()
            assert isinstance(app.screen, DocumentsScreen)
            table = app.screen.query_one(DataTable)
            word = str(table.get_row("a1")[2])
            await pilot.press("escape")
            await pilot.pause()
            return word

        assert "·  new  " in title(app)
        assert await articles_screen_says() == "new"
        assert [e["action"] for e in small_store.events("a1")] == []  # opening is no event
        await pilot.press("space", "3")
        assert "·  in progress  " in title(app)
        assert await articles_screen_says() == "in progress"
        assert small_store.status("a1", "ali") == "in_progress"
        await pilot.press("u")  # the automatic in progress is no step of its own
        assert small_store.status("a1", "ali") == "in_progress"
        assert small_store.spans("a1", "ali") == []


async def test_r_in_review_takes_gold_back_from_adjudicated(tmp_path) -> None:
    text = "قال السوداني إن داعش هاجم الأنبار"
    store = Store(tmp_path / "review.db")
    try:
        start = text.index("داعش")
        store.import_batch(
            [Document("r1", "t", text)],
            [Span("r1", "ali", start, start + 4, "actor"), Span("r1", "mona", start, start + 4, "place")],
            user="lead",
        )
        app = build_review_app(store, user="lead", annotators=["ali", "mona"], order=["r1"], start="r1")
        async with app.run_test(size=(110, 32)) as pilot:
            assert isinstance(app.screen, ReviewScreen)
            await pilot.press("ctrl+d")  # the one disagreement is still open: the review asks first
            await pilot.pause()
            assert store.status("r1", GOLD) != "adjudicated"
            await pilot.press("y")
            await pilot.pause()
            assert store.status("r1", GOLD) == "adjudicated"
            await pilot.press("r")
            assert store.status("r1", GOLD) == "in_progress"
            assert "0 adjudicated" in str(app.screen.query_one("#title").render())
            await pilot.press("u")
            assert store.status("r1", GOLD) == "adjudicated"
    finally:
        store.close()
