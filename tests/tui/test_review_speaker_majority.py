"""Issue 20 in review: M takes a speaker two thirds share, with the span majorities, as one step u takes back."""

from __future__ import annotations

from pathlib import Path

from annotator.model import GOLD, SPEAKER, Document
from annotator.store import Store
from annotator.tui.review_screen import ReviewScreen
from annotator.tui.run import build_review_app

TEXT = "قال السوداني إن داعش هاجم الأنبار وقتل 15 عنصراً"
QUOTE = "هاجم الأنبار وقتل 15 عنصراً"
SIZE = (120, 34)


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


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


def make_store(tmp_path: Path) -> Store:
    """ali and mona say داعش spoke the quote and tag الأنبار a place; sara says السوداني spoke, no place."""
    store = Store(tmp_path / "review.db")
    store.import_batch([Document("r1", "t", TEXT)], [], user="lead")
    for name, speaker in (("ali", "داعش"), ("mona", "داعش"), ("sara", "السوداني")):
        add = [(*at(QUOTE), "quote"), (*at("السوداني"), "actor"), (*at("داعش"), "actor")]
        if name != "sara":
            add.append((*at("الأنبار"), "place"))
        edit = store.apply("r1", name, add=add, user=name)
        by_text = {TEXT[s.start : s.end]: s for s in edit.added}
        head, child = by_text[QUOTE].id, by_text[speaker].id
        assert head is not None and child is not None  # stored spans have ids
        store.link("r1", name, head, child, user=name)
        store.set_status("r1", name, "done", user=name)
    return store


async def test_majority_takes_a_speaker_with_the_spans_and_u_takes_both_back(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    try:
        app = build_review_app(store, user="lead", annotators=["ali", "mona", "sara"], order=["r1"], start="r1")
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            await pilot.pause()
            title = str(screen.query_one("#title").render())
            assert "open 2 of 2" in title  # the place and the speaker
            await pilot.press("M")
            await pilot.pause()
            assert screen.message.message == "M took 2 (1 speaker), none left open"
            assert gold_links(store) == [(at(QUOTE), at("داعش"))]
            assert at("الأنبار") in [(s.start, s.end) for s in store.spans("r1", GOLD)]
            assert "open 0 of 2" in str(screen.query_one("#title").render())
            await pilot.press("u")  # one step: the link and the place both go, both regions open again
            await pilot.pause()
            assert gold_links(store) == []
            assert at("الأنبار") not in [(s.start, s.end) for s in store.spans("r1", GOLD)]
            assert "open 2 of 2" in str(screen.query_one("#title").render())
            assert [(s.start, s.end) for s in store.spans("r1", GOLD)] == sorted(
                [at("السوداني"), at("داعش"), at(QUOTE)]
            )
            assert store.check() == []
    finally:
        store.close()
