"""The review order counts a disagreement on a quote's speaker like a span disagreement."""

from __future__ import annotations

from pathlib import Path

from annotator.agreement import document_scores
from annotator.model import Document, Span
from annotator.store import Store

TEXT = "قال السوداني إن داعش في الأنبار"


def test_speaker_only_disagreement_ranks_before_full_agreement(db_path: Path) -> None:
    docs = [Document(f"d{i}", f"t{i}", TEXT) for i in range(2)]
    # Both documents: the same quote and the same two actors for a and b; only d1's speakers differ.
    spans = [
        Span(doc, name, start, end, label)
        for doc in ("d0", "d1")
        for name in ("a", "b")
        for start, end, label in ((0, 3, "actor"), (4, 12, "actor"), (13, 31, "quote"))
    ]
    with Store(db_path) as store:
        store.import_batch(docs, spans, user="lead")
        for doc, name, speaker in (("d0", "a", 4), ("d0", "b", 4), ("d1", "a", 4), ("d1", "b", 0)):
            by_start = {s.start: s for s in store.spans(doc, name)}
            store.link(doc, name, by_start[13].id, by_start[speaker].id, user=name)  # type: ignore[arg-type]  # ids are set once stored
        ranked = document_scores(store)
    assert [doc for doc, _ in ranked] == ["d1", "d0"]
    scores = dict(ranked)
    assert scores["d0"] == 1.0
    # d1: 3 spans each, all shared (6 found, 6 agreed), plus 1 link each, none shared: 6 / 8.
    assert abs(scores["d1"] - 6 / 8) < 1e-9
