"""The order articles come in: corpus order, or the least certain first from a model's scored suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.model import Document
from annotator.store import Store
from annotator.tui.run import build_app
from annotator.workspace import Progress, document_order, next_not_done


@pytest.fixture
def scored(tmp_path: Path) -> Store:
    """Four articles; a model was sure of d2 (0.9), unsure of d3 (0.3 and 0.5: 0.4), never saw d1 or d4."""
    store = Store(tmp_path / "w.db")
    store.import_batch(
        [Document(f"d{n}", f"t{n}", "قال السوداني إن داعش هاجم الأنبار") for n in (1, 2, 3, 4)], [], user="lead"
    )
    store.replace_suggestions(
        "ner-model",
        {"d2": [(16, 20, "actor", 0.9)], "d3": [(16, 20, "actor", 0.3), (27, 34, "place", 0.5)]},
        ["d1", "d2", "d3", "d4"],
    )
    store.replace_suggestions("places.jsonl", {"d1": [(27, 34, "place", None)]}, ["d1"])  # no score: no say
    yield store
    store.close()


def test_uncertain_order_puts_the_least_certain_first_then_the_rest_in_corpus_order(scored: Store) -> None:
    assert document_order(scored, "corpus") == ["d1", "d2", "d3", "d4"]
    assert document_order(scored, "uncertain") == ["d3", "d2", "d1", "d4"]
    scored.set_status("d3", "ali", "done", user="ali")
    assert next_not_done(scored, "ali", order="uncertain") == "d2"
    assert next_not_done(scored, "ali", after="d2", order="uncertain") == "d1"
    assert next_not_done(scored, "ali") == "d1"
    with pytest.raises(ValueError):
        document_order(scored, "random")


async def test_the_screen_opens_and_moves_on_in_the_uncertain_order(scored: Store) -> None:
    app = build_app(scored, user="ali", order="uncertain")
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.screen.session.document.id == "d3"
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert app.screen.session.document.id == "d2"
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert app.screen.session.document.id == "d1"


def test_progress_is_read_once_and_follows_the_statuses_writes_leave(scored: Store) -> None:
    scored.set_status("d3", "ali", "done", user="ali")
    progress = Progress.read(scored, "ali", "uncertain")
    assert progress.corpus == ["d1", "d2", "d3", "d4"] and progress.order == ["d3", "d2", "d1", "d4"]
    assert (progress.position("d3"), progress.count(), progress.status("d3"), progress.status("d1")) == (
        3,
        1,
        "done",
        None,
    )
    assert progress.next_not_finished(after="d3") == "d2"  # in the order asked for, after the one just done
    progress.record("d2", "done")
    progress.record("d1", None)  # a write that left no status changes nothing
    assert progress.count() == 2 and progress.next_not_finished(after="d3") == "d1"
    assert (progress.neighbour("d1", -1), progress.neighbour("d1", 1), progress.neighbour("d4", 1)) == (
        None,
        "d2",
        None,
    )
    progress.record("d1", "adjudicated")
    progress.record("d4", "done")
    assert progress.next_not_finished(after="d1") is None
    assert progress.count(("adjudicated",)) == 1
