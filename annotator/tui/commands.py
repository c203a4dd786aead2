"""Command palette provider: every action of the current screen, by its description."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

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
