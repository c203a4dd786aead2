"""Review2: random sequences of digits, x, hand links (s), hand unlinks (S), u and U on one speaker disagreement,
checked after every step against a model: each successful key is one step; u goes back one, U forward one."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.adjudication import Adjudication
from annotator.model import GOLD
from annotator.session import Session
from annotator.speaker_regions import gold_quote

from .test_review_speaker import at, gold_links, make_store

KEYS = ("1", "2", "x", "s:داعش", "s:السوداني", "S", "u", "U")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(KEYS), max_size=9), st.booleans())
def test_every_step_moves_gold_and_the_decision_as_one_and_u_U_walk_them(keys: list[str], apart: bool) -> None:
    # apart: mona did not tag السوداني, so gold lacks it and ali's take adds it first (two gold steps, one u).
    mona = ["داعش"] if apart else ["السوداني", "داعش"]
    with tempfile.TemporaryDirectory() as tmp:
        store = make_store(Path(tmp), {"ali": "السوداني", "mona": "داعش"}, {"ali": ["السوداني", "داعش"], "mona": mona})
        try:
            adjudication = Adjudication(store, "lead", "r1", ["ali", "mona"])
            document = store.document("r1")
            assert document is not None
            session = Session(store, "lead", document, annotator=GOLD)
            adjudication.seed(session)
            region = next(r for r in adjudication.regions if r.layer == "speaker")
            choice_of = {"1": "ali", "2": "mona", "x": "nothing"}
            # (gold links, the region's decision) after each step still standing
            history: list[tuple[list, str | None]] = [([], None)]
            redo: list[tuple[list, str | None]] = []
            for key in keys:
                if key == "u" and len(history) == 1:
                    continue  # u here would take back the seeded agreed spans: outside this model
                quote = gold_quote(session, region.start, region.end)
                assert quote is not None
                if key in ("1", "2"):
                    outcome = adjudication.take(session, region, choice_of[key])
                elif key == "x":
                    outcome = adjudication.leave_nothing(session, region)
                elif key.startswith("s:"):
                    actor = next((s for s in session.spans if (s.start, s.end) == at(key[2:])), None)
                    if actor is None:
                        continue  # not in gold (yet): s would not offer it
                    outcome = session.link_speaker(quote, actor)
                    adjudication.refresh()
                elif key == "S":
                    outcome = session.unlink_speaker(quote)
                    adjudication.refresh()
                else:
                    outcome, _ = adjudication.undo(session, redo=key == "U")
                links = gold_links(store)
                decision = adjudication.decision(region)
                now = (links, decision.choice if decision else None)
                if key == "u" and len(history) > 1:
                    redo.append(history.pop())
                elif key == "U" and redo:
                    history.append(redo.pop())
                elif key not in ("u", "U") and not outcome.error:
                    expected = {"1": "ali", "2": "mona", "x": "nothing"}.get(key, "by hand")
                    assert now[1] == expected, (key, now)
                    history.append(now)
                    redo.clear()
                assert now == history[-1], (keys, key, outcome.message)
                assert store.check() == []
        finally:
            store.close()
