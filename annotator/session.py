"""What an annotator is doing on one document: cursor, selection, spans, and the actions on them.

Pure logic over the store; the Textual screens are a thin layer that calls these methods and
repaints. Every change goes through the store (one committed transaction) before the session's
in-memory spans change, so the screen can never show an annotation that was not saved.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from annotator.model import Document, Label, Span
from annotator.store import (
    ADJUDICATED,
    DONE,
    IN_PROGRESS,
    Edit,
    Store,
    StoredSuggestion,
    StoreError,
    pending_suggestions,
    status_word,
)
from annotator.text.graphemes import cluster_end, cluster_start
from annotator.text.normalize import PARTIAL, end_cuts_word, find, start_cuts_word
from annotator.text.tokenizer import word_bounds


def excerpt(text: str, limit: int = 30) -> str:
    """A span's text for a message: at most `limit` characters, on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def word_cut_note(text: str, start: int, end: int) -> str:
    """What a span [start, end) cuts: the word it starts or ends inside ('' when it cuts none).

    Leaving a proclitic prefix (و ف ب ل ك ...) outside is how the guidelines tag, so that says nothing.
    """
    cuts = []
    if (word := start_cuts_word(text, start)) is not None:
        cuts.append(f"starts inside the word «{excerpt(text[word[0]:word[1]])}»")
    if (word := end_cuts_word(text, end)) is not None:
        cuts.append(f"ends inside the word «{excerpt(text[word[0]:word[1]])}»")
    return "; ".join(cuts)


def with_note(message: str, note: str) -> Outcome:
    """An outcome whose message ends with the note, when there is one."""
    return Outcome(f"{message} — note: {note}" if note else message, note=note)


@dataclass
class Outcome:
    """What an action did, for the status line: a message and whether it failed."""

    message: str
    error: bool = False
    note: str = ""
    """What the user should check although nothing failed (a span that cuts a word), said once more aloud."""


@dataclass
class Propagation:
    """What `*` found for a span: its other occurrences in the article, and per other article those to suggest."""

    shown: str
    """The span's label and text, for messages."""
    here: list[tuple[int, int, str]]
    elsewhere: dict[str, list[tuple[int, int, str, float | None]]]


@dataclass
class LayerSpans:
    """Spans of one layer sorted by start, with an index for lookups by offset."""

    spans: list[Span] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)

    def at(self, offset: int) -> Span | None:
        """The span covering an offset (spans of one layer never overlap)."""
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.spans[i].start <= offset < self.spans[i].end:
            return self.spans[i]
        return None

    def insert(self, span: Span) -> None:
        """Add a span in start order."""
        i = bisect.bisect_right(self.starts, span.start)
        self.spans.insert(i, span)
        self.starts.insert(i, span.start)

    def remove(self, span: Span) -> None:
        """Drop the span with this id, if present."""
        i = bisect.bisect_left(self.starts, span.start)
        while i < len(self.spans) and self.starts[i] == span.start:
            if self.spans[i].id == span.id:
                del self.spans[i], self.starts[i]
                return
            i += 1

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans sharing at least one character with [start, end), in text order."""
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        j = bisect.bisect_left(self.starts, end, lo=i)
        return [span for span in self.spans[i:j] if span.end > start]


class Session:
    """One annotator (or the gold layer) working on one document."""

    def __init__(
        self,
        store: Store,
        user: str,
        document: Document,
        layer_owner: str | None = None,
        window: tuple[int, int] | None = None,
    ) -> None:
        """Open the layer; with `window`, load only the spans around that range now (see load_all)."""
        self.store = store
        self.user = user
        self.owner = layer_owner or user
        self.document = document
        self.text = document.text
        self.labels: list[Label] = store.labels()
        self.layer_of = {label.name: label.layer for label in self.labels}
        self.layers: dict[str, LayerSpans] = {}
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
        if window is None:
            self.reload()
        else:
            self._load_window(*window)

    # -- spans -----------------------------------------------------------------

    def reload(self) -> None:
        """Read this layer's spans from the store."""
        self.layers = self._layers_of(self.store.spans(self.document.id, self.owner))
        self._sorted = None
        self.complete = True

    def _layers_of(self, spans: list[Span]) -> dict[str, LayerSpans]:
        """Spans (in text order) grouped into their layers' indexes."""
        layers = {layer: LayerSpans() for layer in dict.fromkeys(self.layer_of.values())}
        for span in spans:
            layers[self.layer_of[span.label]].spans.append(span)
        for layer in layers.values():
            layer.starts = [span.start for span in layer.spans]
        return layers

    def _load_window(self, start: int, end: int) -> None:
        """Load only the spans touching [start, end): a huge article paints before all its spans are read."""
        self.layers = self._layers_of(self.store.spans_touching(self.document.id, self.owner, start, end))
        self._sorted = None
        self.complete = False

    def load_all(self) -> tuple[dict[str, LayerSpans], int]:
        """Read every span and the last event id in one snapshot (safe to call from a worker thread)."""
        with self.store.snapshot():
            spans = self.store.spans(self.document.id, self.owner)
            last_event = self.store.last_event_id(self.document.id, self.owner)
        return self._layers_of(spans), last_event

    def finish_loading(self, layers: dict[str, LayerSpans], last_event: int) -> None:
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
        """Update the in-memory spans after a committed edit: bisected in and out of the sorted lists, in place
        (copying 20,000 spans per edit cost a millisecond and gave the garbage collector big new lists to walk)."""
        if not self.complete:
            self._pending.append(edit)
        for span in edit.removed:
            self.layers[self.layer_of[span.label]].remove(span)
        for span in edit.added:
            self.layers[self.layer_of[span.label]].insert(span)
        self._update_sorted(edit)
        if edit.rejected is not None and self.suggestions_on:
            self._rejected = self.store.rejections(self.document.id, self.owner)
        if self.suggestions_on:
            self._refresh_suggestions()

    # -- selection -------------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected range [start, end) of whole clusters (a letter with its harakat), or None."""
        if self.anchor is None:
            return None
        ends = (self.anchor, self.cursor)
        if self._selection_ends != ends:  # every row drawn asks: look the clusters up once per move
            lo, hi = sorted(ends)
            self._selection = cluster_start(self.text, lo), cluster_end(self.text, hi)
            self._selection_ends = ends
        return self._selection

    def clear_selection(self) -> None:
        """Escape."""
        self.anchor = None

    def swap_ends(self) -> Outcome:
        """Put the cursor on the selection's other end, so shift+arrows move that edge (a clitic at the start)."""
        if self.anchor is None:
            return Outcome("nothing selected", error=True)
        self.anchor, self.cursor = self.cursor, self.anchor
        return Outcome("")

    def select_word(self) -> Outcome:
        """Space: select the word under the cursor; again, extend by the next word in reading order."""
        selection = self.selection
        if selection is None:
            bounds = word_bounds(self.text, self.cursor)
            if bounds is None:
                return Outcome("no word under the cursor", error=True)
            self.anchor, self.cursor = bounds[0], bounds[1] - 1
            return Outcome("")
        position = selection[1]
        while position < len(self.text):
            bounds = word_bounds(self.text, position)
            if bounds is not None:
                if self.anchor is not None and self.anchor > self.cursor:
                    self.anchor, self.cursor = self.cursor, self.anchor
                self.cursor = bounds[1] - 1
                return Outcome("")
            position += 1
        return Outcome("no next word", error=True)

    def target(self) -> tuple[int, int] | None:
        """What a tag key tags: the selection, else the word under the cursor (in whole clusters)."""
        if self.anchor is not None:
            return self.selection
        bounds = word_bounds(self.text, self.cursor)
        if bounds is None:
            return None
        return cluster_start(self.text, bounds[0]), cluster_end(self.text, bounds[1] - 1)

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
            edit = self.store.add_span(self.document.id, self.owner, start, end, label, user=self.user)
        except StoreError as exc:
            return Outcome(f"not saved: {exc}", error=True)
        self._apply(edit)
        self.anchor = None
        replaced = f", replacing {len(edit.removed)}" if edit.removed else ""
        note = word_cut_note(self.text, start, end)
        return with_note(f"{label}: «{excerpt(self.text[start:end])}» saved{replaced}", note)

    def _relabel(self, span: Span, label: str) -> Outcome:
        """Give a whole span another label, same offsets, in one undoable step."""
        shown = f"«{excerpt(self.text[span.start:span.end])}»"
        if span.label == label:
            return Outcome(f"already {label}: {shown}")
        if span.id is None:
            return Outcome(f"not saved: span {shown} has no id", error=True)
        try:
            edit = self.store.apply(
                self.document.id, self.owner, add=[(span.start, span.end, label)], remove_ids=[span.id], user=self.user
            )
        except StoreError as exc:
            return Outcome(f"not saved: {exc}", error=True)
        self._apply(edit)
        return with_note(f"{span.label} → {label}: {shown}", word_cut_note(self.text, span.start, span.end))

    def put(self, spans: list[tuple[int, int, str]], remove_ids: list[int], origin: str | None) -> Outcome:
        """Replace spans in one undoable step (used by review to take an annotator's version)."""
        try:
            edit = self.store.apply(self.document.id, self.owner, add=spans, remove_ids=remove_ids, user=self.user, origin=origin)
        except StoreError as exc:
            return Outcome(f"not saved: {exc}", error=True)
        self._apply(edit)
        return Outcome(f"saved: {len(edit.added)} added, {len(edit.removed)} removed")

    def remove_here(self) -> Outcome:
        """Remove the innermost span under the cursor (an entity before the quote holding it)."""
        spans = self.spans_at(self.cursor)
        if not spans:
            return Outcome("no span under the cursor", error=True)
        span = min(spans, key=lambda s: s.end - s.start)
        if span.id is None:  # every span read from the store or returned by a write has its id
            return Outcome("not removed: the span has no id", error=True)
        try:
            edit = self.store.remove_span(self.document.id, self.owner, span.id, user=self.user)
        except StoreError as exc:
            return Outcome(f"not removed: {exc}", error=True)
        self._apply(edit)
        return Outcome(f"removed {span.label} «{excerpt(self.text[span.start:span.end])}»")

    def undo(self, redo: bool = False) -> Outcome:
        """Undo (or redo) the last change of this layer in this document."""
        try:
            step = self.store.redo if redo else self.store.undo
            edit = step(self.document.id, self.owner, user=self.user)
        except StoreError as exc:
            return Outcome(f"not {'redone' if redo else 'undone'}: {exc}", error=True)
        if edit is None:
            return Outcome(f"nothing to {'redo' if redo else 'undo'}", error=True)
        if edit.status is not None:  # a status change: no span moved, the cursor stays
            return Outcome(f"{'redone' if redo else 'undone'}: the article is {status_word(edit.status)}")
        self._apply(edit)
        if edit.rejected is not None:
            self.cursor = edit.rejected["start"]
            self.anchor = None
            shown = "hidden again" if redo else "back"
            return Outcome(f"{'redone' if redo else 'undone'}: the rejected suggestion "
                           f"{edit.rejected['label']} «{excerpt(self.text[edit.rejected['start']:edit.rejected['end']])}» is {shown}")
        changed = (edit.added or edit.removed)[0]
        self.cursor = changed.start
        self.anchor = None
        return Outcome(f"{'redone' if redo else 'undone'}: {len(edit.added)} added, {len(edit.removed)} removed")

    def mark_done(self, status: str = DONE) -> Outcome:
        """Mark the document done for this layer (one undoable step)."""
        try:
            edit = self.store.set_status(self.document.id, self.owner, status, user=self.user, step=True)
        except StoreError as exc:
            return Outcome(f"not marked: {exc}", error=True)
        if edit is None:
            return Outcome(f"{self.document.id} was already {status_word(status)}")
        return Outcome(f"{self.document.id} marked {status_word(status)}")

    def reopen(self) -> Outcome:
        """Put a done (adjudicated) document back in progress for this layer (one undoable step)."""
        try:
            self.store.set_status(
                self.document.id, self.owner, IN_PROGRESS, user=self.user, step=True, only_from=(DONE, ADJUDICATED)
            )
        except StoreError as exc:
            return Outcome(f"not reopened: {exc}", error=True)
        return Outcome(f"{self.document.id} reopened: in progress (u undoes)")

    def save_place(self) -> None:
        """Remember the cursor for the next start (failures are harmless here)."""
        try:
            self.store.save_place(self.document.id, self.owner, self.cursor)
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

    # -- suggestions (issue 15) --------------------------------------------------------

    def load_suggestions(self) -> None:
        """Read the document's suggestions and this annotator's rejections; from now on edits keep them current."""
        self.suggestions_on = True
        self._all_suggestions = self.store.suggestions(self.document.id)
        self._rejected = self.store.rejections(self.document.id, self.owner) if self._all_suggestions else set()
        self._refresh_suggestions()

    def _refresh_suggestions(self) -> None:
        """Recompute what is pending: not rejected, overlapping none of this layer's spans."""
        if not self.suggestions_on:
            return
        # Only spans that touch a suggestion matter: found through the layers' indexes, so an edit in an
        # article of 20,000 spans does not walk them all.
        spans = [span for item in self._all_suggestions if item.label in self.layer_of
                 for span in self.layers[self.layer_of[item.label]].overlapping(item.start, item.end)]
        self.suggestions = pending_suggestions(self._all_suggestions, spans, self._rejected, self.layer_of)
        self._suggestion_starts = [item.start for item in self.suggestions]

    def suggestions_in(self, start: int, end: int) -> list[StoredSuggestion]:
        """Pending suggestions sharing a character with [start, end), in text order."""
        i = bisect.bisect_left(self._suggestion_starts, end)
        found = []
        layers = len(set(self.layer_of.values()))
        before: set[str] = set()
        # Backwards from the last one starting before `end` (asked for every row drawn). Pending suggestions
        # of one layer never overlap, so per layer only the last one starting before `start` can reach in.
        while i > 0 and len(before) < layers:
            i -= 1
            item = self.suggestions[i]
            if item.end > start:
                found.append(item)
            if item.start < start:
                before.add(self.layer_of[item.label])
        return found[::-1]

    def suggestion_at(self, offset: int) -> StoredSuggestion | None:
        """The pending suggestion covering an offset (the innermost when two layers' suggestions nest)."""
        found = self.suggestions_in(offset, offset + 1)
        return min(found, key=lambda item: item.end - item.start) if found else None

    def suggestion_hint(self) -> str:
        """The status line's words for the suggestion under the cursor ('' when there is none)."""
        item = self.suggestion_at(self.cursor)
        if item is None:
            return ""
        return f"suggestion {item.label} ({item.source}) — Enter accept · X reject"

    def accept_suggestion(self) -> Outcome:
        """Enter: the suggestion under the cursor becomes this annotator's span (an edit with the source as origin)."""
        item = self.suggestion_at(self.cursor)
        if item is None:
            return Outcome("no suggestion under the cursor", error=True)
        try:
            edit = self.store.apply(self.document.id, self.owner, add=[(item.start, item.end, item.label)],
                                    user=self.user, origin=item.source)
        except StoreError as exc:
            return Outcome(f"not saved: {exc}", error=True)
        self._apply(edit)
        self.anchor = None
        return Outcome(f"accepted {item.label}: «{excerpt(self.text[item.start:item.end])}» ({item.source})")

    def reject_suggestion(self) -> Outcome:
        """X: hide the suggestion under the cursor for this annotator (u brings it back)."""
        item = self.suggestion_at(self.cursor)
        if item is None:
            return Outcome("no suggestion under the cursor", error=True)
        try:
            edit = self.store.reject_suggestion(self.document.id, self.owner, item, user=self.user)
        except StoreError as exc:
            return Outcome(f"not rejected: {exc}", error=True)
        self._apply(edit)
        return Outcome(f"rejected {item.label}: «{excerpt(self.text[item.start:item.end])}» ({item.source}; u undoes)")

    def accept_all(self) -> Outcome:
        """A: every pending suggestion of the article becomes a span, in one undoable step."""
        items = list(self.suggestions)
        if not items:
            return Outcome("no suggestions left in this article", error=True)
        sources = ", ".join(dict.fromkeys(item.source for item in items))
        try:
            edit = self.store.apply(self.document.id, self.owner,
                                    add=[(item.start, item.end, item.label) for item in items],
                                    user=self.user, origin=sources)
        except StoreError as exc:
            return Outcome(f"not saved: {exc}", error=True)
        self._apply(edit)
        self.anchor = None
        return Outcome(f"accepted {len(edit.added)} suggestions ({sources}; u undoes them all)")

    def next_stop(self, backwards: bool = False) -> int | None:
        """Tab: the start of the next (previous) span or pending suggestion after (before) the cursor, wrapping."""
        starts = sorted(set(self._starts_of_spans()) | set(self._suggestion_starts))
        if not starts:
            return None
        if backwards:
            i = bisect.bisect_left(starts, self.cursor)
            return starts[i - 1] if i > 0 else starts[-1]
        i = bisect.bisect_right(starts, self.cursor)
        return starts[i] if i < len(starts) else starts[0]

    def _starts_of_spans(self) -> list[int]:
        """Every span's start in text order."""
        self.spans  # noqa: B018  (builds the sorted lists when needed)
        return self._starts

    def find_propagation(self) -> Propagation | Outcome:
        """What `*` would do for the span under the cursor (reads only): its other occurrences here, found as
        suggestions are (same normalisation, whole words, clitics outside) and not overlapping a span of its
        layer already (itself, or a longer name), and its occurrences in the articles this annotator has not
        marked done. An Outcome when there is nothing to propagate."""
        spans = self.spans_at(self.cursor)
        if not spans:
            return Outcome("put the cursor on a span to propagate it", error=True)
        span = min(spans, key=lambda s: s.end - s.start)
        from annotator.suggest import Pattern, build_matcher, suggest, suggest_many

        shown = f"{span.label} «{excerpt(self.text[span.start:span.end])}»"
        try:
            matcher = build_matcher([Pattern(span.label, self.text[span.start:span.end])],
                                    f"propagate:{self.owner}", self.labels)
        except ValueError as exc:
            return Outcome(f"cannot propagate {shown}: {exc}", error=True)
        layer = self.layers[self.layer_of[span.label]]
        here = [(item.start, item.end, item.label) for item in suggest(self.text, matcher)
                if not layer.overlapping(item.start, item.end)]
        try:
            done = set(self.store.done_documents(self.owner))
            others = [doc for doc in self.store.documents() if doc.id != self.document.id and doc.id not in done]
        except StoreError as exc:
            return Outcome(f"not propagated: {exc}", error=True)
        found = suggest_many([doc.text for doc in others], matcher)
        elsewhere = {doc.id: [(item.start, item.end, item.label, item.score) for item in items]
                     for doc, items in zip(others, found) if items}
        return Propagation(shown, here, elsewhere)

    def propagate(self, found: Propagation | None = None) -> Outcome:
        """*: tag every other occurrence of the span under the cursor in this article (one undoable step),
        and suggest it in the articles this annotator has not marked done (source `propagate:<annotator>`)."""
        if found is None:
            looked = self.find_propagation()
            if isinstance(looked, Outcome):
                return looked
            found = looked
        tagged = 0
        if found.here:
            try:
                edit = self.store.apply(self.document.id, self.owner, add=found.here, user=self.user, origin="propagate")
            except StoreError as exc:
                return Outcome(f"not saved: {exc}", error=True)
            self._apply(edit)
            tagged = len(edit.added)
        try:
            suggested = (self.store.add_suggestions(self.owner, f"propagate:{self.owner}", found.elsewhere)
                         if found.elsewhere else 0)
        except StoreError as exc:
            return Outcome(f"{tagged} tagged here; suggestions elsewhere not saved: {exc}", error=True)
        return Outcome(f"propagated {found.shown}: {tagged} tagged here (one undo step), "
                       f"{suggested} new suggestions in {len(found.elsewhere)} other articles")
