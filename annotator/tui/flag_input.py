"""`!` in the annotation screen: flag the article, or the span under the cursor, for the lead with a one-line note.

The note is typed in a small modal: Enter saves (an empty note makes a bare flag), Escape cancels, and on a
target flagged already the note is there to edit and ctrl+r clears the flag. The input is a BidiInput: the
note is drawn as it reads, shaped and in visual order by the app's layout engine, as in the find box.
The flag is written in one transaction in a worker thread before the status line says so.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from annotator.outcome import Outcome, excerpt
from annotator.session import Session
from annotator.store import Flag, Store, StoreError
from annotator.text.display import display_line
from annotator.tui.bidi_input import BidiInput

FLAG_MARK = "⚑"


@dataclass(frozen=True)
class FlagAnswer:
    """What the note prompt was closed with: a note to save, or the flag to clear."""

    note: str = ""
    clear: bool = False


class FlagNote(ModalScreen[FlagAnswer | None]):
    """The one-line note of a flag: Enter saves, Escape cancels, ctrl+r clears a flag already there."""

    DEFAULT_CSS = """
    FlagNote { align: center bottom; }
    FlagNote > Vertical { width: 100%; height: auto; border: round $warning; background: $surface; padding: 0 1; }
    FlagNote Static { width: 100%; height: 1; }
    FlagNote BidiInput { width: 100%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("ctrl+r", "clear_flag", "Clear the flag", priority=True),
    ]

    def __init__(self, what: str, note: str | None, mode: str = "app") -> None:
        super().__init__()
        self.what = what
        """The target as the title names it ("this article", or the span's text in «»)."""
        self.existing = note
        """The note of the flag already on the target, None when there is none."""
        self.mode = mode

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="flag-title")
            yield BidiInput(
                self.existing or "", "a note for the lead (empty: a bare flag)", mode=self.mode, id="flag-note"
            )
            keys = "Enter saves · Esc cancels" + (" · ctrl+r clears the flag" if self.existing is not None else "")
            yield Static(Text(keys, style="dim"), id="flag-keys")

    def on_mount(self) -> None:
        verb = "Flagged already" if self.existing is not None else "Flag for the lead"
        width = max(8, self.size.width - len(verb) - 8)
        self.query_one("#flag-title", Static).update(
            Text(f"{FLAG_MARK} {verb}: {display_line(self.what, width, self.mode)}", style="bold")
        )
        self.query_one(BidiInput).focus()

    @on(Input.Submitted, "#flag-note")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(FlagAnswer(event.value))

    def action_cancel(self) -> None:
        """Close without saving anything."""
        self.dismiss(None)

    def action_clear_flag(self) -> None:
        """Take the flag back (only when the target has one)."""
        if self.existing is not None:
            self.dismiss(FlagAnswer(clear=True))


class FlagKeys(Screen):
    """The `!` key of the annotation screen and the flags it keeps in memory; mixed into AnnotateScreen."""

    store: Store
    user: str
    annotator: str
    mode: str
    session: Session
    flags: list[Flag] = []
    """This annotator's open flags on the article shown (read when it opens, kept up to date by each write)."""

    write: Callable[[Callable[[], Outcome]], Awaitable[Outcome]]

    def say(self, outcome: Outcome) -> None:
        raise NotImplementedError

    def read_flags(self) -> None:
        """Read this annotator's open flags on the article just opened."""
        try:
            self.flags = self.session.own_open_flags()
        except StoreError as exc:
            self.flags = []
            self.say(Outcome.failure(f"flags not read: {exc}"))

    def flag_marker(self) -> Text:
        """The header's mark: ⚑ and what is flagged in this article ('' when nothing)."""
        if not self.flags:
            return Text()
        spans = sum(1 for flag in self.flags if not flag.on_article)
        parts = (["article"] if len(self.flags) > spans else []) + (
            [f"{spans} span{'s' if spans != 1 else ''}"] if spans else []
        )
        return Text(f"{FLAG_MARK} {' + '.join(parts)}  ", style="bold yellow")

    def flag_target(self) -> tuple[int, int] | None:
        """The innermost span under the cursor, as offsets; None (the article) when the cursor is on none."""
        spans = self.session.spans_at(self.session.cursor)
        if not spans:
            return None
        span = min(spans, key=lambda s: s.end - s.start)
        return (span.start, span.end)

    def action_flag(self) -> None:
        """`!`: flag the span under the cursor or else the article, or edit or clear the flag already there."""
        target = self.flag_target()
        existing = next((f for f in self.flags if (f.start, f.end) == (target or (None, None))), None)
        what = "this article" if target is None else f"«{excerpt(self.session.text[target[0] : target[1]])}»"
        session = self.session

        def answered(answer: FlagAnswer | None) -> None:
            if answer is None:
                self.say(Outcome("flag: cancelled, nothing changed"))
            elif session is self.session:  # still the article the prompt was about
                self.run_worker(self.write(lambda: self._save_flag(target, existing, answer, what)), group="flag")

        self.app.push_screen(FlagNote(what, None if existing is None else existing.note, self.mode), answered)

    def _save_flag(
        self, target: tuple[int, int] | None, existing: Flag | None, answer: FlagAnswer, what: str
    ) -> Outcome:
        """Write the answer (in the write's worker thread) and bring the flags in memory up to date."""
        try:
            if answer.clear and existing is not None:
                self.session.clear_flag(existing.id)
                self.flags = [f for f in self.flags if f.id != existing.id]
                return Outcome(f"flag on {what} cleared")
            flag = self.session.set_flag(target, answer.note)
        except StoreError as exc:
            return Outcome.failure(f"flag not saved: {exc}")
        self.flags = [f for f in self.flags if f.id != flag.id] + [flag]
        said = f": «{flag.note}»" if flag.note else " (no note)"  # «» lays the note out like the article
        return Outcome(f"{FLAG_MARK} {what} flagged for the lead{said}")


def flags_line(flags: list[Flag], text: str, width: int, mode: str) -> Text:
    """Review's one line about the article's open flags: who flagged what, with their notes («» laid out like
    the article), cut at width with … (`annotator flags` lists them whole)."""
    from annotator.tui.keys import status_text

    if not flags:
        return Text()
    parts = []
    for flag in flags:
        what = "article" if flag.start is None or flag.end is None else f"«{excerpt(text[flag.start : flag.end], 20)}»"
        parts.append(f"{flag.annotator} {what}" + (f": «{flag.note}»" if flag.note else ""))
    line = Text(f" {FLAG_MARK} {len(flags)} open flag{'s' if len(flags) != 1 else ''}: ", style="bold yellow")
    line.append(status_text(" · ".join(parts), mode))
    line.truncate(max(10, width - 1), overflow="ellipsis")
    return line
