"""Choosing the annotators, the plain-language reading and the tables."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from annotator.agreement import AgreementError, agreement_report, reading
from annotator.agreement.data import choose_annotators
from annotator.agreement.render import render_report
from annotator.model import GOLD, Document, Span
from annotator.store import Store

TEXT = "قال السوداني إن داعش في الأنبار"


def fill(store: Store) -> None:
    docs = [Document("d1", "خبر", TEXT), Document("d2", "خبر آخر", TEXT)]
    store.import_batch(
        docs,
        [
            Span("d1", "a", 4, 12, "actor"),
            Span("d1", "b", 4, 12, "actor"),
            Span("d2", "a", 24, 31, "place"),
            Span("d2", "b", 26, 31, "place"),
        ],
        user="lead",
    )
    store.add_span("d1", "c", 0, 3, "actor", user="c")  # in progress only


def test_default_is_everyone_with_a_done_document(store: Store) -> None:
    fill(store)
    assert store.annotators() == ["a", "b", "c"]
    assert choose_annotators(store, None) == ["a", "b"]
    assert choose_annotators(store, ["b", "a", "b"]) == ["b", "a"]
    with pytest.raises(AgreementError, match="no done documents: c"):
        choose_annotators(store, ["a", "c"])
    with pytest.raises(AgreementError, match=r"unknown annotator gold \(known: a, b, c\)"):
        choose_annotators(store, ["a", GOLD])


def test_gold_can_be_named_once_it_has_adjudicated_documents(store: Store) -> None:
    fill(store)
    store.add_span("d1", GOLD, 4, 12, "actor", user="lead")
    store.set_status("d1", GOLD, "adjudicated", user="lead")
    report = agreement_report(store, ["a", GOLD])
    assert report["annotators"] == ["a", GOLD] and report["documents"] == 1
    assert report["layers"]["entity"]["pairs"][0]["span_f1_exact"] == 1.0


def test_reading_words_and_tables(store: Store) -> None:
    fill(store)
    report = agreement_report(store, by_document=True)
    lines = reading(report)
    assert "actor is reliable (α 1.00)." in lines
    assert "place boundaries disagree: overlap F1 1.00 but exact F1 0.00." in lines
    assert "figure was never tagged." in lines and "quote was never tagged." in lines
    out = io.StringIO()
    render_report(report, Console(file=out, width=120, color_system=None))
    text = out.getvalue()
    assert "Agreement of a, b on 2 documents done by at least two of them (2 done by both annotators)." in text
    assert "documents, worst first" in text and text.index("d2") < text.index("d1 ")
    assert "–" in text  # undefined measures shown as a dash
    for line in lines:
        assert line in text


def test_unreliable_and_tentative_wording() -> None:
    def entry(alpha: float) -> dict:
        return {
            "pairs": [],
            "labels": {"x": {"krippendorff_alpha": alpha, "alpha_u": None}},
            "confusion": [],
            "fleiss_kappa": None,
            "krippendorff_alpha": alpha,
            "alpha_u": None,
        }

    for alpha, word in ((0.5, "unreliable"), (0.7, "tentative"), (0.8, "reliable")):
        report = {"annotators": ["a", "b"], "documents": 1, "layers": {"l": entry(alpha)}}
        assert reading(report) == [f"x is {word} (α {alpha:.2f})."]
