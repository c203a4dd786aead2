"""The session layer: spans around the cursor first, the rest later, and no edit lost or doubled in between."""

from __future__ import annotations

from annotator.model import Document, Span
from annotator.session import Session
from annotator.store import Store

WORD = "كلمة "


def _store_with_spread_spans(store: Store) -> Document:
    text = WORD * 20_000  # 100,000 characters
    doc = Document("big", "big", text)
    spans = [Span("big", "ali", i * len(WORD), i * len(WORD) + 4, "actor") for i in range(0, 20_000, 100)]
    spans.append(Span("big", "ali", 0, 60_000, "quote"))  # a long quote reaching into any window
    store.import_batch([doc], spans, user="lead")
    return doc


def _triples(spans: list[Span]) -> list[tuple[int, int, str]]:
    return sorted((s.start, s.end, s.label) for s in spans)


def test_window_loads_only_nearby_spans_including_a_long_quote(store: Store) -> None:
    doc = _store_with_spread_spans(store)
    session = Session(store, "ali", doc, window=(50_000, 51_000))
    assert not session.complete
    labels = [(s.start, s.label) for s in session.spans]
    assert (0, "quote") in labels  # starts far before the window but covers it
    assert all(s.label == "quote" or 49_000 < s.start < 52_000 for s in session.spans)
    assert len(session.spans) < 10


def test_edits_before_and_during_the_full_load_are_kept_once(store: Store) -> None:
    doc = _store_with_spread_spans(store)
    session = Session(store, "ali", doc, window=(50_000, 51_000))
    session.cursor = 50_005
    assert not session.tag("place").error  # before the full load
    layers, last_event = session.load_all()
    session.cursor = 50_505
    assert not session.tag("figure").error  # after the snapshot, before the swap
    session.finish_loading(layers, last_event)
    assert session.complete
    assert _triples(session.spans) == _triples(store.spans("big", "ali"))
    assert len(session.spans) == len({s.id for s in session.spans})


def test_full_session_equals_the_store(store: Store) -> None:
    doc = _store_with_spread_spans(store)
    session = Session(store, "ali", doc)
    assert session.complete and _triples(session.spans) == _triples(store.spans("big", "ali"))
    session.cursor = 2
    assert session.remove_here().message.startswith("removed actor")
    assert session.undo().message.startswith("undone")
    assert _triples(session.spans) == _triples(store.spans("big", "ali"))


def test_incremental_indexes_match_a_fresh_load_after_random_edits(store: Store) -> None:
    import random

    text = "قال السوداني إن داعش هاجم الأنبار وقتل 15 عنصراً من القوات " * 20
    store.import_batch([Document("r", "r", text)], [], user="lead")
    session = Session(store, "ali", store.document("r"))
    _ = session.spans  # build the text-order list, so later edits update it incrementally
    rng = random.Random(11)
    for _ in range(300):
        session.cursor = rng.randrange(len(text))
        session.anchor = rng.choice([None, max(0, session.cursor - rng.randrange(30))])
        action = rng.random()
        if action < 0.5:
            session.tag(rng.choice(["actor", "figure", "place", "quote"]))
        elif action < 0.7:
            session.remove_here()
        elif action < 0.85:
            session.undo()
        else:
            session.undo(redo=True)
        keys = [(s.start, -s.end) for s in session.spans]
        assert keys == sorted(keys)
    fresh = Session(store, "ali", store.document("r"))
    assert _triples(session.spans) == _triples(fresh.spans) == _triples(store.spans("r", "ali"))
    for layer, index in session.layers.items():
        assert [s.start for s in index.spans] == index.starts == sorted(index.starts)
        assert {s.id for s in index.spans} == {s.id for s in fresh.layers[layer].spans}
