"""The review screen's flag keys: `F` visits the article's open flags one after another, `R` resolves the one visited.

Tab and shift+Tab stay with the disagreements: the digits and x act on the region Tab chose, and a flag is
no region (it may sit where everyone agreed, or on the whole article), so flags get their own key rather
than joining Tab's round. `F` moves the cursor to the next open flag's span (an article flag leaves the
cursor where it is) and shows who flagged it and the note; `R` resolves that flag — written in the write's
worker thread before the status line says so — and the flags line under the panel loses it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.binding import Binding, BindingType
from textual.screen import Screen

from annotator.outcome import Outcome, excerpt
from annotator.session import Session
from annotator.store import Flag, StoreError
from annotator.tui.flag_input import FLAG_MARK
from annotator.tui.text_view import TextView


def flag_keys() -> list[BindingType]:
    """F: the next open flag of the article; R: resolve the flag F showed."""
    return [
        Binding(
            "F", "next_flag", "Next open flag of the article (its note in the status line)", show=False, id="next_flag"
        ),
        Binding("R", "resolve_flag", "Resolve the flag F showed", show=False, id="resolve_flag"),
    ]


def flag_order(flags: list[Flag]) -> list[Flag]:
    """The order F visits flags in: the article's own first, then spans in text order (ties: raised first)."""
    return sorted(flags, key=lambda f: (f.start is not None, f.start or 0, f.end or 0, f.id))


class ReviewFlags(Screen):
    """`F` and `R` on the review screen; mixed into ReviewScreen, which reads article_flags when an article opens."""

    session: Session
    article_flags: list[Flag] = []
    flag_at: int | None = None
    """The id of the flag F last showed (what R resolves), None before F or after the article changed."""

    write: Callable[[Callable[[], Outcome]], Awaitable[Outcome]]

    def say(self, outcome: Outcome) -> None:
        raise NotImplementedError

    @property
    def view(self) -> TextView:
        """The article's view (EditorScreen's)."""
        raise NotImplementedError

    def action_next_flag(self) -> None:
        """F: move to the next open flag of the article and show its note."""
        flags = flag_order(self.article_flags)
        if not flags:
            self.say(Outcome("no open flag on this article", error=True))
            return
        ids = [f.id for f in flags]
        index = (ids.index(self.flag_at) + 1) % len(flags) if self.flag_at in ids else 0
        flag = flags[index]
        self.flag_at = flag.id
        if flag.start is not None:
            self.view.move_to(flag.start)
            self.view.show_cursor()
        self.say(Outcome(f"{FLAG_MARK} {index + 1}/{len(flags)} {self.describe_flag(flag)} — R resolves it"))
        self.view.refresh_view()

    def describe_flag(self, flag: Flag) -> str:
        """Who flagged what, and the note («» lays it out like the article)."""
        what = "the article" if flag.start is None else f"«{excerpt(self.session.text[flag.start : flag.end])}»"
        return f"{flag.annotator} flagged {what}" + (f": «{flag.note}»" if flag.note else " (no note)")

    async def action_resolve_flag(self) -> None:
        """R: resolve the flag F showed (written before the status line says so)."""
        flag = next((f for f in self.article_flags if f.id == self.flag_at), None)
        if flag is None:
            self.say(Outcome("no flag chosen: F goes to the article's next open flag", error=True))
            return
        session = self.session

        def resolve() -> Outcome:
            try:
                session.resolve_flag(flag.id)
            except StoreError as exc:
                try:  # resolved meanwhile elsewhere, say: the flags line shows what is open now
                    self.article_flags = session.everyones_open_flags()
                except StoreError:
                    pass
                return Outcome.failure(f"flag not resolved: {exc}")
            self.article_flags = [f for f in self.article_flags if f.id != flag.id]
            left = len(self.article_flags)
            return Outcome(f"{FLAG_MARK} resolved: {self.describe_flag(flag)} ({left} open left)")

        await self.write(resolve)
        self.flag_at = None
