"""The session's speaker links: a quote linked to the actor who said it, through the store's undoable events.

The in-memory relations change only from what a committed write returned (`Edit.linked`, `Edit.unlinked`),
like the spans, so the screen never shows a link that was not saved and reads nothing back after a write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.model import RELATION_TYPES, SPEAKER, Relation, Span
from annotator.outcome import Outcome, excerpt
from annotator.store import Edit, StoreError

if TYPE_CHECKING:
    from annotator.layer_index import LayerIndex
    from annotator.model import Document
    from annotator.store import Store

SPEAKER_TYPE = next(kind for kind in RELATION_TYPES if kind.name == SPEAKER)
QUOTE = SPEAKER_TYPE.head_label
ACTOR = SPEAKER_TYPE.child_label


def links_gone(count: int) -> str:
    """What a status line adds when a write took speaker links with the spans it removed ('' when none)."""
    if not count:
        return ""
    return f" and {'its speaker link' if count == 1 else f'{count} speaker links'}"


class SessionRelations:
    """Speaker links of the session's layer; mixed into Session, which provides the spans and the store."""

    store: Store
    user: str
    annotator: str
    document: Document
    text: str
    cursor: int
    anchor: int | None
    layers: dict[str, LayerIndex]
    relations: list[Relation]
    """This layer's relations in this document, in the order they were made."""

    @property
    def spans(self) -> list[Span]:  # provided by Session
        raise NotImplementedError

    def load_relations(self) -> None:
        """Read this layer's relations in this document from the store."""
        self.relations = self.store.relations(self.document.id, self.annotator)

    def _apply_relations(self, edit: Edit) -> None:
        """Take a committed edit's relations in: those it removed go, those it stored come."""
        if edit.unlinked:
            gone = {relation.id for relation in edit.unlinked}
            self.relations = [relation for relation in self.relations if relation.id not in gone]
        known = {relation.id for relation in self.relations}
        # A huge article replays its edits once all its spans are loaded: a link is taken in once.
        self.relations += [relation for relation in edit.linked if relation.id not in known]

    def span_by_id(self, span_id: int) -> Span | None:
        """The loaded span of that id (None if it is not loaded or not there)."""
        return next((span for span in self.spans if span.id == span_id), None)

    def speaker_of(self, quote: Span) -> Span | None:
        """The actor span linked as this quote's speaker, or None."""
        relation = next((r for r in self.relations if r.head_span_id == quote.id and r.label == SPEAKER), None)
        return self.span_by_id(relation.child_span_id) if relation is not None else None

    def speakers(self) -> dict[int, Span]:
        """Quote span id → its speaker span, for every link whose spans are loaded."""
        by_id = {span.id: span for span in self.spans}
        return {
            r.head_span_id: by_id[r.child_span_id]
            for r in self.relations
            if r.label == SPEAKER and r.child_span_id in by_id
        }

    def quote_at(self, offset: int) -> Span | None:
        """The innermost quote span covering the offset, or None."""
        quotes = [span for span in self.spans if span.label == QUOTE and span.start <= offset < span.end]
        return min(quotes, key=lambda s: s.end - s.start) if quotes else None

    def speaker_candidates(self, quote: Span) -> list[Span]:
        """Every actor span of the article, nearest the quote first (inside it or touching it: distance 0)."""

        def distance(actor: Span) -> tuple[int, int]:
            gap = max(0, actor.start - quote.end, quote.start - actor.end)
            return gap, actor.start

        return sorted((span for span in self.spans if span.label == ACTOR), key=distance)

    def span_word(self, span: Span) -> str:
        """How the status line names a span: its label; a quote with `← «its speaker»` (or `← no speaker`)."""
        if span.label != QUOTE:
            return span.label
        speaker = self.speaker_of(span)
        return f"quote ← «{excerpt(self.text[speaker.start : speaker.end])}»" if speaker else "quote ← no speaker"

    def link_speaker(self, quote: Span, actor: Span, origin: str | None = None) -> Outcome:
        """Link the quote to the actor as its speaker (replacing its speaker), one undoable step; `origin` names
        what made the link when it was not chosen by hand (review's seed of agreed speakers)."""
        if quote.id is None or actor.id is None:
            return Outcome.failure("not linked: a span has no id")
        if self.speaker_of(quote) == actor:
            return Outcome(
                f"«{excerpt(self.text[quote.start : quote.end])}» already has «"
                f"{excerpt(self.text[actor.start : actor.end])}» as its speaker",
                error=True,  # nothing written: no undo step, no decision
            )
        try:
            edit = self.store.link(self.document.id, self.annotator, quote.id, actor.id, user=self.user, origin=origin)
        except StoreError as exc:
            return Outcome.failure(f"not linked: {exc}")
        self._apply(edit)
        replacing = " (its speaker replaced)" if edit.unlinked else ""
        return Outcome(
            f"speaker linked{replacing}: «{excerpt(self.text[quote.start : quote.end])}» ← "
            f"«{excerpt(self.text[actor.start : actor.end])}»"
        )

    def unlink_here(self) -> Outcome:
        """Remove the speaker link of the quote under the cursor, one undoable step."""
        quote = self.quote_at(self.cursor)
        if quote is None:
            return Outcome("the cursor is not inside a quote", error=True)
        return self.unlink_speaker(quote)

    def unlink_speaker(self, quote: Span) -> Outcome:
        """Remove the quote's speaker link, one undoable step."""
        if quote.id is None or self.speaker_of(quote) is None:
            return Outcome("this quote has no speaker to remove", error=True)
        try:
            edit = self.store.unlink(self.document.id, self.annotator, quote.id, user=self.user)
        except StoreError as exc:
            return Outcome.failure(f"not unlinked: {exc}")
        self._apply(edit)
        return Outcome(f"speaker removed from «{excerpt(self.text[quote.start : quote.end])}»")

    def _relations_stepped(self, edit: Edit, redo: bool) -> Outcome:
        """After an undo or redo that moved links and no span: the cursor goes to the quote, and what changed is said."""
        done = "redone" if redo else "undone"
        if not (edit.linked or edit.unlinked):
            return Outcome(f"{done}: nothing changed")
        relation = (edit.linked or edit.unlinked)[0]
        quote = self.span_by_id(relation.head_span_id)
        if quote is not None:
            self.cursor = quote.start
            self.anchor = None
        shown = f"«{excerpt(self.text[quote.start : quote.end])}»" if quote is not None else "a quote"
        if edit.linked:
            speaker = self.span_by_id(edit.linked[0].child_span_id)
            said = f"«{excerpt(self.text[speaker.start : speaker.end])}»" if speaker is not None else "an actor"
            what = "speaker replaced" if edit.unlinked else "speaker linked"
            return Outcome(f"{done}: {what}: {shown} ← {said}")
        return Outcome(f"{done}: speaker link removed from {shown}")

    def _apply(self, edit: Edit) -> None:  # provided by Session
        raise NotImplementedError
