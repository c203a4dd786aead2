"""Slow, obvious re-implementations used to check the vectorised agreement code (one loop per idea)."""

from __future__ import annotations

from collections.abc import Iterable

from synthetic import Synthetic

from annotator.model import DEFAULT_LABELS, Span
from annotator.text.tokenizer import tokenize

LAYERS = {"entity": ["actor", "figure", "place"], "quote": ["quote"]}
LAYER_OF = {label.name: label.layer for label in DEFAULT_LABELS}


def token_label(start: int, end: int, spans: Iterable[Span]) -> str:
    """The label of the span covering most of [start, end), the first one on a tie, else O."""
    best, best_cover = "O", 0
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        cover = min(end, span.end) - max(start, span.start)
        if cover > best_cover:
            best, best_cover = span.label, cover
    return best


def shared_documents(syn: Synthetic, names: list[str]) -> list[str]:
    """Documents (in order) that at least two of the annotators did."""
    return [d.id for d in syn.documents if sum(d.id in syn.done[n] for n in names) >= 2]


def units(syn: Synthetic, names: list[str], layer: str) -> list[dict[str, str]]:
    """One dict per token of the shared documents: annotator → label, only annotators who did the document."""
    texts = {d.id: d.text for d in syn.documents}
    out = []
    for doc_id in shared_documents(syn, names):
        for token in tokenize(texts[doc_id]):
            unit = {}
            for name in names:
                if doc_id in syn.done[name]:
                    mine = [
                        s
                        for s in syn.spans
                        if s.document_id == doc_id and s.annotator == name and LAYER_OF[s.label] == layer
                    ]
                    unit[name] = token_label(token.start, token.end, mine)
            out.append(unit)
    return out


def layer_spans(syn: Synthetic, name: str, layer: str, docs: set[str]) -> list[tuple[str, int, int, str]]:
    """An annotator's spans of a layer on some documents as (document, start, end, label)."""
    return [
        (s.document_id, s.start, s.end, s.label)
        for s in syn.spans
        if s.annotator == name and s.document_id in docs and LAYER_OF[s.label] == layer
    ]


def naive_f1(
    a: list[tuple[str, int, int, str]], b: list[tuple[str, int, int, str]]
) -> tuple[float | None, float | None]:
    """(exact F1, overlap F1) straight from the definitions."""
    if not a and not b:
        return None, None
    tp = len(set(a) & set(b))
    exact = 2 * tp / (len(a) + len(b))

    def hits(xs: list, ys: list) -> int:
        return sum(any(x[0] == y[0] and x[3] == y[3] and x[1] < y[2] and y[1] < x[2] for y in ys) for x in xs)

    p = hits(b, a) / len(b) if b else 0.0
    r = hits(a, b) / len(a) if a else 0.0
    return exact, (2 * p * r / (p + r) if p + r else 0.0)
