"""Token units: the vectorised tokenizer equals tokenize(), and each token gets the majority span's label."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import token_label

from annotator.agreement.units import document_tokens, token_bounds, token_values
from annotator.model import Span
from annotator.text.tokenizer import tokenize

ALPHABET = (
    "قال السوداني إن داعش بالأنبار ١٢٣ 15 abc ـ"
    '،؛؟.,:!«»“”"()…-%#'
    " \t\n\r\u00a0\u2009"
    "\u064b\u0651\u0670"  # harakat
    "\u200c\u200d\u200e\u200f\u2066\u2069\ufeff\x00\x1b\x7f"  # joiners, bidi marks, controls
    "😀𝒜\U00010900"  # astral: symbol, letter, Phoenician letter
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_token_bounds_equal_tokenize(text: str) -> None:
    starts, ends = token_bounds(text)
    assert list(zip(starts.tolist(), ends.tolist())) == [(t.start, t.end) for t in tokenize(text)]


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=60))
def test_token_bounds_equal_tokenize_on_any_unicode(text: str) -> None:
    starts, ends = token_bounds(text)
    assert list(zip(starts.tolist(), ends.tolist())) == [(t.start, t.end) for t in tokenize(text)]


def test_document_tokens_are_each_documents_tokens_shifted() -> None:
    texts = ["قال السوداني", "", "داعش،في", "«الأنبار»"]
    tokens = document_tokens(texts)
    expected = [(d, t.start, t.end) for d, text in enumerate(texts) for t in tokenize(text)]
    got = [
        (int(d), int(s - tokens.offset[d]), int(e - tokens.offset[d]))
        for d, s, e in zip(tokens.doc, tokens.start, tokens.end)
    ]
    assert got == expected
    assert document_tokens([]).start.size == 0


def test_token_value_is_the_span_covering_most_first_on_tie() -> None:
    text = "وبالأنبار قال"
    starts, ends = token_bounds(text)
    # token 0 = 0..9: place 2..9 covers 7, actor 0..2 covers 2 → place
    values = token_values(starts, ends, np.array([0, 2]), np.array([2, 9]), np.array([1, 3]))
    assert values.tolist() == [[3, 0]]
    # a tie (4 and 4 characters inside a word of 8): the first span wins
    text = "abcdefgh"
    starts, ends = token_bounds(text)
    values = token_values(starts, ends, np.array([0, 4]), np.array([4, 8]), np.array([2, 1]))
    assert values.tolist() == [[2]]


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**6))
def test_token_values_match_a_per_token_loop(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice("ab، .\nقلم") for _ in range(rng.randint(0, 60)))
    rows = 3
    spans: list[Span] = []
    for row in range(rows):
        pos = 0
        while pos < len(text):
            start = pos + rng.randint(0, 6)
            end = start + rng.randint(1, 6)
            if end > len(text):
                break
            spans.append(Span("d", str(row), start, end, rng.choice("xyz")))
            pos = end + rng.randint(0, 1)
    codes = {"x": 1, "y": 2, "z": 3}
    starts, ends = token_bounds(text)
    values = token_values(
        starts,
        ends,
        np.array([s.start for s in spans], dtype=np.int64),
        np.array([s.end for s in spans], dtype=np.int64),
        np.array([codes[s.label] for s in spans], dtype=np.int64),
        np.array([int(s.annotator) for s in spans], dtype=np.int64),
        rows,
    )
    names = {0: "O", **{v: k for k, v in codes.items()}}
    for row in range(rows):
        mine = [s for s in spans if s.annotator == str(row)]
        expected = [token_label(t.start, t.end, mine) for t in tokenize(text)]
        assert [names[v] for v in values[row].tolist()] == expected


def test_token_values_do_not_depend_on_span_order() -> None:
    rng = random.Random(5)
    text = " ".join("".join(rng.choice("abcdef") for _ in range(rng.randint(1, 9))) for _ in range(40))
    starts, ends = token_bounds(text)
    spans = []
    for row in range(2):
        pos = 0
        while pos < len(text) - 3:
            start = pos + rng.randint(0, 3)
            end = min(len(text), start + rng.randint(1, 5))
            spans.append((start, end, rng.randint(1, 3), row))
            pos = end

    def run(items: list) -> np.ndarray:
        cols = [np.array(c, dtype=np.int64) for c in zip(*items)]
        return token_values(starts, ends, cols[0], cols[1], cols[2], cols[3], 2)

    expected = run(spans)
    for _ in range(5):
        rng.shuffle(spans)
        assert (run(spans) == expected).all()
