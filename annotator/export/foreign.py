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
from annotator.export.links import linked, prodigy_relations
from annotator.export.records import LayerRecord, Rendered
from annotator.formats.foreign import LS_ANNOTATOR_STATUS, LS_ANNOTATORS
from annotator.model import Span


def prodigy_hash(value: Any) -> int:
    """A stable signed 32-bit hash of a JSON value (Prodigy's hashes are such integers)."""
    digest = hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


def _layer_spans(record: LayerRecord, layers: Mapping[str, str], wanted: Sequence[str] | None) -> LayerRecord:
    """The record with only the spans of the wanted layers (all when None); unknown labels are an error.

    Tokens are still cut at every span's edges (the context), and only the relations whose two spans
    are kept stay: `_kept_relations` counts the others.
    """
    if wanted is None:
        return record
    kept = []
    for span in record.spans:
        layer = layers.get(span.label)
        if layer is None:
            raise ExportError(
                f"{where(record.document.id, record.annotator)}: span {span.start}-{span.end} "
                f"has the unknown label {span.label!r}"
            )
        if layer in wanted:
            kept.append(span)
    ids = {span.id for span in kept}
    relations = tuple(r for r in record.relations if r.head_span_id in ids and r.child_span_id in ids)
    return LayerRecord(
        record.document, record.annotator, kept, record.status, record.context or tuple(record.spans), relations
    )


def _ids(spans: list[Span]) -> dict[int | None, int]:
    """Span id → its position among the exported spans (the id a foreign format gives the span)."""
    return {span.id: n for n, span in enumerate(spans)}


class ProdigyFormat:
    """Prodigy JSONL: text, tokens, the layer's spans, `answer`, `_input_hash`, `_task_hash` (one layer a record)."""

    name = "prodigy"
    extension = ".jsonl"

    def __init__(self, layers: Mapping[str, str], layer: str) -> None:
        self.layers = dict(layers)
        self.layer = layer

    def render(self, record: LayerRecord) -> Rendered:
        """One checked line."""
        pairs = linked(record)  # every relation, whichever layer its spans are in: head_span and child_span carry them
        data = jsonl_record(_layer_spans(record, self.layers, [self.layer]))
        tokens = data["tokens"]
        data["relations"] = prodigy_relations(pairs, [t["start"] for t in tokens], [t["end"] for t in tokens])
        check_jsonl_record(data)
        input_hash = prodigy_hash({"text": data["text"]})
        spans = [{k: s[k] for k in ("start", "end", "label", "token_start", "token_end")} for s in data["spans"]]
        data["spans"] = spans
        data["_input_hash"] = input_hash
        task = {"input": input_hash, "spans": spans}
        if data["relations"]:
            task["relations"] = data["relations"]
        else:
            del data["relations"]
        data["_task_hash"] = prodigy_hash(task)
        data["_view_id"] = "relations" if pairs else "spans_manual"
        data["answer"] = "accept"
        return Rendered(dumps_line(data), records=1, spans=len(spans), sentences=0, relations=len(pairs))

    def companions(self) -> dict[str, str]:
        """No files beside the records."""
        return {}


class DoccanoFormat:
    """doccano JSONL, every layer: `label` as [[start, end, label]] (sequence labelling), or with
    `relations=True` the form of a project with relation labelling: `entities` with ids and
    `relations` as {id, from_id, to_id, type}.
    """

    name = "doccano"
    extension = ".jsonl"

    def __init__(self, layers: Mapping[str, str], layer: str | None, relations: bool = False) -> None:
        self.layers = dict(layers)
        self.layer = layer
        self.relations = relations

    def render(self, record: LayerRecord) -> Rendered:
        """One line."""
        everything = len(record.relations)
        record = _layer_spans(record, self.layers, None if self.layer is None else [self.layer])
        document = record.document
        text = document.text
        for span in record.spans:
            if not 0 <= span.start < span.end <= len(text):
                raise ExportError(
                    f"{where(document.id, record.annotator)}: span {span.start}-{span.end} lies outside the text"
                )
        data: dict[str, Any] = {"id": document.id, "text": text}
        written = 0
        if self.relations:
            ids = _ids(record.spans)
            data["entities"] = [
                {"id": n, "label": s.label, "start_offset": s.start, "end_offset": s.end}
                for n, s in enumerate(record.spans)
            ]
            data["relations"] = [
                {"id": n, "from_id": ids[head.id], "to_id": ids[child.id], "type": relation.label}
                for n, (head, child, relation) in enumerate(linked(record))
            ]
            written = len(data["relations"])
        else:
            data["label"] = [[s.start, s.end, s.label] for s in record.spans]
        data.update(
            {"title": document.title, "annotator": record.annotator, "status": record.status, "meta": document.meta}
        )
        return Rendered(
            dumps_line(data),
            records=1,
            spans=len(record.spans),
            sentences=0,
            relations=written,
            left_out=everything - written,
        )

    def companions(self) -> dict[str, str]:
        """No files beside the records."""
        return {}


class LabelStudioFormat:
    """Label Studio JSON: one task per document, one annotation per annotator, every layer as `labels` regions.

    The labelling config it fits: `<Labels name="label" toName="text">` over `<Text name="text" value="$text"/>`,
    and `<Relations><Relation value="speaker"/></Relations>` for the links (`direction` right: head → child).
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
        everything = len(record.relations)
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
        region = f"{len(self.task['annotations'])}-"
        for n, span in enumerate(record.spans):
            if not 0 <= span.start < span.end <= len(text):
                raise ExportError(
                    f"{where(document.id, record.annotator)}: span {span.start}-{span.end} lies outside the text"
                )
            result.append(
                {
                    "id": f"{region}{n}",
                    "type": "labels",
                    "from_name": "label",
                    "to_name": "text",
                    "origin": "manual",
                    "value": {
                        "start": span.start,
                        "end": span.end,
                        "text": text[span.start : span.end],
                        "labels": [span.label],
                    },
                }
            )
        ids = _ids(record.spans)
        pairs = linked(record)
        result.extend(
            {
                "type": "relation",
                "from_id": f"{region}{ids[head.id]}",
                "to_id": f"{region}{ids[child.id]}",
                "direction": "right",
                "labels": [relation.label],
            }
            for head, child, relation in pairs
        )
        self.task["annotations"].append(
            {"result": result, "was_cancelled": False, "ground_truth": record.annotator == "gold"}
        )
        self.task["meta"][LS_ANNOTATORS].append(record.annotator)
        self.task["meta"][LS_ANNOTATOR_STATUS][record.annotator] = record.status
        return Rendered(
            out, records=1, spans=len(record.spans), sentences=0, relations=len(pairs), left_out=everything - len(pairs)
        )

    def finish(self) -> str:
        """The last task and the closing bracket."""
        return self._flush() + ("\n]\n" if self.tasks else "[]\n")

    def companions(self) -> dict[str, str]:
        """No files beside the records."""
        return {}
