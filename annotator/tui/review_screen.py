"""The review screen: walk disagreements worst document first and build the gold layer."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from annotator.agreement.disagreement import Region, disagreements
from annotator.model import GOLD, Document
from annotator.session import Outcome
from annotator.store import ADJUDICATED, Store
from annotator.text.display import display_line
from annotator.tui.annotate_screen import AnnotateScreen

DISAGREEMENT = Style(color="#ff5f5f", bold=True, underline=True)
AGREED_ORIGIN = "agreed"


def _review_bindings() -> list[BindingType]:
    """The annotation keys, with digits taking annotators' versions and Tab walking disagreements."""
    bindings: list[BindingType] = []
    for binding in AnnotateScreen.BINDINGS:
        assert isinstance(binding, Binding)
        keys = [k for k in binding.key.split(",") if not k.isdigit()]
        if keys and binding.action not in ("next_span", "previous_span", "done"):
            bindings.append(Binding(",".join(keys), binding.action, binding.description, show=binding.show,
                                    key_display=binding.key_display, priority=binding.priority))
    bindings += [
        *(Binding(str(n), f"take({n})", f"Take annotator {n}'s version into gold", show=False) for n in range(1, 10)),
        Binding("tab", "next_disagreement", "Next disagreement", priority=True),
        Binding("shift+tab", "previous_disagreement", "Previous disagreement", show=False, priority=True),
        Binding("ctrl+d", "done", "Adjudicated → next"),
    ]
    return bindings


class ReviewScreen(AnnotateScreen):
    """Adjudicate: gold spans drawn as in the annotation screen, disagreements marked, versions listed."""

    BINDINGS: ClassVar[list[BindingType]] = _review_bindings()
    done_status = ADJUDICATED
    lazy_spans = False  # review needs every gold span at once to compare

    def __init__(self, store: Store, user: str, document: Document, annotators: list[str], order: list[str],
                 *, mode: str = "app") -> None:
        super().__init__(store, user, document, mode=mode, owner=GOLD)
        self.annotators = annotators
        self.order = order
        self.regions: list[Region] = []

    side_title = "Gold spans"

    def extra_panels(self) -> ComposeResult:
        """The panel listing each annotator's version of the disagreement under the cursor."""
        yield Static(id="review-panel")

    def on_mount(self) -> None:
        self.view.extra_marks = self._marks
        self.prepare_document()
        super().on_mount()

    # -- disagreements ------------------------------------------------------------------

    def prepare_document(self) -> None:
        """Compute the disagreements; on first opening, put what everyone agreed on into gold."""
        doc_id = self.session.document.id
        did = [name for name in self.annotators if self.store.status(doc_id, name) in ("done", "adjudicated")]
        spans = self.store.all_spans(doc_id)
        by_annotator = {name: spans.get(name, []) for name in did}
        agreed, self.regions = disagreements(by_annotator, self.session.layer_of) if len(did) >= 2 else ([], [])
        first_time = self.store.last_event_id(doc_id, GOLD) == 0
        if first_time and agreed:
            gold_now = self.session.spans
            fresh = [a for a in agreed if not any(s.start < a[1] and a[0] < s.end for s in gold_now)]
            if fresh:
                self.say(self.session.put(fresh, [], origin=AGREED_ORIGIN))
                self.message = Outcome(f"{len(fresh)} agreed span{'s' if len(fresh) != 1 else ''} put into gold")

    def _marks(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        return [(r.start, r.end, DISAGREEMENT) for r in self.regions if r.start < end and start < r.end]

    def region_here(self) -> Region | None:
        """The disagreement under the cursor."""
        cursor = self.session.cursor
        for region in self.regions:
            if region.start <= cursor < region.end:
                return region
        return None

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
        done = sum(1 for d in self.order if self.store.status(d, GOLD) == ADJUDICATED)
        title = Text()
        title.append(" review → gold ", style="bold reverse")
        title.append(f"  document {position}/{total} (worst first)  ·  {done} adjudicated  ·  ")
        for number, name in enumerate(self.annotators, start=1):
            title.append(f"{number} {name}  ", style="bold")
        title.append(f"·  {len(self.regions)} disagreement{'s' if len(self.regions) != 1 else ''}  ")
        title.append(display_line(self.session.document.title, max(20, self.size.width - 80), self.mode))
        self.query_one("#title", Static).update(title)

    def refresh_panel(self) -> None:
        """List each annotator's version of the disagreement under the cursor, and the gold there now."""
        panel = self.query_one("#review-panel", Static)
        region = self.region_here()
        text = self.session.text
        if region is None:
            panel.update(Text(" no disagreement under the cursor — Tab: next disagreement", style="dim"))
            return
        lines = Text()
        lines.append(f" disagreement {self.regions.index(region) + 1}/{len(self.regions)} "
                     f"({region.layer}, {region.start}-{region.end}):  1..9 take a version · x leave nothing\n")
        for number, name in enumerate(self.annotators, start=1):
            lines.append(f" {number} {name:<12} ", style="bold")
            if name not in region.versions:
                lines.append("(did not do this document)\n", style="dim")
                continue
            spans = region.versions[name]
            if not spans:
                lines.append("nothing\n", style="dim")
            for i, span in enumerate(spans):
                if i:
                    lines.append("  ·  ")
                lines.append(f"{span.label} ", style=self.view.styles_by_label.get(span.label, ""))
                lines.append(display_line(text[span.start:span.end], 30, self.mode))
                lines.append(f" [{span.start}-{span.end}]", style="dim")
            if spans:
                lines.append("\n")
        gold = [s for s in self.session.spans if s.start < region.end and region.start < s.end
                and self.session.layer_of[s.label] == region.layer]
        lines.append(" gold now     ", style="bold")
        lines.append(", ".join(f"{s.label} {display_line(text[s.start:s.end], 30, self.mode)}" for s in gold) or "nothing")
        panel.update(lines)

    def _go_to_region(self, backwards: bool) -> None:
        if not self.regions:
            self.say(Outcome("no disagreements in this document", error=True))
            return
        cursor = self.session.cursor
        if backwards:
            before = [r for r in self.regions if r.start < cursor and not (r.start <= cursor < r.end)]
            target = before[-1] if before else self.regions[-1]
        else:
            after = [r for r in self.regions if r.start > cursor]
            target = after[0] if after else self.regions[0]
        self.view.move_to(target.start)
        self.refresh_panel()

    def action_next_disagreement(self) -> None:
        self._go_to_region(False)

    def action_previous_disagreement(self) -> None:
        self._go_to_region(True)

    async def action_take(self, number: int) -> None:
        """Put annotator `number`'s version of the disagreement into gold, replacing what overlaps it."""
        region = self.region_here()
        if region is None:
            self.say(Outcome("no disagreement under the cursor (Tab goes to the next)", error=True))
            return
        if not 1 <= number <= len(self.annotators):
            self.say(Outcome(f"there is no annotator {number}", error=True))
            return
        name = self.annotators[number - 1]
        if name not in region.versions:
            self.say(Outcome(f"{name} did not do this document", error=True))
            return
        spans = [(s.start, s.end, s.label) for s in region.versions[name]]
        remove = self._gold_in(region)
        if not spans and not remove:
            self.say(Outcome("gold already has nothing there"))
            return
        await self.write(lambda: self.session.put(spans, remove, origin=name))

    def _gold_in(self, region: Region) -> list[int]:
        return [s.id for s in self.session.spans if s.start < region.end and region.start < s.end
                and self.session.layer_of[s.label] == region.layer and s.id is not None]

    async def action_remove(self) -> None:
        """x: on a disagreement, leave nothing there in gold; elsewhere, remove the gold span under the cursor."""
        region = self.region_here()
        if region is None:
            await super().action_remove()
            return
        remove = self._gold_in(region)
        if not remove:
            self.say(Outcome("gold already has nothing there"))
            return
        await self.write(lambda: self.session.put([], remove, origin="nothing"))

    def open_document(self, document_id: str, cursor: int | None = None) -> None:
        super().open_document(document_id, cursor)
        self.prepare_document()
        self.refresh_all()

    def _neighbour(self, step: int) -> str | None:
        doc_id = self.session.document.id
        position = self.order.index(doc_id) + step if doc_id in self.order else 0
        return self.order[position] if 0 <= position < len(self.order) else None

    async def action_done(self) -> None:
        """Mark the document adjudicated and open the next one not adjudicated, worst first."""
        outcome = await asyncio.to_thread(self.session.mark_done, ADJUDICATED)
        if outcome.error:
            self.say(outcome)
            return
        remaining = [d for d in self.order if self.store.status(d, GOLD) != ADJUDICATED]
        if not remaining:
            self.refresh_title()
            self.say(Outcome(f"{outcome.message}; every document is adjudicated"))
            return
        self.open_document(remaining[0])
        self.say(Outcome(f"{outcome.message}; opened {remaining[0]}"))
