"""The annotation screen: the article, its spans, a status line, and every key."""

from __future__ import annotations

import asyncio
import bisect
import itertools
import re
from collections.abc import Callable
from typing import ClassVar

from rich.color import Color, blend_rgb
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from annotator.model import GOLD, Document
from annotator.session import Outcome, Session
from annotator.store import DONE, ClaimLost, ClaimWatch, Store, StoreError, status_word
from annotator.text.display import display_line
from annotator.text.sanitize import sanitize
from annotator.tui.arabic_keys import with_arabic_layout
from annotator.tui.key_bar import KeyBar, TextLine
from annotator.tui.memory import settle_memory
from annotator.tui.span_list import SpanList
from annotator.tui.text_view import TextView
from annotator.workspace import CORPUS_ORDER, next_not_done

SIDE_PANEL_MIN_WIDTH = 64
WAIT_NOTICE_AFTER = 0.3
LAZY_SPANS_FROM = 50_000
SPAN_WINDOW = 10_000
ARABIC_DIGIT_KEYS = {"١": 0, "٢": 1, "٣": 2, "٤": 3}
SUGGESTION_GROUND = "#121212"  # the article's dark background the tint is mixed into
SUGGESTION_TINT = 0.35  # how much of the label's colour a suggestion's background takes

MOVES: dict[str, tuple[str, str]] = {
    # key: (action, description)
    "left": ("move('left')", "one character left (forward in Arabic)"),
    "right": ("move('right')", "one character right (back in Arabic)"),
    "up": ("move('up')", "one row up"),
    "down": ("move('down')", "one row down"),
    "home": ("move('home')", "row start (in reading order)"),
    "end": ("move('end')", "row end (in reading order)"),
    "pageup": ("move('pageup')", "one page up"),
    "pagedown": ("move('pagedown')", "one page down"),
    "ctrl+left": ("move('word_left')", "one word left (forward in Arabic)"),
    "ctrl+right": ("move('word_right')", "one word right"),
}


def _bindings() -> list[BindingType]:
    """Every key of the screen; the help screen and command palette list these."""
    bindings: list[BindingType] = []
    for key, (action, description) in MOVES.items():
        bindings.append(Binding(key, action, description, show=False))
        extend = action.replace("move(", "move_extend(")
        bindings.append(Binding(f"shift+{key}", extend, f"extend selection: {description}", show=False))
    bindings += [
        Binding("space", "select_word", "Select word / extend by next word", show=False),
        Binding("escape", "clear", "Clear selection", show=False),
        Binding("e", "swap_ends", "Move the other end of the selection (trim a clitic)", show=False),
        Binding("1,a", "tag('actor')", "Actor"),
        Binding("2,f", "tag('figure')", "Figure"),
        Binding("3,p", "tag('place')", "Place"),
        Binding("4,q", "tag('quote')", "Quote"),
        Binding("x,delete,backspace", "remove", "Remove", key_display="x"),
        Binding("u,ctrl+z", "undo", "Undo", key_display="u"),
        Binding("ctrl+y,U", "redo", "Redo", show=False),
        Binding("tab", "next_span", "Next span or suggestion", show=False, priority=True),
        Binding("shift+tab", "previous_span", "Previous span or suggestion", show=False, priority=True),
        Binding("enter", "accept_suggestion", "Accept the suggestion under the cursor", show=False),
        Binding("X", "reject_suggestion", "Reject the suggestion under the cursor (for you only)", show=False),
        Binding("A", "accept_all", "Accept every suggestion left in the article (one undo step)", show=False),
        Binding("asterisk", "propagate", "Propagate: tag every occurrence of this span's text here, suggest it elsewhere",
                show=False, key_display="*"),
        Binding("slash", "find", "Find", key_display="/"),
        Binding("n", "find_next", "Next match", show=False),
        Binding("N", "find_previous", "Previous match", show=False),
        Binding("ctrl+d", "done", "Done → next"),
        Binding("r", "reopen", "Reopen the article (back in progress)", show=False),
        Binding("right_square_bracket", "next_document", "Next article", show=False),
        Binding("left_square_bracket", "previous_document", "Previous article", show=False),
        Binding("o", "documents", "Articles"),
        Binding("l", "focus_spans", "Focus the span list", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]
    return with_arabic_layout(bindings)


class FindBar(Input):
    """The one-line find prompt."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel find", show=False)]

    def action_cancel(self) -> None:
        self.remove_class("-open")
        self.screen.query_one(TextView).focus()


class AnnotateScreen(Screen):
    """Read an article right to left and tag spans with the keyboard."""

    BINDINGS: ClassVar[list[BindingType]] = _bindings()
    AUTO_FOCUS = "TextView"

    def __init__(self, store: Store, user: str, document: Document, *, mode: str = "app", cursor: int = 0,
                 owner: str | None = None, order: str = CORPUS_ORDER) -> None:
        super().__init__()
        self.store = store
        self.user = user
        self.owner = owner or user
        self.mode = mode
        self.article_order = order
        """The order ctrl+d takes articles in (workspace.ORDERS)."""
        self.session = self.new_session(document, cursor)
        self.message = Outcome("")

    lazy_spans = True
    """Huge articles paint with the spans around the cursor, then load the rest in a thread."""

    def new_session(self, document: Document, cursor: int) -> Session:
        """A session on document with the cursor at `cursor`."""
        cursor = max(0, min(cursor, len(document.text) - 1))
        window = None
        if self.lazy_spans and len(document.text) > LAZY_SPANS_FROM:
            window = (max(0, cursor - SPAN_WINDOW), cursor + SPAN_WINDOW)
        session = Session(self.store, self.user, document, annotator=self.owner, window=window)
        session.cursor = cursor
        if self.show_suggestions and self.owner != GOLD:
            try:
                session.load_suggestions()
            except StoreError as exc:
                self.message = Outcome(f"suggestions not loaded: {exc}", error=True)
        return session

    show_suggestions = True
    """Suggestions are drawn and decided in the annotation screen; review (the gold layer) has its own marks."""

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

    # -- composition -------------------------------------------------------------

    side_title = "Spans"

    def extra_panels(self) -> ComposeResult:
        """Widgets between the text and the find bar (the review screen's versions panel)."""
        yield from ()

    def compose(self) -> ComposeResult:
        yield TextLine(id="title")
        with Horizontal(id="main"):
            yield TextView(self.session, self.mode, id="text")  # type: ignore[arg-type]
            with Vertical(id="side"):
                yield TextLine(self.side_title, id="spans-title")
                yield SpanList(id="spans")
        yield from self.extra_panels()
        yield TextLine(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.view.extra_marks is None and self.show_suggestions and self.owner != GOLD:
            self.view.extra_marks = self._suggestion_marks
        self.refresh_all()
        self.query_one(TextView).focus()
        self.call_after_refresh(self.load_remaining_spans)  # after the first paint, not competing with it
        self.watch_claim()

    def on_resize(self, event: events.Resize) -> None:
        """Hide the span list on narrow terminals so the text keeps its width."""
        self.query_one("#side").display = event.size.width >= SIDE_PANEL_MIN_WIDTH

    @property
    def view(self) -> TextView:
        return self.query_one(TextView)

    # -- painting ----------------------------------------------------------------

    def refresh_all(self) -> None:
        """Repaint the title, span list, status line and text."""
        self.refresh_title()
        self.refresh_spans()
        self.refresh_status()
        self.view.refresh_view()

    def refresh_title(self) -> None:
        documents = self.store.document_list()
        ids = [doc_id for doc_id, _, _ in documents]
        position = ids.index(self.session.document.id) + 1 if self.session.document.id in ids else 0
        done = len(self.store.done_documents(self.owner))
        status = status_word(self.store.status(self.session.document.id, self.owner))
        title = Text()
        title.append(f" {self.owner} ", style="bold reverse")
        if self.read_only:
            title.append(" read-only ", style="bold white on dark_red")
        title.append(f"  article {position}/{len(ids)}  ·  {done} of {len(ids)} done  ·  {status}  ")
        title.append(self.suggestions_left())
        # The title gets exactly the cells left, so it is cut by display_line at the end of its reading
        # order (an Arabic title keeps its first words at the right), never cropped by the widget's edge.
        width = self.size.width - title.cell_len - 1
        if width >= 8:
            title.append(display_line(self.session.document.title, width, self.mode), style="bold")
        self.query_one("#title", Static).update(title)

    def refresh_spans(self) -> None:
        """Show the session's spans in the side panel (drawn lazily: only visible rows cost anything)."""
        spans = self.session.spans
        self.query_one(SpanList).show(spans, self.session.text, self.view.styles_by_label, self.mode)
        count = f"{len(spans)}" if self.session.complete else "loading…"
        self.query_one("#spans-title", Static).update(f"Spans ({count})")

    def refresh_status(self) -> None:
        session = self.session
        selection = session.selection
        here = ", ".join(span.label for span in session.spans_at(session.cursor)) or "—"
        status = Text()
        status.append(f" offset {session.cursor}/{len(session.text)}  ")
        status.append(f"selection {selection[1] - selection[0] if selection else 0}  ")
        status.append(f"span {here}  ")
        if self.message.message:
            shown = Text(status_text(self.message.message, self.mode), style="bold red" if self.message.error else "green")
            shown.truncate(max(10, self.size.width - status.cell_len - 1), overflow="ellipsis")
            status.append_text(shown)
        self.query_one("#status", Static).update(status)

    def show_outcome(self, outcome: Outcome) -> None:
        """Say what a cursor or selection action did, keep the cursor in view and repaint."""
        self.say(outcome)
        self.view.show_cursor()
        self.view.refresh_view()

    def say(self, outcome: Outcome) -> None:
        """Show an action's outcome in the status line (errors also as a notification)."""
        self.message = outcome
        self._said_at = (self.session.cursor, self.session.anchor)
        if outcome.failed:
            self.notify(outcome.message, severity="error", timeout=6, markup=False)
        if outcome.note:  # a status line too narrow for the whole note must not hide it
            self.notify(status_text(outcome.note, self.mode), severity="warning", timeout=6, markup=False)
        self.refresh_status()

    @on(TextView.CursorMoved)
    def _cursor_moved(self) -> None:
        if (self.session.cursor, self.session.anchor) != getattr(self, "_said_at", None):
            # A message tells what was done where the cursor was: stale once it moves. On a suggestion the
            # status line names it and the keys that decide it.
            self.message = Outcome(self.session.suggestion_hint())
        self.refresh_status()
        self._schedule_place_save()

    def _schedule_place_save(self) -> None:
        timer: Timer | None = getattr(self, "_place_timer", None)
        if timer is not None:
            timer.stop()
        self._place_timer = self.set_timer(0.5, self._save_place_in_background)

    def _save_place_in_background(self) -> None:
        """Remember the cursor without ever blocking the screen on a locked database."""
        self.run_worker(self.session.save_place, thread=True, group="place")

    # -- movement ------------------------------------------------------------------

    def _target(self, how: str) -> int:
        view = self.view
        layout = view.document_layout()
        cursor = self.session.cursor
        if how in ("left", "right"):
            return layout.move(cursor, how)  # type: ignore[arg-type]
        if how in ("up", "down", "pageup", "pagedown"):
            rows = {"up": -1, "down": 1, "pageup": -view.page_rows(), "pagedown": view.page_rows()}[how]
            if view.goal_x is None:
                view.goal_x = layout.place(cursor).x
            return layout.vertical(cursor, rows, view.goal_x)
        if how in ("home", "end"):
            return layout.row_edge(cursor, how)  # type: ignore[arg-type]
        if how in ("word_left", "word_right"):
            return layout.word_step(cursor, "left" if how == "word_left" else "right")
        raise ValueError(how)

    def action_move(self, how: str) -> None:
        """Move the cursor (clears the selection)."""
        vertical = how in ("up", "down", "pageup", "pagedown")
        self.view.move_to(self._target(how), keep_goal=vertical)

    def action_move_extend(self, how: str) -> None:
        """Move the cursor, extending the selection."""
        vertical = how in ("up", "down", "pageup", "pagedown")
        self.view.move_to(self._target(how), extend=True, keep_goal=vertical)

    def action_select_word(self) -> None:
        self.show_outcome(self.session.select_word())

    def action_swap_ends(self) -> None:
        """The cursor jumps to the selection's other end."""
        self.show_outcome(self.session.swap_ends())

    def action_clear(self) -> None:
        self.session.clear_selection()
        self.message = Outcome("")
        self.refresh_status()
        self.view.refresh_view()

    # -- editing -------------------------------------------------------------------

    async def write(self, change: Callable[[], Outcome]) -> Outcome:
        """Run a change that writes to the database off the event loop, saying so if it waits for a lock.

        Key presses queue behind it (this handler is awaited), so changes keep their order.
        """
        waiting = self.set_timer(WAIT_NOTICE_AFTER, self._show_waiting)
        try:
            outcome = await asyncio.to_thread(change)
        finally:
            waiting.stop()
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

    async def action_remove(self) -> None:
        """Remove the span under the cursor."""
        await self.write(self.session.remove_here)

    async def action_undo(self) -> None:
        """Undo the last change of this article."""
        await self.write(self.session.undo)
        self.view.show_cursor()

    async def action_redo(self) -> None:
        """Redo the last undone change."""
        await self.write(lambda: self.session.undo(redo=True))
        self.view.show_cursor()

    async def on_key(self, event: events.Key) -> None:
        """Arabic-Indic digits ١ ٢ ٣ ٤ tag like 1 2 3 4."""
        if event.character in ARABIC_DIGIT_KEYS and not isinstance(self.focused, Input):
            labels = [label.name for label in self.session.labels]
            index = ARABIC_DIGIT_KEYS[event.character]
            if index < len(labels):
                event.stop()
                await self.action_tag(labels[index])

    # -- spans -----------------------------------------------------------------------

    def _go_to_span(self, backwards: bool) -> None:
        """Tab: spans and pending suggestions alike, in text order."""
        stop = self.session.next_stop(backwards=backwards)
        if stop is None:
            self.say(Outcome("no spans or suggestions yet", error=True))
            return
        self.view.move_to(stop)
        self.view.focus()

    def action_next_span(self) -> None:
        self._go_to_span(False)

    def action_previous_span(self) -> None:
        self._go_to_span(True)

    # -- suggestions -------------------------------------------------------------------

    def suggestion_styles(self) -> dict[str, Style]:
        """A suggestion is underlined on a dim tint of its label's colour: never like a span (bold white on the
        full colour, or a quote's coloured italics), and its text keeps the article's own colour to stay legible."""
        dark = Color.parse(SUGGESTION_GROUND).get_truecolor()
        return {
            label.name: Style(bgcolor=Color.from_triplet(blend_rgb(dark, Color.parse(label.colour).get_truecolor(),
                                                                   SUGGESTION_TINT)), underline=True)
            for label in self.session.labels
        }

    def _suggestion_marks(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        """The TextView's extra marks: pending suggestions of the rows being drawn."""
        styles = getattr(self, "_suggestion_style_cache", None)
        if styles is None:
            styles = self._suggestion_style_cache = self.suggestion_styles()
        return [(item.start, item.end, styles[item.label]) for item in self.session.suggestions_in(start, end)
                if item.label in styles]

    def suggestions_left(self) -> str:
        """The header's count of suggestions left in the article ('' when there are none)."""
        count = len(self.session.suggestions)
        return f"{count} suggestion{'s' if count != 1 else ''} left  " if count else ""

    async def action_accept_suggestion(self) -> None:
        """Enter: the suggestion under the cursor becomes your span."""
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

    # -- find ------------------------------------------------------------------------

    async def action_find(self) -> None:
        """Open the find prompt (mounted on first use: its Input is not needed to paint the article)."""
        bars = self.query(FindBar)
        if bars:
            bar = bars.first()
        else:
            bar = FindBar(placeholder="find whole words (loose Arabic match; * for part of a word) — Enter: next, Esc: close", id="find")
            await self.mount(bar, before=self.query_one("#status"))
        bar.add_class("-open")
        bar.value = self.session.query
        bar.focus()

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        bar = self.query_one(FindBar)
        bar.remove_class("-open")
        self.view.focus()
        self.show_outcome(self.session.find(event.value))

    def action_find_next(self) -> None:
        self.show_outcome(self.session.find())

    def action_find_previous(self) -> None:
        self.show_outcome(self.session.find(backwards=True))

    # -- documents ---------------------------------------------------------------------

    def open_document(self, document_id: str, cursor: int | None = None) -> None:
        """Show another document of the corpus."""
        document = self.store.document(document_id)
        if document is None:
            self.say(Outcome(f"no document {document_id}", error=True))
            return
        self._save_place_in_background()
        if cursor is None:
            place = self.store.last_place_in(document_id, self.owner)
            cursor = place if place is not None else 0
        session = self.new_session(document, cursor)
        self.session = session
        self.view.set_session(session)
        self.load_remaining_spans()
        self.message = Outcome(f"opened {document_id}")
        self.refresh_all()
        self.view.show_cursor()
        self._save_place_in_background()

    def _neighbour(self, step: int) -> str | None:
        ids = [doc_id for doc_id, _, _ in self.store.document_list()]
        position = ids.index(self.session.document.id) + step
        return ids[position] if 0 <= position < len(ids) else None

    def action_next_document(self) -> None:
        target = self._neighbour(1)
        if target is None:
            self.say(Outcome("this is the last article", error=True))
        else:
            self.open_document(target)

    def action_previous_document(self) -> None:
        target = self._neighbour(-1)
        if target is None:
            self.say(Outcome("this is the first article", error=True))
        else:
            self.open_document(target)

    async def action_done(self) -> None:
        """Mark this article done and open the next one not done."""
        outcome = await asyncio.to_thread(self.session.mark_done, self.done_status)
        if outcome.error:
            self.say(outcome)
            return
        target = next_not_done(self.store, self.owner, after=self.session.document.id, order=self.article_order)
        if target is None:
            self.refresh_title()
            self.say(Outcome(f"{outcome.message}; every article is done"))
            return
        self.open_document(target)
        self.say(Outcome(f"{outcome.message}; opened {target}"))

    done_status = DONE

    async def action_reopen(self) -> None:
        """Put this article back in progress (in review: gold no longer adjudicated); u undoes it."""
        await self.write(self.session.reopen)

    # -- the claim on the layer ------------------------------------------------------------

    read_only: str | None = None
    """Set when another process took this layer over: the message that says so."""

    def watch_claim(self) -> None:
        """Check in a thread that this process still holds the layer; show it at once when it is taken over."""
        if not self.store.holds(self.owner) or getattr(self, "_claim_watch", None) is not None:
            return

        def lost(exc: ClaimLost) -> None:
            try:
                self.app.call_from_thread(self.claim_lost, exc)
            except RuntimeError:
                pass  # the app is gone already

        self._claim_watch = ClaimWatch(self.store, self.owner, lost)
        self._claim_watch.start()

    def on_unmount(self) -> None:
        watch = getattr(self, "_claim_watch", None)
        if watch is not None:
            watch.stop()

    def claim_lost(self, exc: ClaimLost) -> None:
        """Another terminal took the layer over: say so for good; the store refuses every write from here."""
        self.read_only = str(exc)
        banners = self.query("#read-only")
        if banners:
            banners.first(Static).update(Text(f" {exc}"))
        else:
            banner = Static(Text(f" {exc}"), id="read-only")
            banner.styles.background = "darkred"
            banner.styles.color = "white"
            banner.styles.text_style = "bold"
            banner.styles.height = 1
            self.mount(banner, before=self.query_one("#status"))
        self.say(Outcome(str(exc), error=True))
        self.refresh_title()

    def action_documents(self) -> None:
        from annotator.tui.documents_screen import DocumentsScreen

        def chosen(document_id: str | None) -> None:
            if document_id:
                self.open_document(document_id)

        self.app.push_screen(DocumentsScreen(self.store, self.owner, self.session.document.id, self.mode), chosen)

    def action_help(self) -> None:
        from annotator.tui.help_screen import HelpScreen

        self.app.push_screen(HelpScreen(self.BINDINGS))


_QUOTED = re.compile("«([^«»]*)»")


def status_text(message: str, mode: str) -> str:
    """A message in visual order: its «quoted» article text laid out like the article, the rest left to right."""
    parts = _QUOTED.split(" ".join(message.split()))
    return "".join(
        f"«{display_line(part, len(part) + 2, mode)}»" if quoted else sanitize(part)
        for quoted, part in zip(itertools.cycle((False, True)), parts)
    )
