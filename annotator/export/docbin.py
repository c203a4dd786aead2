"""spaCy DocBin (`.spacy`): the entity layer in `doc.ents`, quotes in `doc.spans["quote"]`, our fields in user_data.

Tokens are the export's word tokens plus spaCy-style whitespace tokens, so `doc.text` is the stored
text exactly. With `--token-boundary expand` (the default here, as spaCy's tokenizer needs whole
words) an entity that cuts a word is widened to it; `split` cuts the word and keeps the span exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from annotator.export.checks import check_placed, check_tokens
from annotator.export.errors import ExportError, describe_span, where
from annotator.export.layout import place_spans
from annotator.export.records import LayerRecord, Rendered
from annotator.export.tokens import with_whitespace
from annotator.formats.docbin import USER_KEYS, user_key
from annotator.model import ENTITY_LAYER


class SpacyFormat:
    """A DocBin of one Doc per record, checked span by span against the Doc built."""

    name = "spacy"
    extension = ".spacy"
    binary = True

    def __init__(self, layers: Mapping[str, str], order: Sequence[str], boundary: str) -> None:
        try:
            import spacy
            from spacy.tokens import DocBin
        except ImportError:
            raise ExportError("-f spacy needs spaCy (pip install spacy)") from None
        self.layers = dict(layers)
        self.order = list(order)
        self.boundary = boundary
        self.vocab = spacy.blank("xx").vocab
        self.docbin = DocBin(store_user_data=True)

    def render(self, record: LayerRecord) -> Rendered:
        """Add one checked Doc; nothing is written until finish_bytes()."""
        from spacy.tokens import Doc

        document = record.document
        text = document.text
        place = where(document.id, record.annotator)
        layout = place_spans(text, record.spans, self.layers, self.order, self.boundary, place, record.edges)
        check_tokens(text, layout.tokens, place)
        check_placed(layout, record.spans, self.layers, self.boundary, place)
        placed = [p for group in layout.placed.values() for p in group]
        starts = sorted({p.start for p in placed})
        ends = sorted({p.end for p in placed})
        pieces = with_whitespace(text, layout.tokens, starts, ends)
        doc = Doc(self.vocab, words=[piece[2] for piece in pieces], spaces=[piece[3] for piece in pieces])
        if doc.text != text:
            raise ExportError(f"{place}: the spaCy tokens do not rebuild the text")
        groups: dict[str, list[Any]] = {}
        for p in placed:
            found = doc.char_span(p.start, p.end, label=p.span.label, alignment_mode="strict")
            if found is None:
                raise ExportError(
                    f"{place}: {describe_span(text, p.span.start, p.span.end, p.span.label)} "
                    "does not fall on spaCy tokens"
                )
            groups.setdefault(p.layer, []).append(found)
        doc.ents = groups.pop(ENTITY_LAYER, [])
        for layer, spans in groups.items():
            doc.spans[layer] = spans
        fields = {
            "id": document.id,
            "title": document.title,
            "meta": document.meta,
            "annotator": record.annotator,
            "status": record.status,
        }
        user_data: dict[Any, Any] = doc.user_data
        for key in USER_KEYS:
            user_data[user_key(key)] = fields[key]
        self.docbin.add(doc)
        return Rendered("", records=1, spans=len(placed), sentences=0, left_out=len(record.relations))

    def finish_bytes(self) -> bytes:
        """The DocBin's bytes."""
        return bytes(self.docbin.to_bytes())

    def companions(self) -> dict[str, str]:
        """No files beside the records."""
        return {}
