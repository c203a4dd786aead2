"""Properties over generated texts and spans: every format's checks hold, tags round-trip, seqeval agrees."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotator.export import ExportError, make_format
from annotator.export.records import LayerRecord
from annotator.export.schemes import BIOES, IOB1, IOB2, SCHEMES, SchemeError, decode, encode
from annotator.model import DEFAULT_LABELS, Document, Span

ALPHABET = list("بالأنبارداعش15٣") + [" ", " ", "\n", ".", "،", '"', "؟", "\u200f", "ـ", "-"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def chunk_lists(draw: st.DrawFn) -> tuple[int, list[tuple[int, int, str]]]:
    """A sequence length and sorted, non-overlapping chunks over it."""
    length = draw(st.integers(1, 30))
    edges = sorted(draw(st.sets(st.integers(0, length), max_size=12)))
    chunks = []
    for a, b in zip(edges[::2], edges[1::2]):
        if b > a:
            chunks.append((a, b - 1, draw(st.sampled_from(["actor", "place"]))))
    return length, chunks


@SETTINGS
@given(chunk_lists(), st.sampled_from(SCHEMES))
def test_tags_round_trip_and_seqeval_agrees(case: tuple[int, list[tuple[int, int, str]]], scheme: str) -> None:
    from seqeval.scheme import IOB1 as S_IOB1
    from seqeval.scheme import IOB2 as S_IOB2
    from seqeval.scheme import IOBES, Entities

    length, chunks = case
    tags = encode(scheme, length, chunks)
    assert decode(scheme, tags) == chunks
    theirs = {IOB2: S_IOB2, IOB1: S_IOB1, BIOES: IOBES}[scheme]
    found = [(e.start, e.end - 1, e.tag) for e in Entities([tags], theirs).entities[0]]
    assert found == chunks


def test_decode_is_strict() -> None:
    for scheme, tags in [
        (IOB2, ["O", "I-actor"]),
        (IOB2, ["B-actor", "I-place"]),
        (IOB1, ["O", "B-actor"]),
        (BIOES, ["B-actor", "O"]),
        (BIOES, ["B-actor"]),
        (BIOES, ["I-actor"]),
        (IOB2, ["S-actor"]),
        (IOB2, ["X-actor"]),
    ]:
        try:
            decode(scheme, tags)
        except SchemeError:
            continue
        raise AssertionError(f"{scheme} accepted {tags}")


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[Span]]:
    """A text of Arabic letters, digits, spaces, line ends, punctuation and marks, with spans of both layers."""
    text = draw(st.text(st.sampled_from(ALPHABET), min_size=1, max_size=60))
    spans: list[Span] = []
    for label in (("actor", "place", "figure"), ("quote",)):
        edges = sorted(draw(st.sets(st.integers(0, len(text)), max_size=8)))
        for a, b in zip(edges[::2], edges[1::2]):
            if b > a:
                spans.append(Span("d", "alice", a, b, draw(st.sampled_from(label))))
    return text, sorted(spans, key=lambda s: (s.start, s.end))


def record_of(text: str, spans: list[Span]) -> LayerRecord:
    return LayerRecord(Document("d", "d", text), "alice", spans)


@SETTINGS
@given(documents())
def test_jsonl_always_passes_its_checks(case: tuple[str, list[Span]]) -> None:
    text, spans = case
    assume(text.strip())
    record = json.loads(make_format("jsonl", DEFAULT_LABELS, None, None).render(record_of(text, spans)).text)
    assert "".join(t["text"] + (" " if t["ws"] else "") for t in record["tokens"]) == text
    assert all(t["text"] for t in record["tokens"])
    assert [(s["start"], s["end"]) for s in record["spans"]] == [(s.start, s.end) for s in spans]


@SETTINGS
@given(
    documents(),
    st.sampled_from(["split", "expand", "strict"]),
    st.sampled_from(SCHEMES),
    st.sampled_from(["conll", "hf"]),
)
def test_token_formats_pass_their_checks_or_name_the_span(
    case: tuple[str, list[Span]], boundary: str, scheme: str, fmt: str
) -> None:
    text, spans = case
    spans = [s for s in spans if text[s.start : s.end].strip()]
    fmt_object = make_format(fmt, DEFAULT_LABELS, scheme, boundary)
    try:
        rendered = fmt_object.render(record_of(text, spans))
    except ExportError as error:
        message = str(error)
        assert boundary != "split", message
        assert message.startswith("document 'd' (alice): span ")
        assert ("inside the word" in message) if boundary == "strict" else ("would tag the same token" in message)
        return
    if fmt == "conll":
        body = rendered.text.split("\n")[2:]
        assert all(len(line.split(" ")) == 3 for line in body if line)
        words = [line.split(" ")[0] for line in body if line]
    else:
        words = [w for line in rendered.text.splitlines() for w in json.loads(line)["tokens"]]
    assert "".join(words) == "".join(text.split())
    assert all(w and w.split() == [w] for w in words)
