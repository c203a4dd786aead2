"""The review screen: walk disagreements worst document first and build the gold layer.

The rules (regions, seeding gold, what a decision writes, which regions are decided) live in
annotator.adjudication; this screen draws them and binds keys.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Input, Static

from annotator.adjudication import Adjudication
from annotator.agreement.disagreement import Region
from annotator.model import GOLD, Document
from annotator.outcome import Outcome
from annotator.session_relations import QUOTE
from annotator.speaker_regions import SPEAKER_LAYER, gold_speaker_in
from annotator.store import ADJUDICATED, Flag, Store
from annotator.tui.confirm import Confirm
from annotator.tui.editor_screen import EditorScreen, Marks
from annotator.tui.flag_input import flags_line
from annotator.tui.review_flags import ReviewFlags
from annotator.tui.review_keys import ARABIC_DIGITS, review_bindings, review_help
from annotator.tui.review_panel import annotator_names, fit_panel, panel_lines, review_header
from annotator.tui.speaker_linking import SpeakerLinking, with_speaker_help
from annotator.workspace import Progress

__all__ = ["ReviewScreen", "annotator_names"]

OPEN_MARK = Style(color="#ff5f5f", bold=True, underline=True)
DECIDED_MARK = Style(underline=True, color="#87af87")


class ReviewScreen(EditorScreen, ReviewFlags, SpeakerLinking):
    """Adjudicate: gold spans drawn as in the annotation screen, disagreements marked, versions listed."""

    BINDINGS: ClassVar[list[BindingType]] = review_bindings()
    lazy_spans = False  # review needs every gold span at once to compare
    side_title = "Gold spans"

    def __init__(
        self, store: Store, user: str, document: Document, annotators: list[str], order: list[str], *, mode: str = "app"
    ) -> None:
        self.annotators = annotators
        self.order = order
        self.adjudication = Adjudication(store, user, document.id, annotators)
        self.current: int | None = None
        """Index of the current region: the one Tab visited, or the innermost under the cursor."""
        self._current_at: int | None = None
        self.article_flags: list[Flag] = []
        """The open flags of the article shown, every annotator's (read when it opens)."""
        """The cursor offset the current region was chosen at; another offset means choose again."""
        super().__init__(
            store, user, document, Progress(GOLD, order, order, self.adjudication.gold_statuses()), mode=mode
        )

    @property
    def regions(self) -> list[Region]:
        """Every disagreement of the document, in text order (an outer quote before the entities in it)."""
        return self.adjudication.regions

    # -- hooks -------------------------------------------------------------------------

    def extra_panels(self) -> ComposeResult:
        """The panel listing each annotator's version of the current disagreement."""
        yield Static(id="review-panel")
        yield Static(id="review-flags")  # flags: the article's open flags, one line (none: hidden)

    def extra_marks(self) -> Marks | None:
        """Disagreements: open ones red, decided ones green; the actor offered while `s` chooses a speaker."""
        return self._marks

    def document_opened(self, first: bool) -> None:
        """Another document brings its own disagreements and decisions; gold is seeded on its first opening."""
        if not first:
            self.adjudication = Adjudication(self.store, self.user, self.session.document.id, self.annotators)
        self.linking = None  # a speaker being chosen in the last article is dropped
        self.prepare_document()
        self.article_flags = self.session.everyones_open_flags()  # flags
        self.flag_at = None  # flags: F starts again on each article

    def after_change(self) -> None:
        """A gold change (a hand edit, its undo or redo, a decision) may decide or reopen a region: re-read the
        decisions in the write's worker thread."""
        self.adjudication.refresh()

    def header(self) -> Text:
        """Place in the review order, documents adjudicated, annotators, disagreements still open."""
        doc_id = self.session.document.id
        return review_header(
            width=self.size.width,
            position=self.progress.position(doc_id),
            total=len(self.order),
            done=self.progress.count((ADJUDICATED,)),
            regions=len(self.regions),
            still_open=len(self.adjudication.open_regions()),
            annotators=self.annotators,
            title=self.session.document.title,
            read_only=bool(self.read_only),
            mode=self.mode,
        )

    def refresh_extra(self) -> None:
        """Each annotator's version of the current disagreement, the gold there now, and its decision."""
        panel = self.query_one("#review-panel", Static)
        flagged = self.query_one("#review-flags", Static)  # flags: the article's open flags
        flagged.display = bool(self.article_flags)
        flagged.update(flags_line(self.article_flags, self.session.text, self.size.width, self.mode))
        region = self.current_region()
        size = (self.size.width, self.size.height)
        if region is None or self.current is None:
            still_open = len(self.adjudication.open_regions())
            fit_panel(
                panel,
                [
                    Text(
                        f" no disagreement under the cursor ({still_open} of {len(self.regions)} open)"
                        " — Tab: next disagreement · M: take every ⅔ majority",
                        style="dim",
                    )
                ],
                size,
            )
            return
        decision = self.adjudication.decision(region)
        session = self.session
        gold = (
            gold_speaker_in(region, session)
            if region.layer == SPEAKER_LAYER
            else [
                s
                for s in session.spans
                if s.start < region.end and region.start < s.end and session.layer_of.get(s.label) == region.layer
            ]
        )
        lines = panel_lines(
            region=region,
            index=self.current,
            regions=len(self.regions),
            choice=decision.choice if decision else None,
            annotators=self.annotators,
            text=session.text,
            gold=gold,
            styles=self.view.styles_by_label,
            width=size[0],
            mode=self.mode,
        )
        fit_panel(panel, lines, size, pack=(1, len(lines) - 1))

    # -- the document's disagreements --------------------------------------------------

    def prepare_document(self) -> None:
        """Seed gold with what everyone agreed on when first opened."""
        outcome = self.adjudication.seed(self.session)
        if outcome is not None:
            self.message = outcome
        self.progress.record(self.session.document.id, self.session.status)
        self.current = None
        self._current_at = None

    def _marks(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        adjudication = self.adjudication
        return [
            (r.start, r.end, DECIDED_MARK if adjudication.decision(r) else OPEN_MARK)
            for r in self.regions
            if r.start < end and start < r.end
        ] + self.candidate_marks(start, end)

    def current_region(self) -> Region | None:
        """The region the digits and x act on: Tab's choice while the cursor stays there, else the innermost under it
        (while a speaker is being chosen, the one where `s` was pressed: the cursor visits the actors offered)."""
        cursor = self.linking.cursor if self.linking is not None else self.session.cursor
        if cursor != self._current_at:
            self.current = self.adjudication.innermost_at(cursor)
            self._current_at = cursor
        return self.regions[self.current] if self.current is not None else None

    def _step_region(self, step: int) -> None:
        """Make the next (step 1) or previous (step -1) region the current one, nested ones included."""
        regions = self.regions
        if not regions:
            self.say(Outcome("no disagreements in this document", error=True))
            return
        self.current_region()  # the cursor may have moved since the last paint
        cursor = self.session.cursor
        if self.current is not None:
            index = (self.current + step) % len(regions)
        elif step > 0:
            index = next((i for i, r in enumerate(regions) if r.start > cursor), 0)
        else:
            index = next((i for i in range(len(regions) - 1, -1, -1) if regions[i].start < cursor), len(regions) - 1)
        self.current = index
        self._current_at = regions[index].start
        self.view.move_to(regions[index].start)
        self.view.show_cursor()
        self.refresh_status()

    def action_next_disagreement(self) -> None:
        """Tab: the next disagreement (while choosing a speaker: the next actor offered)."""
        if not self.step_speaker(False):
            self._step_region(1)

    def action_previous_disagreement(self) -> None:
        """Shift+Tab: the previous disagreement (while choosing a speaker: the previous actor offered)."""
        if not self.step_speaker(True):
            self._step_region(-1)

    # -- speakers by hand (s, S: speaker_linking.py) --------------------------------------

    async def action_link_offered(self) -> None:
        """Enter: while choosing a speaker, link gold's quote to the actor offered."""
        if not await self.finish_linking():
            self.say(
                Outcome("Enter links a speaker while one is being chosen: s inside a gold quote first", error=True)
            )

    def action_clear(self) -> None:
        """Escape: cancel choosing a speaker (the cursor goes back into the quote), else drop the selection."""
        if not self.cancel_linking():
            super().action_clear()

    def no_quote_message(self) -> str:
        """In review only gold's quotes have speakers: one the annotators tagged is taken (a digit) or tagged first."""
        return f"s: put the cursor inside a gold quote first (a digit takes one, {self.tag_keys(QUOTE)} tags one)"

    def actor_where(self) -> str:
        """In review the actors offered are gold's."""
        return "in gold"

    # -- deciding ----------------------------------------------------------------------

    async def action_take(self, number: int) -> None:
        """Put annotator `number`'s version of the current disagreement into gold, replacing gold's spans there."""
        region = self.current_region()
        if region is None:
            self.say(Outcome("no disagreement here (Tab goes to the next)", error=True))
            return
        if not 1 <= number <= len(self.annotators):
            self.say(Outcome(f"there is no annotator {number}", error=True))
            return
        name = self.annotators[number - 1]
        await self.write(lambda: self.adjudication.take(self.session, region, name))

    async def action_remove(self) -> None:
        """x: on a disagreement, decide that gold has nothing there; elsewhere, remove the gold span under the cursor."""
        region = self.current_region()
        if region is None:
            await self.write(self.session.remove_here)
            return
        await self.write(lambda: self.adjudication.leave_nothing(self.session, region))

    async def action_undo(self) -> None:
        """Undo the last gold change, or withdraw the last decision that changed no span."""
        reopened: list[Region] = []

        def undo() -> Outcome:
            outcome, region = self.adjudication.undo(self.session)
            if region is not None:
                reopened.append(region)
            return outcome

        await self.write(undo)
        if reopened:
            self.current = self.regions.index(reopened[0])
            self._current_at = reopened[0].start
            self.view.move_to(reopened[0].start)
        self.view.show_cursor()
        self.refresh_status()

    async def action_redo(self) -> None:
        """Redo the last gold change undone; the steps of one decision (M, a speaker with its spans) come back together."""
        await self.write(lambda: self.adjudication.undo(self.session, redo=True)[0])
        self.view.show_cursor()

    async def action_majority(self) -> None:
        """M: take the two-thirds version of every open disagreement into gold, as one undoable step."""
        await self.write(lambda: self.adjudication.take_majority(self.session))

    async def on_key(self, event: events.Key) -> None:
        """Arabic-Indic digits ١..٩ take versions like 1..9 (here digits mean annotators, not labels)."""
        if event.character in ARABIC_DIGITS and not isinstance(self.focused, Input):
            event.prevent_default()
            event.stop()
            # Through the app like a bound key: while a speaker is being chosen it is refused (speaker_linking.py).
            await self.app.run_action(f"take({ARABIC_DIGITS[event.character]})", self)

    def action_help(self) -> None:
        """The keys, with what digits mean here first (the annotation screen's Arabic-digit row does not apply)."""
        from annotator.tui.help_screen import HelpScreen

        self.app.push_screen(
            HelpScreen(
                self.BINDINGS,
                lambda rows: with_speaker_help(review_help(rows, self.annotators)),
            )
        )

    # -- articles ----------------------------------------------------------------------

    async def action_done(self) -> None:
        """Mark the document adjudicated (asking first while disagreements are open) and open the next one."""
        still_open = len(self.adjudication.open_regions())
        if still_open:
            total = len(self.regions)
            question = (
                f"{still_open} of {total} disagreement{'s' if total != 1 else ''} "
                f"{'are' if still_open != 1 else 'is'} still open — mark adjudicated anyway? y/N"
            )

            def answered(yes: bool | None) -> None:
                if yes:
                    self.run_worker(self._mark_adjudicated(), group="done")
                else:
                    self.say(Outcome(f"not marked: {still_open} open"))

            self.app.push_screen(Confirm(question), answered)
            return
        await self._mark_adjudicated()

    async def _mark_adjudicated(self) -> None:
        session = self.session
        outcome = await asyncio.to_thread(self.adjudication.mark_adjudicated, session)
        if outcome.error:
            self.say(outcome)
            return
        self.progress.record(session.document.id, session.status)
        target = self.progress.next_not_finished(after=session.document.id, finished=(ADJUDICATED,))
        if target is None:
            self.refresh_title()
            self.say(Outcome(f"{outcome.message}; every document is adjudicated"))
            return
        self.open_document(target)
        self.say(Outcome(f"{outcome.message}; opened {target}"))
