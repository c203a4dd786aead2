"""`annotator report`: one self-contained HTML file of progress, agreement, labels and time."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click

from annotator.commands.common import db_option, existing_db_path, fail
from annotator.store import Store


@click.command("report")
@db_option
@click.option(
    "-o",
    "--output",
    "output",
    default="report.html",
    show_default=True,
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="Where to write the HTML file.",
)
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.pass_context
def report_command(ctx: click.Context, db: str | None, output: Path, force: bool) -> None:
    """Write one self-contained HTML page (no network needed) with charts of progress, agreement, labels, time.

    Needs the optional extra `report` (matplotlib): pip install 'annotator[report]'.
    """
    path = existing_db_path(ctx, db)
    if output.is_dir():
        fail(f"{output} is a folder; name the file to write")
    if output.exists() and not force:
        fail(f"{output} exists; use --force to overwrite it")
    if not output.parent.is_dir():
        fail(f"{output.parent}: no such folder")
    from annotator.lead.data import read_report
    from annotator.lead.html import build_html

    with Store(path) as store:
        data = read_report(store)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    page = build_html(
        data["stats"],
        data["agreement"],
        data["minutes"],
        data["titles"],
        agreement_note=data["agreement_note"],
        generated=f"{path}, {stamp}",
    )
    from annotator.export.errors import ExportError
    from annotator.export.writer import write_text_file

    try:
        write_text_file(output, page, force)  # as exports land: the user's umask, renamed into place
    except ExportError as exc:
        fail(str(exc))
    click.echo(f"{output}: report written ({len(page.encode()) // 1024} KB).")
