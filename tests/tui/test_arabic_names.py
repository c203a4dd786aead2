"""An Arabic login is drawn through the layout engine wherever the screens name it: the annotation screen's header,
the articles screen's title line, the dashboard's progress rows."""

from __future__ import annotations

import io

from rich.console import Console

from annotator.store import Store
from annotator.text.display import display_line
from annotator.tui.dashboard_screen import DashboardScreen
from annotator.tui.documents_screen import DocumentsScreen

NAME = "علي حسن"


async def wait(pilot, condition, what: str, tries: int = 250) -> None:
    """Pause until condition() holds."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def test_an_arabic_login_is_shaped_and_in_visual_order_on_every_screen(make_app, small_store: Store) -> None:
    small_store.apply("a1", NAME, add=[(4, 12, "actor")], user=NAME)
    drawn = display_line(NAME, 24)
    assert drawn != NAME  # shaped and reordered: the check below can tell them apart
    app = make_app(user=NAME)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        header = str(app.screen.query_one("#title").render())
        assert header.startswith(f" {drawn} ") and NAME not in header, header
        await pilot.press("o")
        await wait(pilot, lambda: isinstance(app.screen, DocumentsScreen), "the articles screen")
        title = str(app.screen.query_one("#documents-title").render())
        assert title.strip() == f"Articles — {drawn}", title
        await pilot.press("d")
        await wait(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        screen = app.screen
        await wait(pilot, lambda: screen.data is not None, "the first read")
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(screen.shown)
        shown = console.export_text()
        assert display_line(NAME, 14) in shown and NAME not in shown, shown
