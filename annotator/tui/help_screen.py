"""The help screen: every key of the screen it was opened from."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import ClassVar, cast

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.widgets import Static

from annotator.text.display import display_line
from annotator.text.layout import Mode, layout_paragraph
from annotator.tui.arabic_keys import with_arabic_layout

EXTRA_KEYS = [
    ("ctrl+p", "Command palette: every action by name"),
    ("ctrl+q", "Quit (everything is already saved)"),
    ("mouse", "Click: cursor; drag: select"),
]


def key_label(key: str) -> str:
    """How a key is written for people: `*`, `?`, `]`, `ctrl+d` — never Textual's names (asterisk, right_square_bracket)."""
    key = key.strip()
    char = key_to_character(key)
    if char is not None and char.isprintable() and not char.isspace():
        return char
    return "/" if key == "slash" else key


def key_rows(bindings: Iterable[BindingType], keymap: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(keys, description) for each binding, keys joined with ' / '; a binding the keymap remaps shows its new keys."""
    rows: list[tuple[str, str]] = []
    for binding in bindings:
        if not isinstance(binding, Binding):
            continue
        remapped = (keymap or {}).get(binding.id or "")
        keys = " / ".join(key_label(k) for k in (remapped or binding.key).split(","))
        rows.append((keys, f"{binding.description}: {binding.tooltip}" if binding.tooltip else binding.description))
    return rows + EXTRA_KEYS


_KEY_SEPARATORS = re.compile(r"( / | |\.\.)")


def visual_keys(keys: str, mode: str = "app") -> str:
    """A key cell as drawn: each key through the layout engine (shaped; a lone haraka such as ِ on ◌), the keys
    left to right in the order listed, like the description beside them (`١ ٢ ٣ ٤` stays in that order)."""
    return "".join(
        part if i % 2 else display_line(part, 2 * len(part) + 4, mode)
        for i, part in enumerate(_KEY_SEPARATORS.split(keys))
    )


def description_rows(description: str, width: int, mode: str = "app") -> list[str]:
    """A description as drawn in a column `width` cells wide: wrapped by the layout engine, each row shaped and in
    visual order (an Arabic guideline's first words on the first row, at its right), so Rich never wraps it."""
    rows = layout_paragraph(" ".join(description.split()), max(width, 1), cast(Mode, mode)).rows
    return [" " * row.x0 + row.text for row in rows] or [""]


# "│ key │ description │": the borders and padding around the two cells of a row of Rich's default box.
TABLE_FRAME = 7
MIN_DESCRIPTION = 12


def help_table(rows: list[tuple[str, str]], width: int, mode: str = "app") -> Table:
    """The keys and what they do, `width` cells wide, each description laid out at its column's width."""
    keys = [visual_keys(key, mode) for key, _ in rows]
    key_width = max((cell_len(key) for key in keys), default=1)
    description_width = max(width - key_width - TABLE_FRAME, MIN_DESCRIPTION)
    table = Table(title="Keys", expand=False, show_lines=False)
    table.add_column("key", style="bold", no_wrap=True, width=key_width)
    table.add_column("what it does", no_wrap=True, overflow="ignore", width=description_width)
    for key, (_, description) in zip(keys, rows):
        table.add_row(Text(key), Text("\n".join(description_rows(description, description_width, mode))))
    return table


class HelpTable(Static):
    """The help table, laid out again at its own width whenever that changes."""

    def __init__(self, rows: list[tuple[str, str]], mode: str) -> None:
        super().__init__()
        self.rows = rows
        self.mode = mode
        self.laid_out_at = 0

    def on_resize(self) -> None:
        width = self.content_size.width
        if width and width != self.laid_out_at:
            self.laid_out_at = width
            self.update(help_table(self.rows, width, self.mode))


class HelpScreen(ModalScreen[None]):
    """Lists every key."""

    BINDINGS: ClassVar[list[BindingType]] = with_arabic_layout(
        [Binding("escape,question_mark,q", "close", "Close", id="close")]
    )

    def __init__(
        self,
        bindings: Iterable[BindingType],
        adjust: Callable[[list[tuple[str, str]]], list[tuple[str, str]]] | None = None,
    ) -> None:
        """Help for these bindings; `adjust` lets a screen reorder or add rows (applied after the keymap)."""
        super().__init__()
        self.bindings = list(bindings)
        self.adjust = adjust
        self.rows = self._rows(None)

    def _rows(self, keymap: Mapping[str, str] | None) -> list[tuple[str, str]]:
        rows = key_rows(self.bindings, keymap)
        return self.adjust(rows) if self.adjust is not None else rows

    def opener_mode(self) -> str:
        """The bidi mode of the screen help was opened over (app: the app lays Arabic out; terminal: the terminal does)."""
        stack = self.app.screen_stack
        below = [screen for screen in stack if screen is not self]
        return str(getattr(below[-1], "mode", "app")) if below else "app"

    def compose(self) -> ComposeResult:
        mode = self.opener_mode()
        self.rows = self._rows(getattr(self.app, "keymap", None))
        with VerticalScroll(id="help"):
            yield HelpTable(self.rows, mode)

    def action_close(self) -> None:
        self.dismiss(None)
