"""`annotator labels`: the label schema (name, layer, key, colour, guideline, spans using each), and replacing it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from annotator.commands.common import check_name, db_option, default_user, existing_db_path, fail
from annotator.commands.options import bidi_option, resolve_bidi
from annotator.labels import LabelSchema, parse_toml
from annotator.store import SchemaChange, Store

INDENT = 5


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def show_schema(schema: LabelSchema, use: dict[str, int], mode: str) -> None:
    """Print each label on one line (key, name, layer, colour swatch, spans), its guideline wrapped below."""
    from rich.console import Console
    from rich.text import Text

    from annotator.text.display import display_line
    from annotator.text.layout import layout_paragraph

    console = Console(highlight=False)
    width = max(console.width, 40)
    name_width = max([len(name) for name in schema.names] + [5])
    colour_width = max([len(label.colour) for label in schema] + [6])
    console.print(
        Text(
            f"{_plural(len(schema), 'label')} (--toml: as TOML; `annotator labels set FILE.toml`: replace)",
            style="bold",
        )
    )
    console.print(Text(f"key  {'label':<{name_width}}  layer      {'colour':<{colour_width}}  spans"))
    for label in schema:
        line = Text(f"{label.key:<3}  ")
        name = display_line(label.name, name_width + len(label.name), mode)
        line.append(name + " " * max(name_width - len(label.name), 0), style="bold")
        line.append(f"  {label.layer:<6}  ")
        line.append("  ", style=f"on {label.colour}")
        line.append(f" {label.colour:<{colour_width}}  {use.get(label.name, 0):>5}")
        console.print(line, no_wrap=True, overflow="ignore", crop=False)
        if label.description:
            for row in layout_paragraph(" ".join(label.description.split()), width - INDENT - 1, mode).rows:
                console.print(Text(" " * (INDENT + row.x0) + row.text), no_wrap=True, overflow="ignore", crop=False)


def change_lines(change: SchemaChange) -> list[str]:
    """What a replacement did, one line per kind of change; never silent about a span it touched."""
    lines: list[str] = []
    if change.added:
        lines.append(f"added: {', '.join(change.added)}")
    for name, count in change.dropped.items():
        lines.append(f"dropped: {name}" + (f" — {_plural(count, 'span')} removed" if count else " (no span used it)"))
    for name, (before, after, count) in change.moved.items():
        lines.append(f"moved: {name} from the {before} to the {after} layer ({_plural(count, 'span')} moved with it)")
    if change.changed:
        lines.append(f"changed (key, colour, guideline or order): {', '.join(change.changed)}")
    if change.suggestions_removed:
        lines.append(f"{_plural(change.suggestions_removed, 'pending suggestion')} of dropped labels removed")
    if change.relations_removed:
        lines.append(f"{_plural(change.relations_removed, 'relation')} of removed spans removed")
    if change.spans_affected:
        lines.append(
            f"{_plural(change.spans_affected, 'span')} affected in all (removals are in the event log, action `labels`)"
        )
    return lines or ["the schema is unchanged"]


@click.command("labels")
@click.argument("action", required=False, metavar="[set FILE.toml]")
@click.argument("set_file", required=False, metavar=" ")
@db_option
@click.option(
    "--set",
    "toml_file",
    default=None,
    metavar="FILE.toml",
    help="Replace the schema with the labels of this TOML file ([label.NAME] tables: layer, key, colour, description).",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --set: drop labels that spans use (the spans are removed) or move them to another layer.",
)
@click.option("--user", default=None, help="Who changes the schema (default: your login name); recorded in the log.")
@click.option("--toml", "as_toml", is_flag=True, help="Print the schema as TOML (a file to edit and --set).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@bidi_option
@click.pass_context
def labels_command(
    ctx: click.Context,
    action: str | None,
    set_file: str | None,
    db: str | None,
    toml_file: str | None,
    force: bool,
    user: str | None,
    as_toml: bool,
    as_json: bool,
    bidi: str | None,
) -> None:
    """Show the label schema (key, name, layer, colour, guideline, how many spans use each), or replace it
    with `annotator labels set FILE.toml [--force]` (or `--set FILE.toml`).

    The keys 1–9 of the annotation screen tag with the labels of these keys; colours, help, exports and
    agreement follow the schema. A label that spans use is dropped or moved to another layer only with
    --force, which removes the spans of a dropped label (through the event log) and says how many.
    """
    if action is not None:
        if action != "set":
            fail(
                f"labels: unknown action {action!r} (`annotator labels` lists, `annotator labels set FILE.toml` replaces)"
            )
        if set_file is None:
            fail("labels set: which file? `annotator labels set FILE.toml`")
        if toml_file is not None and toml_file != set_file:
            fail("labels: give the file once, as `labels set FILE.toml` or `labels --set FILE.toml`")
        toml_file = set_file
    elif set_file is not None:
        fail(f"labels: unexpected {set_file!r}")
    path = existing_db_path(ctx, db)
    if force and toml_file is None:
        fail("--force goes with --set FILE.toml (or `labels set FILE.toml`)")
    if toml_file is None:
        with Store(path) as store:
            schema, use = store.label_schema(), store.label_use()
        if as_toml:
            click.echo(schema.to_toml(), nl=False)
        elif as_json:
            click.echo(
                json.dumps(
                    [{**label._asdict(), "spans": use.get(label.name, 0)} for label in schema],
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            show_schema(schema, use, resolve_bidi(bidi))
        return
    source = Path(toml_file)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"{toml_file}: no such file")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{toml_file}: cannot be read ({exc})")
    schema = parse_toml(text, toml_file)
    who = check_name(user or default_user())
    with Store(path) as store:
        change = store.set_label_schema(schema, user=who, force=force)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "added": change.added,
                    "dropped": change.dropped,
                    "moved": {k: list(v) for k, v in change.moved.items()},
                    "changed": change.changed,
                    "suggestions_removed": change.suggestions_removed,
                    "relations_removed": change.relations_removed,
                    "spans_affected": change.spans_affected,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(f"{path}: label schema replaced from {toml_file} ({_plural(len(schema), 'label')})")
    for line in change_lines(change):
        click.echo(f"  {line}")
