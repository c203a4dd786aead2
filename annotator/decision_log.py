"""The gold layer's event log read back: which disagreement (region) is decided how, and what `u` takes back.

A `decide` event decides its region; a gold edit made by hand decides the regions it touches; an undo of
the edit that carried a decision takes the decision back. See annotator.adjudication.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.agreement.disagreement import Region

AGREED_ORIGIN = "agreed"
"""Origin of the edit that seeds gold with what every annotator agreed on."""
NOTHING = "nothing"
"""The choice 'leave nothing there'."""
BY_HAND = "by hand"
"""A region decided by editing gold inside it with the annotation keys."""

STEPS = ("edit", "link", "unlink")
"""The gold layer's events that change spans or links: the store's undo takes them back one by one."""

RegionKey = tuple[str, int, int]
"""(layer, start, end): what names a region in the event log."""


def region_key(region: Region) -> RegionKey:
    """The region's name in the event log."""
    return (region.layer, region.start, region.end)


@dataclass(frozen=True)
class Decision:
    """How a region was decided: whose version (or NOTHING, BY_HAND), in which event, by whom."""

    choice: str
    event_id: int
    user: str


def decisions(
    regions: Sequence[Region], events: Iterable[Mapping[str, Any]], layer_of: Mapping[str, str]
) -> dict[RegionKey, Decision]:
    """Replay the gold layer's events of one document into the live decision of each region.

    A `decide` event decides its region. When it follows the edit that carried it out (`edit` in its
    payload) it goes with that edit: an undo of the edit takes it back, a redo makes it the latest
    again. A gold edit with no decision of its own (a span tagged by hand) decides, by hand, every
    region of its layer that its spans touch. A `decide` event with `undoes` withdraws a decision that
    changed no span. A gold `link` or `unlink` of no decision (a speaker linked with `s`, removed with `S`)
    decides, by hand, the speaker region on that quote's offsets; a link lost with its quote or actor (a span
    removed by hand) opens that region again, whatever decided it, for nobody chose "no speaker" there.
    The latest decision still standing counts.
    """
    known = {region_key(region) for region in regions}
    by_layer: dict[str, list[RegionKey]] = {}
    for key in sorted(known):
        by_layer.setdefault(key[0], []).append(key)
    starts = {layer: [key[1] for key in keys] for layer, keys in by_layer.items()}
    longest = {layer: max(key[2] - key[1] for key in keys) for layer, keys in by_layer.items()}

    def regions_touching(layer: str, start: int, end: int) -> list[RegionKey]:
        """The layer's regions overlapping [start, end): only those starting within the longest region's reach."""
        keys = by_layer.get(layer)
        if not keys:
            return []
        first = bisect.bisect_left(starts[layer], start - longest[layer])
        last = bisect.bisect_left(starts[layer], end)
        return [key for key in keys[first:last] if start < key[2]]

    ordered = sorted(events, key=lambda e: e["id"])
    carried = {e["payload"].get("edit") for e in ordered if e["action"] == "decide"} - {None}
    # A speaker taken with the spans it needed: that span edit belongs to the decision, it is no hand edit.
    carried |= {edit for e in ordered if e["action"] == "decide" for edit in e["payload"].get("also", [])}
    # Per region, oldest first: (source event, decision); None is a reopening, which stands like a decision.
    standing: dict[RegionKey, list[tuple[int, Decision | None]]] = {}
    rides: dict[int, list[tuple[RegionKey, Decision | None]]] = {}  # edit id → the decisions that come and go with it

    keys_of: dict[int, set[RegionKey]] = {}  # source event → the regions it put a decision on

    def put(source: int, key: RegionKey, decision: Decision | None) -> None:
        standing.setdefault(key, []).append((source, decision))
        keys_of.setdefault(source, set()).add(key)

    def take_back(source: int) -> None:
        for key in keys_of.get(source, ()):
            standing[key] = [entry for entry in standing[key] if entry[0] != source]

    offsets: dict[int, tuple[int, int]] = {}  # span id → offsets, for the quotes that links name by id only
    for event in ordered:
        action, payload, event_id = event["action"], event["payload"], event["id"]
        for item in [*payload.get("add", []), *payload.get("remove", [])]:
            if item.get("id") is not None:
                offsets[item["id"]] = (item["start"], item["end"])
        if action in STEPS and event.get("origin") != AGREED_ORIGIN:
            by_hand = event_id not in carried  # a carried step's decision names what it decides, after it
            touched: set[RegionKey] = set()
            for item in [*payload.get("add", []), *payload.get("remove", [])] if by_hand else []:
                touched.update(regions_touching(layer_of.get(item["label"], item["label"]), item["start"], item["end"]))
            lost: set[RegionKey] = set()  # links a span removal took with it, whatever made the removal
            for relation in [*payload.get("link", []), *payload.get("unlink", [])]:
                head = offsets.get(relation["head"])
                if head is not None and (relation["label"], *head) in known:
                    if action == "edit":
                        lost.add((relation["label"], *head))
                    elif by_hand:
                        touched.add((relation["label"], *head))
            rides[event_id] = [(key, Decision(BY_HAND, event_id, event["user"])) for key in sorted(touched - lost)]
            rides[event_id] += [(key, None) for key in sorted(lost)]
            for key, decision in rides[event_id]:
                put(event_id, key, decision)
        elif action == "undo" and event.get("ref") in rides:
            take_back(event["ref"])
        elif action == "redo" and event.get("ref") in rides:
            for key, decision in rides[event["ref"]]:
                put(event["ref"], key, decision)
        elif action == "decide" and "undoes" in payload:
            take_back(payload["undoes"])
        elif action == "decide" and ("region" in payload or "regions" in payload):
            # One region (a digit or x), or many in one event (M): each entry names its region and choice.
            entries = (
                payload["regions"]
                if "regions" in payload
                else [{**payload["region"], "choice": payload.get("choice", NOTHING)}]
            )
            edit = payload.get("edit")
            for where in entries:
                key = (where["layer"], where["start"], where["end"])
                if key not in known:
                    continue
                decision = Decision(where.get("choice", NOTHING), event_id, event["user"])
                if edit is None:
                    put(event_id, key, decision)
                else:
                    rides.setdefault(edit, []).append((key, decision))
                    put(edit, key, decision)
    return {key: last for key, entries in standing.items() if entries and (last := entries[-1][1]) is not None}


def last_step(events: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The gold layer's newest step that `u` would take back: an undoable store event, or a decision that
    changed no span (the store's undo does not see those); None when there is none."""
    undo, _ = _stacks(events)
    return undo[-1] if undo else None


def carrier(events: Iterable[Mapping[str, Any]], step: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The decision that rides on this gold step (its `edit`), or None when the step was made by hand."""
    return next((e for e in events if e["action"] == "decide" and e["payload"].get("edit") == step["id"]), None)


def majority_steps(events: Iterable[Mapping[str, Any]], last: Mapping[str, Any] | None) -> int:
    """How many gold steps `u` takes back when `last` is the newest: a decision's step and the steps written
    for it before (`also`: an M's span edit and links, or the quote and actor a taken speaker needed);
    1 for a step of no such decision, 0 for none."""
    if last is None:
        return 0
    if last["action"] not in STEPS:
        return 1
    decision = carrier(list(events), last)
    return 1 + len(decision["payload"].get("also", [])) if decision is not None else 1


def redo_steps(events: Iterable[Mapping[str, Any]]) -> int:
    """How many gold steps `U` puts back: every step of the decision whose first step is next to redo (an M,
    or a taken speaker with the spans it needed), so one `U` mirrors one `u`; else 1, and 0 with nothing to redo."""
    ordered = list(events)
    target = redo_target(ordered)
    if target is None:
        return 0
    for event in ordered:
        payload = event["payload"]
        if event["action"] == "decide" and payload.get("edit") is not None:
            steps = [*payload.get("also", []), payload["edit"]]
            if steps[0] == target["id"]:
                return len(steps)
    return 1


def _no_span_decision(event: Mapping[str, Any]) -> bool:
    """A decision that changed no span (x where gold had nothing, M that wrote nothing): `u` withdraws it."""
    payload = event["payload"]
    return (
        event["action"] == "decide"
        and ("region" in payload or "regions" in payload)
        and "undoes" not in payload
        and payload.get("edit") is None
    )


def redo_target(events: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """What `U` puts back next: a store step undone, or a decision `u` withdrew (then `U` records it again,
    naming it in `redoes`); None when nothing was taken back since the last new change."""
    _, redo = _stacks(events)
    return redo[-1] if redo else None


def _stacks(events: Iterable[Mapping[str, Any]]) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """Replay the gold log into (undo, redo) stacks of both kinds of step: store events (as the store's own
    stacks) and decisions that changed no span. An undo or a withdrawal moves its target to the redo side, a
    redo or a decision recorded again (`redoes`) moves it back, and a new change empties the redo side."""
    ordered = sorted(events, key=lambda e: e["id"])
    by_id = {e["id"]: e for e in ordered}
    undo: list[Mapping[str, Any]] = []
    redo: list[Mapping[str, Any]] = []

    def move(target_id: Any, source: list[Mapping[str, Any]], to: list[Mapping[str, Any]]) -> None:
        _remove(source, target_id)
        if target_id in by_id:
            to.append(by_id[target_id])

    for event in ordered:
        action, payload = event["action"], event["payload"]
        if action in (*STEPS, "reject") or (action == "status" and payload.get("step")):
            undo.append(event)
            redo.clear()
        elif _no_span_decision(event) and "redoes" in payload:
            _remove(redo, payload["redoes"])
            undo.append(event)
        elif _no_span_decision(event):
            undo.append(event)
            redo.clear()
        elif action == "undo":
            move(event.get("ref"), undo, redo)
        elif action == "decide" and "undoes" in payload:
            move(payload["undoes"], undo, redo)
        elif action == "redo":
            move(event.get("ref"), redo, undo)
    return undo, redo


def _remove(stack: list[Mapping[str, Any]], event_id: Any) -> None:
    """Take the event off the stack; `u` takes back the newest step, so it is the top one but for odd logs."""
    if stack and stack[-1]["id"] == event_id:
        stack.pop()
    else:
        stack[:] = [e for e in stack if e["id"] != event_id]
