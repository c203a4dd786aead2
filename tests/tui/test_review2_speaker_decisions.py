"""Review2 (critical review): how hand links, digits and x on gold's speaker links show as decisions."""

from __future__ import annotations

from pathlib import Path

from annotator.model import Document
from annotator.store import Store
from annotator.tui.review_screen import ReviewScreen
from annotator.tui.run import build_review_app

from .test_review_speaker import QUOTE, SIZE, TEXT, apart, at, gold_links, header, make_store, panel, reviewing

__all__ = ["apart"]  # the fixture, imported for pytest


def status(screen: ReviewScreen) -> str:
    return str(screen.message.message)


async def test_a_digit_that_removes_the_linked_actor_reopens_the_speaker_it_broke(tmp_path: Path) -> None:
    # ali tagged السوداني and linked it; mona did not tag it and linked داعش: the actor and the speaker disagree.
    store = make_store(tmp_path, {"ali": "السوداني", "mona": "داعش"}, {"ali": ["السوداني", "داعش"], "mona": ["داعش"]})
    try:
        async with reviewing(store) as (pilot, screen):
            assert "open 2 of 2" in header(screen)
            screen.view.move_to(TEXT.index("الأنبار"))  # the speaker region
            await pilot.press("1")  # ali's speaker: السوداني is added to gold and linked
            await pilot.pause()
            assert gold_links(store) == [(at(QUOTE), at("السوداني"))]
            assert "open 1 of 2" in header(screen)  # the span the take needed is no hand edit: the actor stays open
            screen.view.move_to(at("السوداني")[0])  # the actor's region
            await pilot.press("2")  # mona's version there: no actor, so the link goes with the span
            await pilot.pause()
            assert gold_links(store) == []
            # Gold has no speaker for the quote now; the speaker region must not still say "decided: ali".
            screen.view.move_to(TEXT.index("الأنبار"))
            await pilot.pause()
            assert "decided: ali" not in panel(screen)
            assert "open 1 of 2" in header(screen)
    finally:
        store.close()


async def test_a_speaker_seeded_as_agreed_is_no_hand_decision_when_a_third_annotator_disagrees_later(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "review.db")
    try:
        store.import_batch([Document("r1", "t", TEXT)], [], user="lead")

        def annotate(name: str, speaker: str) -> None:
            edit = store.apply("r1", name, add=[(*at(QUOTE), "quote"), (*at(speaker), "actor")], user=name)
            by_text = {TEXT[s.start : s.end]: s for s in edit.added}
            quote, actor = by_text[QUOTE].id, by_text[speaker].id
            assert quote is not None and actor is not None
            store.link("r1", name, quote, actor, user=name)
            store.set_status("r1", name, "done", user=name)

        annotate("ali", "السوداني")
        annotate("mona", "السوداني")
        names = ["ali", "mona", "sara"]
        app = build_review_app(store, user="lead", annotators=names, order=["r1"], start="r1")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert gold_links(store) == [(at(QUOTE), at("السوداني"))]  # agreed: seeded into gold
        annotate("sara", "داعش")  # sara finishes later, with another speaker
        app = build_review_app(store, user="lead", annotators=names, order=["r1"], start="r1")
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            await pilot.pause()
            screen.view.move_to(TEXT.index("الأنبار"))
            await pilot.pause()
            assert "(speaker," in panel(screen)
            # Nobody decided this disagreement: the seed's link is what two agreed on, not the lead's hand.
            assert "decided: by hand" not in panel(screen)
            # Open: the speaker, and sara's actors (داعش she tagged alone, السوداني she did not tag).
            assert "open 3 of 3" in header(screen)
    finally:
        store.close()


async def test_hand_link_then_a_take_u_u_U_U_walk_gold_back_and_forth_consistently(apart: Store) -> None:
    async with reviewing(apart) as (pilot, screen):
        screen.view.move_to(TEXT.index("الأنبار"))
        await pilot.press("s", "enter")  # by hand: داعش, the nearest
        await pilot.pause()
        await pilot.press("1")  # ali's السوداني replaces it
        await pilot.pause()
        states = [
            ([(at(QUOTE), at("السوداني"))], "decided: ali"),
            ([(at(QUOTE), at("داعش"))], "decided: by hand"),
            ([], "open 1 of 1"),
        ]

        def seen() -> str:
            return header(screen) + panel(screen)

        assert gold_links(apart) == states[0][0] and states[0][1] in seen()
        for links, said in states[1:]:
            await pilot.press("u")
            await pilot.pause()
            assert gold_links(apart) == links and said in seen(), said
            assert apart.check() == []
        for links, said in reversed(states[:-1]):
            await pilot.press("U")
            await pilot.pause()
            assert gold_links(apart) == links and said in seen(), said
            assert apart.check() == []


async def test_a_take_that_removes_the_linked_actor_says_the_speaker_link_went(tmp_path: Path) -> None:
    store = make_store(tmp_path, {"ali": "السوداني", "mona": "داعش"}, {"ali": ["السوداني", "داعش"], "mona": ["داعش"]})
    try:
        async with reviewing(store) as (pilot, screen):
            screen.view.move_to(TEXT.index("الأنبار"))
            await pilot.press("1")
            await pilot.pause()
            screen.view.move_to(at("السوداني")[0])
            await pilot.press("2")
            await pilot.pause()
            assert gold_links(store) == []
            # x or a hand removal says "… and its speaker link"; a take removing the same span should too.
            assert "speaker" in status(screen), status(screen)
    finally:
        store.close()


async def test_M_with_a_speaker_that_needs_an_actor_then_a_hand_link_u_u_U_U(tmp_path: Path) -> None:
    store = Store(tmp_path / "review.db")
    try:
        store.import_batch([Document("r1", "t", TEXT)], [], user="lead")
        for name, actors, speaker in (
            ("ali", ["السوداني", "داعش"], "السوداني"),
            ("mona", ["السوداني", "داعش"], "السوداني"),
            ("sara", ["داعش"], "داعش"),
        ):
            edit = store.apply("r1", name, add=[(*at(QUOTE), "quote")] + [(*at(w), "actor") for w in actors], user=name)
            by_text = {TEXT[s.start : s.end]: s for s in edit.added}
            quote, actor = by_text[QUOTE].id, by_text[speaker].id
            assert quote is not None and actor is not None
            store.link("r1", name, quote, actor, user=name)
            store.set_status("r1", name, "done", user=name)
        app = build_review_app(store, user="lead", annotators=["ali", "mona", "sara"], order=["r1"], start="r1")
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            await pilot.pause()
            assert "open 2 of 2" in header(screen)
            await pilot.press("M")  # السوداني (2 of 3) then the link to it (2 of 3): two gold steps, one decision
            await pilot.pause()
            assert gold_links(store) == [(at(QUOTE), at("السوداني"))] and "open 0 of 2" in header(screen)
            screen.view.move_to(TEXT.index("الأنبار"))
            await pilot.press("s")
            await pilot.pause()
            assert status(screen).startswith("speaker 2/2: «السوداني»")  # gold's speaker is offered first
            await pilot.press("tab", "enter")
            await pilot.pause()
            assert gold_links(store) == [(at(QUOTE), at("داعش"))] and "decided: by hand" in panel(screen)
            await pilot.press("u")  # the hand link: M's link is back, decided by M again
            await pilot.pause()
            assert gold_links(store) == [(at(QUOTE), at("السوداني"))] and "open 0 of 2" in header(screen)
            await pilot.press("u")  # all of M at once
            await pilot.pause()
            assert gold_links(store) == [] and "open 2 of 2" in header(screen)
            assert status(screen) == "undone: M (2 gold changes)"
            await pilot.press("U")
            await pilot.pause()
            assert gold_links(store) == [(at(QUOTE), at("السوداني"))] and "open 0 of 2" in header(screen)
            await pilot.press("U")
            await pilot.pause()
            assert gold_links(store) == [(at(QUOTE), at("داعش"))] and "decided: by hand" in panel(screen)
            assert store.check() == []
    finally:
        store.close()
