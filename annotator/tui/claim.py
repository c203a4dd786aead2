"""The editing screens' watch on their claim to the layer: when another terminal takes it over, say so for good."""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static

from annotator.outcome import Outcome
from annotator.session import Session
from annotator.store import ClaimLost, ClaimWatch, Store


class ClaimMixin(Screen):
    """Watches the claim of `annotator` in `store` from mount to unmount; mixed into EditorScreen."""

    store: Store
    annotator: str
    session: Session
    read_only: str | None = None
    """Set when another process took this layer over: the message that says so."""
    _claim_watch: ClaimWatch | None = None

    def say(self, outcome: Outcome) -> None:
        raise NotImplementedError

    def refresh_title(self) -> None:
        raise NotImplementedError

    # -- the claim on the layer --------------------------------------------------------

    def watch_claim(self) -> None:
        """Check in a thread that this process still holds the layer; show it at once when it is taken over."""
        if not self.session.holds_layer() or self._claim_watch is not None:
            return

        def lost(exc: ClaimLost) -> None:
            try:
                self.app.call_from_thread(self.claim_lost, exc)
            except RuntimeError:
                pass  # the app is gone already

        self._claim_watch = ClaimWatch(self.store, self.annotator, lost)
        self._claim_watch.start()

    def on_unmount(self) -> None:
        if self._claim_watch is not None:
            self._claim_watch.stop()

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
