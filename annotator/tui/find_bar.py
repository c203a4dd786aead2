"""The find prompt of the editing screens: whole words, loose Arabic match, next and previous."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input

from annotator.outcome import Outcome
from annotator.session import Session
from annotator.tui.bidi_input import BidiInput
from annotator.tui.text_view import TextView


class FindBar(BidiInput):
    """The one-line find prompt; the query is drawn shaped and in visual order, like the article."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel find", show=False)]

    def action_cancel(self) -> None:
        """Close the prompt, back to the text."""
        self.remove_class("-open")
        self.screen.query_one(TextView).focus()


class FindMixin(Screen):
    """The find keys of an editing screen; mixed into EditorScreen, which owns the session and the status line."""

    session: Session
    mode: str

    def show_outcome(self, outcome: Outcome) -> None:
        raise NotImplementedError

    # -- find --------------------------------------------------------------------------

    async def action_find(self) -> None:
        """Open the find prompt (mounted on first use: its Input is not needed to paint the article)."""
        bars = self.query(FindBar)
        if bars:
            bar = bars.first()
        else:
            bar = FindBar(
                placeholder="find whole words (loose Arabic match; * for part of a word) — Enter: next, Esc: close",
                mode=self.mode,
                id="find",
            )
            await self.mount(bar, before=self.query_one("#status"))
        bar.add_class("-open")
        bar.value = self.session.query
        bar.focus()

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        self.query_one(FindBar).remove_class("-open")
        self.query_one(TextView).focus()
        self.show_outcome(self.session.find(event.value))

    def action_find_next(self) -> None:
        """The next match of the last query."""
        self.show_outcome(self.session.find())

    def action_find_previous(self) -> None:
        """The previous match of the last query."""
        self.show_outcome(self.session.find(backwards=True))
