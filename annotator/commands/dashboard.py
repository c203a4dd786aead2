"""`annotator dashboard`: the figures of `annotator stats` as terminal bars, refreshed while annotators work."""

from __future__ import annotations

import click

from annotator.commands.common import db_option, existing_db_path
from annotator.commands.options import bidi_option, screen_bidi
from annotator.store import Store


@click.command("dashboard")
@db_option
@bidi_option
@click.option(
    "--every",
    "every",
    type=click.FloatRange(min=0.5),
    default=3.0,
    show_default=True,
    help="Seconds between two reads of the figures.",
)
@click.pass_context
def dashboard_command(ctx: click.Context, db: str | None, bidi: str | None, every: float) -> None:
    """Progress per annotator, spans per label and agreement per layer as bars (q or Escape closes it).

    The same figures as `annotator stats` and `annotator agreement`; read again every few seconds.
    """
    path = existing_db_path(ctx, db)
    from annotator.tui.run import run_dashboard  # the core never needs Textual

    run_dashboard(Store(path), bidi=screen_bidi(bidi), refresh=every)
