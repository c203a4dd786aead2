"""The session's selection: what Space, shift+moves and Escape select, and what a tag key tags.

A selection always covers whole clusters (a letter with its harakat, shadda and tanween), so a span is
exactly the characters highlighted when it was made.
"""

from __future__ import annotations

from annotator.outcome import Outcome
from annotator.text.graphemes import cluster_end, cluster_start
from annotator.text.tokenizer import word_bounds


class SessionSelection:
    """Cursor and anchor over the text; mixed into Session, which sets them."""

    text: str
    cursor: int
    anchor: int | None
    _selection: tuple[int, int] | None = None
    _selection_ends: tuple[int, int] | None = None

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
            if bounds is not None and not any(ch.isalnum() for ch in self.text[bounds[0] : bounds[1]]):
                # A quotation mark or a comma is a token, not the next word: extending stops at words only.
                position = bounds[1]
                continue
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
