"""Issue 20 in review, by hand: `s` inside a gold quote chooses its speaker among gold's actors (Tab, Enter,
Escape as in the annotation screen), `S` removes it; either decides that quote's speaker disagreement by hand,
and u / U take that back and again."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding

from annotator.model import GOLD
from annotator.store import Store
from annotator.tui.app import known_binding_ids
from annotator.tui.review_screen import ReviewScreen
from annotator.tui.run import build_review_app
from annotator.tui.speaker_linking import CANDIDATE_MARK

from .test_review_speaker import QUOTE, SIZE, TEXT, apart, at, gold_links, header, make_store, panel, reviewing

__all__ = ["apart"]  # the fixture, imported for pytest


def status(screen: ReviewScreen) -> str:
    return str(screen.message.message)


async def test_s_tab_enter_links_gold_by_hand_and_u_U_S_follow(apart: Store) -> None:
    async with reviewing(apart) as (pilot, screen):
        assert "open 1 of 1" in header(screen) and gold_links(apart) == []
        inside = TEXT.index("الأنبار")
        screen.view.move_to(inside)
        await pilot.press("s")
        await pilot.pause()
        # داعش touches the quote, السوداني is further away: the nearest is offered first, highlighted.
        assert status(screen).startswith("speaker 1/2: «داعش»")
        assert screen.session.cursor == at("داعش")[0]
        assert (*at("داعش"), CANDIDATE_MARK) in screen._marks(0, len(TEXT))
        assert "(speaker," in panel(screen)  # the panel keeps the quote's speaker region, not the actor's place
        await pilot.press("tab")  # the next actor, not the next disagreement
        await pilot.pause()
        assert status(screen).startswith("speaker 2/2: «السوداني»")
        await pilot.press("enter")
        await pilot.pause()
        assert gold_links(apart) == [(at(QUOTE), at("السوداني"))]
        assert screen.session.cursor == inside  # back in the quote
        assert "speaker linked" in status(screen)
        assert "open 0 of 1" in header(screen) and "decided: by hand" in panel(screen)
        assert all(mark[2] != CANDIDATE_MARK for mark in screen._marks(0, len(TEXT)))
        await pilot.press("u")  # the hand link goes, the disagreement opens again
        await pilot.pause()
        assert gold_links(apart) == [] and "open 1 of 1" in header(screen)
        await pilot.press("U")
        await pilot.pause()
        assert gold_links(apart) == [(at(QUOTE), at("السوداني"))] and "open 0 of 1" in header(screen)
        await pilot.press("S")  # removing gold's speaker by hand decides it too: no speaker
        await pilot.pause()
        assert gold_links(apart) == [] and "open 0 of 1" in header(screen)
        assert "decided: by hand" in panel(screen) and "speaker removed" in status(screen)
        await pilot.press("1")  # a digit still takes a version over a hand decision
        await pilot.pause()
        assert gold_links(apart) == [(at(QUOTE), at("السوداني"))] and "decided: ali" in panel(screen)
        assert apart.check() == []


async def test_escape_cancels_and_enter_without_a_choice_says_what_it_does(apart: Store) -> None:
    async with reviewing(apart) as (pilot, screen):
        await pilot.press("enter")
        await pilot.pause()
        assert screen.message.error and "Enter links a speaker while one is being chosen" in status(screen)
        inside = TEXT.index("الأنبار")
        screen.view.move_to(inside)
        await pilot.press("s", "tab", "escape")
        await pilot.pause()
        assert status(screen) == "speaker not linked (cancelled)" and screen.session.cursor == inside
        await pilot.press("enter")  # the choice is gone: Enter links nothing
        await pilot.pause()
        assert gold_links(apart) == [] and "open 1 of 1" in header(screen)
        await pilot.press("tab")  # Tab is the next disagreement again
        await pilot.pause()
        assert "(speaker," in panel(screen)
        screen.view.move_to(0)  # قال: outside every quote
        await pilot.press("s")
        await pilot.pause()
        assert screen.message.error
        assert status(screen) == "s: put the cursor inside a gold quote first (a digit takes one, q tags one)"


async def test_s_with_no_actor_in_gold_says_to_tag_one_with_the_letter(tmp_path: Path) -> None:
    # Each links a different actor that only they tagged: gold is seeded with the quote alone.
    store = make_store(tmp_path, {"ali": "السوداني", "mona": "داعش"}, {"ali": ["السوداني"], "mona": ["داعش"]})
    try:
        async with reviewing(store) as (pilot, screen):
            assert [s.label for s in store.spans("r1", GOLD)] == ["quote"]
            screen.view.move_to(TEXT.index("الأنبار"))
            await pilot.press("s")
            await pilot.pause()
            assert screen.message.error
            assert status(screen) == "no actor in gold to link as the speaker: tag who said it as actor first (a)"
            assert screen.linking is None
    finally:
        store.close()


async def test_help_lists_the_speaker_keys_once_with_the_review_notes(apart: Store) -> None:
    from annotator.tui.help_screen import HelpScreen

    app = build_review_app(apart, user="lead", annotators=["ali", "mona"], order=["r1"], start="r1")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = help_screen.rows
        keys = [row[0] for row in rows]
        assert keys[0] == "1..9"  # what digits mean in review comes first
        takes = [text for _, text in rows if text.startswith("Take ")]
        assert takes == [
            "Take ali's version of this disagreement into gold (annotator 1 in the header)",
            "Take mona's version of this disagreement into gold (annotator 2 in the header)",
        ]  # by name, and none for the digits 3..9 that take nobody
        assert sum(1 for key in keys if key.strip() == "Enter") == 1  # the linking note, not the binding twice
        assert any(key == "s" and "choose who said it" in text for key, text in rows)
        assert any(key.split(" / ")[0] == "S" for key in keys)


def test_every_review_key_has_an_id_a_keymap_can_name(small_store: Store) -> None:
    ids = known_binding_ids(small_store)
    assert {"take.1", "take.9", "majority", "next_disagreement", "previous_disagreement", "done"} <= ids
    assert {"next_flag", "resolve_flag", "link_speaker", "unlink_speaker", "link_offered"} <= ids
    missing = [b.key for b in ReviewScreen.BINDINGS if isinstance(b, Binding) and not b.id]
    assert missing == []


async def test_keys_that_would_act_on_the_offered_actor_wait_while_choosing(apart: Store) -> None:
    async with reviewing(apart) as (pilot, screen):
        gold_before = sorted((s.start, s.end, s.label) for s in apart.spans("r1", GOLD))
        screen.view.move_to(TEXT.index("الأنبار"))
        await pilot.press("s")
        await pilot.pause()
        assert status(screen).startswith("speaker 1/2: «داعش»")  # the cursor is on داعش now
        for key in ("x", "2", "١", "S", "s", "a", "M"):  # each would act on داعش, or start again from it
            await pilot.press(key)
            await pilot.pause()
            assert screen.message.error and status(screen).startswith("not done while choosing a speaker"), key
            assert screen.linking is not None, key
        assert sorted((s.start, s.end, s.label) for s in apart.spans("r1", GOLD)) == gold_before
        assert gold_links(apart) == [] and "open 1 of 1" in header(screen)
        await pilot.press("left", "enter")  # a look around is fine; Enter still links the actor offered
        await pilot.pause()
        assert gold_links(apart) == [(at(QUOTE), at("داعش"))]
        await pilot.press("x")  # choosing is over: x acts again (on the speaker region under the cursor)
        await pilot.pause()
        assert gold_links(apart) == [] and "decided: nothing" in panel(screen)


async def test_removing_the_linked_actor_says_the_link_went_and_reopens_the_speaker(apart: Store) -> None:
    async with reviewing(apart) as (pilot, screen):
        screen.view.move_to(TEXT.index("الأنبار"))
        await pilot.press("s", "enter")  # داعش, the nearest
        await pilot.pause()
        assert gold_links(apart) == [(at(QUOTE), at("داعش"))] and "open 0 of 1" in header(screen)
        screen.view.move_to(TEXT.index("داعش"))  # outside the quote: no region here, x removes the gold span
        await pilot.press("x")
        await pilot.pause()
        assert status(screen) == "removed actor «داعش» and its speaker link"
        assert gold_links(apart) == [] and "open 1 of 1" in header(screen)  # nobody chose "no speaker"
        await pilot.press("u")
        await pilot.pause()
        assert gold_links(apart) == [(at(QUOTE), at("داعش"))] and "open 0 of 1" in header(screen)


async def test_U_puts_back_an_x_that_changed_nothing_after_u_withdrew_it(apart: Store) -> None:
    async with reviewing(apart) as (pilot, screen):
        await pilot.press("tab", "x")  # the speaker region: gold had no speaker, so only a decision is written
        await pilot.pause()
        assert "open 0 of 1" in header(screen) and "decided: nothing" in panel(screen)
        await pilot.press("u")
        await pilot.pause()
        assert "open 1 of 1" in header(screen)
        await pilot.press("U")
        await pilot.pause()
        assert "open 0 of 1" in header(screen) and "decided: nothing" in panel(screen)
        assert status(screen).startswith("redone: the decision on speaker")
        await pilot.press("u")  # and u withdraws it again
        await pilot.pause()
        assert "open 1 of 1" in header(screen)
