"""`annotator flags`: the lead's list of what annotators flagged, and resolving a flag."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING, Any

import click

from annotator.commands.common import db_option, default_user, existing_db_path, fail
from annotator.commands.options import bidi_option, resolve_bidi
from annotator.errors import Refused
from annotator.store import Flag, Store

if TYPE_CHECKING:
    from annotator.text.layout import Mode

INDENT = 4


def flag_record(flag: Flag, text: str) -> dict[str, Any]:
    """A flag as `--json` gives it: the span's text (None for the whole article) read from its document."""
    return {
        "id": flag.id,
        "document": flag.document_id,
        "annotator": flag.annotator,
        "target": "article" if flag.on_article else "span",
        "start": flag.start,
        "end": flag.end,
        "text": None if flag.start is None or flag.end is None else text[flag.start : flag.end],
        "note": flag.note,
        "by": flag.user,
        "created": flag.created,
        "updated": flag.updated,
        "resolved": flag.resolved,
        "resolved_by": flag.resolved_by,
    }


def flag_lines(record: dict[str, Any], width: int, mode: Mode) -> list[str]:
    """One flag for a terminal: a line of who, where and when, then its span text and note laid out in visual
    order (mode app) and wrapped at width, never cut."""
    from annotator.text.layout import layout_paragraph

    when = record["created"][:16].replace("T", " ")
    state = (
        f"resolved {record['resolved'][:16].replace('T', ' ')} by {record['resolved_by']}"
        if record["resolved"]
        else "open"
    )
    lines = [f"#{record['id']}  {record['document']}  {record['annotator']}  {when}  {state}"]
    room = max(8, width - INDENT - 7)
    what = "article" if record["text"] is None else f"{record['start']}-{record['end']}"
    for label, value in (("span", record["text"]), ("note", record["note"] or "(no note)")):
        if value is None:
            lines.append(" " * INDENT + "article")
            continue
        flat = " ".join(value.split())
        rows = [row.text for row in layout_paragraph(flat, room, mode).rows] if flat else [""]
        head = f"{label} ({what}): " if label == "span" else "note: "
        lines.append(" " * INDENT + head + rows[0])
        lines += [" " * (INDENT + len(head)) + row for row in rows[1:]]
    return lines


@click.command("flags")
@db_option
@click.option("--open", "open_only", is_flag=True, help="Only the flags not resolved yet.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--resolve", "resolve", type=int, default=None, metavar="ID", help="Mark flag ID resolved.")
@bidi_option
@click.pass_context
def flags_command(
    ctx: click.Context, db: str | None, open_only: bool, as_json: bool, resolve: int | None, bidi: str | None
) -> None:
    """List what annotators flagged with `!` (an article or a span, with a note), or resolve one.

    Each flag: its id, document, annotator, when, open or resolved, the span's text (or `article`), the note.
    """
    path = existing_db_path(ctx, db)
    with Store(path) as store:
        if resolve is not None:
            if open_only or as_json:
                fail("--resolve takes no other option")
            try:
                flag = store.resolve_flag(resolve, user=default_user())
            except Refused as exc:
                fail(str(exc))
            click.echo(f"flag #{flag.id} ({flag.document_id}, {flag.annotator}) resolved.")
            return
        flags = store.flags(open_only=open_only)
        texts = {doc: text for doc, _, text in store.document_texts(sorted({f.document_id for f in flags}))}
        records = [flag_record(flag, texts.get(flag.document_id, "")) for flag in flags]
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    if not records:
        click.echo("No open flags." if open_only else "No flags.")
        return
    mode = resolve_bidi(bidi)
    width = shutil.get_terminal_size().columns
    for record in records:
        for line in flag_lines(record, width, mode):
            click.echo(line)
    opened = sum(1 for record in records if record["resolved"] is None)
    click.echo(
        f"{len(records)} flag{'s' if len(records) != 1 else ''}, {opened} open; "
        "`annotator flags --resolve ID` resolves one."
    )
