"""A believable project for the report test and its screenshot: the bundled corpus, four annotators
working on a scripted clock with some disagreement, a gold layer on two articles."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import annotator.store.connection as store_module  # the store's clock
from annotator.importer import expand_paths, parse_files
from annotator.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
T0 = datetime(2026, 11, 23, 8, 30, tzinfo=timezone.utc)
LEXICON = {
    "داعش": "actor",
    "التحالف الدولي": "actor",
    "القيادة المركزية الأميركية": "actor",
    "القوات الأميركية": "actor",
    "الأنبار": "place",
    "العراق": "place",
    "سوريا": "place",
    "الفلوجة": "place",
    "بغداد": "place",
    "15 عنصراً": "figure",
    "2500 جندي": "figure",
    "F-35": "actor",
}
ANNOTATORS = {"ali": (0.05, 0.03), "mona": (0.15, 0.08), "sara": (0.25, 0.15), "omar": (0.1, 0.2)}
"""name → (chance to miss a mention, chance to give it another label)."""


def build(store: Store, monkeypatch: pytest.MonkeyPatch, seed: int = 7) -> None:
    """Fill an empty store (the store's clock is scripted through monkeypatch)."""
    files, _ = expand_paths([CORPUS])
    parsed = parse_files(files, store.labels())
    clock = {"t": 0.0}
    monkeypatch.setattr(
        store_module, "now", lambda: (T0 + timedelta(seconds=clock["t"])).isoformat(timespec="milliseconds")
    )
    store.import_batch(parsed.documents, [], user="lead")
    rng = random.Random(seed)
    mentions = {
        doc.id: sorted(
            {
                (m.start(), m.end(), label)
                for word, label in LEXICON.items()
                for m in re.finditer(re.escape(word), doc.text)
            }
        )
        for doc in parsed.documents
    }
    for n, name in enumerate(ANNOTATORS):
        miss, swap = ANNOTATORS[name]
        clock["t"] = n * 7.0
        docs = [doc.id for doc in parsed.documents]
        count = 5 if name != "omar" else 3
        for i, doc_id in enumerate(docs[:count]):
            last_end = -1
            for start, end, label in mentions[doc_id]:
                if start < last_end or rng.random() < miss:
                    continue
                if rng.random() < swap:
                    label = rng.choice([x for x in ("actor", "place", "figure") if x != label])
                clock["t"] += rng.uniform(6, 45)
                store.add_span(doc_id, name, start, end, label, user=name)
                last_end = end
            clock["t"] += rng.uniform(20, 90)
            if i < count - 1 or name == "ali":
                store.set_status(doc_id, name, "done", user=name)
            clock["t"] += rng.choice([30.0, 60.0, 900.0])
    for doc_id in [doc.id for doc in parsed.documents][:2]:
        clock["t"] += 60
        store.apply(doc_id, "gold", add=mentions[doc_id][:12], user="lead")
        store.set_status(doc_id, "gold", "adjudicated", user="lead")
