"""Issue 20 in review: a disagreement on a quote's speaker is a region like any other; a digit takes that
annotator's link into gold (adding the speaker where gold lacks it), u and U take it back and again."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from annotator.model import GOLD, SPEAKER, Document, Span
from annotator.store import Store
from annotator.tui.review_screen import ReviewScreen
from annotator.tui.run import build_review_app

from .test_reads_after_write import reads_on_event_loop

TEXT = "قال السوداني إن داعش هاجم الأنبار وقتل 15 عنصراً"
QUOTE = "هاجم الأنبار وقتل 15 عنصراً"
SIZE = (120, 34)


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def make_store(tmp_path: Path, speakers: dict[str, str], actors: dict[str, list[str]]) -> Store:
    """ali and mona tag the quote and their actors, link the quote to their speaker, and finish r1."""
    store = Store(tmp_path / "review.db")
    store.import_batch([Document("r1", "t", TEXT)], [], user="lead")
    for name in ("ali", "mona"):
        edit = store.apply(
            "r1", name, add=[(*at(QUOTE), "quote")] + [(*at(w), "actor") for w in actors[name]], user=name
        )
        by_text = {TEXT[s.start : s.end]: s for s in edit.added}
        store.link("r1", name, by_text[QUOTE].id, by_text[speakers[name]].id, user=name)
        store.set_status("r1", name, "done", user=name)
    return store


@asynccontextmanager
async def reviewing(
    store: Store, annotators: Sequence[str] = ("ali", "mona")
) -> AsyncIterator[tuple[Pilot, ReviewScreen]]:
    """The review of r1 by the annotators, open and painted: (pilot, the review screen)."""
    app = build_review_app(store, user="lead", annotators=list(annotators), order=["r1"], start="r1")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.pause()
        yield pilot, screen


def gold_links(store: Store) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Gold's links as (quote offsets, speaker offsets)."""
    spans = {s.id: s for s in store.spans("r1", GOLD)}
    return [
        (
            (spans[r.head_span_id].start, spans[r.head_span_id].end),
            (spans[r.child_span_id].start, spans[r.child_span_id].end),
        )
        for r in store.relations("r1", GOLD)
        if r.label == SPEAKER
    ]


def header(screen: ReviewScreen) -> str:
    return str(screen.query_one("#title").render())


def panel(screen: ReviewScreen) -> str:
    return str(screen.query_one("#review-panel").render())


@pytest.fixture
def apart(tmp_path: Path) -> Store:
    """Same spans, different speakers: السوداني for ali, داعش for mona."""
    store = make_store(
        tmp_path, {"ali": "السوداني", "mona": "داعش"}, {"ali": ["السوداني", "داعش"], "mona": ["السوداني", "داعش"]}
    )
    yield store
    store.close()


async def test_a_digit_takes_that_annotators_speaker_and_u_U_step_it(apart: Store, monkeypatch) -> None:
    async with reviewing(apart) as (pilot, screen):
        assert "open 1 of 1" in header(screen)  # the spans agree (seeded into gold); the speakers do not
        assert gold_links(apart) == []
        await pilot.press("tab")
        shown = panel(screen)
        assert "(speaker," in shown and shown.count("actor ") >= 2 and "gold now     nothing" in shown
        with reads_on_event_loop(apart, monkeypatch) as seen:
            await pilot.press("2")
            await pilot.pause()
        assert seen == []
        assert gold_links(apart) == [(at(QUOTE), at("داعش"))]
        assert "open 0 of 1" in header(screen) and "decided: mona" in panel(screen)
        assert "took mona's speaker" in screen.message.message
        assert [(r.head_span_id, r.child_span_id) for r in screen.session.relations] == [
            (r.head_span_id, r.child_span_id) for r in apart.relations("r1", GOLD)
        ]
        await pilot.press("u")
        await pilot.pause()
        assert gold_links(apart) == [] and "open 1 of 1" in header(screen)
        await pilot.press("U")
        await pilot.pause()
        assert gold_links(apart) == [(at(QUOTE), at("داعش"))] and "open 0 of 1" in header(screen)
        await pilot.press("1")  # change of mind: ali's speaker replaces it
        await pilot.pause()
        assert gold_links(apart) == [(at(QUOTE), at("السوداني"))] and "decided: ali" in panel(screen)
        await pilot.press("x")  # no speaker at all
        await pilot.pause()
        assert gold_links(apart) == [] and "decided: nothing" in panel(screen)


async def test_taking_a_speaker_gold_lacks_adds_it_one_u_takes_both_back_and_its_span_disagreement_stays_open(
    tmp_path: Path,
) -> None:
    store = make_store(
        tmp_path, {"ali": "السوداني", "mona": "داعش"}, {"ali": ["السوداني"], "mona": ["السوداني", "داعش"]}
    )
    try:
        async with reviewing(store) as (pilot, screen):
            assert "open 2 of 2" in header(screen)  # داعش as an actor, and the speaker
            assert at("داعش") not in [(s.start, s.end) for s in store.spans("r1", GOLD)]
            screen.view.move_to(TEXT.index("الأنبار"))  # inside the quote: the speaker region
            await pilot.pause()
            await pilot.press("2")
            await pilot.pause()
            assert gold_links(store) == [(at(QUOTE), at("داعش"))]
            assert Span("r1", GOLD, *at("داعش"), "actor") in [s._replace(id=None) for s in store.spans("r1", GOLD)]
            assert "open 1 of 2" in header(screen)  # the actor's own disagreement was not decided by the link
            await pilot.press("u")  # one key, one undo: the link and the span added for it both go
            await pilot.pause()
            assert gold_links(store) == [] and "open 2 of 2" in header(screen)
            assert at("داعش") not in [(s.start, s.end) for s in store.spans("r1", GOLD)]
            assert "undone: the take (2 gold changes)" in str(screen.message.message)
            await pilot.press("U")  # one redo brings both back, and the decision with them
            await pilot.pause()
            assert gold_links(store) == [(at(QUOTE), at("داعش"))] and "open 1 of 2" in header(screen)
            assert "redone: 2 gold changes" in str(screen.message.message)
            assert store.check() == []
    finally:
        store.close()


async def test_a_speaker_everyone_linked_goes_into_gold_with_the_agreed_spans(tmp_path: Path) -> None:
    store = make_store(tmp_path, {"ali": "داعش", "mona": "داعش"}, {"ali": ["السوداني", "داعش"], "mona": ["داعش"]})
    try:
        async with reviewing(store) as (pilot, screen):
            assert gold_links(store) == [(at(QUOTE), at("داعش"))]
            assert "1 speaker link" in screen.message.message
            assert "open 1 of 1" in header(screen)  # السوداني only: no speaker region
    finally:
        store.close()
