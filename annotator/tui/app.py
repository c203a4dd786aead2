"""The Textual application: opens the annotation (or review) screen over a store."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Mapping
from typing import ClassVar

from textual.actions import ActionParseResult
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen

from annotator.keymap import check_ids, read_keymap
from annotator.resources import styles_dir
from annotator.store import CLOSE_WAIT_S, Store
from annotator.tui.arabic_keys import arabic_key, key_name
from annotator.tui.commands import BidiCommandPalette, ScreenActions
from annotator.tui.speaker_linking import SpeakerLinking

SHUTDOWN_GRACE_S = 5.0


class AnnotatorApp(App[None]):
    """Annotate Arabic news text."""

    CSS_PATH = str(styles_dir() / "app.tcss")
    TITLE = "annotator"
    COMMANDS = App.COMMANDS | {ScreenActions}
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Quit", priority=True, id="quit")]
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, store: Store, first_screen: Screen, *, notice: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.first_screen = first_screen
        self.notice = notice
        # The user's keymap file (annotator/keymap.py), checked before the terminal is taken over: a typo in
        # an id is a one-line error, not a remapping that silently does nothing.
        keymap, source = read_keymap()
        if keymap:  # checking imports every screen: only worth it when there is a file to check
            check_ids(keymap, known_binding_ids(store), source)
        # A remapped key answers from the Arabic layout too, as the default keys do (arabic_keys.py); help reads it.
        self.keymap = {binding_id: with_twins(keys) for binding_id, keys in keymap.items()}
        self.set_keymap(self.keymap)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Every key's action passes here (and the palette's): a screen choosing a speaker refuses the ones that
        would act on the actor offered rather than on the quote (speaker_linking.WHILE_LINKING)."""
        target, name, _ = self._parse_action(
            action, self if default_namespace is None else default_namespace, namespaces
        )
        if isinstance(target, SpeakerLinking) and target.refuses_while_linking(name):
            return True  # handled: the key does nothing else
        return await super().run_action(action, default_namespace, namespaces)

    def action_command_palette(self) -> None:
        """ctrl+p: Textual's palette, its search box drawing typed Arabic in the screen's mode."""
        if self.use_command_palette and not BidiCommandPalette.is_open(self):  # type: ignore[arg-type]  # App[None] is an App[object] here: is_open only reads the screen stack
            self.push_screen(BidiCommandPalette(getattr(self.screen, "mode", "app"), id="--command-palette"))

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for sig, handler in ((signal.SIGHUP, self._hang_up), (signal.SIGTERM, self._terminate)):
            try:
                loop.add_signal_handler(sig, handler)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread (tests)
                pass
        if self.notice:
            self.notify(self.notice, timeout=6, markup=False)
        lost = taken_over(self.keymap, getattr(self.screen, "BINDINGS", []))
        if lost:
            # Textual drops a binding whose key the keymap gives another one without a word: say it.
            self.notify(f"keymap: {', '.join(lost)} lost keys the keymap gives to others", timeout=8, markup=False)

    def get_default_screen(self) -> Screen:
        """Start straight on the annotation (or review) screen: no empty default screen to lay out first."""
        return self.first_screen

    def _hang_up(self) -> None:
        """SIGHUP: the SSH connection dropped. Every change is committed; save the place, close and leave at once.

        There is no terminal left to restore, and Textual's shutdown can block for ever writing to it
        (seen: its writer queue deadlocked), so this exits without it. Closing the database (release
        the claim, checkpoint the WAL into the file) waits for a writer thread at most CLOSE_WAIT_S;
        a write still in flight then is rolled back by SQLite: it was never shown as made.
        """
        self.remember_place()
        self._close_and_exit(128 + signal.SIGHUP)

    def _close_and_exit(self, code: int) -> None:
        """Close the database (bounded wait) and end the process at once."""
        try:
            self.store.close(wait=CLOSE_WAIT_S)
        finally:
            os._exit(code)

    def _terminate(self) -> None:
        """SIGTERM: save the place, restore the terminal and exit; give up on a stuck shutdown after 5 s."""
        self.remember_place()
        watchdog = threading.Timer(SHUTDOWN_GRACE_S, self._close_and_exit, args=(128 + signal.SIGTERM,))
        watchdog.daemon = True
        watchdog.start()
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


def with_twins(keys: str) -> str:
    """Comma-separated keys and, after them, the Arabic-layout twin of each that has one."""
    names = [key if len(key) > 1 else key_name(key) for key in keys.split(",")]
    twins = [twin for name in names if (twin := arabic_key(name)) is not None and twin not in names]
    return ",".join(names + list(dict.fromkeys(twins)))


def taken_over(keymap: dict[str, str], bindings: list[BindingType]) -> list[str]:
    """The ids (or actions) of bindings the keymap leaves alone whose keys it gives to another binding."""
    remapped = {key for keys in keymap.values() for key in keys.split(",")}
    return [
        binding.id or binding.action
        for binding in bindings
        if isinstance(binding, Binding)
        and binding.id not in keymap
        and remapped & {key.strip() for key in binding.key.split(",")}
    ]


def known_binding_ids(store: Store) -> set[str]:
    """Every binding id a keymap may name: the keys of every screen, and `tag.NAME` for each label of the schema."""
    from annotator.tui.annotate_screen import AnnotateScreen
    from annotator.tui.dashboard_screen import DashboardScreen
    from annotator.tui.documents_screen import DocumentsScreen
    from annotator.tui.help_screen import HelpScreen
    from annotator.tui.review_screen import ReviewScreen

    screens: list[type[DOMNode]] = [
        AnnotatorApp,
        AnnotateScreen,
        ReviewScreen,
        DocumentsScreen,
        DashboardScreen,
        HelpScreen,
    ]
    ids = {b.id for screen in screens for b in screen.BINDINGS if isinstance(b, Binding) and b.id}
    return ids | {f"tag.{name}" for name in store.label_schema().names}
