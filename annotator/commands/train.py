"""`annotator train`: a spaCy NER pipeline trained on a layer's finished documents."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import click

from annotator.commands.common import db_option, existing_db_path, fail
from annotator.model import GOLD

# annotator.model_loop (and spaCy) are imported when the command runs: `annotator` starts fast without them.


def _progress(total: int, label: str) -> AbstractContextManager[Callable[[int], None]]:
    """A progress bar on stderr when stderr is a terminal; else a no-op."""
    if not sys.stderr.isatty():
        return nullcontext(lambda n: None)
    from annotator.progress import progress_bar

    return progress_bar(total, label)


def default_output(database: str, layer: str) -> Path:
    """models/<layer>-<UTC time> beside the database."""
    from annotator.export.writer import safe_name

    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    return Path(database).resolve().parent / "models" / f"{safe_name(layer)}-{stamp}"


def _count(count: int, noun: str) -> str:
    """`1 document`, `2 documents`: a count with its noun in the right number."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


EPILOG = (
    "Needs spaCy: pip install 'annotator[model]'. Trains on the layer's documents marked done (gold: "
    "adjudicated), entity labels only, with spans widened to whole words (spaCy keeps proclitics in "
    "the word). The documents are split by document with --seed; the dev documents are scored. "
    "The model folder holds the pipeline (spacy.load(DIR)) and annotator-training.json: the documents, "
    "labels, seed and dev scores of the run."
)


@click.command("train", epilog=EPILOG)
@db_option
@click.option(
    "--from",
    "layer",
    metavar="gold|NAME",
    default=GOLD,
    show_default=True,
    help="The layer to learn from: gold (adjudicated documents) or an annotator's (done documents).",
)
@click.option(
    "-o",
    "--output",
    "output",
    metavar="DIR",
    default=None,
    help="Model folder (default: models/<layer>-<time> beside the database).",
)
@click.option(
    "--dev",
    "dev",
    type=float,
    default=0.2,
    show_default=True,
    help="Share of the finished documents held out for scoring (at least one document).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the split, the order and the weights.")
@click.option(
    "--max-steps",
    "max_steps",
    type=int,
    default=200,
    show_default=True,
    help="Training updates (minibatches of 4 documents).",
)
@click.option(
    "--beam",
    type=int,
    default=1,
    show_default=True,
    help="Beam width: above 1 trains spaCy's beam_ner (slower), whose entities carry a confidence "
    "(what `annotate --order uncertain` sorts by); 1 trains the plain ner, whose entities all score 1.0.",
)
@click.option("--force", is_flag=True, help="Replace an existing model folder.")
@click.pass_context
def train_command(
    ctx: click.Context,
    db: str | None,
    layer: str,
    output: str | None,
    dev: float,
    seed: int,
    max_steps: int,
    beam: int,
    force: bool,
) -> None:
    """Train a blank Arabic NER model on CPU and print precision, recall and F1 per label on the dev documents."""
    from annotator.model_loop.errors import import_spacy
    from annotator.store import Store

    path = existing_db_path(ctx, db)
    layer = layer.strip()
    if layer.casefold() == GOLD:
        layer = GOLD
    import_spacy()
    from annotator.model_loop.training import save, train

    target = Path(output) if output else default_output(path, layer)
    if target.exists() and (not target.is_dir() or any(target.iterdir())) and not force:
        fail(f"{target} already exists and is not empty; choose another -o or pass --force")
    with Store(path) as store, _progress(max_steps, f"training on {layer}") as advance:
        nlp, result = train(store, layer, dev=dev, seed=seed, max_steps=max_steps, beam=beam, on_step=advance)
    save(nlp, result, target, seed=seed, dev=dev, force=force)
    click.echo(
        f"trained on {_count(len(result.train), 'document')} of {layer} ({_count(result.steps, 'step')}, "
        f"{result.seconds:.1f} s); scored on {len(result.dev)}: {', '.join(result.dev)}"
    )
    width = max([len(label) for label in result.labels] + [len("overall")])
    click.echo(f"{'label':<{width}}  precision  recall     F1")
    for label in result.labels:
        score = result.scores.get(label)
        if score is None:
            click.echo(f"{label:<{width}}  {'—':>9}  {'—':>6}  {'—':>5}  (not in the dev documents)")
            continue
        click.echo(f"{label:<{width}}  {score.precision:>9.3f}  {score.recall:>6.3f}  {score.f1:>5.3f}")
    total = result.overall
    click.echo(f"{'overall':<{width}}  {total.precision:>9.3f}  {total.recall:>6.3f}  {total.f1:>5.3f}")
    click.echo(f"model written to {target}", err=True)
