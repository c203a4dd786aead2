"""Every measure of one layer over an AgreementData: pairs, whole-group coefficients, labels, confusion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.agreement.coding import (
    category_counts,
    cohen_kappa_from_confusion,
    confusion_by_group,
    fleiss_kappa,
    krippendorff_alpha,
    krippendorff_alpha_by_group,
    label_alpha,
)
from annotator.agreement.data import AgreementData, SpanArrays
from annotator.agreement.spans import SpanCounts, f1_exact, f1_overlap, span_counts
from annotator.agreement.unitizing import UnitizingResult, alpha_by_group, unitizing_alpha, unitizing_by_group
from annotator.agreement.units import Tokens, layer_values

O = "O"
"""The value of a token no span covers."""


def number(value: Any) -> float | None:
    """A JSON number: a float, or None for NaN / None."""
    if value is None:
        return None
    value = float(value)
    return None if np.isnan(value) else value


@dataclass
class LayerResult:
    """The report entry of one layer and the per-document figures behind --by-document."""

    entry: dict[str, Any]
    documents: SpanCounts
    """Span counts per document (summed over pairs and labels)."""
    alpha_by_document: np.ndarray | None
    """Krippendorff's α per document (NaN where undefined), when asked for."""


def pair_spans(spans: SpanArrays, rater: int, other: int, done: np.ndarray) -> SpanArrays:
    """The spans of one annotator on the documents another annotator also did."""
    return spans.select((spans.rater == rater) & done[spans.doc, other])


def unitizing_over(data: AgreementData, layer: str, documents: np.ndarray, raters: np.ndarray) -> UnitizingResult:
    """α_u of a layer over the given documents laid end to end, for the given annotators."""
    spans = data.spans[layer]
    lengths = data.lengths
    starts = np.zeros(len(data.doc_ids), dtype=np.int64)
    starts[documents] = np.concatenate(([0], np.cumsum(lengths[documents])[:-1])) if documents.size else []
    renumber = np.full(len(data.annotators), -1, dtype=np.int64)
    renumber[raters] = np.arange(raters.size)
    in_docs = np.zeros(len(data.doc_ids), dtype=bool)
    in_docs[documents] = True
    chosen = spans.select(in_docs[spans.doc] & (renumber[spans.rater] >= 0))
    return unitizing_alpha(
        renumber[chosen.rater],
        starts[chosen.doc] + chosen.start,
        starts[chosen.doc] + chosen.end,
        chosen.code - 1,
        int(raters.size),
        int(lengths[documents].sum()),
        len(data.layers[layer]),
    )


def measure_layer(data: AgreementData, layer: str, tokens: Tokens, per_document: bool = False) -> LayerResult:
    """Pairs (span F1, Cohen κ), Fleiss κ, Krippendorff α, α_u, per-label α and α_u, confusion of one layer."""
    labels = data.layers[layer]
    names = [O, *labels]
    n_categories = len(names)
    n_docs = len(data.doc_ids)
    n_raters = len(data.annotators)
    spans = data.spans[layer]
    values = layer_values(tokens, spans, data.done)
    counts = category_counts(values, n_categories)
    pairs: list[dict[str, Any]] = []
    confusion_total = np.zeros((n_categories, n_categories), dtype=np.int64)
    documents = SpanCounts(*(np.zeros(n_docs, dtype=np.int64) for _ in range(5)))
    for i in range(n_raters):
        for j in range(i + 1, n_raters):
            both = data.done[:, i] & data.done[:, j]
            confusion = confusion_by_group(values[i], values[j], n_categories)[0]
            confusion_total += confusion
            a, b = pair_spans(spans, i, j, data.done), pair_spans(spans, j, i, data.done)
            found = span_counts(a.doc, a.start, a.end, a.code, b.doc, b.start, b.end, b.code, n_docs, n_categories)
            documents = documents + found.total(axis=1)
            per_label = found.total(axis=0)
            whole = found.total()
            pairs.append(
                {
                    "a": data.annotators[i],
                    "b": data.annotators[j],
                    "documents": int(both.sum()),
                    "span_f1_exact": number(f1_exact(whole.exact, whole.a, whole.b)),
                    "span_f1_overlap": number(f1_overlap(whole.a_hit, whole.b_hit, whole.a, whole.b)),
                    "cohen_kappa": number(cohen_kappa_from_confusion(confusion)),
                    "labels": {
                        label: {
                            "span_f1_exact": number(f1_exact(per_label.exact[c], per_label.a[c], per_label.b[c])),
                            "span_f1_overlap": number(
                                f1_overlap(per_label.a_hit[c], per_label.b_hit[c], per_label.a[c], per_label.b[c])
                            ),
                        }
                        for c, label in enumerate(labels, start=1)
                    },
                }
            )
    complete: np.ndarray = np.asarray(data.done.all(axis=1))
    everyone = np.flatnonzero(complete)
    fleiss = None
    if n_raters >= 3 and everyone.size:
        fleiss = fleiss_kappa(counts[complete[tokens.doc]])
    unitizing = unitizing_over(data, layer, everyone, np.arange(n_raters))
    entry = {
        "pairs": pairs,
        "fleiss_kappa": number(fleiss),
        "krippendorff_alpha": number(krippendorff_alpha(counts)),
        "alpha_u": number(unitizing.alpha) if everyone.size else None,
        "labels": {
            label: {
                "krippendorff_alpha": number(label_alpha(counts, c)),
                "alpha_u": number(unitizing.category_alpha(c - 1)) if everyone.size else None,
            }
            for c, label in enumerate(labels, start=1)
        },
        "confusion": confusion_list(confusion_total, names),
    }
    alpha_by_document = krippendorff_alpha_by_group(counts, tokens.doc, n_docs) if per_document else None
    return LayerResult(entry, documents, alpha_by_document)


def confusion_list(confusion: np.ndarray, names: list[str]) -> list[dict[str, Any]]:
    """The non-zero cells where at least one side is not O, most frequent first."""
    found = sorted(
        (-int(confusion[x, y]), x, y)
        for x in range(len(names))
        for y in range(len(names))
        if (x or y) and confusion[x, y]
    )
    return [{"a_label": names[x], "b_label": names[y], "count": -count} for count, x, y in found]


def document_alpha_u(data: AgreementData, layer: str) -> list[float | None]:
    """α_u of each document on its own, over the annotators who did it."""
    spans = data.spans[layer]
    observed, expected, present = unitizing_by_group(
        spans.rater,
        spans.start,
        spans.end,
        spans.code - 1,
        spans.doc,
        data.lengths,
        data.done,
        len(data.layers[layer]),
    )
    return [number(value) for value in alpha_by_group(observed, expected, present)]
