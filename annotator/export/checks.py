"""The checks every record passes before it is written: span texts, tokens, tags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from annotator.export.errors import ExportError, describe_span
from annotator.export.layout import EXPAND, Layout
from annotator.export.schemes import SchemeError, decode
from annotator.export.tokens import trimmed
from annotator.model import Span
from annotator.text.tokenizer import Token

DOCSTART = "-DOCSTART- -X- O O"
"""The document break of a one-layer (CoNLL-2003 shaped) file: the only one `spacy convert -c ner` knows."""
FILLER = "_"
"""The two filler columns of a one-layer file, where CoNLL-2003 has its POS and chunk tags."""


def docstart(columns: int, fillers: int) -> str:
    """The document break line with as many columns as every token line."""
    if fillers == 2 and columns == 1:
        return DOCSTART
    return " ".join(["-DOCSTART-"] + ["-X-"] * fillers + ["O"] * columns)


def check_tokens(text: str, tokens: Sequence[Token], where: str) -> None:
    """Word tokens: non-empty, without whitespace, equal to their text, and only whitespace between them."""
    position = 0
    for i, token in enumerate(tokens):
        if token.start < position or token.end <= token.start:
            raise ExportError(f"{where}: token {i} ({token.start}-{token.end}) is empty or out of order")
        if token.start > position and not text[position : token.start].isspace():
            raise ExportError(f"{where}: characters {position}-{token.start} are in no token")
        if token.text != text[token.start : token.end] or token.text.split() != [token.text]:
            raise ExportError(f"{where}: token {i} «{token.text}» contains whitespace or differs from the text")
        position = token.end
    if position < len(text) and not text[position:].isspace():
        raise ExportError(f"{where}: characters {position}-{len(text)} are in no token")


def check_jsonl_record(record: Mapping[str, Any]) -> None:
    """A JSONL record: span texts, tokens rebuilding the text with `ws`, token indices on span edges."""
    text = record["text"]
    where = f"document {record['id']!r} ({record['annotator']})"
    tokens = record["tokens"]
    position = 0
    for i, token in enumerate(tokens):
        start, end, piece = token["start"], token["end"], token["text"]
        if token["id"] != i or start != position or end <= start or text[start:end] != piece:
            raise ExportError(f"{where}: token {i} «{piece}» ({start}-{end}) does not continue the text at {position}")
        position = end
        if token["ws"]:
            if text[end : end + 1] != " ":
                raise ExportError(f"{where}: token {i} «{piece}» says a space follows, but none does")
            position += 1
    if position != len(text):
        raise ExportError(f"{where}: the tokens rebuild only {position} of {len(text)} characters")
    for span in record["spans"]:
        start, end, label = span["start"], span["end"], span["label"]
        if not (0 <= start < end <= len(text)) or span["text"] != text[start:end]:
            name = describe_span(text, start, end, label)
            raise ExportError(f"{where}: {name}: its text «{span['text']}» is not text[{start}:{end}]")
        first, last = span["token_start"], span["token_end"]
        if not (0 <= first <= last < len(tokens)) or tokens[first]["start"] != start or tokens[last]["end"] != end:
            name = describe_span(text, start, end, label)
            raise ExportError(f"{where}: {name}: tokens {first}-{last} do not start and end on the span")
    for relation in record.get("relations", ()):
        for role in ("head", "child"):
            span = relation[f"{role}_span"]
            start, end, first, last = span["start"], span["end"], span["token_start"], span["token_end"]
            if (
                not (0 <= start < end <= len(text))
                or not (0 <= first <= last < len(tokens))
                or tokens[first]["start"] != start
                or tokens[last]["end"] != end
                or relation[role] != last
            ):
                name = describe_span(text, start, end, span["label"])
                raise ExportError(f"{where}: the {relation['label']!r} relation's {role} {name} is not on its tokens")


def check_placed(layout: Layout, spans: Sequence[Span], layers: Mapping[str, str], boundary: str, where: str) -> None:
    """Every stored span of the exported layers is placed once, trimmed (and in expand mode widened to words)."""
    expected = sorted((s.start, s.end, s.label) for s in spans if layers.get(s.label) in layout.placed)
    got = sorted((p.span.start, p.span.end, p.span.label) for group in layout.placed.values() for p in group)
    if expected != got:
        missing = sorted(set(expected) - set(got)) or sorted(set(got) - set(expected))
        start, end, label = missing[0] if missing else expected[0]
        raise ExportError(f"{where}: {describe_span(layout.text, start, end, label)} is not exported exactly once")
    for group in layout.placed.values():
        for p in group:
            start, end = trimmed(layout.text, p.span.start, p.span.end)
            widened = p.start <= start and end <= p.end
            if (p.start, p.end) != (start, end) and not (boundary == EXPAND and widened):
                raise ExportError(
                    f"{where}: {describe_span(layout.text, p.span.start, p.span.end, p.span.label)} "
                    f"would be exported as {p.start}-{p.end}"
                )


def check_decoded(
    layout: Layout, layer: str, sentence_tags: Sequence[tuple[int, Sequence[str]]], scheme: str, where: str
) -> None:
    """Decoding the tags written (per sentence: first token index, tags) gives back exactly the placed spans."""
    decoded: list[tuple[int, int, str]] = []
    for offset, tags in sentence_tags:
        try:
            chunks = decode(scheme, tags)
        except SchemeError as exc:
            raise ExportError(
                f"{where}: the {layer} tags of the sentence at token {offset} do not decode: {exc}"
            ) from None
        for first, last, label in chunks:
            decoded.append((layout.tokens[offset + first].start, layout.tokens[offset + last].end, label))
    expected = [(p.start, p.end, p.span.label) for p in layout.placed[layer]]
    if sorted(decoded) != sorted(expected):
        wrong = sorted(set(expected) ^ set(decoded))[0]
        raise ExportError(
            f"{where}: {describe_span(layout.text, *wrong)}: the {layer} tags written do not decode to the spans"
        )


def check_conll_block(
    block: str, layout: Layout, columns: Sequence[str], scheme: str, where: str, fillers: int = 0
) -> None:
    """Parse one document's CoNLL block back: DOCSTART, one token a line, columns, tags that decode to the spans."""
    start = docstart(len(columns), fillers)
    head = start + "\n\n"
    if not block.startswith(head) or not block.endswith("\n\n" if layout.tokens else "\n"):
        raise ExportError(f"{where}: the CoNLL block does not start with {start!r} and a blank line")
    width = 1 + fillers + len(columns)
    if len(start.split(" ")) != width:
        raise ExportError(f"{where}: the document break {start!r} does not have {width} columns")
    per_layer: dict[str, list[tuple[int, list[str]]]] = {layer: [] for layer in columns}
    index = 0
    body = block[len(head) : -2]
    for sentence in body.split("\n\n") if body else []:
        rows = sentence.count("\n") + 1
        fields = sentence.replace("\n", " ").split(" ")
        if not sentence or len(fields) != rows * width:
            raise ExportError(f"{where}: the CoNLL sentence at token {index} does not have {width} columns a line")
        words = fields[0::width]
        if words != [t.text for t in layout.tokens[index : index + rows]]:
            raise ExportError(f"{where}: the CoNLL tokens from token {index} do not match the text")
        for c in range(1, 1 + fillers):
            if any(value != FILLER for value in fields[c::width]):
                raise ExportError(
                    f"{where}: the CoNLL sentence at token {index} has a filler column that is not {FILLER!r}"
                )
        for c, layer in enumerate(columns, start=1 + fillers):
            per_layer[layer].append((index, fields[c::width]))
        index += rows
    if index != len(layout.tokens):
        raise ExportError(f"{where}: the CoNLL block holds {index} of {len(layout.tokens)} tokens")
    for layer in columns:
        check_decoded(layout, layer, per_layer[layer], scheme, where)
