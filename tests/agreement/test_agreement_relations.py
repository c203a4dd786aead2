"""Speaker agreement (issue 20) against a small case computed by hand."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from annotator.agreement.relations import Links, compare, links_of, speaker_agreement, speaker_json, speaker_table
from annotator.model import Relation, Span

Q1, Q2, Q2B, Q3, Q4 = (10, 20), (30, 40), (31, 40), (50, 60), (70, 80)
S1, S2, S2B, S3, S4, S5 = (0, 5), (41, 45), (42, 45), (61, 65), (81, 85), (22, 28)

# d1: A and B share Q1 exactly (different speakers), Q2 only by overlap (overlapping speakers);
#     Q3 is only A's and Q4 only B's, so their pairs do not count.
# d2: both have (0,10)→(12,15); both have (20,30), only A gave it a speaker.
# d3: only A did it.
A = {
    "d1": Links((Q1, Q2, Q3), ((Q1, S1), (Q2, S2), (Q3, S3))),
    "d2": Links(((0, 10), (20, 30)), (((0, 10), (12, 15)), ((20, 30), (32, 35)))),
    "d3": Links(((0, 10),), (((0, 10), (12, 15)),)),
}
B = {
    "d1": Links((Q1, Q2B, Q4), ((Q1, S5), (Q2B, S2B), (Q4, S4))),
    "d2": Links(((0, 10), (20, 30)), (((0, 10), (12, 15)),)),
}


def test_hand_computed_pair() -> None:
    [result] = speaker_agreement({"a": A, "b": B})
    assert (result.a, result.b, result.documents) == ("a", "b", 2)
    # exact: shared quotes Q1 (d1), both of d2 = 3; A's pairs on them 3, B's 2; only d2's first pair matches
    assert result.exact.counts() == (3, 3, 2, 1, 1)
    assert result.exact.f1 == pytest.approx(2 * 1 / (3 + 2))  # 0.4
    # overlap: shared Q1, Q2 (d1) and both of d2 = 4; A 4 pairs, B 3; matched: (Q2,S2)~(Q2B,S2B) and d2's first
    assert result.overlap.counts() == (4, 4, 3, 2, 2)
    p, r = 2 / 3, 2 / 4
    assert result.overlap.precision == pytest.approx(p) and result.overlap.recall == pytest.approx(r)
    assert result.overlap.f1 == pytest.approx(2 * p * r / (p + r))  # 4/7


def test_undefined_and_perfect() -> None:
    same = compare(A["d2"], A["d2"], exact=True)
    assert same.f1 == 1.0
    nobody = compare(Links(((0, 10),), ()), Links(((0, 10),), ()), exact=False)
    assert nobody.f1 is None and nobody.shared_quotes == 1
    one_sided = compare(Links(((0, 10),), (((0, 10), (12, 15)),)), Links(((0, 10),), ()), exact=True)
    assert one_sided.f1 == 0.0
    [pair] = speaker_agreement({"a": A, "c": {"d9": Links((), ())}})
    assert pair.documents == 0 and pair.exact.f1 is None


def test_links_from_spans_and_relations() -> None:
    spans = [Span("d", "a", *Q1, "quote", 1), Span("d", "a", *S1, "actor", 2), Span("d", "a", *Q2, "quote", 3)]
    links = links_of(spans, [Relation(1, 2, "speaker")])
    assert links == Links((Q1, Q2), ((Q1, S1),))


def test_renderers() -> None:
    results = speaker_agreement({"a": A, "b": B})
    data = speaker_json(results)
    json.dumps(data)  # serialisable as it is
    [pair] = data["pairs"]
    assert pair["exact"]["f1"] == pytest.approx(0.4) and pair["overlap"]["a_matched"] == 2
    out = io.StringIO()
    Console(file=out, width=120, color_system=None).print(speaker_table(results))
    text = out.getvalue()
    assert "a · b" in text and "0.40" in text and "0.57" in text and "3 / 4" in text
