"""The review screen: agreed spans go to gold, disagreements are walked, versions taken, every change attributed."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.model import GOLD, Document, Span
from annotator.store import Store
from annotator.tui.review_screen import ReviewScreen
from annotator.tui.run import build_review_app

TEXT = "قال السوداني إن داعش هاجم الأنبار وقتل 15 عنصراً"


def _at(word: str, skip: int = 0) -> tuple[int, int]:
    start = TEXT.index(word) + skip
    return start, TEXT.index(word) + len(word)


@pytest.fixture
def review_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "review.db")
    a = [Span("r1", "ali", *_at("السوداني"), "actor"), Span("r1", "ali", *_at("داعش"), "actor"),
         Span("r1", "ali", *_at("الأنبار"), "place"), Span("r1", "ali", *_at("15 عنصراً"), "figure")]
    b = [Span("r1", "mona", *_at("السوداني"), "actor"), Span("r1", "mona", *_at("داعش"), "actor"),
         Span("r1", "mona", *_at("الأنبار"), "actor"), Span("r1", "mona", *_at("15 عنصراً", 3), "figure")]
    store.import_batch([Document("r1", "t", TEXT)], a + b, user="lead")
    yield store
    store.close()


def gold(store: Store) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in store.spans("r1", GOLD)]


async def test_agreed_spans_go_to_gold_then_versions_and_x(review_store: Store) -> None:
    app = build_review_app(review_store, user="lead", annotators=["ali", "mona"], order=["r1"], start="r1")
    async with app.run_test(size=(110, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert gold(review_store) == [(*_at("السوداني"), "actor"), (*_at("داعش"), "actor")]
        assert len(screen.regions) == 2
        await pilot.press("tab")
        assert screen.session.cursor == _at("الأنبار")[0]
        panel = str(screen.query_one("#review-panel").render())
        assert "1 ali" in panel and "2 mona" in panel and "place" in panel
        await pilot.press("2")
        assert (*_at("الأنبار"), "actor") in gold(review_store)
        await pilot.press("1")  # the other version replaces it
        assert (*_at("الأنبار"), "place") in gold(review_store)
        assert (*_at("الأنبار"), "actor") not in gold(review_store)
        await pilot.press("tab")
        assert screen.session.cursor == _at("15 عنصراً")[0]
        await pilot.press("2")
        assert (*_at("15 عنصراً", 3), "figure") in gold(review_store)
        await pilot.press("x")
        assert all(label != "figure" for _, _, label in gold(review_store))
        await pilot.press("u")
        assert (*_at("15 عنصراً", 3), "figure") in gold(review_store)
        await pilot.press("shift+tab")
        assert screen.session.cursor == _at("الأنبار")[0]
        await pilot.press("ctrl+d")
        assert review_store.status("r1", GOLD) == "adjudicated"
    origins = [(e["user"], e["origin"]) for e in review_store.events("r1") if e["annotator"] == GOLD and e["action"] == "edit"]
    assert origins == [("lead", "agreed"), ("lead", "mona"), ("lead", "ali"), ("lead", "mona"), ("lead", "nothing")]
    assert review_store.check() == []


async def test_gold_edited_by_hand_with_annotation_keys(review_store: Store) -> None:
    app = build_review_app(review_store, user="lead", annotators=["ali", "mona"], order=["r1"], start="r1")
    async with app.run_test(size=(110, 32)) as pilot:
        screen = app.screen
        screen.view.move_to(TEXT.index("هاجم"))
        await pilot.press("q")
        assert (*_at("هاجم"), "quote") in gold(review_store)
        await pilot.press("ctrl+y")  # nothing to redo: a message, no change
        assert (*_at("هاجم"), "quote") in gold(review_store)
    assert review_store.spans("r1", "ali")[0].label == "actor"  # annotators' layers untouched
