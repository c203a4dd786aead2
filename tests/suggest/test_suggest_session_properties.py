"""Any sequence of accept, reject, accept-all, undo and redo: what the session shows is what a fresh session
reads from the database, and `check` finds the spans and the event log in agreement."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.model import Document
from annotator.session import Session
from annotator.store import Store

TEXT = "هاجم داعش الأنبار وقال داعش إن الأنبار والعراق في قبضة داعش"
WORDS = [(i, i + len(w)) for i, w in ((TEXT.index(w), w) for w in ("داعش", "الأنبار", "والعراق"))]
ACTIONS = st.lists(
    st.tuples(st.sampled_from(["accept", "reject", "all", "undo", "redo"]), st.integers(0, 40)), max_size=14
)


def _state(session: Session) -> tuple:
    return (
        [(s.start, s.end, s.label) for s in session.spans],
        [(s.start, s.end, s.label, s.source) for s in session.suggestions],
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ACTIONS)
def test_session_shows_what_the_database_holds(actions: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "p.db") as store:
        store.import_batch([Document("d", "d", TEXT)], [], user="lead")
        found = []
        for n, word in enumerate(("داعش", "الأنبار", "العراق")):
            at = -1
            while (at := TEXT.find(word, at + 1)) >= 0:
                found.append((at, at + len(word), ("actor", "place", "place")[n], None))
        store.replace_suggestions("a.jsonl", {"d": found}, ["d"])
        store.replace_suggestions("b.jsonl", {"d": [(s, e, "quote", None) for s, e in WORDS]}, ["d"])
        session = Session(store, "ali", store.document("d"))
        session.load_suggestions()
        for action, place in actions:
            session.cursor = place % len(TEXT)
            if action == "accept":
                session.accept_suggestion()
            elif action == "reject":
                session.reject_suggestion()
            elif action == "all":
                session.accept_all()
            else:
                session.undo(redo=action == "redo")
            fresh = Session(store, "ali", store.document("d"))
            fresh.load_suggestions()
            assert _state(session) == _state(fresh)
        assert store.check() == []
