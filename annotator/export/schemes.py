"""Tagging schemes: spans of token indices to tags (IOB2, IOB1, BIOES) and back, strictly.

A chunk is (first, last, label) with `last` inclusive. Tags are encoded per sentence: every
sentence is a sequence of its own, as CoNLL readers and seqeval treat them.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.errors import BadInput
from annotator.export.names import BIOES, IOB1, IOB2, SCHEMES

__all__ = ["BIOES", "IOB1", "IOB2", "SCHEMES", "SchemeError", "decode", "encode", "tag_names"]

OUTSIDE = "O"

Chunk = tuple[int, int, str]


class SchemeError(BadInput, ValueError):
    """A tag sequence that is not valid in its scheme."""


def tag_names(scheme: str, labels: Sequence[str]) -> list[str]:
    """Every tag of a scheme over labels, in a stable order: O first, then per label."""
    prefixes = ("B", "I", "E", "S") if scheme == BIOES else ("B", "I")
    return [OUTSIDE] + [f"{prefix}-{label}" for label in labels for prefix in prefixes]


def encode(scheme: str, length: int, chunks: Sequence[Chunk]) -> list[str]:
    """Tags of a sequence of `length` tokens holding sorted, non-overlapping chunks."""
    tags = [OUTSIDE] * length
    previous_end = -2
    previous_label = ""
    for first, last, label in chunks:
        if scheme == IOB2:
            tags[first] = f"B-{label}"
            for i in range(first + 1, last + 1):
                tags[i] = f"I-{label}"
        elif scheme == IOB1:
            touching = previous_end == first - 1 and previous_label == label
            tags[first] = f"B-{label}" if touching else f"I-{label}"
            for i in range(first + 1, last + 1):
                tags[i] = f"I-{label}"
        elif scheme == BIOES:
            if first == last:
                tags[first] = f"S-{label}"
            else:
                tags[first] = f"B-{label}"
                for i in range(first + 1, last):
                    tags[i] = f"I-{label}"
                tags[last] = f"E-{label}"
        else:
            raise ValueError(f"unknown scheme {scheme!r}")
        previous_end, previous_label = last, label
    return tags


def _split(tag: str, index: int) -> tuple[str, str]:
    """(prefix, label) of a tag; SchemeError when malformed."""
    if tag == OUTSIDE:
        return OUTSIDE, ""
    prefix, dash, label = tag.partition("-")
    if not dash or not label or prefix not in ("B", "I", "E", "S"):
        raise SchemeError(f"token {index}: malformed tag {tag!r}")
    return prefix, label


def decode(scheme: str, tags: Sequence[str]) -> list[Chunk]:
    """The chunks a tag sequence holds; SchemeError on any sequence the scheme forbids."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}")
    chunks: list[Chunk] = []
    open_start = -1
    open_label = ""
    bioes = scheme == BIOES
    for i, tag in enumerate(tags):
        if tag == OUTSIDE:
            if open_start >= 0:
                if bioes:
                    raise SchemeError(f"token {i}: 'O' comes before the open chunk's E- tag")
                chunks.append((open_start, i - 1, open_label))
                open_start = -1
            continue
        prefix, label = _split(tag, i)
        if prefix in ("E", "S") and not bioes:
            raise SchemeError(f"token {i}: {tag!r} does not exist in {scheme.upper()}")
        continues = open_start >= 0 and open_label == label
        if bioes:
            if prefix in ("I", "E"):
                if not continues:
                    raise SchemeError(f"token {i}: {tag!r} continues no {label} chunk")
                if prefix == "E":
                    chunks.append((open_start, i, label))
                    open_start = -1
                continue
            if open_start >= 0:
                raise SchemeError(f"token {i}: {tag!r} comes before the open chunk's E- tag")
            if prefix == "S":
                chunks.append((i, i, label))
            else:
                open_start, open_label = i, label
            continue
        if prefix == "I":
            if continues:
                continue
            if scheme == IOB2:
                raise SchemeError(f"token {i}: {tag!r} continues no {label} chunk")
        elif scheme == IOB1 and not continues:  # B-
            raise SchemeError(f"token {i}: {tag!r} must follow a {label} chunk in IOB1")
        if open_start >= 0:
            chunks.append((open_start, i - 1, open_label))
        open_start, open_label = i, label
    if open_start >= 0:
        if bioes:
            raise SchemeError(f"token {len(tags) - 1}: the sequence ends inside a chunk (no E- tag)")
        chunks.append((open_start, len(tags) - 1, open_label))
    return chunks
