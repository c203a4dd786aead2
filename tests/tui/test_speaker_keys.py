"""Issue 20: linking a quote to its speaker in the annotation screen (s, Tab, shift+Tab, Enter, Escape, S), undo
and redo of a link, the cascade when the speaker is removed, and what the status line and span list show."""

from __future__ import annotations

import os
from pathlib import Path

from annotator.model import SPEAKER, Span
from annotator.store import Store
from annotator.text.display import display_line
from annotator.tui.annotate_screen import AnnotateScreen, status_text
from annotator.tui.key_bar import KeyBar
from annotator.tui.span_list import SpanList
from annotator.tui.speaker_linking import CANDIDATE_MARK

from .conftest import TEXT

SIZE = (110, 30)
QUOTE = "في الأنبار خسر 15 عنصراً"
# Actors by their distance to the quote: داعش touches it (one space), NBC News is 6 characters after it,
# السوداني 9 before it, المسؤولون in the next paragraph.
NEAREST_FIRST = ["داعش", "NBC News", "السوداني", "المسؤولون"]


def where(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def seed(store: Store, *, actors: bool = True) -> dict[str, Span]:
    """ali's quote and (unless told not to) the four actors, by their text."""
    add = [(*where(QUOTE), "quote")] + ([(*where(word), "actor") for word in NEAREST_FIRST] if actors else [])
    edit = store.apply("a1", "ali", add=add, user="ali")
    return {TEXT[s.start : s.end]: s for s in edit.added}


def screen_of(app) -> AnnotateScreen:
    screen = app.screen
    assert isinstance(screen, AnnotateScreen)
    return screen


def status_of(screen: AnnotateScreen) -> str:
    return str(screen.query_one("#status").render())


def links_in_db(store: Store) -> list[tuple[int, int, str]]:
    return [(r.head_span_id, r.child_span_id, r.label) for r in store.relations("a1", "ali")]


def offered(screen: AnnotateScreen) -> str:
    """The text of the actor offered as the speaker; it is the one highlighted, and the cursor is on it."""
    linking = screen.linking
    assert linking is not None
    candidate = linking.candidate
    assert screen.session.cursor == candidate.start
    marks = screen._marks(candidate.start, candidate.end)
    assert (candidate.start, candidate.end, CANDIDATE_MARK) in marks
    return TEXT[candidate.start : candidate.end]


async def test_s_offers_the_nearest_actor_tab_cycles_and_enter_links(make_app, small_store: Store) -> None:
    spans = seed(small_store)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        inside = TEXT.index("خسر")
        screen.view.move_to(inside)
        await pilot.press("s")
        assert offered(screen) == "داعش"
        assert "Enter link" in screen.message.message and "Enter link" in status_of(screen)
        await pilot.press("tab")
        assert offered(screen) == "NBC News"
        await pilot.press("tab")
        assert offered(screen) == "السوداني"
        await pilot.press("shift+tab")
        assert offered(screen) == "NBC News"
        await pilot.press("tab", "tab", "tab")  # past the last one, round to the first
        assert offered(screen) == "داعش"
        await pilot.press("shift+tab")
        assert offered(screen) == "المسؤولون"
        await pilot.press("shift+tab")
        assert offered(screen) == "السوداني"
        await pilot.press("enter")
        await pilot.pause()
        assert links_in_db(small_store) == [(spans[QUOTE].id, spans["السوداني"].id, SPEAKER)]
        assert screen.linking is None
        assert screen.session.cursor == inside  # back in the quote
        assert not screen.session.suggestions  # Enter did not fall through to anything else
        # The status line says whose quote it is, the speaker laid out like the article's Arabic.
        assert status_text("span quote ← «السوداني»", "app") in status_of(screen)
        span_list = screen.query_one(SpanList)
        assert span_list.speakers == {spans[QUOTE].id: spans["السوداني"]}
        row = span_list.render_line([s.label for s in span_list.spans].index("quote")).text
        speaker_shown = row.split(" ← ")[1].strip()
        # The speaker laid out like the article, cut (with …) to its share of the narrow panel.
        assert speaker_shown == display_line("السوداني", len(speaker_shown), "app") and "…" in speaker_shown


async def test_escape_cancels_and_puts_the_cursor_back(make_app, small_store: Store) -> None:
    seed(small_store)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        inside = TEXT.index("الأنبار")
        screen.view.move_to(inside)
        await pilot.press("s", "tab", "escape")
        await pilot.pause()
        assert screen.linking is None
        assert screen.session.cursor == inside
        assert links_in_db(small_store) == []
        assert "cancelled" in screen.message.message
        # Escape again is the ordinary Escape; Enter is the ordinary Enter (no suggestion here: says so).
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert links_in_db(small_store) == []


async def test_the_span_list_marks_a_quote_without_a_speaker(make_app, small_store: Store) -> None:
    seed(small_store)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.pause()
        span_list = screen.query_one(SpanList)
        rows = [span_list.render_line(y).text for y in range(len(span_list.spans))]
        assert [row.rstrip().endswith("← ?") for row in rows] == [s.label == "quote" for s in span_list.spans]
        screen.view.move_to(TEXT.index("خسر"))
        await pilot.pause()
        assert "span quote ← no speaker" in status_of(screen)


async def test_s_outside_a_quote_or_without_actors_says_why(make_app, small_store: Store) -> None:
    seed(small_store, actors=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(TEXT.index("اليوم"))
        await pilot.press("s")
        assert screen.linking is None
        assert screen.message.error and "inside a quote" in screen.message.message
        assert "inside a quote" in status_of(screen)
        screen.view.move_to(TEXT.index("خسر"))
        await pilot.press("s")
        assert screen.linking is None
        assert screen.message.error and screen.message.message.endswith("tag who said it as actor first (1 or a)")
        await pilot.press("S")
        await pilot.pause()
        assert screen.message.error and "no speaker" in screen.message.message


async def test_link_undo_redo_and_S_with_its_undo(make_app, small_store: Store) -> None:
    spans = seed(small_store)
    linked = [(spans[QUOTE].id, spans["داعش"].id, SPEAKER)]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        inside = TEXT.index("خسر")
        screen.view.move_to(inside)
        await pilot.press("s", "enter")
        await pilot.pause()
        assert links_in_db(small_store) == linked
        quote = "«في الأنبار خسر 15 عنصراً»"
        steps = (
            ("u", [], f"undone: speaker link removed from {quote}"),
            ("U", linked, f"redone: speaker linked: {quote} ← «داعش»"),
            ("S", [], f"speaker removed from {quote}"),
            ("u", linked, f"undone: speaker linked: {quote} ← «داعش»"),
            ("ctrl+y", [], f"redone: speaker link removed from {quote}"),
        )
        for key, expected, message in steps:
            if key == "S":
                screen.view.move_to(inside)
            await pilot.press(key)
            await pilot.pause()
            assert screen.message.message == message, key
            assert links_in_db(small_store) == expected, key
            memory = [(r.head_span_id, r.child_span_id, r.label) for r in screen.session.relations]
            assert memory == expected, key
            assert not screen.message.error, (key, screen.message.message)
            assert screen.query_one(SpanList).speakers == ({spans[QUOTE].id: spans["داعش"]} if expected else {})


async def test_removing_the_speaker_takes_the_link_and_undo_brings_both_back(make_app, small_store: Store) -> None:
    spans = seed(small_store)
    small_store.link("a1", "ali", spans[QUOTE].id, spans["داعش"].id, user="ali")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(TEXT.index("خسر"))
        await pilot.pause()
        assert status_text("span quote ← «داعش»", "app") in status_of(screen)
        screen.view.move_to(TEXT.index("داعش"))
        await pilot.press("x")
        await pilot.pause()
        assert links_in_db(small_store) == [] and screen.session.relations == []
        assert screen.query_one(SpanList).speakers == {}
        await pilot.press("u")
        await pilot.pause()
        linked = [(spans[QUOTE].id, spans["داعش"].id, SPEAKER)]
        assert links_in_db(small_store) == linked
        assert [(r.head_span_id, r.child_span_id, r.label) for r in screen.session.relations] == linked
        assert screen.query_one(SpanList).speakers == {spans[QUOTE].id: spans["داعش"]}


async def test_help_and_key_bar_list_the_speaker_keys(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        assert ("s", "Speaker") in bar.shown_keys(160)[0]
        await pilot.press("question_mark")
        await pilot.pause()
        rows = dict(app.screen.rows)
        firsts = {keys.split(" / ")[0]: text for keys, text in rows.items()}
        assert "quote" in firsts["s"] and "speaker" in firsts["S"]
        assert "speaker" in rows["  Tab / shift+Tab"] and "link" in rows["  Enter"] and "cancel" in rows["  Escape"]


async def test_enter_after_the_offered_actor_was_removed_says_so(make_app, small_store: Store) -> None:
    seed(small_store)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(TEXT.index("خسر"))
        await pilot.press("s")
        await pilot.pause()
        # No key removes a span while choosing (x waits): only a write that is no key press could, so one is
        # made here directly, as the screen would make it.
        actor = screen.linking.candidate if screen.linking else None
        assert actor is not None and actor.id is not None and TEXT[actor.start : actor.end] == "داعش"
        await screen.write(lambda: screen.session.put([], [actor.id], origin=None))
        assert "داعش" not in [TEXT[s.start : s.end] for s in small_store.spans("a1", "ali")]
        await pilot.press("enter")
        await pilot.pause()
        assert screen.message.error and "removed while choosing" in screen.message.message
        assert links_in_db(small_store) == [] and screen.linking is None


async def test_s_waits_for_a_huge_articles_spans_before_offering_speakers(make_app, small_store: Store) -> None:
    # A huge article opens with only the spans near the cursor: the nearest actor may not be read yet, so s
    # says so instead of offering a partial list.
    seed(small_store)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.pause()
        screen.view.move_to(TEXT.index(QUOTE) + 3)
        screen.session.complete = False  # as while the rest of a huge article is being read
        await pilot.press("s")
        await pilot.pause()
        assert screen.linking is None and screen.message.error
        assert screen.message.message == "the article's spans are still being read: s again in a moment"
        screen.session.complete = True
        await pilot.press("s")
        await pilot.pause()
        assert offered(screen) == NEAREST_FIRST[0]


async def test_the_no_actor_message_names_the_keys_a_keymap_gave_actor(make_app, small_store: Store) -> None:
    keymap = Path(os.environ["XDG_CONFIG_HOME"]) / "annotator" / "keymap.toml"
    keymap.parent.mkdir(parents=True, exist_ok=True)
    keymap.write_text('tag.actor = "z"\n', encoding="utf-8")
    seed(small_store, actors=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(TEXT.index("خسر"))
        await pilot.press("s")
        await pilot.pause()
        assert screen.message.message.endswith("tag who said it as actor first (z)")


async def test_x_while_choosing_does_not_remove_the_offered_actor(make_app, small_store: Store) -> None:
    seed(small_store)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.pause()
        screen.view.move_to(TEXT.index(QUOTE) + 3)
        await pilot.press("s")
        await pilot.pause()
        assert offered(screen) == "داعش"
        await pilot.press("x", "1", "u")
        await pilot.pause()
        assert screen.message.message.startswith("not done while choosing a speaker")
        assert sorted(TEXT[s.start : s.end] for s in small_store.spans("a1", "ali")) == sorted([QUOTE, *NEAREST_FIRST])
        await pilot.press("enter")
        await pilot.pause()
        assert [(r.label) for r in small_store.relations("a1", "ali")] == [SPEAKER]


async def test_a_relabel_or_replacement_that_drops_a_link_says_so(make_app, small_store: Store) -> None:
    spans = seed(small_store)
    small_store.link("a1", "ali", spans[QUOTE].id, spans["داعش"].id, user="ali")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.pause()
        screen.view.move_to(TEXT.index("خسر"))
        await pilot.press("s", "enter")  # the speaker it already has
        await pilot.pause()
        assert screen.message.message == "«في الأنبار خسر 15 عنصراً» already has «داعش» as its speaker"
        assert screen.message.error and len(links_in_db(small_store)) == 1  # red: nothing was written
        screen.view.move_to(TEXT.index("داعش"))
        await pilot.press("p")  # the speaker made a place: it can speak no more
        await pilot.pause()
        assert screen.message.message == "actor → place: «داعش» and its speaker link"
        assert links_in_db(small_store) == []
        await pilot.press("u")
        await pilot.pause()
        assert len(links_in_db(small_store)) == 1
        screen.view.move_to(TEXT.index("خسر"))
        await pilot.press("space", "q")  # a quote of one word replaces the linked one
        await pilot.pause()
        assert screen.message.message == "quote: «خسر» saved, replacing 1 and its speaker link"
        assert links_in_db(small_store) == []
