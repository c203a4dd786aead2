"""The Textual application: opens the annotation (or review) screen over a store."""

from __future__ import annotations

import asyncio
import signal
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from annotator.resources import styles_dir
from annotator.store import Store
from annotator.tui.commands import ScreenActions


class AnnotatorApp(App[None]):
    """Annotate Arabic news text."""

    CSS_PATH = str(styles_dir() / "app.tcss")
    TITLE = "annotator"
    COMMANDS = App.COMMANDS | {ScreenActions}
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Quit", priority=True)]
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, store: Store, first_screen: Screen, *, notice: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.first_screen = first_screen
        self.notice = notice

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self._hang_up)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread (tests)
                pass
        self.push_screen(self.first_screen)
        if self.notice:
            self.notify(self.notice, timeout=6, markup=False)

    def _hang_up(self) -> None:
        """SIGHUP (the SSH connection dropped) or SIGTERM: everything is committed; save the place and leave."""
        self.remember_place()
        self.exit(return_code=0)

    def remember_place(self) -> None:
        """Save the cursor of the screen's session, if any."""
        session = getattr(self.screen, "session", None)
        if session is not None:
            session.save_place()

    async def action_quit(self) -> None:
        """Quit: every change is already committed; remember the cursor."""
        self.remember_place()
        self.exit()
