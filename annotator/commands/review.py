"""`annotator review`: adjudicate disagreements into the gold layer."""

from __future__ import annotations

import click

from annotator.commands.common import check_name, claim_layer, db_option, default_user, existing_db_path, fail
from annotator.commands.options import bidi_option, screen_bidi
from annotator.model import GOLD
from annotator.status import ADJUDICATED
from annotator.store import Store


@click.command("review")
@db_option
@click.option(
    "--annotators", default=None, metavar="A,B,...", help="Annotators to compare (default: all with done documents)."
)
@click.option(
    "--user", default=None, help="Who adjudicates (default: your login name); recorded with every gold change."
)
@bidi_option
@click.option(
    "--take-over",
    "take_over",
    is_flag=True,
    help="Take the gold layer over from another review still open on it (that one turns read-only).",
)
@click.pass_context
def review_command(
    ctx: click.Context, db: str | None, annotators: str | None, user: str | None, bidi: str | None, take_over: bool
) -> None:
    """Walk the documents two or more annotators did, worst agreement first, and build the gold layer."""
    path = existing_db_path(ctx, db)
    user = check_name(default_user() if user is None else user)
    from annotator.agreement.data import choose_annotators
    from annotator.agreement.report import document_scores

    store = Store(path)
    names = [n.strip() for n in annotators.split(",") if n.strip()] if annotators else None
    chosen = [name for name in choose_annotators(store, names) if name != GOLD]
    order = [doc_id for doc_id, _ in document_scores(store, chosen)]
    if not order:
        fail(f"no document was marked done by two or more of {', '.join(chosen)}")
    start = next((d for d in order if store.status(d, GOLD) != ADJUDICATED), order[0])
    notice = claim_layer(store, GOLD, take_over=take_over, command="annotator review")
    from annotator.tui.run import run_review  # the core never needs Textual

    run_review(store, user=user, annotators=chosen, order=order, start=start, bidi=screen_bidi(bidi), notice=notice)
