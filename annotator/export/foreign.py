"""Exports for other tools: Prodigy and doccano JSONL, Label Studio JSON tasks.

Each writes the document id, title, meta, annotator and the layer's status beside what the tool
reads, so `annotator import` takes the file back unchanged (see annotator.formats for the readers).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from annotator.export.checks import check_jsonl_record
from annotator.export.errors import ExportError, where
from annotator.export.jsonl import dumps_line, jsonl_record
from annotator.export.records import LayerRecord, Rendered
from annotator.formats.foreign import LS_ANNOTATOR_STATUS, LS_ANNOTATORS


def prodigy_hash(value: Any) -> int:
    """A stable signed 32-bit hash of a JSON value (Prodigy's hashes are such integers)."""
    digest = hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


def _layer_spans(record: LayerRecord, layers: Mapping[str, str], wanted: Sequence[str] | None) -> LayerRecord:
    """The record with only the spans of the wanted layers (all when None); unknown labels are an error."""
    if wanted is None:
        return record
    kept = []
    for span in record.spans:
        layer = layers.get(span.label)
        if layer is None:
            raise ExportError(f"{where(record.document.id, record.annotator)}: span {span.start}-{span.end} "
                              f"has the unknown label {span.label!r}")
        if layer in wanted:
            kept.append(span)
    return LayerRecord(record.document, record.annotator, kept, record.status, record.context)


class ProdigyFormat:
    """Prodigy JSONL: text, tokens, the layer's spans, `answer`, `_input_hash`, `_task_hash` (one layer a record)."""

    name = "prodigy"
    extension = ".jsonl"

    def __init__(self, layers: Mapping[str, str], layer: str) -> None:
        self.layers = dict(layers)
        self.layer = layer

    def render(self, record: LayerRecord) -> Rendered:
        """One checked line."""
        data = jsonl_record(_layer_spans(record, self.layers, [self.layer]))
        check_jsonl_record(data)
        data.pop("relations")
        input_hash = prodigy_hash({"text": data["text"]})
        spans = [{k: s[k] for k in ("start", "end", "label", "token_start", "token_end")} for s in data["spans"]]
        data["spans"] = spans
        data["_input_hash"] = input_hash
        data["_task_hash"] = prodigy_hash({"input": input_hash, "spans": spans})
        data["_view_id"] = "spans_manual"
        data["answer"] = "accept"
        return Rendered(dumps_line(data), records=1, spans=len(spans), sentences=0)

    def companions(self) -> dict[str, str]:
        """No files beside the records."""
        return {}


class DoccanoFormat:
    """doccano sequence-labelling JSONL: `text` and `label` as [[start, end, label]], every layer."""

    name = "doccano"
    extension = ".jsonl"

    def __init__(self, layers: Mapping[str, str], layer: str | None) -> None:
        self.layers = dict(layers)
        self.layer = layer

    def render(self, record: LayerRecord) -> Rendered:
        """One line."""
        record = _layer_spans(record, self.layers, None if self.layer is None else [self.layer])
        document = record.document
        text = document.text
        for span in record.spans:
            if not 0 <= span.start < span.end <= len(text):
                raise ExportError(f"{where(document.id, record.annotator)}: span {span.start}-{span.end} lies outside the text")
        data = {
            "id": document.id,
            "text": text,
            "label": [[s.start, s.end, s.label] for s in record.spans],
            "title": document.title,
            "annotator": record.annotator,
            "status": record.status,
            "meta": document.meta,
        }
        return Rendered(dumps_line(data), records=1, spans=len(record.spans), sentences=0)

    def companions(self) -> dict[str, str]:
        """No files beside the records."""
        return {}


class LabelStudioFormat:
    """Label Studio JSON: one task per document, one annotation per annotator, every layer as `labels` regions.

    The labelling config it fits: `<Labels name="label" toName="text">` over `<Text name="text" value="$text"/>`.
    """

    name = "labelstudio"
    extension = ".json"

    def __init__(self, layers: Mapping[str, str], layer: str | None) -> None:
        self.layers = dict(layers)
        self.layer = layer
        self.task: dict[str, Any] | None = None
        self.tasks = 0

    def _flush(self) -> str:
        if self.task is None:
            return ""
        text = ("[\n" if self.tasks == 0 else ",\n") + json.dumps(self.task, ensure_ascii=False)
        self.tasks += 1
        self.task = None
        return text

    def render(self, record: LayerRecord) -> Rendered:
        """The previous document's task once a new document starts (finish() gives the last)."""
        record = _layer_spans(record, self.layers, None if self.layer is None else [self.layer])
        document = record.document
        text = document.text
        out = ""
        if self.task is None or self.task["data"]["id"] != document.id:
            out = self._flush()
            self.task = {
                "data": {"id": document.id, "text": text, "title": document.title, "meta": document.meta},
                "annotations": [],
                "meta": {LS_ANNOTATORS: [], LS_ANNOTATOR_STATUS: {}},
            }
        result = []
        for n, span in enumerate(record.spans):
            if not 0 <= span.start < span.end <= len(text):
                raise ExportError(f"{where(document.id, record.annotator)}: span {span.start}-{span.end} lies outside the text")
            result.append({
                "id": f"{len(self.task['annotations'])}-{n}",
                "type": "labels",
                "from_name": "label",
                "to_name": "text",
                "origin": "manual",
                "value": {"start": span.start, "end": span.end, "text": text[span.start : span.end], "labels": [span.label]},
            })
        self.task["annotations"].append({"result": result, "was_cancelled": False, "ground_truth": record.annotator == "gold"})
        self.task["meta"][LS_ANNOTATORS].append(record.annotator)
        self.task["meta"][LS_ANNOTATOR_STATUS][record.annotator] = record.status
        return Rendered(out, records=1, spans=len(record.spans), sentences=0)

    def finish(self) -> str:
        """The last task and the closing bracket."""
        return self._flush() + ("\n]\n" if self.tasks else "[]\n")

    def companions(self) -> dict[str, str]:
        """No files beside the records."""
        return {}
