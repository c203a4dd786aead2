"""Benchmark (on demand): the agreement report on 3 annotators × 200,000 tokens, against the
krippendorff package plus scikit-learn (and statsmodels) computing the coding measures on the same units.

    /work/venv/bin/python tests/benchmarks/bench_agreement.py [--store]
    /work/venv/bin/pytest tests/benchmarks/bench_agreement.py -q -s
"""

from __future__ import annotations

import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "agreement"))

from synthetic import generate  # noqa: E402

from annotator.agreement.coding import (  # noqa: E402
    binary_counts,
    category_counts,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
)
from annotator.agreement.data import AgreementData, build_data  # noqa: E402
from annotator.agreement.report import agreement_report, compute_report  # noqa: E402
from annotator.agreement.units import document_tokens, layer_values  # noqa: E402
from annotator.model import DEFAULT_LABELS  # noqa: E402

TOKENS = 200_000
ANNOTATORS = ("amal", "badr", "dina")


def best_of(runs: int, action: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of several runs (seconds) and the last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        began = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - began)
    return best, result


def corpus(tokens: int = TOKENS) -> tuple[AgreementData, Any]:
    """About `tokens` tokens in documents of 200-400 words, every document done by all three."""
    syn = generate(
        2024,
        n_docs=max(1, tokens // 320),
        words_per_doc=(200, 400),
        annotators=ANNOTATORS,
        noise=0.3,
        done_rate=1.0,
        density=0.15,
    )
    data = build_data(
        list(ANNOTATORS), [(d.id, d.title, d.text) for d in syn.documents], syn.done, syn.spans, DEFAULT_LABELS
    )
    return data, syn


def unit_values(data: AgreementData) -> dict[str, np.ndarray]:
    """Each layer's (annotators, tokens) values, the units both sides measure."""
    tokens = document_tokens(data.texts)
    return {layer: layer_values(tokens, data.spans[layer], data.done) for layer in data.layers}


def ours_coding(values: dict[str, np.ndarray], data: AgreementData) -> list[float | None]:
    """Our coding measures on given units: α, α per label, Cohen κ per pair, Fleiss κ."""
    out: list[float | None] = []
    for layer, v in values.items():
        categories = len(data.layers[layer]) + 1
        counts = category_counts(v, categories)
        out.append(krippendorff_alpha(counts))
        out += [krippendorff_alpha(binary_counts(counts, c)) for c in range(1, categories)]
        out += [cohen_kappa(v[i], v[j], categories) for i in range(len(v)) for j in range(i + 1, len(v))]
        out.append(fleiss_kappa(counts))
    return out


def theirs_coding(values: dict[str, np.ndarray], data: AgreementData) -> list[float | None]:
    """The same with krippendorff, scikit-learn and statsmodels."""
    import krippendorff
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import aggregate_raters
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    out: list[float | None] = []
    for layer, v in values.items():
        categories = len(data.layers[layer]) + 1
        reliability = np.where(v >= 0, v, np.nan).astype(float)
        out.append(krippendorff.alpha(reliability_data=reliability, level_of_measurement="nominal"))
        for c in range(1, categories):
            binary = np.where(v >= 0, (v == c).astype(float), np.nan)
            out.append(krippendorff.alpha(reliability_data=binary, level_of_measurement="nominal"))
        out += [cohen_kappa_score(v[i], v[j]) for i in range(len(v)) for j in range(i + 1, len(v))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out.append(sm_fleiss(aggregate_raters(v.T)[0]))
    return out


def measure(with_store: bool = False) -> dict[str, float]:
    """Run everything; returns the timings (seconds) and sizes."""
    data, syn = corpus()
    values = unit_values(data)
    n_tokens = next(iter(values.values())).shape[1]
    n_spans = sum(layer.size for layer in data.spans.values())
    report_s, _ = best_of(5, lambda: compute_report(data))
    by_doc_s, _ = best_of(3, lambda: compute_report(data, by_document=True))
    ours_s, ours = best_of(5, lambda: ours_coding(values, data))
    theirs_s, theirs = best_of(3, lambda: theirs_coding(values, data))
    assert np.allclose([x if x is not None else np.nan for x in ours], theirs, atol=1e-9, equal_nan=True)
    result = {
        "tokens": n_tokens,
        "documents": len(data.doc_ids),
        "spans": n_spans,
        "report": report_s,
        "report_by_document": by_doc_s,
        "ours_coding": ours_s,
        "theirs_coding": theirs_s,
    }
    if with_store:
        from annotator.store import Store

        with tempfile.TemporaryDirectory() as folder:
            with Store(Path(folder) / "bench.db") as store:
                store.import_batch(syn.documents, syn.spans, user="bench")
                result["report_from_store"], _ = best_of(3, lambda: agreement_report(store))
    return result


def table(result: dict[str, float]) -> str:
    """The figures as a plain table."""
    lines = [
        f"{len(ANNOTATORS)} annotators × {result['tokens']:,} tokens ({result['documents']} documents, "
        f"{result['spans']:,} spans)",
        f"{'what':<58}{'seconds':>10}{'ratio':>10}",
    ]
    theirs = result["theirs_coding"]
    rows = [
        ("krippendorff + sklearn + statsmodels: α, α/label, κ, Fleiss", theirs),
        ("ours, same measures on the same units", result["ours_coding"]),
        ("ours, whole report (tokens, units, F1, κ, α, α_u, confusion)", result["report"]),
        ("ours, whole report with --by-document", result["report_by_document"]),
    ]
    if "report_from_store" in result:
        rows.append(("ours, whole report read from SQLite", result["report_from_store"]))
    for name, seconds in rows:
        lines.append(f"{name:<58}{seconds:>10.3f}{theirs / seconds:>9.1f}×")
    return "\n".join(lines)


def test_agreement_benchmark() -> None:
    """The whole report under 1 s, and ≥ 5 × faster than krippendorff + sklearn on the same units."""
    result = measure()
    print()
    print(table(result))
    assert result["tokens"] >= TOKENS * 0.95
    assert result["report"] < 1.0
    assert result["theirs_coding"] / result["report"] >= 5.0


if __name__ == "__main__":
    print(table(measure(with_store="--store" in sys.argv)))
