"""One export from start to end: choose the format, stream the records through it, land the files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from annotator.export.conll import ConllFormat
from annotator.export.errors import ExportError
from annotator.export.hf import HfFormat
from annotator.export.jsonl import JsonlFormat
from annotator.export.names import FORMATS, IOB2, SPLIT
from annotator.export.records import Format, iter_records
from annotator.export.selection import Selection
from annotator.export.writer import AtomicFile, Sink, StdoutSink, companion_path
from annotator.model import ENTITY_LAYER, Label
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


def make_format(
    name: str, labels: Sequence[Label], scheme: str | None, boundary: str | None, layer: str | None = None
) -> Format:
    """The format object for --format, with its scheme, boundary mode and (for conll and hf) --layer."""
    layers = {label.name: label.layer for label in labels}
    order: list[str] = []
    for label in labels:
        if label.layer not in order:
            order.append(label.layer)
    if ENTITY_LAYER in order:
        order.remove(ENTITY_LAYER)
        order.insert(0, ENTITY_LAYER)
    if layer is not None and layer not in order:
        raise ExportError(f"no layer {layer!r} in the label schema (layers: {', '.join(order)})")
    if name == "jsonl":
        return JsonlFormat()
    if name == "conll":
        if layer is not None:
            return ConllFormat(layers, [layer], scheme or IOB2, boundary or SPLIT, one_layer=True)
        return ConllFormat(layers, order, scheme or IOB2, boundary or SPLIT)
    if name == "hf":
        chosen = layer or ENTITY_LAYER
        names = [label.name for label in labels if label.layer == chosen]
        if not names:
            raise ExportError(f"hf exports the {chosen} layer, and the label schema has none")
        return HfFormat(layers, chosen, names, scheme or IOB2, boundary or SPLIT)
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


def run_export(
    store: Store,
    selection: Selection,
    fmt: Format,
    path: Path | None,
    *,
    force: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> ExportSummary:
    """Check and write every record of the selection; on any failure nothing is written."""
    main, others = open_sinks(fmt, path, force)
    summary = ExportSummary(destination=main.label, companions=[sink.label for sink in others.values()])
    sinks = [main, *others.values()]
    try:
        last_document = None
        for record in iter_records(store, selection.plan):
            rendered = fmt.render(record)
            main.write(rendered.text)
            if record.document.id != last_document:
                summary.documents += 1
                last_document = record.document.id
            summary.records += rendered.records
            summary.spans += rendered.spans
            summary.sentences += rendered.sentences
            if on_progress is not None:
                on_progress(1)
        for suffix, content in fmt.companions().items():
            others[suffix].write(content)
        committed: list[Path] = []
        for suffix, sink in others.items():
            sink.commit()
            if path is not None:
                committed.append(companion_path(path, suffix))
        try:
            main.commit()
        except BaseException:
            if not force:  # files of ours that nobody had before: do not leave half an export
                for done in committed:
                    done.unlink(missing_ok=True)
            raise
    except BaseException:
        for sink in sinks:
            sink.abort()
        raise
    return summary
