"""annotator.adjudication: regions, seeding gold, what a decision writes, and decisions replayed from the log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.adjudication import (
    AGREED_ORIGIN,
    BY_HAND,
    NOTHING,
    Adjudication,
    Decision,
    compute_regions,
    decisions,
    gold_in,
    last_step,
    majority,
    majority_write,
    next_unadjudicated,
    region_key,
    seed_spans,
    take_write,
)
from annotator.agreement.disagreement import Region
from annotator.model import GOLD, Document, Span
from annotator.session import Session
from annotator.store import Store

LAYER_OF = {"actor": "entity", "figure": "entity", "place": "entity", "quote": "quote"}
TEXT = "قال السوداني إن داعش هاجم الأنبار وقتل 15 عنصراً من القوات في الصحراء"


def sp(who: str, start: int, end: int, label: str, span_id: int | None = None) -> Span:
    return Span("d", who, start, end, label, span_id)


def ev(
    event_id: int,
    action: str,
    *,
    add: list[tuple] = (),
    remove: list[tuple] = (),
    ref: int | None = None,
    origin: str | None = None,
    user: str = "lead",
    **extra: Any,
) -> dict[str, Any]:
    """An event as Store.events returns it."""

    def items(spans: list[tuple]) -> list[dict[str, Any]]:
        return [{"id": i, "start": s, "end": e, "label": label} for i, s, e, label in spans]

    payload = {"add": items(list(add)), "remove": items(list(remove)), **extra}
    return {
        "id": event_id,
        "action": action,
        "ref": ref,
        "origin": origin,
        "user": user,
        "payload": payload,
        "annotator": GOLD,
    }


REGION = Region(10, 20, "entity", {"a": [sp("a", 10, 15, "actor")], "b": [sp("b", 10, 20, "place")], "c": []})
WHERE = {"layer": "entity", "start": 10, "end": 20}


def test_compute_regions_only_among_finished_annotators() -> None:
    spans = {"a": [sp("a", 0, 5, "actor")], "b": [sp("b", 0, 5, "place")], "c": [sp("c", 0, 5, "actor")]}
    agreed, regions = compute_regions(
        spans, {"a": "done", "b": "in_progress", "c": "adjudicated"}, ["a", "b", "c"], LAYER_OF
    )
    assert agreed == [(0, 5, "actor")] and regions == []
    agreed, regions = compute_regions(spans, {"a": "done", "b": "done", "c": None}, ["a", "b", "c"], LAYER_OF)
    assert agreed == [] and [region_key(r) for r in regions] == [("entity", 0, 5)]
    assert set(regions[0].versions) == {"a", "b"}  # c did not finish: no version
    assert compute_regions(spans, {"a": "done"}, ["a", "b", "c"], LAYER_OF) == ([], [])


def test_nested_regions_outer_first() -> None:
    spans = {
        "a": [sp("a", 0, 30, "quote"), sp("a", 5, 9, "actor")],
        "b": [sp("b", 0, 29, "quote"), sp("b", 4, 9, "actor")],
    }
    _, regions = compute_regions(spans, {"a": "done", "b": "done"}, ["a", "b"], LAYER_OF)
    assert [region_key(r) for r in regions] == [("quote", 0, 30), ("entity", 4, 9)]


def test_seed_spans() -> None:
    agreed = [(0, 5, "actor"), (0, 40, "quote"), (50, 55, "place")]
    assert seed_spans(agreed, [], False, LAYER_OF) == agreed
    assert seed_spans(agreed, [], True, LAYER_OF) == []
    # an imported gold entity keeps its place; the agreed quote over it is another layer and goes in
    assert seed_spans(agreed, [sp(GOLD, 2, 8, "place")], False, LAYER_OF) == [(0, 40, "quote"), (50, 55, "place")]


def test_take_write_and_gold_in() -> None:
    gold = [sp(GOLD, 12, 18, "actor", 7), sp(GOLD, 10, 20, "quote", 8), sp(GOLD, 30, 35, "place", 9)]
    assert gold_in(REGION, gold, LAYER_OF) == [gold[0]]
    assert take_write(REGION, "b", gold, LAYER_OF) == ([(10, 20, "place")], [7])
    assert take_write(REGION, "c", gold, LAYER_OF) == ([], [7])
    assert take_write(REGION, "a", [sp(GOLD, 10, 15, "actor", 3)], LAYER_OF) == ([], [])  # gold holds it already
    with pytest.raises(ValueError):
        take_write(REGION, "z", gold, LAYER_OF)


def test_decisions_follow_undo_and_redo_of_the_edit_that_carried_them() -> None:
    log = [
        ev(1, "edit", add=[(1, 0, 5, "actor")], origin=AGREED_ORIGIN),  # the seed decides nothing
        ev(2, "edit", add=[(2, 10, 15, "actor")], origin="a"),
        ev(3, "decide", origin="a", region=WHERE, choice="a", edit=2),
    ]
    assert decisions([REGION], log, LAYER_OF) == {("entity", 10, 20): Decision("a", 3, "lead")}
    log += [
        ev(4, "edit", add=[(3, 10, 20, "place")], remove=[(2, 10, 15, "actor")], origin="b"),
        ev(5, "decide", origin="b", region=WHERE, choice="b", edit=4),
    ]
    assert decisions([REGION], log, LAYER_OF)[("entity", 10, 20)].choice == "b"
    log.append(ev(6, "undo", ref=4))
    assert decisions([REGION], log, LAYER_OF)[("entity", 10, 20)].choice == "a"  # gold holds a's version again
    log.append(ev(7, "undo", ref=2))
    assert decisions([REGION], log, LAYER_OF) == {}
    log.append(ev(8, "redo", ref=2))
    assert decisions([REGION], log, LAYER_OF)[("entity", 10, 20)].choice == "a"


def test_decisions_nothing_hand_edits_and_withdrawals() -> None:
    log = [ev(1, "decide", origin=NOTHING, region=WHERE, choice=NOTHING)]
    assert decisions([REGION], log, LAYER_OF)[("entity", 10, 20)] == Decision(NOTHING, 1, "lead")
    log.append(ev(2, "decide", origin="reopen", region=WHERE, undoes=1))
    assert decisions([REGION], log, LAYER_OF) == {}
    # a span tagged by hand inside the region decides it; one of another layer or elsewhere does not
    log += [ev(3, "edit", add=[(5, 0, 30, "quote")]), ev(4, "edit", add=[(6, 25, 28, "place")])]
    assert decisions([REGION], log, LAYER_OF) == {}
    log.append(ev(5, "edit", add=[(7, 11, 14, "figure")], user="mona"))
    assert decisions([REGION], log, LAYER_OF) == {("entity", 10, 20): Decision(BY_HAND, 5, "mona")}
    log.append(ev(6, "undo", ref=5))
    assert decisions([REGION], log, LAYER_OF) == {}
    # a decision about a region that no longer exists (an annotator changed their layer) is ignored
    other = {"layer": "entity", "start": 10, "end": 16}
    assert decisions([REGION], [ev(1, "decide", region=other, choice="a")], LAYER_OF) == {}


def test_next_unadjudicated() -> None:
    order = ["x", "y", "z"]
    assert next_unadjudicated(order, {"x": "adjudicated"}) == "y"
    assert next_unadjudicated(order, {"z": "adjudicated"}, after="y") == "x"
    assert next_unadjudicated(order, {d: "adjudicated" for d in order}) is None


def _at(word: str) -> tuple[int, int]:
    return TEXT.index(word), TEXT.index(word) + len(word)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "adj.db")
    store.import_batch([Document("r1", "t", TEXT)], [], user="lead")
    layers = {
        "ali": [(*_at("السوداني"), "actor"), (*_at("الأنبار"), "place"), (*_at("الصحراء"), "place")],
        "mona": [(*_at("السوداني"), "actor"), (*_at("الأنبار"), "actor")],
    }
    for name, spans in layers.items():
        store.apply("r1", name, add=spans, user=name)
        store.set_status("r1", name, "done", user=name)
    yield store
    store.close()


def test_adjudication_on_a_store(store: Store) -> None:
    adjudication = Adjudication(store, "lead", "r1", ["ali", "mona"])
    session = Session(store, "lead", store.document("r1"), annotator=GOLD)
    assert [region_key(r) for r in adjudication.regions] == [("entity", *_at("الأنبار")), ("entity", *_at("الصحراء"))]
    assert adjudication.seed(session).message == "1 agreed span put into gold"
    assert adjudication.seed(session) is None  # only on the first opening
    anbar, desert = adjudication.regions
    assert adjudication.innermost_at(anbar.start + 1) == 0 and adjudication.innermost_at(0) is None

    assert not adjudication.take(session, anbar, "mona").error
    assert adjudication.decision(anbar).choice == "mona" and adjudication.open_regions() == [desert]
    outcome = adjudication.take(session, anbar, "mona")  # again: gold holds it, only the decision is logged
    assert outcome.message == "took mona's version: gold already held it"
    assert adjudication.leave_nothing(session, desert).message == "decided: nothing there (gold had nothing)"
    assert adjudication.open_regions() == []

    outcome, reopened = adjudication.undo(session)  # the decision that changed no span is withdrawn
    assert reopened == desert and adjudication.open_regions() == [desert]
    outcome, reopened = adjudication.undo(session)  # the newest is the repeated take of mona: no span, withdrawn
    assert reopened == anbar and adjudication.decision(anbar).choice == "mona"  # the first take still stands
    outcome, reopened = adjudication.undo(session)  # now the edit that took mona's version
    assert reopened is None and outcome.message.startswith("undone")
    assert adjudication.open_regions() == [anbar, desert]
    outcome, _ = adjudication.undo(session, redo=True)
    assert adjudication.decision(anbar).choice == "mona"
    assert {(s.start, s.end, s.label) for s in store.spans("r1", GOLD)} == {
        (*_at("السوداني"), "actor"),
        (*_at("الأنبار"), "actor"),
    }
    assert not adjudication.mark_adjudicated(session).error
    assert store.status("r1", GOLD) == "adjudicated"
    assert store.check() == []
    # a new Adjudication reads the same decisions back from the log
    assert Adjudication(store, "lead", "r1", ["ali", "mona"]).decided == adjudication.decided


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["take", "nothing", "undo", "redo", "hand"]),
            st.integers(0, 1),
            st.sampled_from(["ali", "mona"]),
        ),
        max_size=14,
    )
)
def test_random_decisions_gold_matches_every_decision(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, int, str]]
) -> None:
    """After any sequence of takes, nothings, hand edits, undos and redos, each region decided by a choice
    holds exactly that version in gold, and the decisions read back from the log are the same."""
    with Store(tmp_path_factory.mktemp("prop") / "p.db") as store:
        store.import_batch([Document("r1", "t", TEXT)], [], user="lead")
        layers = {"ali": [(*_at("الأنبار"), "place"), (*_at("الصحراء"), "place")], "mona": [(*_at("الأنبار"), "actor")]}
        for name, spans in layers.items():
            store.apply("r1", name, add=spans, user=name)
            store.set_status("r1", name, "done", user=name)
        adjudication = Adjudication(store, "lead", "r1", ["ali", "mona"])
        session = Session(store, "lead", store.document("r1"), annotator=GOLD)
        for action, index, name in steps:
            region = adjudication.regions[index]
            if action == "take":
                adjudication.take(session, region, name)
            elif action == "nothing":
                adjudication.leave_nothing(session, region)
            elif action == "hand":  # a figure tagged by hand on the region's first word
                session.cursor = region.start
                session.tag("figure")
                adjudication.refresh()
            else:
                adjudication.undo(session, redo=action == "redo")
            for region in adjudication.regions:
                decision = adjudication.decision(region)
                if decision is None or decision.choice == BY_HAND:
                    continue
                chosen = [] if decision.choice == NOTHING else region.versions[decision.choice]
                gold = gold_in(region, store.spans("r1", GOLD), LAYER_OF)
                assert [(s.start, s.end, s.label) for s in gold] == [(s.start, s.end, s.label) for s in chosen]
            assert Adjudication(store, "lead", "r1", ["ali", "mona"]).decided == adjudication.decided
        assert store.check() == []


def _region(versions: dict[str, list[tuple[int, int, str]]]) -> Region:
    return Region(10, 20, "entity", {name: [sp(name, *v) for v in spans] for name, spans in versions.items()})


def test_majority_needs_two_thirds_of_those_who_finished() -> None:
    place, actor = (10, 20, "place"), (10, 20, "actor")
    assert majority(_region({"a": [place], "b": [place], "c": [actor]}), ["a", "b", "c"]) == ["a", "b"]
    assert majority(_region({"a": [place], "b": [actor]}), ["a", "b"]) is None  # 1 of 2
    four = _region({"a": [place], "b": [place], "c": [actor], "d": []})
    assert majority(four, ["a", "b", "c", "d"]) is None  # 2 of 4 is under two thirds
    four.versions["c"] = [sp("c", *place)]
    assert majority(four, ["a", "b", "c", "d"]) == ["a", "b", "c"]  # 3 of 4
    six = _region({n: [place] if n in "abcd" else [actor] for n in "abcdef"})
    assert majority(six, list("abcdef")) == list("abcd")  # 4 of 6 is exactly two thirds
    # The version is the whole set of spans: a shared span among different sets is no majority.
    split = _region({"a": [(10, 12, "actor"), (14, 20, "place")], "b": [(10, 12, "actor")], "c": [(14, 20, "place")]})
    assert majority(split, ["a", "b", "c"]) is None


def test_majority_write_takes_nothing_too_and_leaves_the_rest() -> None:
    nothing = Region(30, 40, "entity", {"a": [], "b": [], "c": [sp("c", 30, 40, "actor")]})
    tied = _region({"a": [(10, 20, "place")], "b": [(10, 20, "actor")], "c": []})
    gold = [sp(GOLD, 30, 40, "actor", 7)]
    add, remove, taken, left = majority_write([tied, nothing], ["a", "b", "c"], gold, LAYER_OF)
    assert (add, remove, left) == ([], [7], [tied])
    assert [(region_key(r), choice) for r, choice in taken] == [(("entity", 30, 40), NOTHING)]


def test_one_decision_event_decides_many_regions_and_goes_with_its_edit() -> None:
    other = Region(30, 40, "entity", {"a": [], "b": [sp("b", 30, 40, "actor")]})
    batch = {"regions": [{**WHERE, "choice": "b"}, {"layer": "entity", "start": 30, "end": 40, "choice": NOTHING}]}
    log = [ev(1, "edit", add=[(1, 10, 20, "place")], origin="majority"), ev(2, "decide", edit=1, **batch)]
    assert {k: d.choice for k, d in decisions([REGION, other], log, LAYER_OF).items()} == {
        ("entity", 10, 20): "b",
        ("entity", 30, 40): NOTHING,
    }
    assert decisions([REGION, other], [*log, ev(3, "undo", ref=1)], LAYER_OF) == {}
    # With no span change the decision event is itself the step u withdraws.
    alone = [ev(1, "decide", **batch)]
    assert last_step(alone)["id"] == 1
    assert decisions([REGION, other], [*alone, ev(2, "decide", undoes=1)], LAYER_OF) == {}
    assert last_step([*alone, ev(2, "decide", undoes=1)]) is None


def test_majority_on_a_store_with_no_span_change_is_one_withdrawable_step(tmp_path: Path) -> None:
    """Gold already holds the two-thirds version (imported): M records one decision event, u withdraws it."""
    store = Store(tmp_path / "maj.db")
    anbar, desert = _at("الأنبار"), _at("الصحراء")
    store.import_batch([Document("r1", "t", TEXT)], [], user="lead")
    for name, spans in {
        "ali": [(*anbar, "place")],
        "mona": [(*anbar, "place"), (*desert, "place")],
        "sara": [(*anbar, "actor")],
    }.items():
        store.apply("r1", name, add=spans, user=name)
        store.set_status("r1", name, "done", user=name)
    names = ["ali", "mona", "sara"]
    adjudication = Adjudication(store, "lead", "r1", names)
    session = Session(store, "lead", store.document("r1"), annotator=GOLD)
    assert [region_key(r) for r in adjudication.regions] == [("entity", *anbar), ("entity", *desert)]
    # gold holds the majority at الأنبار already (put there like a seed, which decides nothing)
    assert not session.put([(*anbar, "place")], [], origin=AGREED_ORIGIN).error
    adjudication.refresh()
    assert adjudication.open_regions() == adjudication.regions
    edits_before = [e for e in store.events("r1") if e["annotator"] == GOLD and e["action"] == "edit"]

    outcome = adjudication.take_majority(session)
    # الأنبار: ali and mona's place (2 of 3); الصحراء: ali and sara tagged nothing (2 of 3), gold has nothing.
    assert outcome.message == "M took 2, none left open" and not outcome.error
    assert {k: d.choice for k, d in adjudication.decided.items()} == {
        ("entity", *anbar): "ali",
        ("entity", *desert): NOTHING,
    }
    gold_events = [e for e in store.events("r1") if e["annotator"] == GOLD]
    assert [e for e in gold_events if e["action"] == "edit"] == edits_before  # no span changed
    assert [e["origin"] for e in gold_events if e["action"] == "decide"][-1] == "majority"

    outcome, _ = adjudication.undo(session)
    assert outcome.message == "undone: the majority decisions on 2 disagreements"
    assert adjudication.open_regions() == adjudication.regions
    assert {(s.start, s.end, s.label) for s in store.spans("r1", GOLD)} == {(*anbar, "place")}
    assert adjudication.take_majority(session).message == "M took 2, none left open"  # again after the undo
    assert store.check() == []
    store.close()
