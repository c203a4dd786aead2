"""What an annotator is doing on one document: cursor, selection, spans, and the actions on them.

Pure logic over the store; the Textual screens are a thin layer that calls these methods and
repaints. Every change goes through the store (one committed transaction) before the session's
in-memory spans change, so the screen can never show an annotation that was not saved. The
document's status for the layer is kept up to date from what each write returned, so the screen's
header never reads the database after a write.

Vocabulary: `annotator` is whose layer this is (a person's login, or GOLD); `user` is who acts.
"""

from __future__ import annotations

import bisect

from annotator.layer_index import LayerIndex
from annotator.model import Document, Label, Span
from annotator.outcome import Outcome, excerpt, with_note, word_cut_note
from annotator.propagation import Propagation, find_propagation, propagate
from annotator.session_flags import SessionFlags
from annotator.session_relations import SessionRelations, links_gone
from annotator.session_selection import SessionSelection
from annotator.session_suggestions import SessionSuggestions
from annotator.store import ADJUDICATED, DONE, IN_PROGRESS, NEW, Edit, Store, StoredSuggestion, StoreError, status_word
from annotator.text.normalize import PARTIAL, find

__all__ = ["LayerIndex", "Outcome", "Propagation", "Session", "excerpt", "with_note", "word_cut_note"]


class Session(SessionSelection, SessionRelations, SessionSuggestions, SessionFlags):
    """One user editing one layer (an annotator's, or gold) of one document."""

    def __init__(
        self,
        store: Store,
        user: str,
        document: Document,
        annotator: str | None = None,
        window: tuple[int, int] | None = None,
        status: str | None = None,
        *,
        status_known: bool = False,
    ) -> None:
        """Open the layer `annotator` (the user's own by default); with `window`, load only the spans around
        that range now (see load_all). With `status_known`, `status` is the document's status for the layer
        as the caller already holds it; otherwise it is read here."""
        self.store = store
        self.user = user
        self.annotator = annotator or user
        self.document = document
        self.text = document.text
        self.schema = store.label_schema()
        self.labels: list[Label] = list(self.schema.labels)
        self.layer_of = self.schema.layer_of
        self.layers: dict[str, LayerIndex] = {}
        self._sorted: list[Span] | None = None
        self._keys: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self.cursor = 0
        self.anchor: int | None = None
        self._selection_ends: tuple[int, int] | None = None
        self._selection = (0, 0)
        self.query = ""
        self.complete = True
        self._pending: list[Edit] = []
        self.suggestions_on = False
        self._all_suggestions: list[StoredSuggestion] = []
        self._rejected: set[tuple[int, int, str]] = set()
        self.suggestions: list[StoredSuggestion] = []
        """What the annotator still has to decide, in text order (see load_suggestions)."""
        self._suggestion_starts: list[int] = []
        self.status = status if status_known else store.status(document.id, self.annotator)
        """The document's status for this layer (None: never opened), kept up to date from write results."""
        if window is None:
            self.reload()
        else:
            self._load_window(*window)
        self.load_relations()

    # -- spans -----------------------------------------------------------------

    def reload(self) -> None:
        """Read this layer's spans from the store."""
        self.layers = self._layers_of(self.store.spans(self.document.id, self.annotator))
        self._sorted = None
        self.complete = True

    def _layers_of(self, spans: list[Span]) -> dict[str, LayerIndex]:
        """Spans (in text order) grouped into their layers' indexes."""
        layers = {layer: LayerIndex() for layer in dict.fromkeys(self.layer_of.values())}
        for span in spans:
            layers[self.layer_of[span.label]].spans.append(span)
        for layer in layers.values():
            layer.starts = [span.start for span in layer.spans]
        return layers

    def _load_window(self, start: int, end: int) -> None:
        """Load only the spans touching [start, end): a huge article paints before all its spans are read."""
        self.layers = self._layers_of(self.store.spans_touching(self.document.id, self.annotator, start, end))
        self._sorted = None
        self.complete = False

    def load_all(self) -> tuple[dict[str, LayerIndex], int]:
        """Read every span and the last event id in one snapshot (safe to call from a worker thread)."""
        with self.store.snapshot():
            spans = self.store.spans(self.document.id, self.annotator)
            last_event = self.store.last_event_id(self.document.id, self.annotator)
        return self._layers_of(spans), last_event

    def finish_loading(self, layers: dict[str, LayerIndex], last_event: int) -> None:
        """Swap in the full spans, then replay this session's edits the snapshot did not see yet."""
        pending = [edit for edit in self._pending if edit.event_id > last_event]
        self.layers = layers
        self._sorted = None
        self.complete = True
        self._pending = []
        for edit in pending:
            self._apply(edit)
        self._refresh_suggestions()

    @property
    def spans(self) -> list[Span]:
        """All spans in text order (an outer quote before the entities inside it); kept up to date by _apply."""
        if self._sorted is None:
            self._sorted = sorted(
                (s for layer in self.layers.values() for s in layer.spans), key=lambda s: (s.start, -s.end)
            )
            self._keys = [(s.start, -s.end) for s in self._sorted]
            self._starts = [s.start for s in self._sorted]
        return self._sorted

    def _update_sorted(self, edit: Edit) -> None:
        """Bisect an edit into the text-order list instead of sorting every span again."""
        if self._sorted is None:
            return
        spans, keys, starts = self._sorted, self._keys, self._starts
        for span in edit.removed:
            key = (span.start, -span.end)
            i = bisect.bisect_left(keys, key)
            while i < len(spans) and keys[i] == key and spans[i].id != span.id:
                i += 1
            if i < len(spans) and spans[i].id == span.id:
                del spans[i], keys[i], starts[i]
        for span in edit.added:
            key = (span.start, -span.end)
            i = bisect.bisect_right(keys, key)
            spans.insert(i, span)
            keys.insert(i, key)
            starts.insert(i, span.start)

    def spans_at(self, offset: int) -> list[Span]:
        """Spans covering an offset, one per layer at most."""
        return [span for layer in self.layers.values() if (span := layer.at(offset)) is not None]

    def spans_in(self, start: int, end: int) -> list[Span]:
        """Spans of every layer sharing a character with [start, end)."""
        return [span for layer in self.layers.values() for span in layer.overlapping(start, end)]

    def _apply(self, edit: Edit) -> None:
        """Update the in-memory spans (and the status) after a committed edit: bisected in and out of the sorted
        lists in place, since copying every span of a long article per edit would make each key press slower."""
        self._note_status(edit)
        self._apply_relations(edit)
        if not self.complete:
            self._pending.append(edit)
        for span in edit.removed:
            self.layers[self.layer_of[span.label]].remove(span)
        for span in edit.added:
            self.layers[self.layer_of[span.label]].insert(span)
        self._update_sorted(edit)
        if edit.rejected is not None and self.suggestions_on:
            self._rejected = self.store.rejections(self.document.id, self.annotator)
        if self.suggestions_on:
            self._refresh_suggestions()

    def apply_edit(self, edit: Edit) -> None:
        """Take in an edit committed on this layer by a helper of the session (propagation, review)."""
        self._apply(edit)

    def _note_status(self, edit: Edit) -> None:
        """The status after a committed edit: the one it set, or in progress once a new document is worked on."""
        if edit.status is not None:
            self.status = edit.status
        elif (
            edit.added or edit.removed or edit.linked or edit.unlinked or edit.rejected is not None
        ) and self.status in (None, NEW):
            self.status = IN_PROGRESS

    # -- actions that write --------------------------------------------------------

    def tag(self, label: str) -> Outcome:
        """Tag the selection with label, replacing overlaps in its layer; without one, relabel the span of
        label's layer under the cursor, or tag the word under the cursor when there is none."""
        if self.anchor is None:
            layer = self.layers.get(self.layer_of.get(label, ""))
            here = layer.at(self.cursor) if layer is not None else None
            if here is not None:
                return self._relabel(here, label)
        target = self.target()
        if target is None:
            return Outcome("nothing to tag: select text or put the cursor on a word", error=True)
        start, end = target
        layer = self.layers.get(self.layer_of.get(label, ""))
        same = layer.at(start) if layer is not None else None
        if same is not None and (same.start, same.end, same.label) == (start, end, label):
            # Writing it again would change nothing but still cost an undo step that undoes nothing visible.
            self.anchor = None
            return Outcome(f"already {label}: «{excerpt(self.text[start:end])}»")
        try:
            edit = self.store.add_span(self.document.id, self.annotator, start, end, label, user=self.user)
        except StoreError as exc:
            return Outcome.failure(f"not saved: {exc}")
        self._apply(edit)
        self.anchor = None
        replaced = f", replacing {len(edit.removed)}{links_gone(len(edit.unlinked))}" if edit.removed else ""
        note = word_cut_note(self.text, start, end)
        return with_note(f"{label}: «{excerpt(self.text[start:end])}» saved{replaced}", note)

    def _relabel(self, span: Span, label: str) -> Outcome:
        """Give a whole span another label, same offsets, in one undoable step."""
        shown = f"«{excerpt(self.text[span.start : span.end])}»"
        if span.label == label:
            return Outcome(f"already {label}: {shown}")
        if span.id is None:
            return Outcome.failure(f"not saved: span {shown} has no id")
        try:
            edit = self.store.apply(
                self.document.id,
                self.annotator,
                add=[(span.start, span.end, label)],
                remove_ids=[span.id],
                user=self.user,
            )
        except StoreError as exc:
            return Outcome.failure(f"not saved: {exc}")
        self._apply(edit)
        # A quote made an actor (or the reverse) can no longer hold its speaker link: the store took it.
        said = f"{span.label} → {label}: {shown}{links_gone(len(edit.unlinked))}"
        return with_note(said, word_cut_note(self.text, span.start, span.end))

    def put(self, spans: list[tuple[int, int, str]], remove_ids: list[int], origin: str | None) -> Outcome:
        """Replace spans in one undoable step (used by review to take an annotator's version)."""
        try:
            edit = self.store.apply(
                self.document.id, self.annotator, add=spans, remove_ids=remove_ids, user=self.user, origin=origin
            )
        except StoreError as exc:
            return Outcome.failure(f"not saved: {exc}")
        self._apply(edit)
        return Outcome(f"saved: {len(edit.added)} added, {len(edit.removed)} removed{links_gone(len(edit.unlinked))}")

    def remove_here(self) -> Outcome:
        """Remove the innermost span under the cursor (an entity before the quote holding it)."""
        spans = self.spans_at(self.cursor)
        if not spans:
            return Outcome("no span under the cursor", error=True)
        span = min(spans, key=lambda s: s.end - s.start)
        if span.id is None:  # every span read from the store or returned by a write has its id
            return Outcome.failure("not removed: the span has no id")
        try:
            edit = self.store.remove_span(self.document.id, self.annotator, span.id, user=self.user)
        except StoreError as exc:
            return Outcome.failure(f"not removed: {exc}")
        self._apply(edit)
        return Outcome(
            f"removed {span.label} «{excerpt(self.text[span.start : span.end])}»{links_gone(len(edit.unlinked))}"
        )

    def undo(self, redo: bool = False) -> Outcome:
        """Undo (or redo) the last change of this layer in this document."""
        try:
            step = self.store.redo if redo else self.store.undo
            edit = step(self.document.id, self.annotator, user=self.user)
        except StoreError as exc:
            return Outcome.failure(f"not {'redone' if redo else 'undone'}: {exc}")
        if edit is None:
            return Outcome(f"nothing to {'redo' if redo else 'undo'}", error=True)
        if edit.status is not None:  # a status change: no span moved, the cursor stays
            self._note_status(edit)
            return Outcome(f"{'redone' if redo else 'undone'}: the article is {status_word(edit.status)}")
        self._apply(edit)
        if edit.rejected is not None:
            self.cursor = edit.rejected["start"]
            self.anchor = None
            shown = "hidden again" if redo else "back"
            return Outcome(
                f"{'redone' if redo else 'undone'}: the rejected suggestion "
                f"{edit.rejected['label']} «{excerpt(self.text[edit.rejected['start'] : edit.rejected['end']])}» is {shown}"
            )
        if not (edit.added or edit.removed):
            return self._relations_stepped(edit, redo)
        changed = (edit.added or edit.removed)[0]
        self.cursor = changed.start
        self.anchor = None
        return Outcome(f"{'redone' if redo else 'undone'}: {len(edit.added)} added, {len(edit.removed)} removed")

    def mark_done(self, status: str = DONE) -> Outcome:
        """Mark the document done for this layer (one undoable step)."""
        try:
            edit = self.store.set_status(self.document.id, self.annotator, status, user=self.user, step=True)
        except StoreError as exc:
            return Outcome.failure(f"not marked: {exc}")
        if edit is None:
            return Outcome(f"{self.document.id} was already {status_word(status)}")
        self._note_status(edit)
        return Outcome(f"{self.document.id} marked {status_word(status)}")

    def reopen(self) -> Outcome:
        """Put a done (adjudicated) document back in progress for this layer (one undoable step)."""
        try:
            edit = self.store.set_status(
                self.document.id, self.annotator, IN_PROGRESS, user=self.user, step=True, only_from=(DONE, ADJUDICATED)
            )
        except StoreError as exc:
            return Outcome.failure(f"not reopened: {exc}")
        if edit is not None:
            self._note_status(edit)
        return Outcome(f"{self.document.id} reopened: in progress (u undoes)")

    def save_place(self) -> None:
        """Remember the cursor for the next start (failures are harmless here)."""
        try:
            self.store.save_place(self.document.id, self.annotator, self.cursor)
        except StoreError:
            pass

    # -- navigation helpers ----------------------------------------------------

    def next_span(self, backwards: bool = False) -> Span | None:
        """The span after (before) the cursor in text order, wrapping around."""
        spans = self.spans
        if not spans:
            return None
        if backwards:
            i = bisect.bisect_left(self._starts, self.cursor)
            return spans[i - 1] if i > 0 else spans[-1]
        i = bisect.bisect_right(self._starts, self.cursor)
        return spans[i] if i < len(spans) else spans[0]

    def find(self, query: str | None = None, backwards: bool = False) -> Outcome:
        """Select the next (previous) loose whole-word match of the query after (before) the cursor (`*`: partial)."""
        if query is not None:
            self.query = query
        if not self.query.strip().strip(PARTIAL).strip():
            return Outcome("nothing to find", error=True)
        selection = self.selection
        position = selection[0] if backwards and selection else self.cursor
        found = find(self.text, self.query, position, backwards=backwards)
        if found is None:
            return Outcome(f"not found: {self.query}", error=True)
        self.anchor, self.cursor = found[0], found[1] - 1
        return Outcome(f"found at {found[0]}")

    def _starts_of_spans(self) -> list[int]:
        """Every span's start in text order."""
        self.spans  # noqa: B018  (builds the sorted lists when needed)
        return self._starts

    def find_propagation(self) -> Propagation | Outcome:
        """What `*` would do for the span under the cursor (reads only; see propagation.find_propagation)."""
        return find_propagation(self)

    def propagate(self, found: Propagation | None = None) -> Outcome:
        """*: tag the span's other occurrences here, suggest it elsewhere (see propagation.propagate)."""
        return propagate(self, found)
