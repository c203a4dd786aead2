"""The dashboard: opened from the articles screen and by its command's app, fed by a worker thread."""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path

from click.testing import CliRunner

from annotator.lead.dashboard_data import read_dashboard
from annotator.model import Document
from annotator.store import Store
from annotator.tui.dashboard_screen import DashboardScreen, bar
from annotator.tui.documents_screen import DocumentsScreen
from annotator.tui.run import build_dashboard_app

from .conftest import DOCS


async def _wait(pilot, condition, what: str, tries: int = 250) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _shown(screen: DashboardScreen) -> str:
    from rich.console import Console

    console = Console(width=120, record=True, file=io.StringIO())
    console.print(screen.shown)
    return console.export_text()


def _done_count(shown: str, name: str) -> int | None:
    match = re.search(rf"^{re.escape(name)}\s.*?(\d+) done", shown, flags=re.M)
    return int(match.group(1)) if match else None


def _work(store: Store) -> None:
    store.apply("a1", "ali", add=[(4, 12, "actor")], user="ali")
    store.set_status("a1", "ali", "done", user="ali")
    store.apply("a2", "mona", add=[(0, 2, "place")], user="mona")


async def test_opens_from_the_articles_screen_and_closes(make_app, small_store: Store) -> None:
    _work(small_store)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        await _wait(pilot, lambda: isinstance(app.screen, DocumentsScreen), "the articles screen")
        await pilot.press("d")
        await _wait(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        screen = app.screen
        await _wait(pilot, lambda: screen.data is not None, "the first read")
        await pilot.pause()
        shown = _shown(screen)
        assert _done_count(shown, "ali") == 1 and _done_count(shown, "mona") == 0
        assert "actor" in shown and "agreement needs two annotators with done articles (1 so far)" in shown
        await pilot.press("escape")
        await _wait(pilot, lambda: isinstance(app.screen, DocumentsScreen), "the articles screen again")


async def test_command_app_updates_after_another_store_writes(tmp_path: Path) -> None:
    path = tmp_path / "dash.db"
    with Store(path) as setup:
        setup.import_batch(DOCS, [], user="lead")
        _work(setup)
    store = Store(path)
    app = build_dashboard_app(store, refresh=0.1)

    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await _wait(pilot, lambda: screen.data is not None, "the first read")
        await pilot.pause()
        assert _done_count(_shown(screen), "ali") == 1
        assert _done_count(_shown(screen), "mona") == 0
        # Another process (here another Store on the file) marks mona's article done: the next read shows it.
        with Store(path) as other:
            other.set_status("a2", "mona", "done", user="mona")
        await _wait(pilot, lambda: _done_count(_shown(screen), "mona") == 1, "mona's done article")
        # Two annotators now have done articles (different ones): the agreement section is read too, and
        # says what it covers or why there is none, never a made-up figure.
        assert re.search(r"agreement (per layer \(2 annotators, 0 articles|: )", _shown(screen)), _shown(screen)
        await pilot.press("q")
        await _wait(pilot, lambda: not app.is_running, "the app to end")
    store.close()


def test_reads_happen_off_the_event_loop(tmp_path: Path, monkeypatch) -> None:
    """read_dashboard runs in a worker thread, never on the thread of the event loop."""
    import asyncio

    from annotator.tui import dashboard_screen

    path = tmp_path / "t.db"
    with Store(path) as setup:
        setup.import_batch(DOCS, [], user="lead")
        _work(setup)
    threads: list[str] = []
    real = dashboard_screen.read_dashboard

    def spy(store: Store):
        threads.append(threading.current_thread().name)
        return real(store)

    monkeypatch.setattr(dashboard_screen, "read_dashboard", spy)

    async def run() -> None:
        store = Store(path)
        app = build_dashboard_app(store, refresh=0.05)
        async with app.run_test(size=(90, 24)) as pilot:
            await _wait(pilot, lambda: len(threads) >= 3, "three reads")
            main = threading.current_thread().name
        store.close()
        assert threads and main not in threads

    asyncio.run(run())


def test_agreement_per_layer_when_two_annotators_did_the_same_article(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        store.import_batch([Document("d", "عنوان", "قال السوداني إن داعش هاجم الأنبار")], [], user="lead")
        for name, label in (("ali", "actor"), ("mona", "place")):
            store.apply("d", name, add=[(4, 12, label)], user=name)
            store.set_status("d", name, "done", user=name)
        data = read_dashboard(store)
    assert data["agreement"] is not None and "entity" in data["agreement"]["layers"]
    assert data["stats"]["annotators"]["ali"]["documents_done"] == 1


def test_bar_lengths() -> None:
    assert bar(0, 10, 10).plain == "·" * 10
    assert bar(10, 10, 10).plain == "█" * 10
    assert bar(5, 10, 10).plain == "█" * 5 + "·" * 5
    assert len(bar(1, 3, 10).plain) == 10


def test_dashboard_command_refuses_a_missing_database(tmp_path: Path) -> None:
    from annotator.cli import cli

    result = CliRunner().invoke(cli, ["dashboard", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no such database" in str(result.exception or "") + result.output
    assert "Traceback" not in result.output
