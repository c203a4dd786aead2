"""decision_log on gold's speaker links: a link or unlink made by hand decides the speaker region on its quote;
one made for a decision does not; `U` puts back all the steps of one decision, as `u` took them."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.disagreement import Region
from annotator.decision_log import BY_HAND, decisions, last_step, majority_steps, redo_steps, redo_target

LAYER_OF = {"actor": "entity", "quote": "quote"}
QUOTE = {"id": 10, "start": 20, "end": 48, "label": "quote"}
ACTOR = {"id": 11, "start": 16, "end": 20, "label": "actor"}
SPEAKER_REGION = Region(20, 48, "speaker", {"ali": [], "mona": []})
ACTOR_REGION = Region(16, 20, "entity", {"ali": [], "mona": []})


def event(event_id: int, action: str, ref: int | None = None, origin: str | None = None, **payload: Any) -> dict:
    return {"id": event_id, "action": action, "user": "lead", "origin": origin, "ref": ref, "payload": payload}


def link(event_id: int, relation_id: int = 1, action: str = "link") -> dict:
    return event(event_id, action, **{action: [{"id": relation_id, "head": 10, "child": 11, "label": "speaker"}]})


SEEDED = event(1, "edit", origin="agreed", add=[QUOTE, ACTOR], remove=[])


def decided(events: list[dict]) -> dict:
    return decisions([SPEAKER_REGION, ACTOR_REGION], events, LAYER_OF)


def test_a_link_by_hand_decides_the_speaker_region_on_its_quote_by_hand_and_not_the_actors() -> None:
    result = decided([SEEDED, link(2)])
    assert result[("speaker", 20, 48)].choice == BY_HAND and result[("speaker", 20, 48)].event_id == 2
    assert ("entity", 16, 20) not in result


def test_an_unlink_by_hand_decides_it_too_and_undo_and_redo_follow() -> None:
    events = [SEEDED, link(2), link(3, action="unlink")]
    assert decided(events)[("speaker", 20, 48)].event_id == 3
    events.append(event(4, "undo", ref=3))
    assert decided(events)[("speaker", 20, 48)].event_id == 2  # the link still stands
    events.append(event(5, "undo", ref=2))
    assert decided(events) == {}
    events.append(event(6, "redo", ref=2))
    assert decided(events)[("speaker", 20, 48)].choice == BY_HAND


def test_a_link_lost_with_its_span_opens_the_speaker_region_again_and_its_undo_restores_the_decision() -> None:
    cascade = [{"id": 1, "head": 10, "child": 11, "label": "speaker"}]
    actor_removed = event(3, "edit", add=[], remove=[ACTOR], unlink=cascade)
    events = [SEEDED, link(2), actor_removed]
    assert ("speaker", 20, 48) not in decided(events)  # nobody chose "no speaker"
    assert decided(events)[("entity", 16, 20)].choice == BY_HAND  # the actor's own region: decided by the removal
    events.append(event(4, "undo", ref=3))
    assert decided(events)[("speaker", 20, 48)].event_id == 2  # the hand link stands again
    events.append(event(5, "redo", ref=3))
    assert ("speaker", 20, 48) not in decided(events)
    where = {"layer": "speaker", "start": 20, "end": 48}
    taken = [SEEDED, link(2), event(3, "decide", region=where, choice="mona", edit=2)]
    taken.append(event(4, "edit", add=[], remove=[QUOTE], unlink=cascade))
    assert ("speaker", 20, 48) not in decided(taken)  # a digit's decision too: gold no longer holds it


def test_a_link_a_digit_wrote_is_that_decision_not_a_hand_one() -> None:
    where = {"layer": "speaker", "start": 20, "end": 48}
    events = [SEEDED, link(2), event(3, "decide", region=where, choice="mona", edit=2)]
    assert decided(events)[("speaker", 20, 48)].choice == "mona"
    events.append(event(4, "undo", ref=2))
    assert decided(events) == {}


def test_a_link_on_a_quote_with_no_region_decides_nothing() -> None:
    other = {"id": 12, "start": 0, "end": 3, "label": "quote"}
    events = [
        SEEDED,
        event(2, "edit", add=[other], remove=[]),
        event(3, "link", link=[{"id": 1, "head": 12, "child": 11, "label": "speaker"}]),
    ]
    assert ("speaker", 0, 3) not in decided(events) and ("speaker", 20, 48) not in decided(events)


def test_one_u_and_one_U_move_all_the_steps_of_a_taken_speaker() -> None:
    where = {"layer": "speaker", "start": 20, "end": 48}
    events = [
        event(1, "edit", add=[QUOTE], remove=[]),  # the quote, by hand
        event(2, "edit", origin="mona", add=[ACTOR], remove=[]),  # the actor the taken speaker needed
        link(3),
        event(4, "decide", region=where, choice="mona", edit=3, also=[2]),
    ]
    assert majority_steps(events, last_step(events)) == 2
    assert redo_steps(events) == 0
    events += [event(5, "undo", ref=3), event(6, "undo", ref=2)]
    assert redo_steps(events) == 2  # the actor's edit is next: it and the link come back together
    events.append(event(7, "undo", ref=1))
    assert redo_steps(events) == 1  # the hand edit alone
    events += [event(8, "redo", ref=1), event(9, "redo", ref=2), event(10, "redo", ref=3)]
    assert redo_steps(events) == 0 and decided(events)[("speaker", 20, 48)].choice == "mona"


def test_U_puts_back_what_u_took_last_a_withdrawn_decision_included() -> None:
    where = {"layer": "speaker", "start": 20, "end": 48}
    nothing = event(4, "decide", region=where, choice="nothing")  # x where gold had no speaker: no step
    events = [SEEDED, link(2), event(3, "undo", ref=2), nothing]
    assert redo_target(events) is None  # a new decision empties the redo side, like any change
    events.append(event(5, "decide", region=where, undoes=4))  # u withdraws it
    assert redo_target(events) == nothing
    events.append(event(6, "decide", region=where, choice="nothing", redoes=4))  # U records it again
    assert redo_target(events) is None and decided(events)[("speaker", 20, 48)].event_id == 6
    events += [event(7, "decide", region=where, undoes=6), event(8, "undo", ref=1)]  # u, u: LIFO on both kinds
    target = redo_target(events)
    assert target is not None and target["id"] == 1
    events.append(event(9, "redo", ref=1))
    target = redo_target(events)
    assert target is not None and target["id"] == 6


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 200), st.integers(1, 60)), min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(0, 260), st.integers(1, 30)), min_size=1, max_size=15),
)
def test_hand_edits_decide_exactly_the_regions_they_overlap_the_latest_counting(
    spans_of_regions: list[tuple[int, int]], edits: list[tuple[int, int]]
) -> None:
    regions = [Region(start, start + length, "entity", {}) for start, length in spans_of_regions]
    events = [
        event(n, "edit", add=[{"id": n, "start": start, "end": start + length, "label": "actor"}], remove=[])
        for n, (start, length) in enumerate(edits, start=1)
    ]
    expected = {}
    for n, (start, length) in enumerate(edits, start=1):
        for region in regions:
            if region.start < start + length and start < region.end:
                expected[("entity", region.start, region.end)] = n
    assert {key: d.event_id for key, d in decisions(regions, events, LAYER_OF).items()} == expected
