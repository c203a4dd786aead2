"""What every command shares: the --db option, the user's name, one-line failures."""

from __future__ import annotations

import getpass
import os
from typing import Any, Callable, NoReturn

import click

DEFAULT_DB = "annotations.db"


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit code 1."""


def fail(message: str) -> NoReturn:
    """Stop the command with one error line."""
    raise CommandError(message)


def default_user() -> str:
    """The operating-system login name."""
    try:
        return getpass.getuser()
    except Exception:
        return os.environ.get("USER") or "annotator"


def db_path(ctx: click.Context, value: str | None) -> str:
    """The database path: --db, else the group's --db, else $ANNOTATOR_DB, else ./annotations.db."""
    if value:
        return value
    root = ctx.find_root()
    if root.obj and root.obj.get("db"):
        return root.obj["db"]
    return os.environ.get("ANNOTATOR_DB") or DEFAULT_DB


def db_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """The --db option every command takes."""
    return click.option(
        "--db",
        "db",
        metavar="FILE",
        default=None,
        help=f"SQLite database (default: $ANNOTATOR_DB, else ./{DEFAULT_DB}).",
    )(function)
