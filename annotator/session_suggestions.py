"""The suggestions half of a Session: what is still pending in the article, and accepting or rejecting it."""

from __future__ import annotations

import bisect

from annotator.layer_index import LayerIndex
from annotator.model import Document
from annotator.outcome import Outcome, excerpt
from annotator.store import Edit, Store, StoredSuggestion, StoreError, pending_suggestions


class SessionSuggestions:
    """Pending suggestions of one layer in one document; mixed into Session, which owns the spans."""

    store: Store
    user: str
    annotator: str
    document: Document
    text: str
    cursor: int
    anchor: int | None
    layers: dict[str, LayerIndex]
    layer_of: dict[str, str]
    suggestions_on: bool
    suggestions: list[StoredSuggestion]
    """What the annotator still has to decide, in text order (see load_suggestions)."""
    _all_suggestions: list[StoredSuggestion]
    _rejected: set[tuple[int, int, str]]
    _suggestion_starts: list[int]

    def _apply(self, edit: Edit) -> None:
        raise NotImplementedError

    def _starts_of_spans(self) -> list[int]:
        raise NotImplementedError

    def load_suggestions(self) -> None:
        """Read the document's suggestions and this annotator's rejections; from now on edits keep them current."""
        self.suggestions_on = True
        self._all_suggestions = self.store.suggestions(self.document.id)
        self._rejected = self.store.rejections(self.document.id, self.annotator) if self._all_suggestions else set()
        self._refresh_suggestions()

    def _refresh_suggestions(self) -> None:
        """Recompute what is pending: not rejected, overlapping none of this layer's spans."""
        if not self.suggestions_on:
            return
        # Only spans that touch a suggestion matter: found through the layers' indexes, so an edit in an
        # article of 20,000 spans does not walk them all.
        spans = [
            span
            for item in self._all_suggestions
            if item.label in self.layer_of
            for span in self.layers[self.layer_of[item.label]].overlapping(item.start, item.end)
        ]
        self.suggestions = pending_suggestions(
            self._all_suggestions, spans, self._rejected, self.layer_of, self.annotator
        )
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
            edit = self.store.apply(
                self.document.id,
                self.annotator,
                add=[(item.start, item.end, item.label)],
                user=self.user,
                origin=item.source,
            )
        except StoreError as exc:
            return Outcome.failure(f"not saved: {exc}")
        self._apply(edit)
        self.anchor = None
        return Outcome(f"accepted {item.label}: «{excerpt(self.text[item.start : item.end])}» ({item.source})")

    def reject_suggestion(self) -> Outcome:
        """X: hide the suggestion under the cursor for this annotator (u brings it back)."""
        item = self.suggestion_at(self.cursor)
        if item is None:
            return Outcome("no suggestion under the cursor", error=True)
        try:
            edit = self.store.reject_suggestion(self.document.id, self.annotator, item, user=self.user)
        except StoreError as exc:
            return Outcome.failure(f"not rejected: {exc}")
        self._apply(edit)
        return Outcome(
            f"rejected {item.label}: «{excerpt(self.text[item.start : item.end])}» ({item.source}; u undoes)"
        )

    def accept_all(self) -> Outcome:
        """A: every pending suggestion of the article becomes a span, in one undoable step."""
        items = list(self.suggestions)
        if not items:
            return Outcome("no suggestions left in this article", error=True)
        sources = ", ".join(dict.fromkeys(item.source for item in items))
        try:
            edit = self.store.apply(
                self.document.id,
                self.annotator,
                add=[(item.start, item.end, item.label) for item in items],
                user=self.user,
                origin=sources,
            )
        except StoreError as exc:
            return Outcome.failure(f"not saved: {exc}")
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
