"""The `annotator` command: a thin click layer over the library."""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from click_default_group import DefaultGroup

from annotator import __version__
from annotator.commands.common import (
    check_known,
    check_name,
    claim_layer,
    db_option,
    db_path,
    default_user,
    existing_db_path,
    fail,
)
from annotator.commands.options import bidi_option, resolve_bidi, screen_bidi
from annotator.errors import AnnotatorError
from annotator.resources import corpus_dir
from annotator.store import Store, close_all
from annotator.workspace import CORPUS_ORDER, ORDERS


def open_store(ctx: click.Context, db: str | None) -> Store:
    """Open the database named by the options (closed when the command ends)."""
    store = Store(db_path(ctx, db))
    ctx.call_on_close(store.close)
    return store


def bundled_import(store: Store, user: str) -> str:
    """Import the bundled corpus into an empty database; returns the message to show."""
    from annotator.importer import expand_paths, parse_files  # not needed to open a screen on a database

    files, errors = expand_paths([corpus_dir()])
    parsed = parse_files(files, store.labels())
    if errors or parsed.errors:
        fail("; ".join(errors + parsed.errors))
    result = store.import_batch(parsed.documents, parsed.spans, user=user, relations=parsed.relations)
    return f"New database {store.path}: imported the bundled corpus ({result.added} articles)."


@click.group(
    cls=DefaultGroup,
    default="annotate",
    default_if_no_args=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "--version", prog_name="annotator")
@click.option("--db", "db", metavar="FILE", default=None, help="SQLite database for any command.")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Annotate Arabic news text in the terminal: actor, figure, place and quote spans.

    With no command, opens the annotation screen (same as `annotator annotate`).
    """
    ctx.obj = {"db": db}
    if ctx.invoked_subcommand not in SCREEN_COMMANDS:
        gc.enable()  # main() paused it for the screens' start-up only


@cli.command("annotate")
@db_option
@click.option("--user", default=None, help="Annotator name (default: your login name).")
@bidi_option
@click.option("--doc", "doc_id", default=None, metavar="ID", help="Open this document.")
@click.option("--new", "new", is_flag=True, help="Start a new annotator: a name the database has not seen yet.")
@click.option(
    "--take-over",
    "take_over",
    is_flag=True,
    help="Take your layer over from another terminal still open on it (that one turns read-only).",
)
@click.option(
    "--order",
    type=click.Choice(ORDERS),
    default=CORPUS_ORDER,
    show_default=True,
    help="corpus: articles in corpus order; uncertain: the articles a model's suggestions are least "
    "sure of first (`annotator suggest --model`), then the rest.",
)
@click.pass_context
def annotate_command(
    ctx: click.Context,
    db: str | None,
    user: str | None,
    bidi: str | None,
    doc_id: str | None,
    new: bool,
    take_over: bool,
    order: str,
) -> None:
    """Open the annotation screen on your next unfinished article."""
    path = db_path(ctx, db)
    fresh = not Path(path).exists()
    user = check_name(default_user() if user is None else user)
    store = Store(path)
    notices = []
    if fresh or not store.document_list():
        message = bundled_import(store, user)
        click.echo(message, err=True)
        notices.append(message)
    if doc_id is not None and store.document(doc_id) is None:
        fail(f"no document {doc_id!r} in {path} (see `annotator docs`)")
    check_known(store, user, new=new)
    taken = claim_layer(store, user, take_over=take_over, command="annotator annotate")
    if taken:
        notices.append(taken)
    from annotator.tui.run import run_annotate  # imported late: the core never needs Textual

    run_annotate(store, user=user, bidi=screen_bidi(bidi), doc_id=doc_id, notice=" ".join(notices) or None, order=order)


@cli.command("import")
@db_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--as", "as_name", default=None, metavar="NAME", help="Annotator the imported spans belong to.")
@click.option(
    "--label-map",
    "label_map",
    default=None,
    metavar="FROM=TO,...",
    help="Rename foreign labels (e.g. PER=actor,LOC=place); any other unknown label is an error.",
)
@click.pass_context
def import_command(
    ctx: click.Context, db: str | None, paths: tuple[Path, ...], as_name: str | None, label_map: str | None
) -> None:
    """Import text, our JSONL, Prodigy, doccano, Label Studio JSON, spaCy .spacy and CoNLL files, and folders of them."""
    from annotator.importer import expand_paths, parse_files, parse_label_map

    if as_name is not None:
        as_name = check_name(as_name, "--as", allow_gold=True)
    mapping, problem = parse_label_map(label_map)
    if problem:
        raise click.UsageError(problem)
    store = open_store(ctx, db)
    files, errors = expand_paths(paths)
    with _progress(len(files), "reading") as advance:
        parsed = parse_files(
            files, store.labels(), as_name=as_name, on_file=advance, label_map=mapping, stored=store.document_hashes()
        )
    errors += parsed.errors
    if errors:
        for line in errors:
            click.echo(f"annotator: error: {line}", err=True)
        fail(f"nothing imported ({len(errors)} problem{'s' if len(errors) != 1 else ''})")
    with _progress(len(parsed.documents), "writing") as advance:
        result = store.import_batch(
            parsed.documents,
            parsed.spans,
            done=parsed.done,
            user=as_name or default_user(),
            on_progress=advance,
            relations=parsed.relations,
        )
    # the relations count only when the files held some: an import of plain spans keeps its line
    linked = f", {result.relations} relation{'s' if result.relations != 1 else ''} added" if parsed.relations else ""
    click.echo(
        f"{result.added} document{'s' if result.added != 1 else ''} added, "
        f"{result.present} already present, {result.spans} span{'s' if result.spans != 1 else ''} added{linked}."
    )
    for line in parsed.report():
        click.echo(line)


class _NoProgress:
    def __enter__(self) -> Callable[[int], None]:
        return lambda n: None

    def __exit__(self, *exc: object) -> None:
        return None


def _progress(total: int, label: str) -> Any:
    """A Rich progress bar on stderr when it is a terminal and the job is long; else nothing."""
    if total < 200 or not sys.stderr.isatty():
        return _NoProgress()
    from annotator.progress import progress_bar

    return progress_bar(total, label)


@cli.command("docs")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--user", default=None, help="Whose assigned documents to list (default: your login name).")
@click.option("--all", "every", is_flag=True, help="Every document, assigned to the user or not.")
@bidi_option
@click.pass_context
def docs_command(
    ctx: click.Context, db: str | None, as_json: bool, user: str | None, every: bool, bidi: str | None
) -> None:
    """List the documents in corpus order with their status and span count per annotator (only the user's
    assigned ones, when the lead assigned them some)."""
    from annotator.assignments import assigned_part

    store = open_store(ctx, db)
    user = check_name(default_user() if user is None else user)
    overview, others = assigned_part(store, store.overview(), None if every else user)
    note = (
        (
            f"{len(overview)} articles assigned to {user} listed; {others} other{'s are' if others > 1 else ' is'} "
            "not assigned to them (`annotator docs --all` lists every one)."
        )
        if others
        else ""
    )
    if as_json:
        click.echo(json.dumps(overview, ensure_ascii=False, indent=2))
        if note:
            click.echo(note, err=True)
        return
    from annotator.report import docs_table

    docs_table(overview, resolve_bidi(bidi))
    if note:
        click.echo(note)


@cli.command("check")
@db_option
@click.pass_context
def check_command(ctx: click.Context, db: str | None) -> None:
    """Verify the database: integrity, spans inside their texts, no overlaps, the event log."""
    path = existing_db_path(ctx, db)
    note = wal_note(path)  # before opening: our own close folds the WAL into the file
    if note:
        click.echo(note)
    with Store(path) as store:
        problems = store.check()
    for problem in problems:
        click.echo(problem)
    if problems:
        sys.exit(1)
    click.echo(f"{path}: ok")


def wal_note(path: str) -> str | None:
    """A one-line note when a non-empty `-wal` file sits beside the database: part of it lives there."""
    wal = Path(f"{path}-wal")
    try:
        size = wal.stat().st_size
    except OSError:
        return None
    if not size:
        return None
    return (
        f"note: {wal} holds {size:,} bytes not yet in {path} (an annotator is working, or one did not "
        "exit cleanly); a copy of the .db alone would miss them: use `annotator backup DEST`"
    )


@cli.command("backup")
@db_option
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
@click.pass_context
def backup_command(ctx: click.Context, db: str | None, dest: Path, force: bool) -> None:
    """Copy the database to DEST while annotators work (SQLite's online backup), then check the copy."""
    path = existing_db_path(ctx, db)
    if dest.is_dir():
        fail(f"{dest}: is a directory; name the backup file")
    if dest.exists() and not force:
        fail(f"{dest}: already exists; pass --force to overwrite it")
    if not dest.parent.exists():
        fail(f"{dest}: the folder {dest.parent} does not exist")
    if dest.resolve() == Path(path).resolve():
        fail(f"{dest}: is the database itself")
    with Store(path) as store:
        store.backup_to(dest)
    with Store(dest) as copy:
        problems = copy.check()
    for problem in problems:
        click.echo(problem)
    if problems:
        fail(f"{dest}: the copy fails its check ({len(problems)} problem{'s' if len(problems) != 1 else ''})")
    click.echo(f"{path} → {dest}: {dest.stat().st_size:,} bytes, ok")


def _register_optional_commands() -> None:
    """Add the commands that live in their own modules."""
    from annotator.commands import COMMANDS

    for command in COMMANDS:
        cli.add_command(command)


_register_optional_commands()
from annotator.commands.assign import assign_command  # noqa: E402  (to join commands.COMMANDS once merged)

cli.add_command(assign_command)
from annotator.commands.flags import flags_command  # noqa: E402  (to join commands.COMMANDS once merged)

cli.add_command(flags_command)

from annotator.commands.labels import labels_command  # noqa: E402  (its own module, as assign)

cli.add_command(labels_command)


SCREEN_COMMANDS = ("annotate", "review")
"""Commands that open a screen: the garbage collector stays paused until their first paint."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning every failure into one line and an exit code."""
    # Start-up creates tens of thousands of objects that live as long as the app (Textual, the
    # article, its layout); collecting while they are made finds nothing and slows the start.
    # Screens resume collection after their first paint (tui.memory.settle_memory),
    # every other command at once (cli()).
    gc.disable()
    previous = _exit_on_signals()
    try:
        _run(argv)
    finally:
        close_all()  # every connection closed: the .db file is complete and no -wal is left
        gc.enable()
        _restore_signals(previous)


def _exit_on_signals() -> dict[int, Any]:
    """SIGTERM and SIGHUP end a command as an exception would, so its database is closed on the way out.

    The screens set their own handlers while they run.
    """
    previous: dict[int, Any] = {}

    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        try:
            previous[sig] = signal.signal(sig, leave)
        except ValueError:  # not the main thread
            break
    return previous


def _restore_signals(previous: dict[int, Any]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)


def _run(argv: list[str] | None) -> None:
    """Run the CLI, turning every failure into one line and an exit code."""
    try:
        code = cli.main(args=argv, prog_name="annotator", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Abort:
        click.echo("annotator: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except AnnotatorError as exc:  # every failure the user is told about: one line, its exit code
        click.echo(f"annotator: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("annotator: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # the last guard: never a traceback for the user
        if os.environ.get("ANNOTATOR_DEBUG"):
            traceback.print_exc()
        click.echo(
            f"annotator: internal error: {type(exc).__name__}: {exc} (set ANNOTATOR_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(1)
