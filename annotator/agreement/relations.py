"""Agreement on who said it: per pair of annotators, F1 of their (quote, speaker) pairs.

Only the quotes both annotated count: a quote of A is shared when B has the same quote (exact) or a
quote overlapping it (overlap); the pairs on the other quotes are span disagreements, measured by the
span F1 already. Over the shared quotes:
- exact: a pair of A matches a pair of B when both quotes and both speakers have the same offsets;
  F1 = 2·TP / (|A's pairs| + |B's pairs|).
- overlap: a pair matches when the quotes overlap and the speakers overlap; P = share of B's pairs
  matched by one of A's, R = share of A's pairs matched by one of B's, F1 = 2PR / (P + R).
A quote one annotator gave a speaker and the other did not is a pair without a match. F1 is None when
neither annotator has a pair on the shared quotes (nothing to agree on). Pure: no store, no numpy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from annotator.agreement.numbers import measure
from annotator.model import QUOTE_LAYER, SPEAKER, Relation, Span

Range = tuple[int, int]


@dataclass(frozen=True)
class Links:
    """One annotator's quotes in one document and the (quote, speaker) pairs among them."""

    quotes: tuple[Range, ...]
    pairs: tuple[tuple[Range, Range], ...]


def links_of(spans: Sequence[Span], relations: Sequence[Relation], quote_labels: Sequence[str] = ("quote",)) -> Links:
    """An annotator's Links in one document from its spans (with ids) and its relations over those ids."""
    by_id = {span.id: span for span in spans}
    quotes = tuple(sorted((s.start, s.end) for s in spans if s.label in quote_labels))
    pairs = []
    for relation in relations:
        head, child = by_id.get(relation.head_span_id), by_id.get(relation.child_span_id)
        if relation.label == SPEAKER and head is not None and child is not None:
            pairs.append(((head.start, head.end), (child.start, child.end)))
    return Links(quotes, tuple(sorted(pairs)))


def _overlaps(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass(frozen=True)
class Mode:
    """The counts and measures of one pair in one matching mode."""

    shared_quotes: int
    """A's quotes that B also has (exact) or overlaps (overlap)."""
    a_pairs: int
    b_pairs: int
    a_matched: int
    b_matched: int

    @property
    def precision(self) -> float | None:
        """Share of B's pairs matched by one of A's (None without pairs of B)."""
        return self.b_matched / self.b_pairs if self.b_pairs else None

    @property
    def recall(self) -> float | None:
        """Share of A's pairs matched by one of B's (None without pairs of A)."""
        return self.a_matched / self.a_pairs if self.a_pairs else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall; None when neither has a pair; 0 when one side has none."""
        if not self.a_pairs and not self.b_pairs:
            return None
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Mode) -> Mode:
        return Mode(*(x + y for x, y in zip(self.counts(), other.counts())))

    def counts(self) -> tuple[int, int, int, int, int]:
        """The five counts, in field order."""
        return self.shared_quotes, self.a_pairs, self.b_pairs, self.a_matched, self.b_matched


ZERO = Mode(0, 0, 0, 0, 0)


def compare(a: Links, b: Links, exact: bool) -> Mode:
    """A's and B's pairs over the quotes both annotated, matched exactly or by overlap."""
    same = (lambda x, y: x == y) if exact else _overlaps
    shared_a = [q for q in a.quotes if any(same(q, other) for other in b.quotes)]
    shared_b = [q for q in b.quotes if any(same(q, other) for other in a.quotes)]
    a_pairs = [(q, s) for q, s in a.pairs if q in shared_a]
    b_pairs = [(q, s) for q, s in b.pairs if q in shared_b]

    def matched(pairs: list[tuple[Range, Range]], others: list[tuple[Range, Range]]) -> int:
        return sum(1 for q, s in pairs if any(same(q, q2) and same(s, s2) for q2, s2 in others))

    if exact:  # exact matches are one to one: TP counts once on each side
        tp = len(set(a_pairs) & set(b_pairs))
        return Mode(len(shared_a), len(a_pairs), len(b_pairs), tp, tp)
    return Mode(len(shared_a), len(a_pairs), len(b_pairs), matched(a_pairs, b_pairs), matched(b_pairs, a_pairs))


@dataclass(frozen=True)
class PairAgreement:
    """Speaker agreement of annotators a and b over the documents both did."""

    a: str
    b: str
    documents: int
    exact: Mode
    overlap: Mode


def speaker_agreement(layers: Mapping[str, Mapping[str, Links]]) -> list[PairAgreement]:
    """Every pair of annotators (sorted by name): layers is annotator → document id → Links (the documents it did)."""
    results = []
    for a, b in combinations(sorted(layers), 2):
        both = sorted(set(layers[a]) & set(layers[b]))
        exact, overlap = ZERO, ZERO
        for document in both:
            exact += compare(layers[a][document], layers[b][document], exact=True)
            overlap += compare(layers[a][document], layers[b][document], exact=False)
        results.append(PairAgreement(a, b, len(both), exact, overlap))
    return results


def _mode_json(mode: Mode) -> dict[str, Any]:
    return {
        "shared_quotes": mode.shared_quotes,
        "a_pairs": mode.a_pairs,
        "b_pairs": mode.b_pairs,
        "a_matched": mode.a_matched,
        "b_matched": mode.b_matched,
        "precision": mode.precision,
        "recall": mode.recall,
        "f1": mode.f1,
    }


def speaker_json(results: Sequence[PairAgreement]) -> dict[str, Any]:
    """The `--json` entry: per pair its documents and, exact and overlap, counts, P, R and F1 (null: undefined)."""
    return {
        "relation": SPEAKER,
        "layer": QUOTE_LAYER,
        "pairs": [
            {
                "a": r.a,
                "b": r.b,
                "documents": r.documents,
                "exact": _mode_json(r.exact),
                "overlap": _mode_json(r.overlap),
            }
            for r in results
        ],
    }


def speaker_results(entry: dict[str, Any]) -> list[PairAgreement]:
    """The PairAgreement rows of a `speaker_json` entry (the report's JSON form read back, for the renderers)."""
    keys = ("shared_quotes", "a_pairs", "b_pairs", "a_matched", "b_matched")
    return [
        PairAgreement(
            p["a"], p["b"], p["documents"], Mode(*(p["exact"][k] for k in keys)), Mode(*(p["overlap"][k] for k in keys))
        )
        for p in entry["pairs"]
    ]


def _fmt(value: float | None) -> str:
    return measure(value)


SCOPE = (
    "speaker F1 — (quote, speaker) pairs over the quotes both annotated (exact: same offsets; "
    "overlap: overlapping quotes and speakers); – when neither gave a speaker there."
)


def speaker_table(results: Sequence[PairAgreement]) -> Any:
    """A Rich table of the text output: one row per pair (Rich loaded here: --json never needs it)."""
    from rich.table import Table

    table = Table(title="Who said it: speaker links", caption=SCOPE, caption_justify="left")
    table.add_column("pair")
    for name in ("documents", "shared quotes exact / overlap", "pairs A/B exact", "F1 exact", "F1 overlap"):
        table.add_column(name, justify="right")
    for r in results:
        table.add_row(
            f"{r.a} · {r.b}",
            str(r.documents),
            f"{r.exact.shared_quotes} / {r.overlap.shared_quotes}",
            f"{r.exact.a_pairs}/{r.exact.b_pairs}",
            _fmt(r.exact.f1),
            _fmt(r.overlap.f1),
        )
    return table
