"""Issue 20 in the session: speaker links through the store's undoable events, the in-memory relations kept
from the write results only (a link, an unlink, a cascade, their undo and redo, a huge article's replay)."""

from __future__ import annotations

from annotator.model import SPEAKER, Document, Span
from annotator.session import Session
from annotator.store import Store

TEXT = "قال السوداني إن داعش هاجم الأنبار وقتل 15 عنصراً"


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def open_session(store: Store, window: tuple[int, int] | None = None) -> Session:
    doc = Document("d", "t", TEXT)
    store.import_batch(
        [doc],
        [
            Span("d", "ali", *at("هاجم الأنبار"), "quote"),
            Span("d", "ali", *at("السوداني"), "actor"),
            Span("d", "ali", *at("داعش"), "actor"),
        ],
        user="lead",
    )
    return Session(store, "ali", doc, window=window)


def pairs(session: Session) -> list[tuple[str, str]]:
    """The session's links as (quote text, speaker text); the store must hold the same."""
    by_id = {s.id: s for s in session.spans}
    mine = [
        (
            TEXT[by_id[r.head_span_id].start : by_id[r.head_span_id].end],
            TEXT[by_id[r.child_span_id].start : by_id[r.child_span_id].end],
        )
        for r in session.relations
    ]
    stored = [(r.head_span_id, r.child_span_id, r.label, r.id) for r in session.store.relations("d", "ali")]
    assert [(r.head_span_id, r.child_span_id, r.label, r.id) for r in session.relations] == stored
    return mine


def test_candidates_nearest_first_link_replace_unlink_undo_redo(store: Store) -> None:
    session = open_session(store)
    quote = session.quote_at(TEXT.index("الأنبار"))
    assert quote is not None and session.quote_at(TEXT.index("قال")) is None
    near, far = session.speaker_candidates(quote)
    assert (TEXT[near.start : near.end], TEXT[far.start : far.end]) == ("داعش", "السوداني")
    assert session.span_word(quote) == "quote ← no speaker"
    assert not session.link_speaker(quote, far).error
    assert pairs(session) == [("هاجم الأنبار", "السوداني")]
    outcome = session.link_speaker(quote, near)  # one speaker per quote: replaced in the same step
    assert "replaced" in outcome.message and pairs(session) == [("هاجم الأنبار", "داعش")]
    assert session.span_word(quote) == "quote ← «داعش»"
    session.cursor = quote.start + 1
    assert not session.unlink_here().error and pairs(session) == []
    assert session.unlink_here().error  # nothing left to remove: says so
    for redo, expected in (
        (False, [("هاجم الأنبار", "داعش")]),
        (False, [("هاجم الأنبار", "السوداني")]),
        (True, [("هاجم الأنبار", "داعش")]),
        (True, []),
    ):
        session.cursor = 0
        outcome = session.undo(redo=redo)
        assert not outcome.error, outcome.message
        assert pairs(session) == expected
        assert session.cursor == quote.start  # the cursor goes to the quote whose link moved


def test_removing_the_speaker_cascades_and_undo_restores_it(store: Store) -> None:
    session = open_session(store)
    quote = session.quote_at(TEXT.index("الأنبار"))
    assert quote is not None
    actor = session.speaker_candidates(quote)[0]
    session.link_speaker(quote, actor)
    session.cursor = actor.start
    assert not session.remove_here().error
    assert pairs(session) == [] and session.speakers() == {}
    session.undo()
    assert pairs(session) == [("هاجم الأنبار", "داعش")]
    assert session.speakers() == {quote.id: actor}


def test_a_link_made_while_a_huge_article_loads_is_kept_once(store: Store) -> None:
    session = open_session(store, window=(0, len(TEXT)))
    assert not session.complete
    quote = session.quote_at(TEXT.index("الأنبار"))
    assert quote is not None
    session.link_speaker(quote, session.speaker_candidates(quote)[0])
    layers, last_event = session.load_all()
    session.finish_loading(layers, last_event - 1)  # the snapshot did not see the link: it is replayed
    assert [r.label for r in session.relations] == [SPEAKER]
    assert pairs(session) == [("هاجم الأنبار", "داعش")]
