"""Two editors of one annotator's layer (an SSH reconnect leaves the old session running): random take-overs
and actions from both, checked after every step — only the claim holder's writes land, the holder's screen
always equals the database, and a refused write changes nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from annotator.model import DEFAULT_LABELS, Document, Span
from annotator.session import Outcome, Session
from annotator.store import Store

LABELS = [label.name for label in DEFAULT_LABELS]
TEXT = "قال السوداني إن داعش هاجم الأنبار وقتل 15 عنصراً من القوات العراقية في «الفلوجة»\nوأكد المسؤولون ذلك."
EDITORS = ("a", "b")


def triples(spans: Iterable[Span]) -> set[tuple[int, int, str]]:
    return {(s.start, s.end, s.label) for s in spans}


class TwoEditors(RuleBasedStateMachine):
    """Terminals a and b of annotator ali on one database file."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.mkdtemp(prefix="two-editors-")
        path = os.path.join(self.folder, "s.db")
        self.stores = {who: Store(path) for who in EDITORS}
        self.sessions: dict[str, Session] = {}
        self.holder: str | None = None

    @initialize()
    def open_both(self) -> None:
        self.stores["a"].import_batch([Document("d", "d", TEXT)], [], user="lead")
        for who in EDITORS:
            self.start(who)

    def teardown(self) -> None:
        for store in self.stores.values():
            store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def start(self, who: str) -> None:
        """What a (re)start of the annotator in that terminal does: take the layer, read it afresh."""
        self.stores[who].claim("ali", take_over=True)
        document = self.stores[who].document("d")
        assert document is not None
        self.sessions[who] = Session(self.stores[who], "ali", document)
        self.holder = who

    def stored(self) -> set[tuple[int, int, str]]:
        return triples(self.stores["a"].spans("d", "ali"))

    def act(self, who: str, action: str, label: str, offset: int) -> Outcome:
        session = self.sessions[who]
        session.cursor = offset % len(TEXT)
        session.anchor = None
        if action == "tag":
            return session.tag(label)
        if action == "remove":
            return session.remove_here()
        if action == "undo":
            return session.undo()
        if action == "redo":
            return session.undo(redo=True)
        return session.mark_done()

    @rule(who=st.sampled_from(EDITORS))
    def take_over(self, who: str) -> None:
        self.start(who)

    @precondition(lambda self: self.holder is not None)
    @rule(
        who=st.sampled_from(EDITORS),
        action=st.sampled_from(["tag", "tag", "remove", "undo", "redo", "done"]),
        label=st.sampled_from(LABELS),
        offset=st.integers(min_value=0, max_value=500),
    )
    def action(self, who: str, action: str, label: str, offset: int) -> None:
        before = self.stored()
        status_before = self.stores["a"].status("d", "ali")
        events_before = len(self.stores["a"].events("d"))
        outcome = self.act(who, action, label, offset)
        if who != self.holder:
            # Refused with the reason, or nothing to do in the first place: never a change claimed.
            claims_a_change = not outcome.error and not outcome.message.startswith("already")
            assert not claims_a_change, outcome.message
            if outcome.error and outcome.message.startswith("not "):
                assert "taken over" in outcome.message, outcome.message
            assert self.stored() == before
            assert self.stores["a"].status("d", "ali") == status_before
            assert len(self.stores["a"].events("d")) == events_before

    @invariant()
    def the_holder_shows_the_database(self) -> None:
        if self.holder is None:
            return
        assert triples(self.sessions[self.holder].spans) == self.stored()

    @invariant()
    def the_log_proves_the_spans(self) -> None:
        if self.holder is not None:
            assert self.stores["a"].check() == []


TwoEditors.TestCase.settings = settings(
    max_examples=int(os.environ.get("ANNOTATOR_STATEFUL_EXAMPLES", "100")) // 2,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestTwoEditors = TwoEditors.TestCase
