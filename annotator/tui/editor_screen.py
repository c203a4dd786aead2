"""What the annotation and review screens share: the article, header, span list, status line and key bar,
the cursor and selection keys, find, writes off the event loop, opening articles, the claim on the layer.

A screen built on it declares its own BINDINGS and fills in the hooks below (`header`, and where it needs
them `extra_panels`, `refresh_extra`, `after_change`, `document_opened`, `extra_marks`); it overrides no
shared method piecemeal. After a write the header is drawn from state the write updated (the session's
status, the screen's `Progress`), never from a read of the database.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Callable
from typing import cast

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from annotator.model import Document
from annotator.outcome import Outcome
from annotator.session import Session
from annotator.store import Store, StoreError
from annotator.text.layout import Mode
from annotator.tui.claim import ClaimMixin
from annotator.tui.find_bar import FindMixin
from annotator.tui.key_bar import KeyBar, TextLine
from annotator.tui.keys import status_text
from annotator.tui.memory import settle_memory
from annotator.tui.schema_keys import follow_schema
from annotator.tui.span_list import SpanList
from annotator.tui.text_view import TextView
from annotator.workspace import Progress, open_article

SIDE_PANEL_MIN_WIDTH = 64
WAIT_NOTICE_AFTER = 0.3
LAZY_SPANS_FROM = 50_000
SPAN_WINDOW = 10_000
PLACE_SAVE_AFTER = 0.5
VERTICAL = ("up", "down", "pageup", "pagedown")
Marks = Callable[[int, int], list[tuple[int, int, Style]]]


class EditorScreen(FindMixin, ClaimMixin, Screen):
    """One layer of one article on screen, edited with the keyboard; see the module docstring for the hooks."""

    AUTO_FOCUS = "TextView"
    lazy_spans = True
    """Huge articles paint with the spans around the cursor, then load the rest in a thread."""
    side_title = "Spans"

    def __init__(
        self, store: Store, user: str, document: Document, progress: Progress, *, mode: str = "app", cursor: int = 0
    ) -> None:
        super().__init__()
        self.store = store
        self.user = user
        self.progress = progress
        self.annotator = progress.annotator
        self.mode = mode
        self.message = Outcome("")
        self._said_at: tuple[int, int | None] | None = None
        self._place_timer: Timer | None = None
        self.session = self.new_session(document, cursor)
        follow_schema(self, self.session.schema)  # the label keys of this database's schema

    # -- hooks -------------------------------------------------------------------------

    def header(self) -> Text:
        """The title line's text for the current article (drawn from memory only)."""
        raise NotImplementedError

    def extra_panels(self) -> ComposeResult:
        """Widgets between the text and the status line."""
        yield from ()

    def refresh_extra(self) -> None:
        """Repaint the screen's own panels after the status line."""

    def after_change(self) -> None:
        """Run in the write's worker thread after every change, to bring the screen's own state up to date."""

    def document_opened(self, first: bool) -> None:
        """Called once an article's session is in place (`first`: the one the screen opened on), before painting."""

    def extra_marks(self) -> Marks | None:
        """Marks the text view draws besides the spans (suggestions, disagreements), or None."""
        return None

    def load_suggestions(self, session: Session) -> None:
        """Read what the layer is offered (the annotation screen's suggestions) into a new session."""

    # -- sessions ----------------------------------------------------------------------

    def new_session(self, document: Document, cursor: int) -> Session:
        """A session on document with the cursor at `cursor`."""
        cursor = max(0, min(cursor, len(document.text) - 1))
        window = None
        if self.lazy_spans and len(document.text) > LAZY_SPANS_FROM:
            window = (max(0, cursor - SPAN_WINDOW), cursor + SPAN_WINDOW)
        session = Session(
            self.store,
            self.user,
            document,
            annotator=self.annotator,
            window=window,
            status=self.progress.status(document.id),
            status_known=True,
        )
        session.cursor = cursor
        self.load_suggestions(session)
        return session

    def load_remaining_spans(self) -> None:
        """If the session holds only the spans near the cursor, read the rest in a worker thread."""
        session = self.session
        if session.complete:
            self.call_after_refresh(settle_memory)
            return

        def load() -> None:
            try:
                layers, last_event = session.load_all()
            except StoreError as exc:
                self.app.call_from_thread(self.say, Outcome.failure(f"not loaded: {exc}"))
                return
            self.app.call_from_thread(self._spans_loaded, session, layers, last_event)

        self.run_worker(load, thread=True, group="spans")

    def _spans_loaded(self, session: Session, layers: dict, last_event: int) -> None:
        if session is not self.session:
            return  # another article was opened meanwhile
        session.finish_loading(layers, last_event)
        self.refresh_title()  # the suggestions left: every span is known now
        self.refresh_spans()
        self.view.refresh_view()
        self.call_after_refresh(settle_memory)

    # -- composition -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TextLine(id="title")
        with Horizontal(id="main"):
            yield TextView(self.session, cast(Mode, self.mode), id="text")
            with Vertical(id="side"):
                yield TextLine(self.side_title, id="spans-title")
                yield SpanList(id="spans")
        yield from self.extra_panels()
        yield TextLine(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.document_opened(first=True)
        if self.view.extra_marks is None:
            self.view.extra_marks = self.extra_marks()
        self.refresh_all()
        self.view.focus()
        self.call_after_refresh(self.load_remaining_spans)  # after the first paint, not competing with it
        self.watch_claim()

    def on_resize(self, event: events.Resize) -> None:
        """Hide the span list on narrow terminals so the text keeps its width; refit the title and panels."""
        self.query_one("#side").display = event.size.width >= SIDE_PANEL_MIN_WIDTH
        if self.is_mounted:
            self.refresh_title()
            self.refresh_extra()

    @property
    def view(self) -> TextView:
        """The article."""
        return self.query_one(TextView)

    # -- painting ----------------------------------------------------------------------

    def refresh_all(self) -> None:
        """Repaint the title, span list, status line, panels and text."""
        self.refresh_title()
        self.refresh_spans()
        self.refresh_status()
        self.view.refresh_view()

    def refresh_title(self) -> None:
        """Draw the header (from memory: see `header`)."""
        self.query_one("#title", Static).update(self.header())

    def refresh_spans(self) -> None:
        """Show the session's spans in the side panel (drawn lazily: only visible rows cost anything)."""
        spans = self.session.spans
        self.query_one(SpanList).show(
            spans, self.session.text, self.view.styles_by_label, self.mode, speakers=self.session.speakers()
        )
        count = f"{len(spans)}" if self.session.complete else "loading…"
        self.query_one("#spans-title", Static).update(f"Spans ({count})")

    def refresh_status(self) -> None:
        """The status line: offset, selection, spans under the cursor, the last message; then the panels."""
        session = self.session
        selection = session.selection
        here = ", ".join(session.span_word(span) for span in session.spans_at(session.cursor)) or "—"
        status = Text()
        status.append(f" offset {session.cursor}/{len(session.text)}  ")
        status.append(f"selection {selection[1] - selection[0] if selection else 0}  ")
        status.append(status_text(f"span {here}", self.mode) + "  ")  # a speaker's «text» laid out like the article
        if self.message.message:
            shown = Text(
                status_text(self.message.message, self.mode), style="bold red" if self.message.error else "green"
            )
            if shown.cell_len > self.size.width - status.cell_len - 1:
                # a message too long to sit beside the figures takes the whole line: the figures are back
                # once it goes, the message would not be
                status = Text(" ")
            shown.truncate(max(10, self.size.width - status.cell_len - 1), overflow="ellipsis")
            status.append_text(shown)
        self.query_one("#status", Static).update(status)
        if self.is_mounted:
            self.refresh_extra()

    def show_outcome(self, outcome: Outcome) -> None:
        """Say what a cursor or selection action did, keep the cursor in view and repaint."""
        self.say(outcome)
        self.view.show_cursor()
        self.view.refresh_view()

    def say(self, outcome: Outcome) -> None:
        """Show an action's outcome in the status line (failures also as a notification)."""
        self.message = outcome
        self._said_at = (self.session.cursor, self.session.anchor)
        if outcome.failed:
            self.notify(outcome.message, severity="error", timeout=6, markup=False)
        if outcome.note:  # a status line too narrow for the whole note must not hide it
            self.notify(status_text(outcome.note, self.mode), severity="warning", timeout=6, markup=False)
        self.refresh_status()

    @on(TextView.CursorMoved)
    def _cursor_moved(self) -> None:
        if (self.session.cursor, self.session.anchor) != self._said_at:
            # A message tells what was done where the cursor was: stale once it moves. On a suggestion the
            # status line names it and the keys that decide it.
            self.message = Outcome(self.session.suggestion_hint())
        self.refresh_status()
        self._schedule_place_save()

    def _schedule_place_save(self) -> None:
        if self._place_timer is not None:
            self._place_timer.stop()
        self._place_timer = self.set_timer(PLACE_SAVE_AFTER, self._save_place_in_background)

    def _save_place_in_background(self) -> None:
        """Remember the cursor without ever blocking the screen on a locked database."""
        self.run_worker(self.session.save_place, thread=True, group="place")

    # -- movement and selection --------------------------------------------------------

    def _target(self, how: str) -> int:
        view = self.view
        layout = view.document_layout()
        cursor = self.session.cursor
        if how in ("left", "right"):
            return layout.move(cursor, "left" if how == "left" else "right")
        if how in VERTICAL:
            rows = {"up": -1, "down": 1, "pageup": -view.page_rows(), "pagedown": view.page_rows()}[how]
            if view.goal_x is None:
                view.goal_x = layout.place(cursor).x
            return layout.vertical(cursor, rows, view.goal_x)
        if how in ("home", "end"):
            return layout.row_edge(cursor, "home" if how == "home" else "end")
        if how in ("word_left", "word_right"):
            return layout.word_step(cursor, "left" if how == "word_left" else "right")
        raise ValueError(how)

    def action_move(self, how: str) -> None:
        """Move the cursor (clears the selection)."""
        self.view.move_to(self._target(how), keep_goal=how in VERTICAL)

    def action_move_extend(self, how: str) -> None:
        """Move the cursor, extending the selection."""
        self.view.move_to(self._target(how), extend=True, keep_goal=how in VERTICAL)

    def action_select_word(self) -> None:
        """Select the word under the cursor, or extend by the next one."""
        self.show_outcome(self.session.select_word())

    def action_swap_ends(self) -> None:
        """The cursor jumps to the selection's other end."""
        self.show_outcome(self.session.swap_ends())

    def action_clear(self) -> None:
        """Drop the selection and the message."""
        self.session.clear_selection()
        self.message = Outcome("")
        self.refresh_status()
        self.view.refresh_view()

    # -- writing -----------------------------------------------------------------------

    async def write(self, change: Callable[[], Outcome]) -> Outcome:
        """Run a change that writes to the database off the event loop, saying so if it waits for a lock.

        Key presses queue behind it (this handler is awaited), so changes keep their order. The header is
        then drawn from the status the write left in the session.
        """
        waiting = self.set_timer(WAIT_NOTICE_AFTER, self._show_waiting)
        session = self.session

        def change_then_update() -> Outcome:
            outcome = change()
            self.after_change()
            return outcome

        try:
            outcome = await asyncio.to_thread(change_then_update)
        finally:
            waiting.stop()
        self.progress.record(session.document.id, session.status)
        self.say(outcome)
        self.refresh_spans()
        self.refresh_title()
        self.view.refresh_view()
        return outcome

    def _show_waiting(self) -> None:
        self.say(Outcome("waiting for the database (another annotator is writing)…", error=True))

    async def action_tag(self, label: str) -> None:
        """Tag the selection or the word under the cursor."""
        await self.write(lambda: self.session.tag(label))

    async def action_redo(self) -> None:
        """Redo the last undone change."""
        await self.write(lambda: self.session.undo(redo=True))
        self.view.show_cursor()

    async def action_reopen(self) -> None:
        """Put this article back in progress (in review: gold no longer adjudicated); u undoes it."""
        await self.write(self.session.reopen)

    # -- the span list -----------------------------------------------------------------

    def action_focus_spans(self) -> None:
        """Move the focus to the span list (Enter there jumps to the span, Escape comes back)."""
        span_list = self.query_one(SpanList)
        here = self.session.next_span(backwards=True)
        if here is not None and span_list.spans:
            span_list.highlighted = max(0, bisect.bisect_left([s.start for s in span_list.spans], here.start))
        span_list.focus()

    @on(SpanList.Chosen)
    def _span_chosen(self, event: SpanList.Chosen) -> None:
        self.view.move_to(event.span.start)
        self.view.focus()

    # -- articles ----------------------------------------------------------------------

    def open_document(self, document_id: str, cursor: int | None = None) -> None:
        """Show another document of the corpus."""
        document, cursor = open_article(self.store, document_id, self.annotator, cursor)
        if document is None:
            self.say(Outcome(f"no document {document_id}", error=True))
            return
        self._save_place_in_background()
        self.message = Outcome(f"opened {document_id}")
        session = self.new_session(document, cursor)
        self.session = session
        self.view.set_session(session)
        self.document_opened(first=False)
        self.load_remaining_spans()
        self.refresh_all()
        self.view.show_cursor()
        self._save_place_in_background()

    def _step_document(self, step: int, edge: str) -> None:
        target = self.progress.neighbour(self.session.document.id, step)
        if target is None:
            self.say(Outcome(f"this is the {edge} article", error=True))
        else:
            self.open_document(target)

    def action_next_document(self) -> None:
        """]: the next article."""
        self._step_document(1, "last")

    def action_previous_document(self) -> None:
        """[: the previous article."""
        self._step_document(-1, "first")

    def action_documents(self) -> None:
        """The list of articles; the one chosen opens."""
        from annotator.tui.documents_screen import DocumentsScreen

        def chosen(document_id: str | None) -> None:
            if document_id:
                self.open_document(document_id)

        self.app.push_screen(DocumentsScreen(self.store, self.annotator, self.session.document.id, self.mode), chosen)
