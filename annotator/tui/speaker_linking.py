"""`s` and `S`: link the quote under the cursor to its speaker, or remove the link; mixed into the annotation
and review screens (in review the layer is gold, and a link made so decides that quote's speaker by hand).

While a speaker is being chosen, Tab / shift+Tab offer the next / previous actor, Enter links and Escape
cancels: each screen's own Tab, Enter and Escape actions ask `step_speaker`, `finish_linking` and
`cancel_linking` first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from rich.style import Style
from textual.screen import Screen

from annotator.model import Span
from annotator.outcome import Outcome, excerpt
from annotator.session import Session
from annotator.session_relations import ACTOR
from annotator.tui.text_view import TextView

CANDIDATE_MARK = Style(color="black", bgcolor="#ffd75f", bold=True)
"""The actor span offered as the speaker while linking: unlike any label's colour, so it stands out."""
LINKING_HINT = "Tab next · Enter link · Esc cancel"
WHILE_LINKING = frozenset(
    {
        "next_span",  # Tab, shift+Tab on the annotation screen …
        "previous_span",
        "next_disagreement",  # … and in review
        "previous_disagreement",
        "accept_suggestion",  # Enter on the annotation screen, and in review
        "link_offered",
        "clear",  # Escape
        "move",  # a look around the article: Enter still links the actor offered, the cursor back in the quote
        "help",
    }
)
"""The screen's actions a key may run while a speaker is being chosen. Any other would act where the cursor
is, on the actor offered (x would remove it, a digit take the region it sits in): it is refused and said."""
SPEAKER_HELP = [
    ("s", "Speaker: with the cursor inside a quote, choose who said it — the nearest actor is offered first"),
    ("  Tab / shift+Tab", "While choosing a speaker: the next / previous actor (nearest the quote first)"),
    ("  Enter", "While choosing a speaker: link the quote to the actor offered (u undoes it)"),
    ("  Escape", "While choosing a speaker: cancel, the cursor goes back into the quote"),
]


def with_speaker_help(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The help rows with the `s` row replaced by the linking notes, placed before `S`."""
    rows = [row for row in rows if row[0].split(" / ")[0] != "s" and not row[1].startswith("While choosing a speaker")]
    at = next((i for i, row in enumerate(rows) if row[0].split(" / ")[0] == "S"), len(rows))
    return rows[:at] + SPEAKER_HELP + rows[at:]


@dataclass
class Linking:
    """A speaker being chosen: the quote, the actors in the order offered, which one is offered, where the cursor was."""

    quote: Span
    candidates: list[Span]
    index: int
    cursor: int

    @property
    def candidate(self) -> Span:
        """The actor offered now."""
        return self.candidates[self.index]


class SpeakerLinking(Screen):
    """The speaker keys and the choice in progress; EditorScreen (first in the MRO) provides the rest."""

    session: Session
    linking: Linking | None = None
    """The speaker being chosen for a quote (s), or None."""

    write: Callable[[Callable[[], Outcome]], Awaitable[Outcome]]

    def say(self, outcome: Outcome) -> None:
        raise NotImplementedError

    @property
    def view(self) -> TextView:
        """The article's view (EditorScreen's)."""
        raise NotImplementedError

    def candidate_marks(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        """The actor offered while linking, as a mark for the rows being drawn (drawn last: on top)."""
        linking = self.linking
        if linking is None:
            return []
        candidate = linking.candidate
        return (
            [(candidate.start, candidate.end, CANDIDATE_MARK)]
            if candidate.start < end and start < candidate.end
            else []
        )

    def action_link_speaker(self) -> None:
        """s: start choosing the speaker of the quote under the cursor, nearest actor first."""
        session = self.session
        if not session.complete:
            # Only the spans near the cursor are read yet: the nearest actors might not be among them.
            self.say(Outcome("the article's spans are still being read: s again in a moment", error=True))
            return
        quote = session.quote_at(session.cursor)
        if quote is None:
            self.say(Outcome(self.no_quote_message(), error=True))
            return
        candidates = session.speaker_candidates(quote)
        if not candidates:
            self.say(
                Outcome(
                    f"no actor {self.actor_where()} to link as the speaker: tag who said it as actor first "
                    f"({self.tag_keys(ACTOR)})",
                    error=True,
                )
            )
            return
        current = session.speaker_of(quote)
        start = candidates.index(current) if current in candidates else 0
        self.linking = Linking(quote, candidates, start, session.cursor)
        self.offer_speaker(start)

    def no_quote_message(self) -> str:
        """What `s` says when the cursor is in no quote (it fits an 80-column status line)."""
        return "s links a quote to its speaker: put the cursor inside a quote first"

    def actor_where(self) -> str:
        """Where the actors offered come from, for the message when there is none."""
        return "in this article"

    def tag_keys(self, label: str) -> str:
        """The keys that tag `label` on this screen now (a keymap may have moved them): `1 or a`, Latin ones only."""
        keys = [
            key
            for key, active in self.active_bindings.items()
            if active.binding.action == f"tag('{label}')" and key.isascii()
        ]
        return " or ".join(keys) or "its key"

    def offer_speaker(self, index: int) -> None:
        """Offer the index-th actor as the speaker: the article scrolls to it, highlighted."""
        linking = self.linking
        assert linking is not None
        linking.index = index % len(linking.candidates)
        candidate = linking.candidate
        self.view.move_to(candidate.start)
        shown = excerpt(self.session.text[candidate.start : candidate.end], 20)
        # Short, so the keys still fit an 80-column status line: the quote is where the cursor was.
        self.say(Outcome(f"speaker {linking.index + 1}/{len(linking.candidates)}: «{shown}» · {LINKING_HINT}"))
        self.view.refresh_view()

    def refuses_while_linking(self, action: str) -> bool:
        """Whether the screen's action `action` must wait for the speaker being chosen (then the status line says so)."""
        if self.linking is None or action in WHILE_LINKING:
            return False
        self.say(Outcome(f"not done while choosing a speaker: {LINKING_HINT}", error=True))
        return True

    def step_speaker(self, backwards: bool) -> bool:
        """Tab / shift+Tab while linking: offer the next / previous actor. False when no speaker is being chosen."""
        if self.linking is None:
            return False
        self.offer_speaker(self.linking.index + (-1 if backwards else 1))
        return True

    async def finish_linking(self) -> bool:
        """Enter while linking: link the quote to the actor offered, the cursor back in the quote. False when not linking."""
        linking = self.linking
        if linking is None:
            return False
        self.linking = None
        self.view.move_to(linking.cursor)
        session = self.session
        if not {linking.quote.id, linking.candidate.id} <= {span.id for span in session.spans}:
            self.say(
                Outcome("not linked: the quote or that actor was removed while choosing (s starts again)", error=True)
            )
            return True
        await self.write(lambda: session.link_speaker(linking.quote, linking.candidate))
        return True

    def cancel_linking(self) -> bool:
        """Escape while linking: cancel, the cursor back in the quote. False when no speaker is being chosen."""
        linking = self.linking
        if linking is None:
            return False
        self.linking = None
        self.view.move_to(linking.cursor)
        self.say(Outcome("speaker not linked (cancelled)"))
        return True

    async def action_unlink_speaker(self) -> None:
        """S: remove the speaker link of the quote under the cursor."""
        self.linking = None
        await self.write(self.session.unlink_here)
