"""A key press that writes reads nothing from the database on the event loop: the header is drawn from state
the write updated (the session's status, the screen's progress), not from queries after it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from annotator.model import GOLD, Document, Span
from annotator.store import Store
from annotator.tui.annotate_screen import AnnotateScreen
from annotator.tui.review_screen import ReviewScreen
from annotator.tui.run import build_review_app

from .conftest import TEXT


@contextmanager
def reads_on_event_loop(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Record every query and transaction the store runs on the main thread (Textual's event loop)."""
    seen: list[str] = []
    main = threading.main_thread()

    def spy(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is main:
                seen.append(f"{name}{args[:1]}")
            return method(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(store, "_read", spy("_read", store._read))
    monkeypatch.setattr(store, "transaction", spy("transaction", store.transaction))
    yield seen


def header(screen: AnnotateScreen | ReviewScreen) -> str:
    return str(screen.query_one("#title").render())


async def test_tagging_reads_nothing_on_the_event_loop_and_the_header_still_counts(
    make_app, small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        await pilot.pause()
        assert "0 of 3 done" in header(screen) and "new" in header(screen)
        screen.view.move_to(TEXT.index("داعش"))
        with reads_on_event_loop(small_store, monkeypatch) as seen:
            await pilot.press("1")
            await pilot.pause()
        assert [(s.start, s.end, s.label) for s in screen.session.spans] == [
            (TEXT.index("داعش"), TEXT.index("داعش") + 4, "actor")
        ]
        assert seen == []
        assert "in progress" in header(screen)  # the first edit put the article in progress
        with reads_on_event_loop(small_store, monkeypatch) as seen:
            await pilot.press("r")  # refused (not done yet): still nothing read
            await pilot.press("u")
            await pilot.pause()
        assert seen == []
        assert screen.session.spans == []
    assert small_store.status("a1", "ali") == "in_progress"


async def test_taking_a_version_in_review_reads_nothing_on_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "قال السوداني إن داعش هاجم الأنبار"
    where = (text.index("الأنبار"), text.index("الأنبار") + len("الأنبار"))
    store = Store(tmp_path / "review.db")
    store.import_batch(
        [Document("r1", "t", text), Document("r2", "t2", text)],
        [Span("r1", "ali", *where, "place"), Span("r1", "mona", *where, "actor")],
        user="lead",
    )
    for name in ("ali", "mona"):
        store.set_status("r1", name, "done", user=name)
    try:
        app = build_review_app(store, user="lead", annotators=["ali", "mona"], order=["r1", "r2"], start="r1")
        async with app.run_test(size=(120, 32)) as pilot:
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            await pilot.press("tab")
            assert "open 1 of 1" in header(screen) and "0 adjudicated" in header(screen)
            with reads_on_event_loop(store, monkeypatch) as seen:
                await pilot.press("1")
                await pilot.pause()
            assert seen == []
            assert "open 0 of 1" in header(screen)
            assert [(s.start, s.end, s.label) for s in store.spans("r1", GOLD)] == [(*where, "place")]
    finally:
        store.close()


async def test_linking_a_speaker_and_its_undo_read_nothing_on_the_event_loop(
    make_app, small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    quote = (TEXT.index("في الأنبار"), TEXT.index("أمام") - 1)
    actor = (TEXT.index("داعش"), TEXT.index("داعش") + 4)
    small_store.apply("a1", "ali", add=[(*quote, "quote"), (*actor, "actor")], user="ali")
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        await pilot.pause()
        screen.view.move_to(quote[0] + 3)
        with reads_on_event_loop(small_store, monkeypatch) as seen:
            await pilot.press("s", "tab", "enter")
            await pilot.pause()
            assert [(r.label) for r in screen.session.relations] == ["speaker"]
            await pilot.press("u", "U", "S")
            await pilot.pause()
        assert seen == []
        assert screen.session.relations == [] and small_store.relations("a1", "ali") == []
