"""Over SSH every byte the app writes crosses the annotator's link: a key press sends what it changed,
not the screen. The real `annotator` on a pseudo-terminal, the first bundled article with three spans;
each key is typed once the app is quiet and the bytes it writes until it is quiet again are counted.
Bytes are deterministic, so the budgets are checked exactly, at 100x30 and 200x50. At the end, what a
terminal shows after all those partial repaints must equal what a freshly started app paints.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import bundled_import
from annotator.store import Store

from .bytes import PtyApp

FIRST = "01-anbar-raid-nyt"
SIZES = [(100, 30), (200, 50)]
MOVES = ["left", "left ", "right", "down", "up", "ctrl+left", "ctrl+right", "end", "home"]
SELECTING = ["space", "shift+left"]
EDITS = ["tag 1", "undo", "redo", "remove", "undo again"]
SPAN_STEPS = ["tab", "shift+tab"]
# name -> key; names with a trailing space or word repeat a key at another point of the sequence
KEY_OF = {"left ": "left", "tag 1": "1", "undo": "u", "redo": "ctrl+y", "remove": "x", "undo again": "u"}


def make_db(folder: Path) -> Path:
    """The bundled corpus, with three spans of ali's in the first article (for Tab)."""
    db = folder / "bytes.db"
    with Store(db) as store:
        bundled_import(store, "lead")
        text = store.document(FIRST).text
        for word, label in (("داعش", "actor"), ("15 عنصراً", "figure"), ("الأنبار", "place")):
            start = text.index(word)
            store.add_span(FIRST, "ali", start, start + len(word), label, user="ali")
    return db


def cells(app: PtyApp, skip_row: int) -> list[list[tuple]]:
    """Every cell's character and attributes, except those of one row (the status line's message)."""
    screen = app.terminal
    return [[tuple(screen.buffer[y][x]) for x in range(screen.columns)] for y in range(screen.lines) if y != skip_row]


def run_sequence(folder: Path, width: int, height: int) -> tuple[dict[str, int], list[list[tuple]], list[list[tuple]]]:
    """Bytes per key of the sequence; the screen it leaves, and the screen of an app started afresh there."""
    db = make_db(folder)
    args = ["--db", str(db), "--user", "ali"]
    counts: dict[str, int] = {}
    status_row = height - 2
    with PtyApp(args, width=width, height=height, cwd=folder) as app:
        app.wait_for("offset 0/")
        app.wait_for("Spans (3)")
        # start-up paints can be seconds apart on a loaded machine: idle begins after a long quiet spell
        # (a timer firing more often than that never lets this return, and fails the test)
        app.wait_quiet(1.5)
        mark = len(app.output)
        app.wait_quiet(2.0)
        counts["idle"] = len(app.output) - mark
        for name in MOVES + SELECTING + EDITS + SPAN_STEPS:
            if name == "remove":
                assert any("span actor" in row for row in app.screen()), "the cursor is not on the span to remove"
            counts[name] = app.press(KEY_OF.get(name, name))
            if name == "tag 1":
                assert any("Spans (4)" in row for row in app.screen()), "the tag did not land"
            if name == "remove":
                assert any("Spans (3)" in row for row in app.screen()), "the span was not removed"
        assert any("Spans (4)" in row for row in app.screen()), "the last undo did not bring the span back"
        after_keys = cells(app, status_row)
    with PtyApp(args, width=width, height=height, cwd=folder) as fresh:  # opens where the cursor was left
        fresh.wait_for("Spans (4)")
        fresh.wait_quiet()
        afresh = cells(fresh, status_row)
    return counts, after_keys, afresh


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, int], tuple]:
    """The sequence run once per terminal size."""
    return {size: run_sequence(tmp_path_factory.mktemp(f"bytes{size[0]}"), *size) for size in SIZES}


@pytest.mark.parametrize("size", SIZES)
def test_idle_writes_nothing(measured, size: tuple[int, int]) -> None:
    assert measured[size][0]["idle"] == 0


@pytest.mark.parametrize("name", MOVES)
def test_cursor_move_sends_under_1000_bytes_whatever_the_screen_size(measured, name: str) -> None:
    small, large = measured[(100, 30)][0][name], measured[(200, 50)][0][name]
    assert small <= 1000, f"{name}: {small} bytes at 100x30"
    assert large <= 1.5 * small, f"{name}: {large} bytes at 200x50, {small} at 100x30: cost follows the screen"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", SELECTING)
def test_growing_the_selection_sends_under_1500_bytes(measured, size: tuple[int, int], name: str) -> None:
    assert measured[size][0][name] <= 1500, f"{name} at {size}: {measured[size][0][name]} bytes"


@pytest.mark.parametrize("name", EDITS)
def test_tag_remove_undo_redo_send_under_3000_bytes(measured, name: str) -> None:
    small, large = measured[(100, 30)][0][name], measured[(200, 50)][0][name]
    assert small <= 3000, f"{name}: {small} bytes at 100x30"
    assert large <= 1.5 * small, f"{name}: {large} bytes at 200x50, {small} at 100x30"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", SPAN_STEPS)
def test_going_to_the_next_span_sends_under_1500_bytes(measured, size: tuple[int, int], name: str) -> None:
    assert measured[size][0][name] <= 1500, f"{name} at {size}: {measured[size][0][name]} bytes"


@pytest.mark.parametrize("size", SIZES)
def test_after_partial_repaints_the_terminal_shows_what_a_full_paint_shows(measured, size: tuple[int, int]) -> None:
    _, after_keys, afresh = measured[size]
    differing = [
        (y, x, a, b)
        for y, (row_a, row_b) in enumerate(zip(after_keys, afresh))
        for x, (a, b) in enumerate(zip(row_a, row_b))
        if a != b
    ]
    assert not differing, f"{len(differing)} cells differ, first: {differing[:5]}"
