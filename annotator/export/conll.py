"""CoNLL: a token a line with its tags, a blank line after each sentence, a document break before each document.

Every line of a file has the same number of columns, the document break included (conlleval and
seqeval need it). All layers: `token entity-tag quote-tag`, break `-DOCSTART- O O`. One layer
(`--layer`): the CoNLL-2003 shape `token _ _ tag`, break `-DOCSTART- -X- O O`, which is the only
document break `spacy convert -c ner` recognises (it reads the first and the last column).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from annotator.export.checks import FILLER, check_conll_block, check_placed, check_tokens, docstart
from annotator.export.errors import where
from annotator.export.layout import Layout, place_spans
from annotator.export.records import LayerRecord, Rendered
from annotator.export.schemes import encode


def sentence_tags(layout: Layout, layer: str, scheme: str) -> list[list[str]]:
    """The tags of one layer, sentence by sentence (each sentence encoded as a sequence of its own)."""
    placed = layout.placed[layer]
    result: list[list[str]] = []
    k = 0
    for begin, end in layout.sentences:
        chunks = []
        while k < len(placed) and placed[k].first < end:
            chunks.append((placed[k].first - begin, placed[k].last - begin, placed[k].span.label))
            k += 1
        result.append(encode(scheme, end - begin, chunks))
    return result


class ConllFormat:
    """CoNLL with one tag column per layer (entity, then quote), checked by parsing each block back."""

    name = "conll"
    extension = ".conll"

    def __init__(
        self, layers: Mapping[str, str], columns: Sequence[str], scheme: str, boundary: str, one_layer: bool = False
    ) -> None:
        self.layers = dict(layers)
        self.columns = list(columns)
        self.scheme = scheme
        self.boundary = boundary
        self.fillers = 2 if one_layer else 0
        self.docstart = docstart(len(self.columns), self.fillers)

    def render(self, record: LayerRecord) -> Rendered:
        """One document's checked block."""
        place = where(record.document.id, record.annotator)
        text = record.document.text
        layout = place_spans(text, record.spans, self.layers, self.columns, self.boundary, place, record.edges)
        check_tokens(text, layout.tokens, place)
        check_placed(layout, record.spans, self.layers, self.boundary, place)
        tags = [sentence_tags(layout, layer, self.scheme) for layer in self.columns]
        words = [t.text for t in layout.tokens]
        parts = [self.docstart, "\n\n"]
        for s, (begin, end) in enumerate(layout.sentences):
            filler = [[FILLER] * (end - begin)] * self.fillers
            parts.append("\n".join(map(" ".join, zip(words[begin:end], *filler, *(column[s] for column in tags)))))
            parts.append("\n\n")
        block = "".join(parts)
        check_conll_block(block, layout, self.columns, self.scheme, place, self.fillers)
        spans = sum(len(group) for group in layout.placed.values())
        return Rendered(block, records=1, spans=spans, sentences=len(layout.sentences), left_out=len(record.relations))

    def companions(self) -> dict[str, str]:
        """No files beside the records."""
        return {}
