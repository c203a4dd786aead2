"""A stateful property test that hunts for the next silent change: random sequences of an annotator's
real actions on random Arabic text, checked after every step against a plain model of what should be
stored, and against the database and what the session shows."""

from __future__ import annotations

import os
import shutil
import tempfile

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from annotator.model import DEFAULT_LABELS, Document
from annotator.session import Session
from annotator.store import Store
from annotator.text.graphemes import cluster_end, cluster_start, is_boundary
from annotator.text.tokenizer import word_bounds

LAYER = {label.name: label.layer for label in DEFAULT_LABELS}
LABELS = [label.name for label in DEFAULT_LABELS]
LAYER_ORDER = list(dict.fromkeys(LAYER.values()))

# Words that carry what broke spans before: harakat and tanween, shadda, tatweel, clitics written
# joined, lam-alef, Latin names, digits of both kinds, punctuation and brackets across directions.
PIECES = [
    "داعش",
    "الأنبار",
    "بالأنبار",
    "عنصراً",
    "15",
    "١٥",
    "NBC",
    "News",
    "قالَ",
    "مُحمّد",
    "للفلوجة",
    "والعراق",
    "العراقية",
    "لا",
    "لأن",
    "ـــ",
    "كتـــاب",
    "شُرطةٌ",
    "،",
    ".",
    "«",
    "»",
    "(",
    ")",
    ":",
    "2.5",
]
TEXTS = st.lists(
    st.tuples(st.sampled_from(PIECES), st.sampled_from([" ", " ", " ", "\n", ""])), min_size=3, max_size=25
).map(lambda parts: "".join(word + gap for word, gap in parts).strip() or "داعش")

Triple = tuple[int, int, str]
Step = tuple[str, object, object]
"""One undoable step of the model: ("spans", before, after) or ("status", before, after)."""


class SessionMachine(RuleBasedStateMachine):
    """One annotator's session against a model: spans per layer, status, and the undo/redo history."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.mkdtemp(prefix="stateful-")
        self.store = Store(os.path.join(self.folder, "s.db"))

    @initialize(text=TEXTS)
    def open_document(self, text: str) -> None:
        self.text = text
        self.store.import_batch([Document("d", "d", text)], [], user="lead")
        document = self.store.document("d")
        assert document is not None
        self.session = Session(self.store, "ali", document)
        self.spans: set[Triple] = set()
        self.status: str | None = None
        self.undo_stack: list[Step] = []
        self.redo_stack: list[Step] = []

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- the model -------------------------------------------------------------------

    def commit(self, kind: str, before: object, after: object) -> None:
        """Record a step that changed something in the model's history (a new step clears redo)."""
        if before != after:
            self.undo_stack.append((kind, before, after))
            self.redo_stack.clear()

    def restore(self, kind: str, value: object) -> None:
        if kind == "spans":
            assert isinstance(value, frozenset)
            self.spans = set(value)
        else:
            assert value is None or isinstance(value, str)
            self.status = value

    def in_layer(self, layer: str) -> list[Triple]:
        return [s for s in self.spans if LAYER[s[2]] == layer]

    def selection(self) -> tuple[int, int] | None:
        anchor, cursor = self.session.anchor, self.session.cursor
        if anchor is None:
            return None
        lo, hi = min(anchor, cursor), max(anchor, cursor)
        return cluster_start(self.text, lo), cluster_end(self.text, hi)

    # -- moves (what the text view does to the session) ------------------------------

    @rule(offset=st.integers(min_value=0, max_value=10_000))
    def move(self, offset: int) -> None:
        self.session.anchor = None
        self.session.cursor = cluster_start(self.text, offset % len(self.text))

    @rule(offset=st.integers(min_value=0, max_value=10_000))
    def extend(self, offset: int) -> None:
        if self.session.anchor is None:
            self.session.anchor = self.session.cursor
        self.session.cursor = cluster_start(self.text, offset % len(self.text))

    @rule()
    def select_word(self) -> None:
        self.session.select_word()

    @rule()
    def swap_ends(self) -> None:
        self.session.swap_ends()

    @rule()
    def clear(self) -> None:
        self.session.clear_selection()

    # -- actions that write ------------------------------------------------------------

    @rule(label=st.sampled_from(LABELS))
    def tag(self, label: str) -> None:
        before = frozenset(self.spans)
        layer = LAYER[label]
        selection = self.selection()
        cursor = self.session.cursor
        target: tuple[int, int] | None
        relabel = None
        if selection is None:
            relabel = next((s for s in self.in_layer(layer) if s[0] <= cursor < s[1]), None)
            target = (relabel[0], relabel[1]) if relabel else word_bounds(self.text, cursor)
        else:
            target = selection
        outcome = self.session.tag(label)
        if target is None or (target[0], target[1], label) in self.spans:
            return  # nothing to tag, or exactly this span is there already: nothing written
        assert not outcome.error, outcome.message
        start, end = target
        self.spans -= {s for s in self.in_layer(layer) if s[0] < end and start < s[1]}
        self.spans.add((start, end, label))
        if self.status is None or self.status == "new":
            self.status = "in_progress"  # the first edit starts the article: not a step of its own
        self.commit("spans", before, frozenset(self.spans))

    @rule()
    def remove(self) -> None:
        before = frozenset(self.spans)
        cursor = self.session.cursor
        here = [s for s in self.spans if s[0] <= cursor < s[1]]
        outcome = self.session.remove_here()
        if not here:
            assert outcome.error
            return
        assert not outcome.error, outcome.message
        gone = min(here, key=lambda s: (s[1] - s[0], LAYER_ORDER.index(LAYER[s[2]])))
        self.spans.discard(gone)
        self.commit("spans", before, frozenset(self.spans))

    @rule()
    def undo(self) -> None:
        outcome = self.session.undo()
        if not self.undo_stack:
            assert outcome.error
            return
        assert not outcome.error, outcome.message
        kind, before, after = self.undo_stack.pop()
        self.restore(kind, before)
        self.redo_stack.append((kind, before, after))

    @rule()
    def redo(self) -> None:
        outcome = self.session.undo(redo=True)
        if not self.redo_stack:
            assert outcome.error
            return
        assert not outcome.error, outcome.message
        kind, before, after = self.redo_stack.pop()
        self.restore(kind, after)
        self.undo_stack.append((kind, before, after))

    # -- what must hold after every step ------------------------------------------------

    @invariant()
    def database_session_and_model_agree(self) -> None:
        if not hasattr(self, "session"):
            return
        stored = {(s.start, s.end, s.label) for s in self.store.spans("d", "ali")}
        shown = {(s.start, s.end, s.label) for s in self.session.spans}
        assert stored == self.spans, (stored, self.spans)
        assert shown == stored
        assert len(self.session.spans) == len(stored)

    @invariant()
    def spans_cover_whole_clusters_and_never_overlap_in_a_layer(self) -> None:
        if not hasattr(self, "session"):
            return
        for start, end, _label in self.spans:
            assert is_boundary(self.text, start) and is_boundary(self.text, end), (start, end)
        for layer in LAYER_ORDER:
            ordered = sorted(self.in_layer(layer))
            assert all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:]))

    @invariant()
    def status_and_log_agree(self) -> None:
        if not hasattr(self, "session"):
            return
        assert self.store.status("d", "ali") in ({None, "new"} if self.status is None else {self.status})
        assert self.store.check() == []


SessionMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("ANNOTATOR_STATEFUL_EXAMPLES", "100")),
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestSession = SessionMachine.TestCase
