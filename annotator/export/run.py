"""One export from start to end: choose the format, stream the records through it, land the files."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.export.conll import ConllFormat
from annotator.export.errors import ExportError
from annotator.export.foreign import DoccanoFormat, LabelStudioFormat, ProdigyFormat
from annotator.export.hf import HfFormat
from annotator.export.jsonl import JsonlFormat
from annotator.export.links import left_out_note
from annotator.export.names import EXPAND, FORMATS, IOB2, SPLIT
from annotator.export.records import Format, iter_records
from annotator.export.selection import Selection
from annotator.export.writer import AtomicFile, Sink, StdoutSink, check_target, companion_path, safe_name
from annotator.labels import LabelSchema
from annotator.model import ENTITY_LAYER, QUOTE_LAYER, Label
from annotator.store import Store


@dataclass
class ExportSummary:
    """What an export wrote."""

    documents: int = 0
    records: int = 0
    spans: int = 0
    sentences: int = 0
    destination: str = ""
    companions: list[str] = field(default_factory=list)
    splits: dict[str, ExportSummary] = field(default_factory=dict)
    empty: list[str] = field(default_factory=list)
    """Splits that received no document (no file written)."""
    relations: int = 0
    left_out: int = 0
    """Relations the format has no place for."""
    format_name: str = ""

    def notes(self) -> list[str]:
        """Lines for stderr beside the summary: the relations this format could not carry."""
        return [left_out_note(self.format_name, self.left_out)] if self.left_out else []


def make_format(
    name: str,
    labels: LabelSchema | Sequence[Label],
    scheme: str | None,
    boundary: str | None,
    layer: str | None = None,
    relations: bool = False,
) -> Format:
    """The format object for --format, with its scheme, boundary mode and (for conll and hf) --layer.

    `relations`: doccano writes its relation form (`entities` and `relations`) instead of `label`.
    """
    schema = LabelSchema.of(labels)
    layers, order = dict(schema.layer_of), schema.layers
    if layer is not None and layer not in order:
        raise ExportError(f"no layer {layer!r} in the label schema (layers: {', '.join(order)})")
    if name == "jsonl":
        return JsonlFormat()
    if name == "conll":
        if layer is not None:
            return ConllFormat(layers, [layer], scheme or IOB2, boundary or SPLIT, one_layer=True)
        return ConllFormat(layers, order, scheme or IOB2, boundary or SPLIT)
    if name == "prodigy":
        return ProdigyFormat(layers, layer or ENTITY_LAYER)
    if name == "doccano":
        return DoccanoFormat(layers, layer, relations)
    if name == "labelstudio":
        return LabelStudioFormat(layers, layer)
    if name == "spacy":
        from annotator.export.docbin import SpacyFormat  # spaCy is loaded only for this format

        return SpacyFormat(layers, [layer] if layer else order, boundary or EXPAND)
    if name == "hf":
        chosen = layer or ENTITY_LAYER
        names = schema.in_layer(chosen)
        if not names:
            raise ExportError(f"hf exports the {chosen} layer, and the label schema has none")
        # without --layer one export carries both layers: the quote layer in `quote_tags` over the same tokens
        quotes = schema.in_layer(QUOTE_LAYER) if layer is None else []
        return HfFormat(layers, chosen, names, scheme or IOB2, boundary or SPLIT, quotes or None)
    raise ExportError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})")


def open_sinks(fmt: Format, path: Path | None, force: bool) -> tuple[Sink, dict[str, Sink]]:
    """The records' sink and one sink per companion file (none for stdout)."""
    if path is None:
        if fmt.companions():
            raise ExportError(f"{fmt.name} writes a label list beside the records, so it needs a file: give -o PATH")
        return StdoutSink(), {}
    main: Sink = AtomicFile(path, force)
    others: dict[str, Sink] = {}
    try:
        for suffix in fmt.companions():
            others[suffix] = AtomicFile(companion_path(path, suffix), force)
    except BaseException:
        main.abort()
        for sink in others.values():
            sink.abort()
        raise
    return main, others


def parse_split(spec: str) -> list[tuple[str, float]]:
    """`train=0.8,dev=0.1,test=0.1` → [(name, fraction)]; ExportError unless the fractions are positive and sum to 1."""
    parts: list[tuple[str, float]] = []
    for piece in spec.split(","):
        name, equals, value = piece.partition("=")
        name = name.strip()
        try:
            fraction = float(value)
        except ValueError:
            fraction = -1.0
        if not equals or not name or not 0 < fraction <= 1 or safe_name(name) != name:
            raise ExportError(f"--split: {piece.strip()!r} is not NAME=FRACTION (a fraction above 0, at most 1)")
        if name in {n for n, _ in parts}:
            raise ExportError(f"--split: {name!r} is named twice")
        parts.append((name, fraction))
    if abs(sum(f for _, f in parts) - 1) > 1e-6:
        raise ExportError(f"--split: the fractions add up to {sum(f for _, f in parts):g}, not 1")
    return parts


def assign_splits(document_ids: Sequence[str], parts: Sequence[tuple[str, float]], seed: int) -> dict[str, str]:
    """Document id → split: documents shuffled by a hash of (seed, id), then cut by the fractions.

    Pass every document of the database, not only the exported ones: a document then lands in the
    same split whatever the format, the annotator or the documents done so far.
    """
    order = sorted(document_ids, key=lambda d: (hashlib.sha256(f"{seed}\x00{d}".encode()).digest(), d))
    result: dict[str, str] = {}
    total = len(order)
    cumulative = 0.0
    begin = 0
    for k, (name, fraction) in enumerate(parts):
        cumulative += fraction
        end = total if k == len(parts) - 1 else round(cumulative * total)
        for doc_id in order[begin:end]:
            result[doc_id] = name
        begin = max(begin, end)
    return result


def split_path(path: Path, name: str) -> Path:
    """`gold.conll` → `gold.train.conll` (the split's name before the format's extension)."""
    for ending in (".labels.json", ".jsonl", ".json", ".conll", ".spacy"):
        if path.name.lower().endswith(ending) and len(path.name) > len(ending):
            return path.with_name(f"{path.name[: -len(ending)]}.{name}{path.name[-len(ending) :]}")
    return path.with_name(f"{path.name}.{name}")


@dataclass
class _Job:
    name: str
    fmt: Format
    main: Sink
    others: dict[str, Sink]
    path: Path | None
    summary: ExportSummary


def run_export(
    store: Store,
    selection: Selection,
    fmt: Format,
    path: Path | None,
    *,
    force: bool = False,
    on_progress: Callable[[int], None] | None = None,
    split: Mapping[str, str] | None = None,
    new_format: Callable[[], Format] | None = None,
) -> ExportSummary:
    """Check and write every record of the selection; on any failure nothing is written.

    With `split` (document id → split name) each split goes to its own file (`split_path`), each
    with a fresh format from `new_format`; splits without any document are not written.
    """
    jobs: list[_Job] = []
    summary = ExportSummary(format_name=fmt.name)
    try:
        if split is None:
            main, others = open_sinks(fmt, path, force)
            jobs.append(_Job("", fmt, main, others, path, summary))
        else:
            if path is None:
                raise ExportError("--split writes one file per split: give -o PATH, not standard output")
            wanted = {document_id for document_id, _ in selection.plan}
            names = list(dict.fromkeys(split.values()))
            for name in names:
                if not any(split.get(d) == name for d in wanted):
                    summary.empty.append(name)
                    continue
                target = check_target(split_path(path, name), force)
                job_fmt = new_format() if new_format is not None and jobs else fmt
                main, others = open_sinks(job_fmt, target, force)
                jobs.append(
                    _Job(
                        name, job_fmt, main, others, target, ExportSummary(destination=main.label, format_name=fmt.name)
                    )
                )
        by_name = {job.name: job for job in jobs}
        for job in jobs:
            job.summary.destination = job.main.label
            job.summary.companions = [sink.label for sink in job.others.values()]
        last_document = None
        for record in iter_records(store, selection.plan):
            job = jobs[0] if split is None else by_name[split[record.document.id]]
            rendered = job.fmt.render(record)
            if rendered.text:
                job.main.write(rendered.text)
            if record.document.id != last_document:
                job.summary.documents += 1
                last_document = record.document.id
            job.summary.records += rendered.records
            job.summary.spans += rendered.spans
            job.summary.sentences += rendered.sentences
            job.summary.relations += rendered.relations
            job.summary.left_out += rendered.left_out
            if on_progress is not None:
                on_progress(1)
        for job in jobs:
            finish = getattr(job.fmt, "finish", None)
            if finish is not None:
                job.main.write(finish())
            finish_bytes = getattr(job.fmt, "finish_bytes", None)
            if finish_bytes is not None:
                job.main.write_bytes(finish_bytes())
            for suffix, content in job.fmt.companions().items():
                job.others[suffix].write(content)
        _commit(jobs, force)
    except BaseException:
        for job in jobs:
            for sink in [job.main, *job.others.values()]:
                sink.abort()
        raise
    if split is not None:
        summary.splits = {job.name: job.summary for job in jobs}
        for part in summary.splits.values():
            summary.documents += part.documents
            summary.records += part.records
            summary.spans += part.spans
            summary.sentences += part.sentences
            summary.relations += part.relations
            summary.left_out += part.left_out
    return summary


def _commit(jobs: Sequence[_Job], force: bool) -> None:
    """Land every file; when one fails, remove those of ours already landed (unless overwriting)."""
    committed: list[Path] = []
    try:
        for job in jobs:
            for suffix, sink in job.others.items():
                sink.commit()
                if job.path is not None:
                    committed.append(companion_path(job.path, suffix))
            job.main.commit()
            if job.path is not None:
                committed.append(job.path)
    except BaseException:
        if not force:  # files of ours that nobody had before: do not leave half an export
            for done in committed:
                done.unlink(missing_ok=True)
        raise
