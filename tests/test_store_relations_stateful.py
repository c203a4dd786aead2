"""A stateful property test of spans and speaker links together: random edits, links, unlinks, undos and redos
on the store, checked after every step against a plain model, and `check` (the log replays to the tables)."""

from __future__ import annotations

import os
import shutil
import tempfile

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from annotator.errors import Refused
from annotator.model import Document
from annotator.store import Store

TEXT = "قال المتحدث إن الجيش تقدم " * 2
LAYER = {"actor": "entity", "figure": "entity", "quote": "quote"}
Triple = tuple[int, int, str]
State = tuple[frozenset[Triple], frozenset[tuple[Triple, Triple]]]


class LinkMachine(RuleBasedStateMachine):
    """ali's layer of one document: spans, quote → speaker links, and the undo/redo history, as plain sets."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.mkdtemp(prefix="links-")
        self.store = Store(os.path.join(self.folder, "s.db"))
        self.store.import_batch([Document("d", "d", TEXT)], [], user="lead")
        self.spans: set[Triple] = set()
        self.links: set[tuple[Triple, Triple]] = set()
        self.undo_stack: list[tuple[State, State]] = []
        self.redo_stack: list[tuple[State, State]] = []

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @initialize(quote=st.integers(0, 2))
    def start_with_quote_and_actors(self, quote: int) -> None:
        """Two actors and a quote to begin with (one of three places), so links come early and often."""
        spokesman, army = TEXT.index("المتحدث"), TEXT.index("الجيش")
        quotes = [(0, 3, "quote"), (army, len(TEXT) // 2, "quote"), (30, 45, "quote")]
        for start, end, label in [(spokesman, spokesman + 7, "actor"), (army, army + 5, "actor"), quotes[quote]]:
            self.tag(start, end - start, label)

    def state(self) -> State:
        return frozenset(self.spans), frozenset(self.links)

    def commit(self, before: State) -> None:
        self.undo_stack.append((before, self.state()))
        self.redo_stack.clear()

    def ids(self) -> dict[Triple, int]:
        return {(s.start, s.end, s.label): s.id or 0 for s in self.store.spans("d", "ali")}

    @rule(start=st.integers(0, len(TEXT) - 1), length=st.integers(1, 12), label=st.sampled_from(sorted(LAYER)))
    def tag(self, start: int, length: int, label: str) -> None:
        end = min(start + length, len(TEXT))
        before = self.state()
        self.store.add_span("d", "ali", start, end, label, user="ali")
        gone = {s for s in self.spans if LAYER[s[2]] == LAYER[label] and s[0] < end and start < s[1]}
        self.spans = (self.spans - gone) | {(start, end, label)}
        self.links = {(q, a) for q, a in self.links if q not in gone and a not in gone}
        self.commit(before)

    @rule(data=st.data())
    def remove(self, data: st.DataObject) -> None:
        if not self.spans:
            return
        span = data.draw(st.sampled_from(sorted(self.spans)))
        before = self.state()
        self.store.remove_span("d", "ali", self.ids()[span], user="ali")
        self.spans.discard(span)
        self.links = {(q, a) for q, a in self.links if span not in (q, a)}
        self.commit(before)

    @rule(data=st.data())
    def link(self, data: st.DataObject) -> None:
        if not self.spans:
            return
        quotes = sorted(s for s in self.spans if s[2] == "quote")
        actors = sorted(s for s in self.spans if s[2] == "actor")
        fitting = quotes and actors and data.draw(st.integers(0, 3)) > 0  # mostly a quote and an actor
        head = data.draw(st.sampled_from(quotes if fitting else sorted(self.spans)))
        child = data.draw(st.sampled_from(actors if fitting else sorted(self.spans)))
        ids = self.ids()
        if head[2] != "quote" or child[2] != "actor" or (head, child) in self.links:
            try:
                self.store.link("d", "ali", ids[head], ids[child], user="ali")
            except Refused:
                return
            raise AssertionError(f"linking {head} to {child} was not refused")
        before = self.state()
        edit = self.store.link("d", "ali", ids[head], ids[child], user="ali")
        replaced = {(q, a) for q, a in self.links if q == head}
        assert len(edit.unlinked) == len(replaced) and len(edit.linked) == 1
        self.links = (self.links - replaced) | {(head, child)}
        self.commit(before)

    @rule(data=st.data())
    def unlink(self, data: st.DataObject) -> None:
        quotes = sorted(s for s in self.spans if s[2] == "quote")
        if not quotes:
            return
        quote = data.draw(st.sampled_from(quotes))
        linked = {(q, a) for q, a in self.links if q == quote}
        if not linked:
            try:
                self.store.unlink("d", "ali", self.ids()[quote], user="ali")
            except Refused:
                return
            raise AssertionError("unlinking a quote without a speaker was not refused")
        before = self.state()
        self.store.unlink("d", "ali", self.ids()[quote], user="ali")
        self.links -= linked
        self.commit(before)

    @rule()
    def undo(self) -> None:
        edit = self.store.undo("d", "ali", user="ali")
        if not self.undo_stack:
            assert edit is None
            return
        before, after = self.undo_stack.pop()
        self.spans, self.links = set(before[0]), set(before[1])
        self.redo_stack.append((before, after))

    @rule()
    def redo(self) -> None:
        edit = self.store.redo("d", "ali", user="ali")
        if not self.redo_stack:
            assert edit is None
            return
        before, after = self.redo_stack.pop()
        self.spans, self.links = set(after[0]), set(after[1])
        self.undo_stack.append((before, after))

    @invariant()
    def store_and_model_agree(self) -> None:
        spans = {s.id: (s.start, s.end, s.label) for s in self.store.spans("d", "ali")}
        assert set(spans.values()) == self.spans
        links = {(spans[r.head_span_id], spans[r.child_span_id]) for r in self.store.relations("d", "ali")}
        assert links == self.links
        assert self.store.check() == []


LinkMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("ANNOTATOR_STATEFUL_EXAMPLES", "60")),
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLinks = LinkMachine.TestCase
