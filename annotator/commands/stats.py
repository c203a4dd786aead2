"""`annotator stats`: what each annotator did, how long it took, and the labels they used."""

from __future__ import annotations

import json

import click

from annotator.commands.common import db_option, existing_db_path, fail
from annotator.commands.options import bidi_option, resolve_bidi
from annotator.store import Store


@click.command("stats")
@db_option
@click.option(
    "--annotators",
    "names",
    default=None,
    metavar="A,B,...",
    help="Only these annotators (default: everyone with spans or progress).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@bidi_option
@click.pass_context
def stats_command(ctx: click.Context, db: str | None, names: str | None, as_json: bool, bidi: str | None) -> None:
    """Per annotator: documents done and in progress, spans per label, active time, speed; per label: counts.

    Active time is read from the event log: gaps of more than 5 minutes between an annotator's own
    events are breaks and are not counted.
    """
    path = existing_db_path(ctx, db)
    chosen = None
    if names is not None:
        chosen = [name.strip() for name in names.split(",") if name.strip()]
        if not chosen:
            fail("--annotators: give at least one name (names separated by commas)")
    from annotator.lead.data import read_stats

    with Store(path) as store:
        stats = read_stats(store, chosen, sources=True)
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    from annotator.lead.source_table import render_sources
    from annotator.lead.tables import render_stats

    render_stats(stats, mode=resolve_bidi(bidi))
    render_sources(stats)
