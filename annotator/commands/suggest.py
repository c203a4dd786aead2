"""`annotator suggest`: propose spans from a patterns file, from a layer's own spans, or by the figures rule."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from annotator.commands.common import check_name, db_option, existing_db_path, fail
from annotator.model import GOLD, Document
from annotator.status import ADJUDICATED, DONE
from annotator.store import Store

if TYPE_CHECKING:  # the suggest package loads numpy and the automaton: only when the command runs
    from annotator.suggest.records import Suggestion

FIGURES_SOURCE = "figures"


def _held(store: Store, name: str, documents: Sequence[Document]) -> set[str]:
    """Documents a layer already holds: it has spans there, or marked the document done (adjudicated)."""
    statuses = store.statuses(name)
    return {doc.id for doc in documents if statuses.get(doc.id) in (DONE, ADJUDICATED) or store.spans(doc.id, name)}


@click.command("suggest")
@db_option
@click.option(
    "--patterns",
    "patterns_file",
    default=None,
    metavar="FILE",
    help='JSONL, one {"label": "place", "pattern": "الأنبار"} a line (spaCy EntityRuler phrase form).',
)
@click.option(
    "--from",
    "layer",
    default=None,
    metavar="gold|NAME",
    help="Patterns from a layer's spans (each text with its most frequent label); "
    "documents that layer holds get no suggestions.",
)
@click.option("--figures", is_flag=True, help="The built-in rule for the figure label (a number and the counted noun).")
@click.option(
    "--model",
    "model",
    default=None,
    metavar="DIR_OR_PACKAGE",
    help="A spaCy pipeline's entities, with its confidence as the score (needs the `model` extra); "
    "`annotator train` makes one, and any spaCy NER pipeline works with --label-map.",
)
@click.option(
    "--label-map",
    "label_map",
    default=None,
    metavar="FROM=TO,...",
    help="With --model: its labels to ours (e.g. PER=actor,ORG=actor,LOC=place,GPE=place); "
    "an entity label with no mapping (and not one of ours) is skipped and counted.",
)
@click.option("--doc", "doc_ids", multiple=True, metavar="ID", help="Only this document (repeatable; default: all).")
@click.option("--dry-run", is_flag=True, help="Print the counts, write nothing.")
@click.pass_context
def suggest_command(
    ctx: click.Context,
    db: str | None,
    patterns_file: str | None,
    layer: str | None,
    figures: bool,
    model: str | None,
    label_map: str | None,
    doc_ids: tuple[str, ...],
    dry_run: bool,
) -> None:
    """Propose spans that annotators only confirm: Enter accepts, X rejects (see README, "Suggestions").

    Exactly one source per run: --patterns FILE (source: the file's name), --from gold|NAME (source: that
    name), --figures (source: figures) or --model DIR_OR_PACKAGE (source: the model's name). Re-running a source replaces its suggestions in the documents
    it runs over. A suggestion is no span: no export, agreement or status counts it until accepted.
    """
    chosen = [
        name
        for name, given in (
            ("--patterns", patterns_file is not None),
            ("--from", layer is not None),
            ("--figures", figures),
            ("--model", model is not None),
        )
        if given
    ]
    if len(chosen) != 1:
        fail(
            "give one source: --patterns FILE, --from gold|NAME, --figures or --model DIR_OR_PACKAGE"
            + (f" (not {' and '.join(chosen)} together)" if chosen else "")
        )
    if label_map is not None and model is None:
        fail("--label-map goes with --model")
    path = existing_db_path(ctx, db)
    from annotator.suggest import (  # numpy and the automaton: loaded only for this command
        build_matcher,
        figures_many,
        patterns_from_spans,
        read_patterns,
        suggest_many,
        summarise,
        summary_lines,
    )

    with Store(path) as store:
        labels = store.labels()
        documents = store.documents()
        known = {doc.id for doc in documents}
        missing = [doc_id for doc_id in dict.fromkeys(doc_ids) if doc_id not in known]
        if missing:
            fail(f"no document {missing[0]!r} in {path} (see `annotator docs`)")
        scope = [doc for doc in documents if not doc_ids or doc.id in doc_ids]
        notes: list[str] = []
        if figures:
            source = FIGURES_SOURCE
            targets = scope
            found = figures_many([doc.text for doc in targets])
        elif model is not None:
            targets = scope
            source, found = _model_suggestions(
                model, label_map, [doc.text for doc in targets], [label.name for label in labels], notes
            )
        else:
            if patterns_file is not None:
                source = Path(patterns_file).name
                patterns = read_patterns(patterns_file, labels)
            else:
                assert layer is not None
                source = check_name(layer, "--from", allow_gold=True)
                if source.casefold() == GOLD:
                    source = GOLD
                pairs = [
                    (doc.text[span.start : span.end], span.label)
                    for doc in documents
                    for span in store.spans(doc.id, source)
                ]
                if not pairs:
                    fail(f"--from {source}: that layer has no spans to learn patterns from")
                patterns = patterns_from_spans(pairs, labels)
            held = _held(store, source, scope) if layer is not None else set()
            targets = [doc for doc in scope if doc.id not in held]
            if held:
                notes.append(
                    f"{len(held)} document{'s' if len(held) != 1 else ''} {source} already holds "
                    f"{'get' if len(held) != 1 else 'gets'} no suggestions"
                )
            matcher = build_matcher(patterns, source, labels)
            notes += matcher.conflicts
            found = suggest_many([doc.text for doc in targets], matcher)
        per_document = {doc.id: items for doc, items in zip(targets, found) if items}
        if not dry_run:
            store.replace_suggestions(
                source,
                {
                    doc_id: [(item.start, item.end, item.label, item.score) for item in items]
                    for doc_id, items in per_document.items()
                },
                [doc.id for doc in scope],
            )
    for note in notes:
        click.echo(note)
    lines = summary_lines(summarise(per_document, [label.name for label in labels]))
    lines[0] += f" from {source}" + (" (dry run: nothing written)" if dry_run else "")
    for line in lines:
        click.echo(line)


def _model_suggestions(
    model: str, label_map: str | None, texts: list[str], targets: list[str], notes: list[str]
) -> tuple[str, list[list[Suggestion]]]:
    """A spaCy pipeline's entities over the texts as suggestions (source: the model's name); notes what it skipped."""
    import json

    from annotator.model_loop.errors import import_spacy
    from annotator.model_loop.predict import predict
    from annotator.model_loop.training import RECORD
    from annotator.suggest.records import Suggestion

    spacy = import_spacy()
    folder = Path(model)
    try:
        nlp = spacy.load(model)
    except (OSError, ValueError, ImportError) as exc:  # not a folder or package of a pipeline, or a broken one
        fail(f"--model {model}: cannot load it as a spaCy pipeline ({type(exc).__name__}: {str(exc).splitlines()[0]})")
    names: list[str] = []
    if (folder / RECORD).is_file():  # our own model: the names it was trained on let a clitic be cut exactly
        try:
            names = list(json.loads((folder / RECORD).read_text(encoding="utf-8")).get("names", []))
        except (OSError, ValueError):
            notes.append(f"{folder / RECORD}: unreadable; clitics are cut by the general rule only")
    source = folder.name if folder.exists() else model
    prediction = predict(nlp, texts, label_map, targets=targets, names=names)
    for label, count in sorted(prediction.skipped.items()):
        notes.append(f"skipped {count} entit{'y' if count == 1 else 'ies'} labelled {label} (no --label-map entry)")
    if prediction.blank:
        notes.append(f"skipped {prediction.blank} entities that were only punctuation or spaces")
    if not prediction.scored:
        notes.append("the pipeline gives no confidence: every score is 1.0 (train with --beam for real scores)")
    found = [
        [Suggestion(p.start, p.end, p.label, source, p.score) for p in entities] for entities in prediction.entities
    ]
    return source, found
