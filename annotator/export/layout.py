"""Token layout of one document's layer for CoNLL and Hugging Face: boundary modes, spans on tokens, sentences.

Boundary modes: `split` cuts a word at a span edge ("بالأنبار" → "ب" + "الأنبار");
`expand` gives the whole word the tag; `strict` refuses a span that starts or ends inside a word.
Token formats cannot hold whitespace, so a span's surrounding whitespace is dropped in every mode.
The exported span ("placed") is therefore the stored span trimmed of whitespace, and in expand
mode widened to whole words; the checks compare the decoded tags with the placed spans.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from annotator.export.errors import ExportError, describe_span
from annotator.export.names import BOUNDARIES, EXPAND, SPLIT, STRICT
from annotator.export.tokens import token_range, trimmed, word_tokens
from annotator.model import Span
from annotator.text.tokenizer import Token, sentence_breaks

__all__ = ["BOUNDARIES", "EXPAND", "SPLIT", "STRICT", "Layout", "Placed", "place_spans", "sentences"]


@dataclass(frozen=True, slots=True)
class Placed:
    """A stored span as exported: character range and inclusive token range."""

    span: Span
    layer: str
    start: int
    end: int
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class Layout:
    """Tokens, placed spans per layer and sentences ([begin, end) token ranges) of one document."""

    text: str
    tokens: list[Token]
    placed: dict[str, list[Placed]]
    sentences: list[tuple[int, int]]


def _word_at(tokens: Sequence[Token], index: int) -> str:
    return tokens[index].text if 0 <= index < len(tokens) else ""


def place_spans(
    text: str,
    spans: Sequence[Span],
    layers: Mapping[str, str],
    wanted: Sequence[str],
    boundary: str,
    where: str,
    context: Sequence[Span] = (),
) -> Layout:
    """Lay one layer-set of a document out on tokens; ExportError names the first span that cannot be.

    `context` holds every layer's spans of the document (all annotators): with `split` tokens are
    cut at all their edges, and a sentence break any of them crosses is dropped, so that every
    annotator's export of the document has the same tokens and sentences. Empty: the spans alone.
    """
    if boundary not in BOUNDARIES:
        raise ValueError(f"unknown token boundary {boundary!r}")
    chosen: list[tuple[Span, str, int, int]] = []
    for span in spans:
        layer = layers.get(span.label)
        if layer is None:
            raise ExportError(f"{where}: {describe_span(text, span.start, span.end, span.label)} has an unknown label")
        if layer not in wanted:
            continue
        if not (0 <= span.start < span.end <= len(text)):
            raise ExportError(f"{where}: span {span.start}-{span.end} {span.label!r} lies outside the text")
        start, end = trimmed(text, span.start, span.end)
        if start == end:
            raise ExportError(f"{where}: {describe_span(text, span.start, span.end, span.label)} holds only whitespace")
        chosen.append((span, layer, start, end))
    around = [trimmed(text, s.start, s.end) for s in context if 0 <= s.start < s.end <= len(text)]
    around = [(start, end) for start, end in around if start < end]
    cuts: list[int] = []
    if boundary == SPLIT:  # the record's own edges too, should the context not hold them
        cuts = [edge for start, end in around for edge in (start, end)]
        cuts.extend(edge for _, _, start, end in chosen for edge in (start, end))
    tokens = word_tokens(text, cuts)
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    placed: dict[str, list[Placed]] = {layer: [] for layer in wanted}
    for span, layer, start, end in chosen:
        first, last = token_range(starts, ends, start, end)
        if first > last:
            raise ExportError(f"{where}: {describe_span(text, span.start, span.end, span.label)} covers no token")
        new_start, new_end = tokens[first].start, tokens[last].end
        if boundary != EXPAND and (new_start, new_end) != (start, end):
            inside = _word_at(tokens, first) if new_start != start else _word_at(tokens, last)
            edge = "starts" if new_start != start else "ends"
            raise ExportError(
                f"{where}: {describe_span(text, span.start, span.end, span.label)} {edge} inside the word "
                f"«{inside}»; --token-boundary {boundary} refuses it (use split or expand, or fix the span)"
            )
        placed[layer].append(Placed(span, layer, new_start, new_end, first, last))
    for layer, group in placed.items():
        group.sort(key=lambda p: (p.first, p.last))
        for before, after in zip(group, group[1:]):
            if after.first <= before.last:
                words = " ".join(t.text for t in tokens[after.first : before.last + 1])
                a = describe_span(text, before.span.start, before.span.end, before.span.label)
                b = describe_span(text, after.span.start, after.span.end, after.span.label)
                raise ExportError(
                    f"{where}: {a} and {b} would tag the same token «{words}» in the {layer} layer "
                    f"(--token-boundary {boundary}); use --token-boundary split or fix the spans"
                )
    ranges = [token_range(starts, ends, start, end) for start, end in around]
    ranges.extend((p.first, p.last) for group in placed.values() for p in group)
    return Layout(text, tokens, placed, sentences(text, tokens, ranges))


def sentences(text: str, tokens: list[Token], ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence token ranges: breaks at . ؟ ! and line ends, except where a span (first, last token) crosses them."""
    if not tokens:
        return []
    inside = [0] * (len(tokens) + 1)
    for first, last in ranges:
        if last > first:
            inside[first] += 1
            inside[last] -= 1
    result: list[tuple[int, int]] = []
    begin = 0
    breaks = set(sentence_breaks(text, tokens))
    depth = 0
    for i in range(len(tokens)):
        depth += inside[i]
        if (i in breaks and depth == 0) or i == len(tokens) - 1:
            result.append((begin, i + 1))
            begin = i + 1
    return result
