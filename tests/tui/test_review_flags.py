"""Review's flag keys: F visits the article's open flags (cursor on the span, note in the status line),
R resolves the one shown — in the database before the status line says so — and Tab still walks disagreements."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.model import Document, Span
from annotator.store import Store
from annotator.tui.keys import status_text
from annotator.tui.review_screen import ReviewScreen
from annotator.tui.run import build_review_app

TEXT = "قال السوداني إن داعش هاجم الأنبار"
NOTE = "خبر أم رأي؟"


def _at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.fixture
def flagged(tmp_path: Path) -> Iterator[Store]:
    """ali and mona disagree on الأنبار; ali flagged the article and السوداني, mona flagged الأنبار."""
    store = Store(tmp_path / "review.db")
    spans = [
        Span("r1", "ali", *_at("السوداني"), "actor"),
        Span("r1", "ali", *_at("الأنبار"), "place"),
        Span("r1", "mona", *_at("السوداني"), "actor"),
        Span("r1", "mona", *_at("الأنبار"), "actor"),
    ]
    store.import_batch([Document("r1", "t", TEXT)], spans, user="lead")
    store.set_flag("r1", "mona", _at("الأنبار"), "place or actor?", user="mona")
    store.set_flag("r1", "ali", None, NOTE, user="ali")
    store.set_flag("r1", "ali", _at("السوداني"), "", user="ali")
    yield store
    store.close()


def status(screen: ReviewScreen) -> str:
    return str(screen.query_one("#status").render())


def open_flags(store: Store) -> list[tuple[str, int | None]]:
    return [(f.annotator, f.start) for f in store.flags(document_id="r1", open_only=True)]


async def test_f_visits_every_open_flag_and_r_resolves_the_one_shown(flagged: Store) -> None:
    app = build_review_app(flagged, user="lead", annotators=["ali", "mona"], order=["r1"], start="r1")
    async with app.run_test(size=(110, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        before = screen.session.cursor
        await pilot.press("F")  # the article's own flag first: the cursor stays
        assert screen.session.cursor == before
        assert "1/3 ali flagged the article" in status(screen)
        assert status_text(f"«{NOTE}»", "app") in status(screen) and NOTE not in status(screen)
        await pilot.press("F")  # then the spans in text order
        assert screen.session.cursor == _at("السوداني")[0]
        assert "2/3 ali flagged" in status(screen) and "(no note)" in status(screen)
        await pilot.press("F")
        assert screen.session.cursor == _at("الأنبار")[0]
        assert "3/3 mona flagged" in status(screen) and "place or actor?" in status(screen)
        await pilot.press("R")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert "resolved: mona flagged" in status(screen) and "(2 open left)" in status(screen)
        assert open_flags(flagged) == [("ali", None), ("ali", _at("السوداني")[0])]
        resolved = [f for f in flagged.flags(document_id="r1") if f.resolved]
        assert [(f.annotator, f.resolved_by) for f in resolved] == [("mona", "lead")]
        assert "mona" not in str(screen.query_one("#review-flags").render())
        await pilot.press("R")  # nothing chosen any more: refused, nothing written
        assert "no flag chosen" in status(screen)
        assert len(open_flags(flagged)) == 2
        await pilot.press("F")
        assert "1/2 ali flagged the article" in status(screen)
        await pilot.press("tab")  # Tab still goes to the disagreement, not to a flag
        assert screen.session.cursor == _at("الأنبار")[0]
        assert screen.current_region() is not None
        await pilot.press("F", "R")  # after the article, السوداني: resolved; the article's flag is left
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert open_flags(flagged) == [("ali", None)]
        assert "(1 open left)" in status(screen)


async def test_f_on_an_article_with_no_flag_says_so(flagged: Store) -> None:
    for flag in flagged.flags(document_id="r1"):
        flagged.resolve_flag(flag.id, user="lead")
    app = build_review_app(flagged, user="lead", annotators=["ali", "mona"], order=["r1"], start="r1")
    async with app.run_test(size=(110, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("F")
        assert "no open flag on this article" in status(screen)


async def test_a_flag_resolved_elsewhere_meanwhile_is_refused_and_the_line_follows(flagged: Store) -> None:
    app = build_review_app(flagged, user="lead", annotators=["ali", "mona"], order=["r1"], start="r1")
    async with app.run_test(size=(110, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("F")
        article_flag = next(f for f in flagged.flags(document_id="r1") if f.start is None)
        flagged.resolve_flag(article_flag.id, user="someone")  # another lead, another terminal
        await pilot.press("R")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert "flag not resolved" in status(screen) and "resolved already" in status(screen)
        assert len(screen.article_flags) == 2
        assert "article" not in str(screen.query_one("#review-flags").render())
