"""decision_log.majority_steps: how many gold steps one `u` takes back after an M."""

from __future__ import annotations

from typing import Any

from annotator.decision_log import last_step, majority_steps


def event(event_id: int, action: str, **payload: Any) -> dict[str, Any]:
    return {"id": event_id, "action": action, "user": "lead", "origin": "majority", "ref": None, "payload": payload}


def test_an_m_with_a_span_edit_and_two_links_is_three_steps() -> None:
    region = {"layer": "speaker", "start": 0, "end": 5, "choice": "ali"}
    events = [
        event(1, "edit", add=[], remove=[]),  # by hand, before M
        event(2, "edit", add=[], remove=[]),
        event(3, "link"),
        event(4, "link"),
        event(5, "decide", regions=[region], edit=4, also=[2, 3]),
    ]
    assert majority_steps(events, last_step(events)) == 3


def test_any_other_step_is_one_and_none_is_zero() -> None:
    region = {"layer": "speaker", "start": 0, "end": 5, "choice": "ali"}
    took = [event(1, "link"), event(2, "decide", region=region, choice="ali", edit=1)]
    assert majority_steps(took, last_step(took)) == 1
    by_hand = [event(1, "edit", add=[], remove=[])]
    assert majority_steps(by_hand, last_step(by_hand)) == 1
    assert majority_steps([], None) == 0
