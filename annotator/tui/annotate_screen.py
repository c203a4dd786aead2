"""The annotation screen: the article, its spans and suggestions, a status line, and every key."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.color import Color, blend_rgb
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType

from annotator.model import GOLD, Document
from annotator.outcome import Outcome
from annotator.session import Session
from annotator.store import DONE, Store, StoreError, status_word
from annotator.text.display import display_line
from annotator.tui.arabic_keys import with_arabic_layout
from annotator.tui.editor_screen import EditorScreen, Marks
from annotator.tui.flag_input import FlagKeys
from annotator.tui.keys import (
    MOVES,
    document_keys,
    edit_keys,
    find_keys,
    flag_key,
    label_keys,
    motion_keys,
    reopen_key,
    speaker_keys,
    status_text,
)
from annotator.tui.speaker_linking import SpeakerLinking, with_speaker_help
from annotator.workspace import CORPUS_ORDER, Progress

__all__ = ["MOVES", "AnnotateScreen", "status_text"]

SUGGESTION_GROUND = "#121212"  # the article's dark background the tint is mixed into
SUGGESTION_TINT = 0.35  # how much of the label's colour a suggestion's background takes


def _bindings() -> list[BindingType]:
    """Every key of the screen; the help screen and command palette list these."""
    return with_arabic_layout(
        [
            *motion_keys(),
            *label_keys(digits=True),
            *edit_keys(),
            *speaker_keys(),
            Binding("tab", "next_span", "Next span or suggestion", show=False, priority=True, id="next_span"),
            Binding(
                "shift+tab",
                "previous_span",
                "Previous span or suggestion",
                show=False,
                priority=True,
                id="previous_span",
            ),
            Binding(
                "enter",
                "accept_suggestion",
                "Accept the suggestion under the cursor",
                show=False,
                id="accept_suggestion",
            ),
            Binding(
                "X",
                "reject_suggestion",
                "Reject the suggestion under the cursor (for you only)",
                show=False,
                id="reject_suggestion",
            ),
            Binding(
                "A",
                "accept_all",
                "Accept every suggestion left in the article (one undo step)",
                show=False,
                id="accept_all",
            ),
            Binding(
                "asterisk",
                "propagate",
                "Propagate: tag every occurrence of this span's text here, suggest it elsewhere",
                show=False,
                key_display="*",
                id="propagate",
            ),
            *find_keys(),
            *flag_key(),
            Binding("ctrl+d", "done", "Done → next", id="done"),
            *reopen_key(),
            *document_keys(),
        ]
    )


class AnnotateScreen(EditorScreen, FlagKeys, SpeakerLinking):
    """Read an article right to left and tag spans with the keyboard."""

    BINDINGS: ClassVar[list[BindingType]] = _bindings()

    def __init__(
        self,
        store: Store,
        user: str,
        document: Document,
        *,
        mode: str = "app",
        cursor: int = 0,
        annotator: str | None = None,
        order: str = CORPUS_ORDER,
    ) -> None:
        self.article_order = order
        """The order ctrl+d takes articles in (workspace.ORDERS)."""
        self._suggestion_styles: dict[str, Style] | None = None
        self.linking = None
        super().__init__(
            store, user, document, Progress.read(store, annotator or user, order), mode=mode, cursor=cursor
        )

    # -- hooks -------------------------------------------------------------------------

    def load_suggestions(self, session: Session) -> None:
        """Suggestions are drawn and decided here for a person's layer (gold has review's marks instead)."""
        if self.annotator == GOLD:
            return
        try:
            session.load_suggestions()
        except StoreError as exc:
            self.message = Outcome(f"suggestions not loaded: {exc}", error=True)

    def extra_marks(self) -> Marks | None:
        """Pending suggestions (for a person's layer) and the speaker offered while linking."""
        return self._marks

    def document_opened(self, first: bool) -> None:
        """Another article: a speaker being chosen in the last one is dropped; its open flags read for ⚑ and `!`."""
        self.linking = None
        self.read_flags()

    def header(self) -> Text:
        """Layer, place in the corpus, how many done, this article's status, suggestions left, its title."""
        progress = self.progress
        doc_id = self.session.document.id
        total = len(progress.corpus)
        title = Text()
        title.append(f" {display_line(self.annotator, 24, self.mode)} ", style="bold reverse")  # a login may be Arabic
        if self.read_only:
            title.append(" read-only ", style="bold white on dark_red")
        title.append(
            f"  article {progress.position(doc_id)}/{total}  ·  {progress.count()} of {total} done  ·  "
            f"{status_word(self.session.status)}  "
        )
        title.append(self.suggestions_left())
        title.append_text(self.flag_marker())
        # The title gets exactly the cells left, so it is cut by display_line at the end of its reading
        # order (an Arabic title keeps its first words at the right), never cropped by the widget's edge.
        width = self.size.width - title.cell_len - 1
        if width >= 8:
            title.append(display_line(self.session.document.title, width, self.mode), style="bold")
        return title

    # -- editing -----------------------------------------------------------------------

    async def action_remove(self) -> None:
        """Remove the span under the cursor."""
        await self.write(self.session.remove_here)

    def action_clear(self) -> None:
        """Escape: cancel choosing a speaker (the cursor goes back into the quote), else drop the selection."""
        if not self.cancel_linking():
            super().action_clear()

    async def action_undo(self) -> None:
        """Undo the last change of this article."""
        await self.write(self.session.undo)
        self.view.show_cursor()

    def _go_to_span(self, backwards: bool) -> None:
        """Tab: spans and pending suggestions alike, in text order (while linking: the next speaker offered)."""
        if self.step_speaker(backwards):
            return
        stop = self.session.next_stop(backwards=backwards)
        if stop is None:
            self.say(Outcome("no spans or suggestions yet", error=True))
            return
        self.view.move_to(stop)
        self.view.focus()

    def action_next_span(self) -> None:
        """Tab: the next span or suggestion."""
        self._go_to_span(False)

    def action_previous_span(self) -> None:
        """Shift+Tab: the previous span or suggestion."""
        self._go_to_span(True)

    # -- suggestions -------------------------------------------------------------------

    def suggestion_styles(self) -> dict[str, Style]:
        """A suggestion is underlined on a dim tint of its label's colour: never like a span (bold white on the
        full colour, or a quote's coloured italics), and its text keeps the article's own colour to stay legible."""
        dark = Color.parse(SUGGESTION_GROUND).get_truecolor()
        return {
            label.name: Style(
                bgcolor=Color.from_triplet(blend_rgb(dark, Color.parse(label.colour).get_truecolor(), SUGGESTION_TINT)),
                underline=True,
            )
            for label in self.session.labels
        }

    def _marks(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        """The TextView's extra marks: suggestions, then the speaker offered (drawn last: on top)."""
        marks = [] if self.annotator == GOLD else self._suggestion_marks(start, end)
        return marks + self.candidate_marks(start, end)

    def _suggestion_marks(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        """Pending suggestions of the rows being drawn."""
        if self._suggestion_styles is None:
            self._suggestion_styles = self.suggestion_styles()
        styles = self._suggestion_styles
        return [
            (item.start, item.end, styles[item.label])
            for item in self.session.suggestions_in(start, end)
            if item.label in styles
        ]

    def suggestions_left(self) -> str:
        """The header's count of suggestions left in the article ('' when there are none)."""
        count = len(self.session.suggestions)
        return f"{count} suggestion{'s' if count != 1 else ''} left  " if count else ""

    async def action_accept_suggestion(self) -> None:
        """Enter: the suggestion under the cursor becomes your span (while linking: link the speaker offered)."""
        if await self.finish_linking():
            return
        await self.write(self.session.accept_suggestion)

    async def action_reject_suggestion(self) -> None:
        """X: hide the suggestion under the cursor for you (u brings it back)."""
        await self.write(self.session.reject_suggestion)

    async def action_accept_all(self) -> None:
        """A: accept every suggestion left in the article as one undo step."""
        await self.write(self.session.accept_all)

    async def action_propagate(self) -> None:
        """*: tag every occurrence of the span's text in the article, suggest it in your unfinished articles."""
        # Matching every article not done takes a while on a big corpus: say so, and keep the
        # "waiting for the database" notice for the write alone.
        self.say(Outcome("propagating: looking for its text here and in your articles not done…"))
        session = self.session
        found = await asyncio.to_thread(session.find_propagation)
        if session is not self.session:
            return  # another article was opened meanwhile
        if isinstance(found, Outcome):
            self.say(found)
            return
        propagation = found
        await self.write(lambda: session.propagate(propagation))

    # -- articles ----------------------------------------------------------------------

    async def action_done(self) -> None:
        """Mark this article done and open the next one not done."""
        session = self.session
        outcome = await asyncio.to_thread(session.mark_done, DONE)
        if outcome.error:
            self.say(outcome)
            return
        self.progress.record(session.document.id, session.status)
        target = self.progress.next_not_finished(after=session.document.id)
        if target is None:
            self.refresh_title()
            self.say(Outcome(f"{outcome.message}; every article is done"))
            return
        self.open_document(target)
        self.say(Outcome(f"{outcome.message}; opened {target}"))

    def action_help(self) -> None:
        """The keys."""
        from annotator.tui.help_screen import HelpScreen

        self.app.push_screen(HelpScreen(self.BINDINGS, with_speaker_help))
