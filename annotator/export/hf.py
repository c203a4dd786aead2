"""Hugging Face token classification: JSONL, one record per sentence, and the ordered tag list beside it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from annotator.export.checks import check_decoded, check_placed, check_tokens
from annotator.export.conll import sentence_tags
from annotator.export.errors import ExportError, where
from annotator.export.jsonl import dumps_line
from annotator.export.layout import place_spans
from annotator.export.records import LayerRecord, Rendered
from annotator.export.schemes import tag_names
from annotator.model import QUOTE_LAYER

LABELS_SUFFIX = ".labels.json"
QUOTE_LABELS_SUFFIX = ".quote_labels.json"
"""The tag list of the `quote_tags` column, beside the `ner_tags` one."""
QUOTE_COLUMN = "quote_tags"


def sentence_records(
    record: LayerRecord,
    layout_tokens: Sequence[str],
    sentences: Sequence[tuple[int, int]],
    tags: Sequence[Sequence[str]],
    quote_tags: Sequence[Sequence[str]] | None = None,
) -> list[dict[str, Any]]:
    """The records of one document: id `<document>-<n>`, document, sentence n, tokens, ner_tags (and quote_tags)."""
    document_id = record.document.id
    records = []
    for n, (begin, end) in enumerate(sentences):
        item: dict[str, Any] = {
            "id": f"{document_id}-{n}",
            "document": document_id,
            "sentence": n,
            "tokens": list(layout_tokens[begin:end]),
            "ner_tags": list(tags[n]),
        }
        if quote_tags is not None:
            item[QUOTE_COLUMN] = list(quote_tags[n])
        records.append(item)
    return records


class HfFormat:
    """Sentence records of one layer in `ner_tags` (and, given `quote_labels`, the quote layer in `quote_tags`
    over the same tokens), checked against the spans; each column's tag list goes beside them."""

    name = "hf"
    extension = ".jsonl"

    def __init__(
        self,
        layers: Mapping[str, str],
        layer: str,
        labels: Sequence[str],
        scheme: str,
        boundary: str,
        quote_labels: Sequence[str] | None = None,
    ) -> None:
        self.layers = dict(layers)
        self.layer = layer
        self.labels = list(labels)
        self.scheme = scheme
        self.boundary = boundary
        self.tags = tag_names(scheme, self.labels)
        self.quote_tags = None if quote_labels is None else tag_names(scheme, list(quote_labels))
        self.quote_layer = QUOTE_LAYER

    def render(self, record: LayerRecord) -> Rendered:
        """One document's checked sentence lines."""
        place = where(record.document.id, record.annotator)
        text = record.document.text
        columns: list[tuple[str, str, list[str]]] = [("ner_tags", self.layer, self.tags)]
        if self.quote_tags is not None:
            columns.append((QUOTE_COLUMN, self.quote_layer, self.quote_tags))
        wanted = [layer for _, layer, _ in columns]
        layout = place_spans(text, record.spans, self.layers, wanted, self.boundary, place, record.edges)
        check_tokens(text, layout.tokens, place)
        check_placed(layout, record.spans, self.layers, self.boundary, place)
        words = [t.text for t in layout.tokens]
        tags = {layer: sentence_tags(layout, layer, self.scheme) for layer in wanted}
        quotes = tags[self.quote_layer] if self.quote_tags is not None else None
        records = sentence_records(record, words, layout.sentences, tags[self.layer], quotes)
        for column, layer, names in columns:
            known = set(names)
            written: list[tuple[int, list[str]]] = []
            position = 0
            for item, (begin, end) in zip(records, layout.sentences):
                if item["tokens"] != words[begin:end] or begin != position or len(item[column]) != end - begin:
                    raise ExportError(
                        f"{place}: sentence {item['sentence']} does not hold its tokens and one {column} each"
                    )
                unknown = set(item[column]) - known
                if unknown:
                    raise ExportError(
                        f"{place}: sentence {item['sentence']} has {column} outside its label list: {sorted(unknown)}"
                    )
                written.append((begin, item[column]))
                position = end
            if position != len(words) or len(records) != len(layout.sentences):
                raise ExportError(f"{place}: the sentences hold {position} of {len(words)} tokens")
            check_decoded(layout, layer, written, self.scheme, place)
        return Rendered(
            "".join(dumps_line(item) for item in records),
            records=len(records),
            spans=sum(len(layout.placed[layer]) for layer in wanted),
            sentences=len(records),
            left_out=len(record.relations),
        )

    def companions(self) -> dict[str, str]:
        """The ordered tag list of each column, for a `ClassLabel(names=...)` feature."""
        files = {LABELS_SUFFIX: json.dumps(self.tags, ensure_ascii=False, indent=1) + "\n"}
        if self.quote_tags is not None:
            files[QUOTE_LABELS_SUFFIX] = json.dumps(self.quote_tags, ensure_ascii=False, indent=1) + "\n"
        return files
