"""`annotator agreement`: how far the annotators agree, per layer, pair and label."""

from __future__ import annotations

import json

import click

from annotator.commands.common import db_option, existing_db_path, fail
from annotator.commands.options import bidi_option, resolve_bidi
from annotator.store import Store


@click.command("agreement")
@db_option
@click.option(
    "--annotators",
    "names",
    default=None,
    metavar="A,B,...",
    help="Annotators to compare (default: everyone with at least one done document).",
)
@click.option("--by-document", is_flag=True, help="Also each document's measures, worst first.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@bidi_option
@click.pass_context
def agreement_command(
    ctx: click.Context, db: str | None, names: str | None, by_document: bool, as_json: bool, bidi: str | None
) -> None:
    """Agreement over the documents at least two annotators marked done: span F1, κ, α, α_u.

    Each measure is defined in one line in README.md, section "Agreement and adjudication". The
    output says what each one covered: pairs use the documents both did; Krippendorff's α every
    document, an annotator who did not do one as missing data; Fleiss' κ and α_u only the documents
    every annotator did. Units are whole-word tokens (labelled by the span covering most of them),
    spans for F1, characters for α_u; "per label" is that label against the rest.
    """
    path = existing_db_path(ctx, db)
    chosen = None
    if names is not None:
        chosen = [name.strip() for name in names.split(",") if name.strip()]
        if not chosen:
            fail("--annotators: give at least two names separated by commas")
    from annotator.agreement import agreement_report  # numpy: loaded only when needed

    with Store(path) as store:
        report = agreement_report(store, chosen, by_document=by_document)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    from annotator.agreement.render import render_report

    render_report(report, mode=resolve_bidi(bidi))
