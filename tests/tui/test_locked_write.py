"""A write that waits for another annotator's lock says so on screen, then lands; nothing is dropped."""

from __future__ import annotations

import asyncio
import sqlite3

from annotator.store import Store

from .conftest import TEXT


async def test_waiting_for_lock_is_shown_then_saved(make_app, small_store: Store) -> None:
    app = make_app()
    other = sqlite3.connect(small_store.path, isolation_level=None)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        screen.view.move_to(TEXT.index("داعش"))
        other.execute("BEGIN IMMEDIATE")  # another annotator is mid-write
        pressing = asyncio.create_task(pilot.press("a"))  # press waits for the screen, which waits for the lock
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        while "waiting for the database" not in str(screen.query_one("#status").render()):
            assert loop.time() < deadline, "the status line never said the write was waiting"
            assert not pressing.done(), "the write finished while the database was locked"
            await asyncio.sleep(0.02)
        assert screen.session.spans == []  # not shown before it is committed
        other.execute("COMMIT")
        await pressing
        await pilot.pause()
        assert [s.label for s in screen.session.spans] == ["actor"]
        assert "saved" in str(screen.query_one("#status").render())
    other.close()
    assert [s.label for s in small_store.spans("a1", "ali")] == ["actor"]
