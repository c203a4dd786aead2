"""Suggestions in the annotation screen (Pilot): drawn apart from spans, Enter accepts, X rejects, A accepts
all, Tab visits them with the spans, `*` propagates a span; each checked on screen and in the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.model import Document
from annotator.store import Store
from annotator.tui.annotate_screen import AnnotateScreen
from annotator.tui.run import build_app

SIZE = (100, 30)
TEXT = "قال السوداني إن داعش في الأنبار خسر 15 عنصراً\nوأكد أن داعش انسحب من بالأنبار ولداعش قادة"
OTHER = "هاجم داعش مواقع في الأنبار"
DONE_TEXT = "داعش هنا"
SOURCE = "places.jsonl"


def at(text: str, piece: str, n: int = 0) -> tuple[int, int]:
    index = -1
    for _ in range(n + 1):
        index = text.index(piece, index + 1)
    return index, index + len(piece)


ACTOR = at(TEXT, "داعش")
PLACE = at(TEXT, "الأنبار")
FIGURE = at(TEXT, "15 عنصراً")
LATER = at(TEXT, "الأنبار", 1)  # «بالأنبار»: the clitic stays outside


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "s.db")
    docs = [Document("a1", "الأول", TEXT), Document("a2", "الثاني", OTHER), Document("a3", "الثالث", DONE_TEXT)]
    store.import_batch(docs, [], user="lead")
    store.set_status("a3", "ali", "done", user="ali")
    store.replace_suggestions(
        SOURCE, {"a1": [(*ACTOR, "actor", None), (*PLACE, "place", None), (*LATER, "place", None)]}, ["a1", "a2", "a3"]
    )
    yield store
    store.close()


def screen_of(app) -> AnnotateScreen:
    assert isinstance(app.screen, AnnotateScreen)
    return app.screen


def spans(store: Store, doc: str = "a1") -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in store.spans(doc, "ali")]


def title(screen: AnnotateScreen) -> str:
    return str(screen.query_one("#title").render())


def status(screen: AnnotateScreen) -> str:
    return str(screen.query_one("#status").render())


async def test_suggestions_are_drawn_apart_and_counted_in_the_header(store: Store) -> None:
    app = build_app(store, user="ali")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        assert screen.session.document.id == "a1"
        assert "3 suggestions left" in title(screen)
        marks = screen.view.extra_marks(0, len(TEXT))
        assert [(m[0], m[1]) for m in marks] == [ACTOR, PLACE, LATER]
        span_styles = screen.view.styles_by_label
        for _, _, style in marks:  # underlined on a tint, the text's own colour: unlike any span's style
            assert style.underline and style.bgcolor is not None and style.color is None and not style.bold
            assert all(style.bgcolor != other.bgcolor for other in span_styles.values())
        assert screen.session.spans == []  # not spans
        assert "Spans (0)" in str(screen.query_one("#spans-title").render())


async def test_tab_visits_spans_and_suggestions_and_enter_accepts(store: Store) -> None:
    store.add_span("a1", "ali", *FIGURE, "figure", user="ali")
    app = build_app(store, user="ali")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        screen.view.move_to(0)
        stops = []
        for _ in range(5):
            await pilot.press("tab")
            stops.append(screen.session.cursor)
        assert stops == [ACTOR[0], PLACE[0], FIGURE[0], LATER[0], ACTOR[0]]
        await pilot.press("shift+tab")
        assert screen.session.cursor == LATER[0]
        await pilot.press("shift+tab")
        assert screen.session.cursor == FIGURE[0]
        await pilot.press("shift+tab")
        assert screen.session.cursor == PLACE[0]
        assert f"suggestion place ({SOURCE}) — Enter accept · X reject" in status(screen)
        await pilot.press("enter")
        assert (*PLACE, "place") in spans(store)
        assert store.events("a1")[-2]["origin"] == SOURCE or store.events("a1")[-1]["origin"] == SOURCE
        assert "2 suggestions left" in title(screen)
        assert screen.session.suggestion_at(PLACE[0]) is None
        await pilot.press("u")
        assert (*PLACE, "place") not in spans(store)
        assert "3 suggestions left" in title(screen)
        assert store.check() == []


async def test_x_rejects_for_this_annotator_and_u_brings_it_back(store: Store) -> None:
    app = build_app(store, user="ali")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        screen.view.move_to(0)
        await pilot.press("tab")
        assert screen.session.cursor == ACTOR[0]
        await pilot.press("X")
        assert spans(store) == []
        assert "2 suggestions left" in title(screen)
        assert screen.session.suggestion_at(ACTOR[0]) is None
        assert [e["action"] for e in store.events("a1")][-2:] == ["reject", "status"]
        assert store.rejections("a1", "ali") == {(*ACTOR, "actor")}
        assert store.status("a1", "ali") == "in_progress"  # deciding is working on the article
        await pilot.press("tab")
        assert screen.session.cursor == PLACE[0]  # the rejected one is no stop any more
        await pilot.press("u")
        assert screen.session.suggestion_at(ACTOR[0]) is not None
        assert "3 suggestions left" in title(screen)
        assert store.check() == []


async def test_a_accepts_all_in_one_undo_step(store: Store) -> None:
    app = build_app(store, user="ali")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await pilot.press("A")
        assert spans(store) == [(*ACTOR, "actor"), (*PLACE, "place"), (*LATER, "place")]
        assert "suggestions left" not in title(screen)
        edits = [e for e in store.events("a1") if e["action"] == "edit"]
        assert len(edits) == 1 and edits[0]["origin"] == SOURCE
        await pilot.press("u")
        assert spans(store) == []
        assert "3 suggestions left" in title(screen)
        await pilot.press("A")
        await pilot.press("A")  # nothing left: says so, writes nothing
        assert "no suggestions left" in status(screen)
        assert len([e for e in store.events("a1") if e["action"] == "edit"]) == 2


async def test_star_propagates_here_as_one_step_and_suggests_in_unfinished_articles(store: Store) -> None:
    store.replace_suggestions(SOURCE, {}, ["a1"])  # only the span's own occurrences matter here
    store.add_span("a1", "ali", *ACTOR, "actor", user="ali")
    app = build_app(store, user="ali")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        screen.view.move_to(ACTOR[0] + 1)
        await pilot.press("asterisk")
        second = at(TEXT, "داعش", 1)
        clitic = at(TEXT, "لداعش")
        assert spans(store) == [(*ACTOR, "actor"), (*second, "actor"), (clitic[0] + 1, clitic[1], "actor")]
        assert "2 tagged here" in status(screen)
        suggested = store.suggestions("a2")
        assert [(s.start, s.end, s.label, s.source) for s in suggested] == [
            (*at(OTHER, "داعش"), "actor", "propagate:ali")
        ]
        assert store.suggestions("a3") == []  # marked done: left alone
        await pilot.press("u")  # one step undoes every tag it made here
        assert spans(store) == [(*ACTOR, "actor")]
        await pilot.press("asterisk")
        await pilot.press("asterisk")  # again: nothing new here, no duplicate suggestion there
        assert len(store.suggestions("a2")) == 1
        assert store.check() == []
        screen.view.move_to(TEXT.index("قال"))
        await pilot.press("asterisk")
        assert "put the cursor on a span" in status(screen)


def test_suggestion_keys_are_in_help_and_palette() -> None:
    from annotator.tui.help_screen import key_rows

    rows = {description: keys for keys, description in key_rows(AnnotateScreen.BINDINGS)}
    assert rows["Accept the suggestion under the cursor"] == "enter"
    assert rows["Reject the suggestion under the cursor (for you only)"] == "X / \u0652"  # and the Arabic layout's key
    assert rows["Accept every suggestion left in the article (one undo step)"] == "A / \u0650"
    propagate = [
        keys for description, keys in rows.items() if description.startswith("Propagate: tag every occurrence")
    ]
    assert propagate == ["*"]  # written as the key people press, not Textual's name "asterisk"
    assert rows["Next span or suggestion"] == "tab"
    assert all("square_bracket" not in keys and "question_mark" not in keys for keys in rows.values())


async def test_a_huge_article_hides_suggestions_under_spans_loaded_later(tmp_path: Path) -> None:
    word = "كلمة "
    text = word * 12_000  # 60,000 characters: spans far from the cursor load in a worker thread
    far = 50_000
    store = Store(tmp_path / "big.db")
    try:
        store.import_batch([Document("big", "big", text)], [], user="lead")
        store.add_span("big", "ali", far, far + 4, "actor", user="ali")
        store.replace_suggestions(SOURCE, {"big": [(0, 4, "actor", None), (far, far + 4, "actor", None)]}, ["big"])
        app = build_app(store, user="ali")
        async with app.run_test(size=SIZE) as pilot:
            screen = screen_of(app)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen.session.complete
            assert [(s.start, s.end) for s in screen.session.suggestions] == [(0, 4)]
            assert "1 suggestion left" in title(screen)
    finally:
        store.close()


def test_suggestions_in_finds_a_long_one_reaching_from_far_before(tmp_path: Path) -> None:
    from annotator.session import Session

    text = "كلمة " * 6_000
    store = Store(tmp_path / "long.db")
    try:
        store.import_batch([Document("d", "d", text)], [], user="lead")
        items = [
            (0, 20_000, "quote", None),
            (5, 9, "actor", None),
            (19_000, 19_004, "actor", None),
            (25_000, 25_004, "place", None),
        ]
        store.replace_suggestions(SOURCE, {"d": items}, ["d"])
        session = Session(store, "ali", store.document("d"))
        session.load_suggestions()
        assert [(s.start, s.end) for s in session.suggestions_in(18_000, 19_500)] == [(0, 20_000), (19_000, 19_004)]
        assert [(s.start, s.end) for s in session.suggestions_in(21_000, 30_000)] == [(25_000, 25_004)]
        assert session.suggestion_at(19_001).label == "actor"  # the innermost
    finally:
        store.close()
