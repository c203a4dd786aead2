"""JSONL: one record per document and layer, with Prodigy/spaCy tokens; re-imports with `annotator import`."""

from __future__ import annotations

import json
from bisect import bisect_left
from typing import Any

from annotator.export.checks import check_jsonl_record
from annotator.export.links import linked, prodigy_relations
from annotator.export.records import LayerRecord, Rendered
from annotator.export.tokens import with_whitespace, word_tokens

_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def dumps_line(record: Any) -> str:
    """One JSON line: UTF-8 text kept readable, but no character a line splitter could break on."""
    line = json.dumps(record, ensure_ascii=False)
    for char, escaped in _LINE_BREAKS.items():
        if char in line:
            line = line.replace(char, escaped)
    return line + "\n"


def jsonl_record(record: LayerRecord) -> dict[str, Any]:
    """The JSONL record of one document's layer: spans with token indices, tokens cut at span edges."""
    document = record.document
    text = document.text
    edges = record.edges  # every layer's span edges: all annotators' records get the same tokens
    starts = sorted({s.start for s in edges if 0 <= s.start <= len(text)})
    ends = sorted({s.end for s in edges if 0 <= s.end <= len(text)})
    tokens = with_whitespace(text, word_tokens(text, starts + ends), starts, ends)
    token_starts = [t[0] for t in tokens]
    token_ends = [t[1] for t in tokens]
    spans = [
        {
            "start": s.start,
            "end": s.end,
            "label": s.label,
            "text": text[s.start : s.end],
            "token_start": bisect_left(token_starts, s.start),
            "token_end": bisect_left(token_ends, s.end),
        }
        for s in record.spans
    ]
    return {
        "id": document.id,
        "title": document.title,
        "text": text,
        "annotator": record.annotator,
        "status": record.status,
        "spans": spans,
        "tokens": [
            {"text": piece, "start": start, "end": end, "id": i, "ws": ws}
            for i, (start, end, piece, ws) in enumerate(tokens)
        ],
        "meta": document.meta,
        "relations": prodigy_relations(linked(record), token_starts, token_ends),
    }


class JsonlFormat:
    """JSONL records, checked one by one."""

    name = "jsonl"
    extension = ".jsonl"

    def render(self, record: LayerRecord) -> Rendered:
        """One checked line."""
        data = jsonl_record(record)
        check_jsonl_record(data)
        return Rendered(
            dumps_line(data), records=1, spans=len(data["spans"]), sentences=0, relations=len(data["relations"])
        )

    def companions(self) -> dict[str, str]:
        """No files beside the records."""
        return {}
