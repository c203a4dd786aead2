"""The flags half of a Session: the annotator's questions to the lead on this article or one of its spans."""

from __future__ import annotations

from annotator.model import Document
from annotator.store import Flag, Store


class SessionFlags:
    """Flags on the session's document; mixed into Session, which provides the store and the names."""

    store: Store
    user: str
    annotator: str
    document: Document

    def own_open_flags(self) -> list[Flag]:
        """This annotator's open flags on the article (StoreError when the read fails)."""
        return self.store.flags(document_id=self.document.id, annotator=self.annotator, open_only=True)

    def everyones_open_flags(self) -> list[Flag]:
        """Every annotator's open flags on the article, for the lead's review."""
        return self.store.flags(document_id=self.document.id, open_only=True)

    def set_flag(self, target: tuple[int, int] | None, note: str) -> Flag:
        """Raise a flag on the article (target None) or a span's offsets, or change its note; committed on return."""
        return self.store.set_flag(self.document.id, self.annotator, target, note, user=self.user)

    def clear_flag(self, flag_id: int) -> None:
        """Take back one of the annotator's own open flags; committed on return."""
        self.store.clear_flag(flag_id, self.annotator)

    def holds_layer(self) -> bool:
        """Whether this process holds the claim on the annotator's layer (a second terminal does not)."""
        return self.store.holds(self.annotator)

    def resolve_flag(self, flag_id: int) -> Flag:
        """The lead resolves a flag (kept, no longer open); committed on return, Refused when already resolved."""
        return self.store.resolve_flag(flag_id, user=self.user)
