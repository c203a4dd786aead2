"""The command palette: a provider offering every action of the current screen by its description, and a
palette whose search box draws typed Arabic like the app's other inputs (shaped, in visual order)."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import CommandInput, CommandPalette, DiscoveryHit, Hit, Hits, Provider

from annotator.tui.bidi_input import BidiInput
from annotator.tui.help_screen import key_label


class ScreenActions(Provider):
    """Offers each binding of the active screen as a command."""

    def _actions(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        found: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for binding in getattr(screen, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.action not in seen:
                seen.add(binding.action)
                found.append((binding.description, binding.action, key_label(binding.key.split(",")[0])))
        return found

    async def discover(self) -> Hits:
        for description, action, key in self._actions():
            yield DiscoveryHit(description, partial(self.screen.run_action, action), help=f"key: {key}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, action, key in self._actions():
            score = matcher.match(description)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(description), partial(self.screen.run_action, action), help=f"key: {key}"
                )


class BidiCommandInput(CommandInput, BidiInput):
    """The palette's search box: Textual's CommandInput first (its CSS type, which the palette focuses and styles), drawn by BidiInput."""


class BidiCommandPalette(CommandPalette):
    """Textual's command palette with the search box swapped for BidiCommandInput: a plain terminal would show
    typed Arabic backwards and unjoined."""

    def __init__(self, mode: str = "app", *, id: str | None = None) -> None:
        self.mode = mode
        super().__init__(id=id)

    def compose(self) -> ComposeResult:
        """Textual's palette, the search box replaced where it is yielded (inside the palette's containers)."""
        for widget in super().compose():
            if type(widget) is CommandInput:
                box = BidiCommandInput(placeholder=widget.placeholder, mode=self.mode)
                box.select_on_focus = False  # as Textual makes its own
                yield box
            else:
                yield widget
