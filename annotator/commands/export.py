"""`annotator export`: training data as JSONL, CoNLL or Hugging Face."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import click

from annotator.commands.common import db_option, existing_db_path, fail
from annotator.export.names import BOUNDARIES, CONLL, DOCCANO, FORMATS, HF, JSONL, SCHEMES, SPACY

# Everything else of annotator.export is imported when the command runs: `annotator` starts fast.

PROGRESS_MIN_RECORDS = 200


def _progress(total: int, label: str) -> AbstractContextManager[Callable[[int], None]]:
    """A progress bar on stderr for long exports when stderr is a terminal; else a no-op."""
    if total < PROGRESS_MIN_RECORDS or not sys.stderr.isatty():
        return nullcontext(lambda n: None)
    from annotator.progress import progress_bar

    return progress_bar(total, label)


EPILOG = (
    "By default only documents marked done (gold: adjudicated) are exported, in corpus order. "
    "Every record is checked before anything is written (span texts, tokens rebuilding the text, "
    "tags decoding back to the spans; with --token-boundary expand, to the spans widened to whole words; "
    "conll and hf also drop whitespace around a span). Files are written to a temporary name and renamed. "
    "A summary line goes to stderr."
)


@click.command("export", epilog=EPILOG)
@db_option
@click.option(
    "-f",
    "--format",
    "format_name",
    type=click.Choice(FORMATS),
    required=True,
    help="jsonl: a record per document and layer (re-imports); conll: token and tag columns; "
    "hf: Hugging Face sentences plus a label list; prodigy, doccano: their JSONL; "
    "labelstudio: Label Studio JSON tasks; spacy: a spaCy DocBin (.spacy). All re-import.",
)
@click.option(
    "--annotator",
    "annotator",
    metavar="NAME",
    default=None,
    help="Export this annotator's layer (conll and hf need it or --gold; the others default to all annotators).",
)
@click.option("--gold", is_flag=True, help="Export the adjudicated gold layer.")
@click.option(
    "--scheme", type=click.Choice(SCHEMES), default=None, help="Tagging scheme of conll and hf (default: iob2)."
)
@click.option(
    "--token-boundary",
    "boundary",
    type=click.Choice(BOUNDARIES),
    default=None,
    help="conll, hf and spacy, for a span that starts or ends inside a word: split the word there "
    "(default; spacy: expand), expand the span to the whole word, or strict: refuse.",
)
@click.option(
    "--layer",
    "layer",
    metavar="LAYER",
    default=None,
    help="conll: write only this layer (entity or quote) in the CoNLL-2003 shape spaCy reads; "
    "hf, prodigy: export this layer instead of entity; doccano, labelstudio, spacy: only this layer.",
)
@click.option(
    "--split",
    "split_spec",
    metavar="NAME=FRACTION,...",
    default=None,
    help="One file per split, by document, e.g. train=0.8,dev=0.1,test=0.1: the same document goes "
    "to the same split for every format and annotator (given the same --seed).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --split's shuffle.")
@click.option(
    "--include-unfinished",
    is_flag=True,
    help="Also export documents not marked done (or, for --gold, not adjudicated).",
)
@click.option(
    "-o",
    "--output",
    "output",
    metavar="PATH",
    default=None,
    help="Output file, a folder for the default name, or - for standard output "
    "(default: exports/<layer>-<format>-<time> beside the database).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.pass_context
def export_command(
    ctx: click.Context,
    db: str | None,
    format_name: str,
    annotator: str | None,
    gold: bool,
    scheme: str | None,
    boundary: str | None,
    layer: str | None,
    split_spec: str | None,
    seed: int,
    include_unfinished: bool,
    output: str | None,
    force: bool,
) -> None:
    """Export annotations as training data, checking every record before anything is written."""
    from annotator.export.run import assign_splits, make_format, parse_split, run_export
    from annotator.export.selection import select
    from annotator.export.writer import output_path
    from annotator.store import Store

    if format_name == JSONL and layer:
        fail("--layer applies to conll, hf, prodigy, doccano, labelstudio and spacy; jsonl keeps every layer")
    if scheme and format_name not in (CONLL, HF):
        fail(f"--scheme applies to conll and hf; {format_name} keeps spans as character offsets")
    if boundary and format_name not in (CONLL, HF, SPACY):
        fail(f"--token-boundary applies to conll, hf and spacy; {format_name} keeps spans exactly as stored")
    path = existing_db_path(ctx, db)
    store = Store(path)
    try:
        with store.snapshot():  # one read transaction: the export sees one state of the database
            fmt = make_format(format_name, store.label_schema(), scheme, boundary, layer)
            if output == "-" and fmt.companions():
                fail(f"{format_name} writes a label list beside the records, so it needs a file: give -o PATH")
            selection = select(
                store,
                annotator=annotator,
                gold=gold,
                include_unfinished=include_unfinished,
                one_layer=format_name in (CONLL, HF),
                format_name=format_name,
            )
            # doccano has two forms: relation extraction (`entities`, `relations`) when the export holds a
            # relation, sequence labelling (`label`) otherwise; one layer (--layer) cannot hold a speaker link
            relations = (
                format_name == DOCCANO
                and layer is None
                and bool(store.relation_layers() & {(d, a) for d, names in selection.plan for a in names})
            )
            if relations:
                fmt = make_format(format_name, store.label_schema(), scheme, boundary, layer, relations)
            split = None
            if split_spec is not None:
                if output == "-":
                    fail("--split writes one file per split: give -o PATH, not standard output")
                split = assign_splits([d for d, _, _ in store.document_list()], parse_split(split_spec), seed)
            companions = tuple(fmt.companions())
            target = output_path(
                output, path, selection.name, format_name, fmt.extension, () if split else companions, force
            )
            with _progress(selection.records, f"exporting {format_name}") as advance:
                summary = run_export(
                    store,
                    selection,
                    fmt,
                    target,
                    force=force,
                    on_progress=advance,
                    split=split,
                    new_format=lambda: make_format(
                        format_name, store.label_schema(), scheme, boundary, layer, relations
                    ),
                )
    finally:
        store.close()
    if not summary.splits:
        click.echo(_summary_line(format_name, selection.name, summary), err=True)
    for name, part in summary.splits.items():
        click.echo(f"{name}: {_summary_line(format_name, selection.name, part)}", err=True)
    for name in summary.empty:
        click.echo(f"{name}: no document of this export falls in it; no file written", err=True)
    for line in summary.notes():  # relations a format has no place for
        click.echo(line, err=True)


def _count(n: int, noun: str) -> str:
    """ "1 record", "2 records"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _summary_line(format_name: str, layer: str, summary: Any) -> str:
    """The one line printed at the end (on stderr, so `-o -` keeps stdout clean)."""
    sentences = f", {_count(summary.sentences, 'sentence')}" if format_name in (CONLL, HF) else ""
    sentences += f", {_count(summary.relations, 'relation')}" if summary.relations else ""
    labels = f" (labels: {', '.join(summary.companions)})" if summary.companions else ""
    from annotator.export.selection import ALL

    who = "all annotators" if layer == ALL else layer
    return (
        f"exported {_count(summary.records, 'record')} of {who} ({_count(summary.documents, 'document')}, "
        f"{_count(summary.spans, 'span')}{sentences}) as {format_name} to {summary.destination}{labels}"
    )
