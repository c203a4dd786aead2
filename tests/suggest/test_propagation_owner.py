"""`*` suggests in the propagating annotator's own unfinished articles only: another annotator never sees,
accepts or is counted against those suggestions (found on a three-annotator day: mona's `A` accepted ali's
propagations). `docs` and `stats` agree that a suggestion left in a finished article is no longer pending."""

from __future__ import annotations

from annotator.lead.data import read_stats
from annotator.model import Document
from annotator.propagation import propagate
from annotator.session import Session
from annotator.store import Store

FIRST = "هاجم داعش الأنبار أمس"
SECOND = "وأعلن داعش مسؤوليته عن الهجوم"


def open_session(store: Store, name: str, doc: str) -> Session:
    document = store.document(doc)
    assert document is not None
    session = Session(store, name, document)
    session.load_suggestions()
    return session


def test_a_propagation_is_offered_to_its_annotator_only(store: Store) -> None:
    store.import_batch([Document("a", "a", FIRST), Document("b", "b", SECOND)], [], user="lead")
    for name in ("mona", "sami"):  # both have the second article open before ali propagates
        open_session(store, name, "b")
        store.set_status("b", name, "in_progress", user=name)
    ali = open_session(store, "ali", "a")
    ali.cursor = FIRST.index("داعش")
    assert not ali.tag("actor").error
    ali.cursor = FIRST.index("داعش")
    outcome = propagate(ali)
    assert not outcome.error and "1 new suggestions in 1 other articles" in outcome.message
    assert [(s.source, SECOND[s.start : s.end]) for s in store.suggestions("b")] == [("propagate:ali", "داعش")]

    assert [SECOND[s.start : s.end] for s in open_session(store, "ali", "b").suggestions] == ["داعش"]
    mona = open_session(store, "mona", "b")
    assert mona.suggestions == []
    assert mona.accept_all().error and store.spans("b", "mona") == []  # A has nothing of ali's to take
    pending = store.pending_counts()["b"]
    assert pending["ali"] == 1 and pending["mona"] == 0 and pending["sami"] == 0
    store.set_status("b", "ali", "in_progress", user="ali")  # stats count a suggestion once its article is opened
    sources = read_stats(store, sources=True)["sources"]["propagate:ali"]
    assert sources["pending"] == 1 and sources["annotators"]["mona"] == {"accepted": 0, "rejected": 0, "pending": 0}


def test_a_suggestion_left_in_a_finished_article_is_not_pending_for_docs_nor_stats(store: Store) -> None:
    store.import_batch([Document("d", "d", FIRST)], [], user="lead")
    store.replace_suggestions("p", {"d": [(5, 9, "actor", None), (10, 17, "place", None)]}, ["d"])
    open_session(store, "ali", "d")
    store.set_status("d", "ali", "in_progress", user="ali")
    assert store.pending_counts()["d"]["ali"] == 2
    store.set_status("d", "ali", "done", user="ali")  # passed over both
    assert store.pending_counts()["d"]["ali"] == 0
    counted = read_stats(store, sources=True)["sources"]["p"]
    assert (counted["pending"], counted["rejected"]) == (0, 2)
