"""Options several commands share, defined once: `--bidi`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:  # the layout engine is loaded only by the commands that draw text
    from annotator.text.layout import Mode

MODES = ("app", "terminal")
"""The values of --bidi: the layout modes of annotator.text.layout."""


def bidi_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """The --bidi option of every command that draws Arabic: screens and printed tables alike."""
    return click.option(
        "--bidi",
        type=click.Choice(MODES),
        default=None,
        help="app: shape and reorder right-to-left text here, for terminals that do no bidi (xterm, tmux, "
        "PuTTY); terminal: send it in logical order, the terminal does it (VTE, Konsole, mlterm). "
        "Default: app on a terminal, terminal into a pipe or a file (which get the stored text).",
    )(function)


def resolve_bidi(value: str | None, stream: TextIO | None = None) -> Mode:
    """The bidi mode to use: the one asked for, else app when the output is a terminal, else terminal."""
    if value is not None:
        return "app" if value == "app" else "terminal"
    out = sys.stdout if stream is None else stream
    try:
        tty = out is not None and out.isatty()
    except (ValueError, OSError):
        tty = False
    return "app" if tty else "terminal"


def screen_bidi(value: str | None) -> str:
    """The bidi mode of a screen: the one asked for, else app (a screen always draws on a terminal)."""
    return "app" if value is None else value
