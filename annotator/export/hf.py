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

LABELS_SUFFIX = ".labels.json"


def sentence_records(record: LayerRecord, layout_tokens: Sequence[str], sentences: Sequence[tuple[int, int]],
                     tags: Sequence[Sequence[str]]) -> list[dict[str, Any]]:
    """The records of one document: id `<document>-<n>`, document, sentence n, tokens, ner_tags."""
    document_id = record.document.id
    return [
        {
            "id": f"{document_id}-{n}",
            "document": document_id,
            "sentence": n,
            "tokens": list(layout_tokens[begin:end]),
            "ner_tags": list(tags[n]),
        }
        for n, (begin, end) in enumerate(sentences)
    ]


class HfFormat:
    """Sentence records of the entity layer, checked against the spans; the tag list goes beside them."""

    name = "hf"
    extension = ".jsonl"

    def __init__(self, layers: Mapping[str, str], layer: str, labels: Sequence[str], scheme: str, boundary: str) -> None:
        self.layers = dict(layers)
        self.layer = layer
        self.labels = list(labels)
        self.scheme = scheme
        self.boundary = boundary
        self.tags = tag_names(scheme, self.labels)

    def render(self, record: LayerRecord) -> Rendered:
        """One document's checked sentence lines."""
        place = where(record.document.id, record.annotator)
        text = record.document.text
        layout = place_spans(text, record.spans, self.layers, [self.layer], self.boundary, place, record.edges)
        check_tokens(text, layout.tokens, place)
        check_placed(layout, record.spans, self.layers, self.boundary, place)
        words = [t.text for t in layout.tokens]
        records = sentence_records(record, words, layout.sentences, sentence_tags(layout, self.layer, self.scheme))
        known = set(self.tags)
        written: list[tuple[int, list[str]]] = []
        position = 0
        for item, (begin, end) in zip(records, layout.sentences):
            if item["tokens"] != words[begin:end] or begin != position or len(item["ner_tags"]) != end - begin:
                raise ExportError(f"{place}: sentence {item['sentence']} does not hold its tokens and one tag each")
            unknown = set(item["ner_tags"]) - known
            if unknown:
                raise ExportError(f"{place}: sentence {item['sentence']} has tags outside the label list: {sorted(unknown)}")
            written.append((begin, item["ner_tags"]))
            position = end
        if position != len(words) or len(records) != len(layout.sentences):
            raise ExportError(f"{place}: the sentences hold {position} of {len(words)} tokens")
        check_decoded(layout, self.layer, written, self.scheme, place)
        return Rendered(
            "".join(dumps_line(item) for item in records),
            records=len(records),
            spans=len(layout.placed[self.layer]),
            sentences=len(records),
        )

    def companions(self) -> dict[str, str]:
        """The ordered tag list, for a `ClassLabel(names=...)` feature."""
        return {LABELS_SUFFIX: json.dumps(self.tags, ensure_ascii=False, indent=1) + "\n"}
