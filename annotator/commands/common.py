"""What every command shares: the --db option, the user's name, one-line failures."""

from __future__ import annotations

import getpass
import os
import sys
import unicodedata
from collections.abc import Callable
from typing import Any, NoReturn

import click

from annotator.errors import BadInput
from annotator.model import GOLD
from annotator.store import LayerBusy, Store, clock, layer_name

DEFAULT_DB = "annotations.db"
BAD_NAME_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


class CommandError(BadInput):
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


def existing_db_path(ctx: click.Context, value: str | None) -> str:
    """The database path as db_path gives it, failing with one line when no database is there."""
    path = db_path(ctx, value)
    if not os.path.exists(path):
        fail(f"{path}: no such database")
    return path


def db_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """The --db option every command takes."""
    return click.option(
        "--db",
        "db",
        metavar="FILE",
        default=None,
        help=f"SQLite database (default: $ANNOTATOR_DB, else ./{DEFAULT_DB}).",
    )(function)


def interactive() -> bool:
    """Whether a person can answer a question: stdin is a terminal."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


def check_name(name: str, option: str = "--user", *, allow_gold: bool = False) -> str:
    """An annotator's name trimmed; refuses an empty name, control or format characters, and `gold`."""
    trimmed = name.strip()
    if not trimmed:
        fail(f"{option}: the name is empty")
    bad = [ch for ch in trimmed if unicodedata.category(ch) in BAD_NAME_CATEGORIES]
    if bad:
        fail(
            f"{option} {trimmed.encode('unicode_escape').decode('ascii')!r}: names cannot hold control or "
            f"invisible formatting characters (found U+{ord(bad[0]):04X})"
        )
    if not allow_gold and trimmed.casefold() == GOLD:
        fail(f"{option} {trimmed}: that name is reserved for the adjudicated layer; use `annotator review`")
    return trimmed


def check_known(store: Store, name: str, *, new: bool) -> None:
    """A name the database has never seen, while it knows others: ask once on a terminal, else need --new.

    A name the lead gave assignments to is known, though it has opened nothing yet."""
    known = sorted(set(store.known_annotators()) | set(store.assigned_annotators()))
    if new or not known or name in known:
        return
    listing = ", ".join(known)
    if interactive():
        click.echo(f"{store.path} knows the annotators: {listing}", err=True)
        if click.confirm(f"{name!r} is not one of them. Start a new annotator {name!r}?", default=False, err=True):
            return
        fail(f"not started; use --user with one of: {listing}")
    fail(f"{name!r} is not an annotator of {store.path} (known: {listing}); pass --new to start a new one")


def claim_layer(store: Store, owner: str, *, take_over: bool, command: str) -> str | None:
    """Become the one live editor of owner's layer, asking before taking it from a live process.

    Returns a notice for the screen when the claim of a process that had ended was taken.
    """
    try:
        ended = store.claim(owner, take_over=take_over)
    except LayerBusy as busy:
        if not interactive():
            fail(f"{busy}; close it there, or start with `{command} --take-over`")
        if not click.confirm(f"{busy}. Take it over?", default=False, err=True):
            fail(f"{busy}; not taken over (`{command} --take-over` takes it without asking)")
        ended = store.claim(owner, take_over=True)
    if ended is None:
        return None
    return (
        f"{layer_name(owner)} was still claimed by a session that had ended (host {ended.host}, "
        f"pid {ended.pid}, since {clock(ended.since)}); it is yours now"
    )
