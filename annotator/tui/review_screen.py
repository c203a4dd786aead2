"""The review screen: walk disagreements worst document first and build the gold layer.

The rules (regions, seeding gold, what a decision writes, which regions are decided) live in
annotator.adjudication; this screen draws them and binds keys.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static

from annotator.adjudication import Adjudication, next_unadjudicated
from annotator.agreement.disagreement import Region
from annotator.model import GOLD, Document
from annotator.session import Outcome
from annotator.store import ADJUDICATED, Store
from annotator.text.display import display_line
from annotator.tui.annotate_screen import AnnotateScreen
from annotator.tui.arabic_keys import with_arabic_layout
from annotator.tui.confirm import Confirm

OPEN_MARK = Style(color="#ff5f5f", bold=True, underline=True)
DECIDED_MARK = Style(underline=True, color="#87af87")
TEXT_ROWS_MIN = 12
"""The article keeps at least this many rows; the panel shrinks (border, then packed versions) to leave them."""
ROOMY_HEIGHT = 30
"""From this terminal height on, the panel has its border line."""
ARABIC_DIGITS = {chr(0x0661 + n): n + 1 for n in range(9)}  # ١..٩ take like 1..9


def _review_bindings() -> list[BindingType]:
    """The review keys first (the key bar shows them first), then the annotation keys without their digits."""
    bindings: list[BindingType] = [
        # Shown once in the key bar as "1-9": in review the digits choose annotators (numbered in the header), not labels.
        *(Binding(str(n), f"take({n})", "Annotator N" if n == 1
                  else f"Take annotator {n}'s version of this disagreement into gold", show=n == 1,
                  key_display="1-9" if n == 1 else None)
          for n in range(1, 10)),
        Binding("M", "majority", "Majority ⅔"),
        Binding("tab", "next_disagreement", "Next disagreement", priority=True),
        Binding("shift+tab", "previous_disagreement", "Previous disagreement", show=False, priority=True),
        Binding("ctrl+d", "done", "Adjudicated"),
    ]
    for binding in AnnotateScreen.BINDINGS:
        assert isinstance(binding, Binding)
        keys = [k for k in binding.key.split(",") if not k.isdigit()]
        if keys and binding.action not in ("next_span", "previous_span", "done"):
            bindings.append(Binding(",".join(keys), binding.action, binding.description, show=binding.show,
                                    key_display=binding.key_display, priority=binding.priority))
    return with_arabic_layout(bindings)


HELP_NOTES = [
    ("1..9", "In review digits mean ANNOTATORS (numbered in the header), not labels: take that annotator's version"),
    ("١..٩", "Arabic-Indic digits: the same as 1..9"),
    ("M", "Majority: in every open disagreement, take the version at least two thirds of the annotators who did "
          "the article share; one step (u undoes all of it); the others stay open"),
]


def annotator_names(names: list[str], room: int, mode: str = "app") -> Text:
    """`1 ali  2 mona ...`: every annotator with their number, names cut (with …) to fit `room` cells if they must.

    A name is never cut below one letter and its number: at worst the line is wider than `room`.
    """

    def line(cut: int | None) -> Text:
        text = Text()
        for number, name in enumerate(names, start=1):
            shown = display_line(name, cut or 200, mode)  # laid out and sanitised, … when cut
            text.append(f"{number} ", style="bold")
            text.append(f"{shown} ", style="bold")
        return text

    longest = max((len(name) for name in names), default=0)
    for cut in [None, *range(longest - 1, 1, -1)]:
        text = line(cut)
        if text.cell_len <= room:
            return text
    return line(2)


class ReviewScreen(AnnotateScreen):
    """Adjudicate: gold spans drawn as in the annotation screen, disagreements marked, versions listed."""

    BINDINGS: ClassVar[list[BindingType]] = _review_bindings()
    done_status = ADJUDICATED
    lazy_spans = False  # review needs every gold span at once to compare
    side_title = "Gold spans"

    def __init__(self, store: Store, user: str, document: Document, annotators: list[str], order: list[str],
                 *, mode: str = "app") -> None:
        super().__init__(store, user, document, mode=mode, owner=GOLD)
        self.annotators = annotators
        self.order = order
        self.adjudication = Adjudication(store, user, document.id, annotators)
        self.gold_statuses: dict[str, str] = {}
        self.current: int | None = None
        """Index of the current region: the one Tab visited, or the innermost under the cursor."""
        self._current_at: int | None = None
        """The cursor offset the current region was chosen at; another offset means choose again."""

    @property
    def regions(self) -> list[Region]:
        """Every disagreement of the document, in text order (an outer quote before the entities in it)."""
        return self.adjudication.regions

    def extra_panels(self) -> ComposeResult:
        """The panel listing each annotator's version of the current disagreement."""
        yield Static(id="review-panel")

    def on_resize(self, event: events.Resize) -> None:
        """The title's abbreviations and the panel's height follow the terminal's size."""
        super().on_resize(event)
        if self.is_mounted:
            self.refresh_title()
            self.refresh_panel()

    def on_mount(self) -> None:
        self.view.extra_marks = self._marks
        self.prepare_document()
        super().on_mount()

    # -- the document's disagreements -----------------------------------------------------

    def prepare_document(self) -> None:
        """Seed gold with what everyone agreed on when first opened; read the gold statuses for the title."""
        outcome = self.adjudication.seed(self.session)
        if outcome is not None:
            self.message = outcome
        self.gold_statuses = self.adjudication.gold_statuses()
        self.current = None
        self._current_at = None

    def _marks(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        adjudication = self.adjudication
        return [(r.start, r.end, DECIDED_MARK if adjudication.decision(r) else OPEN_MARK)
                for r in self.regions if r.start < end and start < r.end]

    def current_region(self) -> Region | None:
        """The region the digits and x act on: Tab's choice while the cursor stays there, else the innermost under it."""
        cursor = self.session.cursor
        if cursor != self._current_at:
            self.current = self.adjudication.innermost_at(cursor)
            self._current_at = cursor
        return self.regions[self.current] if self.current is not None else None

    def refresh_all(self) -> None:
        super().refresh_all()
        self.refresh_panel()

    def refresh_status(self) -> None:
        super().refresh_status()
        if self.is_mounted:
            self.refresh_panel()

    def refresh_title(self) -> None:
        total = len(self.order)
        doc_id = self.session.document.id
        position = self.order.index(doc_id) + 1 if doc_id in self.order else 0
        done = sum(1 for d in self.order if self.gold_statuses.get(d) == ADJUDICATED)
        regions = len(self.regions)
        still_open = len(self.adjudication.open_regions())
        width = self.size.width

        def parts(wide: bool) -> tuple[Text, Text]:
            head = Text()
            head.append(" review → gold " if wide else " review ", style="bold reverse")
            if getattr(self, "read_only", None):  # set by the annotation screen when another terminal took the layer
                head.append(" read-only ", style="bold white on dark_red")
            head.append(f"  document {position}/{total} (worst first)  ·  {done} adjudicated  ·  " if wide
                        else f" {position}/{total} · {done} adj. · ")
            tail = Text(" · ")
            tail.append(f"open {still_open} of {regions}" if wide else f"open {still_open}/{regions}",
                        style="bold red" if still_open else "bold green")
            if wide:
                tail.append(f" disagreement{'s' if regions != 1 else ''}")
            tail.append("  ")
            return head, tail

        head, tail = parts(wide=True)
        if head.cell_len + annotator_names(self.annotators, 10**6, self.mode).cell_len + tail.cell_len >= width:
            head, tail = parts(wide=False)
        # Every annotator is named (their digit takes their version), abbreviated as much as the width needs.
        names = annotator_names(self.annotators, width - head.cell_len - tail.cell_len - 1, self.mode)
        title = head + names + tail
        if width - title.cell_len - 1 >= 4:
            title.append(display_line(self.session.document.title, width - title.cell_len - 1, self.mode))
        self.query_one("#title", Static).update(title)

    def refresh_panel(self) -> None:
        """Each annotator's version of the current disagreement, the gold there now, and its decision."""
        panel = self.query_one("#review-panel", Static)
        region = self.current_region()
        text = self.session.text
        if region is None:
            still_open = len(self.adjudication.open_regions())
            self._fit_panel(panel, [Text(f" no disagreement under the cursor ({still_open} of {len(self.regions)} open)"
                                         " — Tab: next disagreement · M: take every ⅔ majority", style="dim")])
            return
        assert self.current is not None
        decision = self.adjudication.decision(region)
        head = Text()
        wide = self.size.width >= 110
        head.append(f" {'disagreement ' if wide else ''}{self.current + 1}/{len(self.regions)} ({region.layer}, "
                    f"{region.start}-{region.end})", style="bold")
        if decision is None:
            head.append("  open", style="bold red")
        else:
            head.append(f"  decided: {decision.choice}", style="bold green")
        if wide:
            head.append(f"  ·  digits here = annotators: 1..{len(self.annotators)} take that version · x: nothing")
        else:
            head.append(f" · digits here = annotators 1..{len(self.annotators)} · x nothing")
        versions: list[Text] = []
        for number, name in enumerate(self.annotators, start=1):
            line = Text()
            shown = display_line(name, 12, self.mode)  # sanitised and cut like the header's names
            line.append(f" {number} {shown}{' ' * max(0, 12 - len(shown))} ", style="bold")
            if name not in region.versions:
                line.append("(did not finish this document)", style="dim")
            elif not region.versions[name]:
                line.append("nothing", style="dim")
            for i, span in enumerate(region.versions.get(name, [])):
                if i:
                    line.append("  ·  ")
                line.append(f"{span.label} ", style=self.view.styles_by_label.get(span.label, ""))
                line.append(display_line(text[span.start:span.end], 30, self.mode))
                line.append(f" [{span.start}-{span.end}]", style="dim")
            versions.append(line)
        gold = [s for s in self.session.spans if s.start < region.end and region.start < s.end
                and self.session.layer_of.get(s.label) == region.layer]
        now = Text()
        now.append(" gold now     ", style="bold")
        now.append(", ".join(f"{s.label} {display_line(text[s.start:s.end], 30, self.mode)} [{s.start}-{s.end}]"
                             for s in gold) or "nothing")
        self._fit_panel(panel, [head, *versions, now], pack=(1, 1 + len(versions)))

    def _fit_panel(self, panel: Static, lines: list[Text], pack: tuple[int, int] | None = None) -> None:
        """Show the lines in a panel only as tall as they need, leaving the text at least TEXT_ROWS_MIN rows.

        When that leaves too few rows, the border goes first, then the version lines (lines[pack[0]:pack[1]])
        are put two to a line, so every annotator's version stays on screen.
        """
        height = self.size.height
        room = max(2, height - 3 - TEXT_ROWS_MIN) if height else len(lines) + 1  # title, status line, key bar
        border = len(lines) + 1 <= room and height >= ROOMY_HEIGHT
        if not border and len(lines) > room and pack is not None:
            first, last = pack
            versions = lines[first:last]
            paired = [Text(" │ ").join(versions[i:i + 2]) for i in range(0, len(versions), 2)]
            lines = lines[:first] + paired + lines[last:]
        panel.styles.border_top = ("solid", "#2f4f6f") if border else ("none", "#2f4f6f")
        panel.styles.height = len(lines) + (1 if border else 0)
        width = max(10, self.size.width - 1)
        for line in lines:  # one row each: a wrapped line would push the last versions out of the panel
            line.no_wrap = True
            line.truncate(width, overflow="ellipsis")
        panel.update(Text("\n", no_wrap=True).join(lines))

    # -- walking the disagreements --------------------------------------------------------

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
        self._step_region(1)

    def action_previous_disagreement(self) -> None:
        self._step_region(-1)

    # -- deciding -----------------------------------------------------------------------

    async def write(self, change: Callable[[], Outcome]) -> Outcome:
        """A gold change made with the annotation keys (a hand edit, its undo or redo, a status step) may decide
        or reopen a region: re-read the decisions in the same worker thread."""

        def change_then_refresh() -> Outcome:
            outcome = change()
            self.adjudication.refresh()
            self.gold_statuses = self.adjudication.gold_statuses()  # a status step (or its undo) may have changed it
            return outcome

        return await super().write(change_then_refresh)

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
        await super().write(lambda: self.adjudication.take(self.session, region, name))  # it updates the decisions

    async def action_remove(self) -> None:
        """x: on a disagreement, decide that gold has nothing there; elsewhere, remove the gold span under the cursor."""
        region = self.current_region()
        if region is None:
            await super().action_remove()
            return
        await super().write(lambda: self.adjudication.leave_nothing(self.session, region))

    async def action_undo(self) -> None:
        """Undo the last gold change, or withdraw the last decision that changed no span."""
        reopened: list[Region] = []

        def undo() -> Outcome:
            outcome, region = self.adjudication.undo(self.session)
            if region is not None:
                reopened.append(region)
            self.gold_statuses = self.adjudication.gold_statuses()  # the step undone may be a status change
            return outcome

        await super().write(undo)
        if reopened:
            self.current = self.regions.index(reopened[0])
            self._current_at = reopened[0].start
            self.view.move_to(reopened[0].start)
        self.view.show_cursor()
        self.refresh_status()

    async def on_key(self, event: events.Key) -> None:
        """Arabic-Indic digits ١..٩ take versions like 1..9 (here digits mean annotators, not labels)."""
        if event.character in ARABIC_DIGITS and not isinstance(self.focused, Input):
            event.prevent_default()
            event.stop()
            await self.action_take(ARABIC_DIGITS[event.character])

    def action_help(self) -> None:
        """The keys, with what digits mean here first (the annotation screen's Arabic-digit row does not apply)."""
        from annotator.tui.help_screen import HelpScreen

        screen = HelpScreen(self.BINDINGS)
        screen.rows = HELP_NOTES + [row for row in screen.rows if not row[0].startswith("١")]
        self.app.push_screen(screen)

    async def action_majority(self) -> None:
        """M: take the two-thirds version of every open disagreement into gold, as one undoable step."""
        await super().write(lambda: self.adjudication.take_majority(self.session))  # it updates the decisions

    # -- documents --------------------------------------------------------------------------

    def open_document(self, document_id: str, cursor: int | None = None) -> None:
        super().open_document(document_id, cursor)
        if self.session.document.id == document_id:
            self.adjudication = Adjudication(self.store, self.user, document_id, self.annotators)
            self.prepare_document()
        self.refresh_all()

    def _neighbour(self, step: int) -> str | None:
        doc_id = self.session.document.id
        position = self.order.index(doc_id) + step if doc_id in self.order else 0
        return self.order[position] if 0 <= position < len(self.order) else None

    async def action_done(self) -> None:
        """Mark the document adjudicated (asking first while disagreements are open) and open the next one."""
        still_open = len(self.adjudication.open_regions())
        if still_open:
            total = len(self.regions)
            question = (f"{still_open} of {total} disagreement{'s' if total != 1 else ''} "
                        f"{'are' if still_open != 1 else 'is'} still open — mark adjudicated anyway? y/N")

            def answered(yes: bool | None) -> None:
                if yes:
                    self.run_worker(self._mark_adjudicated(), group="done")
                else:
                    self.say(Outcome(f"not marked: {still_open} open"))

            self.app.push_screen(Confirm(question), answered)
            return
        await self._mark_adjudicated()

    async def _mark_adjudicated(self) -> None:
        outcome = await asyncio.to_thread(self.adjudication.mark_adjudicated, self.session)
        if outcome.error:
            self.say(outcome)
            return
        self.gold_statuses = await asyncio.to_thread(self.adjudication.gold_statuses)
        target = next_unadjudicated(self.order, self.gold_statuses, after=self.session.document.id)
        if target is None:
            self.refresh_title()
            self.say(Outcome(f"{outcome.message}; every document is adjudicated"))
            return
        self.open_document(target)
        self.say(Outcome(f"{outcome.message}; opened {target}"))
