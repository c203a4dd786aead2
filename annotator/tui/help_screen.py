"""The help screen: every key of the screen it was opened from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

EXTRA_KEYS = [
    ("١ ٢ ٣ ٤", "Actor, figure, place, quote (Arabic-Indic digits)"),
    ("ctrl+p", "Command palette: every action by name"),
    ("ctrl+q", "Quit (everything is already saved)"),
    ("mouse", "Click: cursor; drag: select"),
]


def key_rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, description) for each binding, keys joined with ' / '."""
    rows: list[tuple[str, str]] = []
    for binding in bindings:
        if not isinstance(binding, Binding):
            continue
        keys = " / ".join(k.strip().replace("_square_bracket", " bracket").replace("question_mark", "?")
                          .replace("slash", "/").replace("left bracket", "[").replace("right bracket", "]")
                          for k in binding.key.split(","))
        rows.append((keys, binding.description))
    return rows + EXTRA_KEYS


class HelpScreen(ModalScreen[None]):
    """Lists every key."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, bindings: Iterable[BindingType]) -> None:
        super().__init__()
        self.rows = key_rows(bindings)

    def compose(self) -> ComposeResult:
        table = Table(title="Keys", expand=True, show_lines=False)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("what it does")
        for keys, description in self.rows:
            table.add_row(Text(keys), Text(description))
        with VerticalScroll(id="help"):
            yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)
