"""At 80×24 a message gets the status line's full width: the position figures give way, the message is not cut."""

from __future__ import annotations

from annotator.outcome import Outcome
from annotator.store import Store
from annotator.tui.keys import status_text
from annotator.tui.review_screen import ReviewScreen
from annotator.tui.run import build_review_app

from .test_review import _at, review_store  # noqa: F401  (the fixture)

LONG = "M took 4, left 1 open (under ⅔): «السوداني» needs a decision of its own"


def status(screen: ReviewScreen) -> str:
    return str(screen.query_one("#status").render())


async def test_review_status_line_shows_a_long_message_whole_at_80x24(review_store: Store) -> None:  # noqa: F811
    app = build_review_app(review_store, user="lead", annotators=["ali", "mona"], order=["r1"], start="r1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.pause()
        assert status(screen).startswith(" offset 0/")  # no message: the position figures are there
        assert not screen.query_one("#review-flags").display  # no flag: no line taken from the text
        screen.say(Outcome(LONG))
        await pilot.pause()
        shown = status(screen)
        assert status_text(LONG, "app") in shown and "…" not in shown and len(shown.rstrip()) <= 80
        await pilot.press("tab", "2")  # a real outcome, with the annotator's Arabic in it
        await pilot.pause()
        message = screen.message.message
        assert message and status_text(message, "app") in status(screen)
        screen.say(Outcome("short"))
        await pilot.pause()
        assert status(screen).startswith(" offset ") and status(screen).rstrip().endswith("short")
        assert (*_at("الأنبار"), "actor") in [(s.start, s.end, s.label) for s in review_store.spans("r1", "gold")]


async def test_review_shows_the_open_flags_of_the_article(review_store: Store) -> None:  # noqa: F811
    from annotator.text.display import display_line

    review_store.set_flag("r1", "ali", _at("الأنبار"), "مكان أم فاعل؟", user="ali")
    review_store.set_flag("r1", "mona", None, "", user="mona")
    done = review_store.set_flag("r1", "mona", _at("داعش"), "resolved one", user="mona")
    review_store.resolve_flag(done.id, user="lead")
    app = build_review_app(review_store, user="lead", annotators=["ali", "mona"], order=["r1"], start="r1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.pause()
        line = str(screen.query_one("#review-flags").render())
        assert line.startswith(" ⚑ 2 open flags: ali ") and "mona article" in line and "resolved one" not in line
        assert display_line("«مكان أم فاعل؟»", 40, "app") in line and display_line("«الأنبار»", 40, "app") in line
        assert screen.query_one("#review-flags").display
