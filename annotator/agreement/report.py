"""The agreement report: the result dict of `annotator agreement --json`, document ranking, a plain reading."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from annotator.agreement.data import AgreementData, choose_annotators, load_data
from annotator.agreement.measures import LayerResult, document_alpha_u, measure_layer, number
from annotator.agreement.numbers import measure
from annotator.agreement.relations import Links, speaker_agreement, speaker_json
from annotator.agreement.spans import SpanCounts, f1_exact, f1_overlap
from annotator.agreement.units import Tokens, document_tokens
from annotator.model import QUOTE_LAYER, RELATION_TYPES, SPEAKER, Span
from annotator.store import Store

RELIABLE = 0.8
TENTATIVE = 0.667
"""Krippendorff's conventional thresholds for α: rely on ≥ 0.8, draw tentative conclusions ≥ 0.667."""
BOUNDARY_GAP = 0.1
"""Overlap F1 this much above exact F1 means the annotators find the same things but cut them differently."""


UNITS = {
    "tokens": "whole-word tokens (the tokenizer's, no cut at span edges); a token takes the label of the span "
    "covering most of its characters (the first on a tie), O when none covers it",
    "spans": "spans of the layer: exact when start, end and label are equal; overlap when they share a "
    "character and the label",
    "characters": "the documents' characters laid end to end, each annotator's spans of a label as units "
    "on that continuum",
}
"""What each unit of the report is (the README's agreement section says the same)."""

PER_LABEL = "each label against all the others of its layer (a two-category measure)"


def scope_of(data: AgreementData, tokens: Tokens) -> dict[str, Any]:
    """What each measure of a layer was computed on: documents, annotators, units (the same for every layer)."""
    names = list(data.annotators)
    everyone: np.ndarray = np.asarray(data.done.all(axis=1), dtype=bool)
    complete_tokens = int(everyone[tokens.doc].sum()) if tokens.doc.size else 0
    complete_chars = int(data.lengths[everyone].sum())
    on_all = {"documents": int(everyone.sum()), "annotators": names}
    return {
        "span_f1": {"documents": "per pair: the documents both did", "annotators": "each pair", "units": "spans"},
        "cohen_kappa": {"documents": "per pair: the documents both did", "annotators": "each pair", "units": "tokens"},
        "fleiss_kappa": {
            **on_all,
            "units": "tokens",
            "unit_count": complete_tokens,
            "note": "only the documents every annotator did; needs three or more annotators",
        },
        "krippendorff_alpha": {
            "documents": len(data.doc_ids),
            "annotators": names,
            "units": "tokens",
            "unit_count": int(tokens.doc.size),
            "note": "an annotator who did not do a document is missing data there",
        },
        "alpha_u": {
            **on_all,
            "units": "characters",
            "unit_count": complete_chars,
            "note": "only the documents every annotator did",
        },
        "labels": PER_LABEL + ": α on the tokens of krippendorff_alpha, α_u on the documents of alpha_u",
        "confusion": {"documents": "per pair: the documents both did, summed over the pairs", "units": "tokens"},
    }


def compute_report(data: AgreementData, by_document: bool = False) -> dict[str, Any]:
    """The report dict of already loaded data."""
    tokens = document_tokens(data.texts)
    results = {layer: measure_layer(data, layer, tokens, per_document=by_document) for layer in data.layers}
    scope = scope_of(data, tokens)
    report: dict[str, Any] = {
        "annotators": list(data.annotators),
        "documents": len(data.doc_ids),
        "layers": {layer: {**result.entry, "scope": scope} for layer, result in results.items()},
        "complete_documents": scope["alpha_u"]["documents"],
        "units": UNITS,
    }
    if by_document:
        report["by_document"] = document_entries(data, results)
    return report


def agreement_report(
    store: Store, annotators: Sequence[str] | None = None, by_document: bool = False
) -> dict[str, Any]:
    """The agreement report of the store (AgreementError when the annotators cannot be compared), with the
    speaker agreement of the same documents under `speaker`."""
    chosen = choose_annotators(store, annotators)
    data = load_data(store, chosen)
    report = compute_report(data, by_document=by_document)
    report["speaker"] = speaker_json(speaker_agreement(speaker_links(data, store.relation_spans(chosen))))
    return report


def speaker_links(
    data: AgreementData, relations: Sequence[tuple[str, str, str, Span, Span]]
) -> dict[str, dict[str, Links]]:
    """annotator → document → Links, over the report's documents each annotator did: quotes from the data's
    spans, (quote, speaker) pairs from the relations (document, annotator, label, head span, child span)."""
    kind = next(k for k in RELATION_TYPES if k.name == SPEAKER)
    quotes: dict[tuple[int, int], list[tuple[int, int]]] = {}
    arrays = data.spans.get(QUOTE_LAYER)
    names = data.layers.get(QUOTE_LAYER, [])
    if arrays is not None and kind.head_label in names:
        code = names.index(kind.head_label) + 1
        for d, r, start, end, c in zip(arrays.doc, arrays.rater, arrays.start, arrays.end, arrays.code):
            if c == code:
                quotes.setdefault((int(d), int(r)), []).append((int(start), int(end)))
    doc_index = {doc_id: d for d, doc_id in enumerate(data.doc_ids)}
    pairs: dict[tuple[int, int], list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    for doc_id, name, label, head, child in relations:
        d = doc_index.get(doc_id)
        if label == SPEAKER and d is not None and name in data.annotators:
            pairs.setdefault((d, data.annotators.index(name)), []).append(
                ((head.start, head.end), (child.start, child.end))
            )
    return {
        name: {
            doc_id: Links(tuple(sorted(quotes.get((d, r), []))), tuple(sorted(pairs.get((d, r), []))))
            for d, doc_id in enumerate(data.doc_ids)
            if data.done[d, r]
        }
        for r, name in enumerate(data.annotators)
    }


def _scores(results: dict[str, LayerResult], n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Per document: pooled exact span F1 over pairs and layers (1 with no spans), and disagreeing spans."""
    pooled = SpanCounts(*(np.zeros(n_docs, dtype=np.int64) for _ in range(5)))
    for result in results.values():
        pooled = pooled + result.documents
    total = pooled.a + pooled.b
    score = np.where(total > 0, f1_exact(pooled.exact, pooled.a, pooled.b), 1.0)
    return np.nan_to_num(score, nan=1.0), total - 2 * pooled.exact


def _ranking(score: np.ndarray, disagreeing: np.ndarray) -> np.ndarray:
    """Document indices worst first: lowest score, then most disagreeing spans, then corpus order."""
    return np.lexsort((np.arange(score.size), -disagreeing, score))


def document_entries(data: AgreementData, results: dict[str, LayerResult]) -> list[dict[str, Any]]:
    """Each document's measures, worst first."""
    score, disagreeing = _scores(results, len(data.doc_ids))
    alpha_u = {layer: document_alpha_u(data, layer) for layer in results}
    entries = []
    for d in _ranking(score, disagreeing):
        layers = {}
        for layer, result in results.items():
            counts = SpanCounts(
                *(
                    x[d]
                    for x in (
                        result.documents.a,
                        result.documents.b,
                        result.documents.exact,
                        result.documents.a_hit,
                        result.documents.b_hit,
                    )
                )
            )
            layers[layer] = {
                "span_f1_exact": number(f1_exact(counts.exact, counts.a, counts.b)),
                "span_f1_overlap": number(f1_overlap(counts.a_hit, counts.b_hit, counts.a, counts.b)),
                "krippendorff_alpha": number(result.alpha_by_document[d])
                if result.alpha_by_document is not None
                else None,
                "alpha_u": alpha_u[layer][d],
            }
        entries.append(
            {
                "document": data.doc_ids[d],
                "title": data.titles[d],
                "annotators": [name for name, did in zip(data.annotators, data.done[d]) if did],
                "score": float(score[d]),
                "disagreeing_spans": int(disagreeing[d]),
                "layers": layers,
            }
        )
    return entries


def document_scores(store: Store, annotators: Sequence[str] | None = None) -> list[tuple[str, float]]:
    """(document id, score) worst first; score = exact span F1 pooled over pairs and layers, 1.0 when nobody disagrees.

    Covers the documents at least two of the annotators (default: all with done documents) did.
    """
    data = load_data(store, choose_annotators(store, annotators))
    tokens = document_tokens(data.texts)
    results = {layer: measure_layer(data, layer, tokens) for layer in data.layers}
    score, disagreeing = _scores(results, len(data.doc_ids))
    # A quote's speaker is a disagreement like a span's: its links join the pooled F1 and the count.
    span_counts = SpanCounts(*(np.zeros(len(data.doc_ids), dtype=np.int64) for _ in range(5)))
    for result in results.values():
        span_counts = span_counts + result.documents
    found, agreed = _speaker_counts(store, data)
    found_all = span_counts.a + span_counts.b + found
    agreed_all = 2 * span_counts.exact + agreed
    score = np.where(found_all > 0, agreed_all / np.maximum(found_all, 1), 1.0)
    disagreeing = found_all - agreed_all
    return [(data.doc_ids[d], float(score[d])) for d in _ranking(score, disagreeing)]


def _speaker_counts(store: Store, data: AgreementData) -> tuple[np.ndarray, np.ndarray]:
    """Per document, pooled over the pairs who both did it: speaker links found (A's + B's) and agreed (2 × shared)."""
    n = len(data.doc_ids)
    found, agreed = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    index = {doc_id: d for d, doc_id in enumerate(data.doc_ids)}
    links: dict[tuple[int, int], set[tuple[int, int, int, int, str]]] = {}
    for doc_id, name, label, head, child in store.relation_spans(data.annotators):
        if label == SPEAKER and doc_id in index:
            key = (index[doc_id], data.annotators.index(name))
            links.setdefault(key, set()).add((head.start, head.end, child.start, child.end, child.label))
    for d in range(n):
        did = [r for r in range(len(data.annotators)) if data.done[d, r]]
        for i, a in enumerate(did):
            for b in did[i + 1 :]:
                mine, theirs = links.get((d, a), set()), links.get((d, b), set())
                found[d] += len(mine) + len(theirs)
                agreed[d] += 2 * len(mine & theirs)
    return found, agreed


def _mean(values: list[float | None]) -> float | None:
    """The mean of the known values, None when there are none."""
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _verdict(alpha: float) -> str:
    """Krippendorff's wording for an α."""
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "unreliable"


def _least_line(layer: str, rated: list[dict[str, Any]]) -> str:
    """Which pairs agree least, as their κ reads (two decimals); when every pair reads the same, say so."""
    shown = {id(p): measure(p["cohen_kappa"]) for p in rated}
    lowest = min(rated, key=lambda p: p["cohen_kappa"])
    least = [p for p in rated if shown[id(p)] == shown[id(lowest)]]
    if len(least) == len(rated):
        return f"{layer}: every pair agrees equally (κ {shown[id(lowest)]})."
    names = ", ".join(f"{p['a']} and {p['b']}" for p in least)
    which = "the pair agreeing least is" if len(least) == 1 else "the pairs agreeing least are"
    return f"{layer}: {which} {names} (κ {shown[id(lowest)]})."


def reading(report: dict[str, Any]) -> list[str]:
    """A short plain-language reading of a report, one sentence a line."""
    if report["documents"] == 0:
        return [
            f"No document was marked done by at least two of {', '.join(report['annotators'])}: nothing to compare."
        ]
    lines: list[str] = []
    for layer, entry in report["layers"].items():
        pairs = entry["pairs"]
        for label, measures in entry["labels"].items():
            alpha = measures["krippendorff_alpha"]
            exact = _mean([p["labels"][label]["span_f1_exact"] for p in pairs])
            overlap = _mean([p["labels"][label]["span_f1_overlap"] for p in pairs])
            if alpha is None and exact is None:
                lines.append(f"{label} was never tagged.")
                continue
            if alpha is not None:
                lines.append(f"{label} is {_verdict(alpha)} (α {measure(alpha)}).")
            if exact is not None and overlap is not None and overlap - exact >= BOUNDARY_GAP:
                lines.append(
                    f"{label} boundaries disagree: overlap F1 {measure(overlap)} but exact F1 {measure(exact)}."
                )
        mixed: dict[tuple[str, str], int] = {}
        for cell in entry["confusion"]:
            low, high = sorted((cell["a_label"], cell["b_label"]))
            if "O" not in (low, high) and low != high:
                mixed[(low, high)] = mixed.get((low, high), 0) + cell["count"]
        if mixed:
            (first, second), count = max(mixed.items(), key=lambda item: (item[1], item[0]))
            lines.append(f"{first} and {second} are confused on {count} token{'s' if count != 1 else ''}.")
        rated = [p for p in pairs if p["cohen_kappa"] is not None]
        if len(rated) > 1:
            lines.append(_least_line(layer, rated))
    return lines
