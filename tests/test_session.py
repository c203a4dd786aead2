"""The session layer: spans around the cursor first, the rest later, no edit lost or doubled in between;
relabelling, selections of whole clusters and notes on spans that cut a word."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.model import Document, Span
from annotator.session import Outcome, Session
from annotator.store import Store
from annotator.text.clusters import clusterize

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


# -- relabelling, whole clusters, word cuts (issue 12) ----------------------------------------------------

NYT = "01-anbar-raid-nyt"


def _tagged(store: Store, document: Document, words: list[tuple[str, str]]) -> Session:
    """A session on document after tagging each (word, label) at its first occurrence."""
    for word, label in words:
        start = document.text.index(word)
        store.add_span(document.id, "ali", start, start + len(word), label, user="ali")
    return Session(store, "ali", store.document(document.id))


def test_label_key_on_a_span_relabels_the_whole_span(corpus_store: Store) -> None:
    """Cursor on the actor «نيويورك تايمز», no selection, `place`: the same offsets become a place."""
    document = corpus_store.document(NYT)
    session = _tagged(corpus_store, document, [("نيويورك تايمز", "actor")])
    start = document.text.index("نيويورك تايمز")
    end = start + len("نيويورك تايمز")
    session.cursor = start
    outcome = session.tag("place")
    assert outcome == Outcome("actor → place: «نيويورك تايمز»")
    assert _triples(corpus_store.spans(NYT, "ali")) == _triples(session.spans) == [(start, end, "place")]
    session.cursor = end - 1  # anywhere on the span
    assert session.tag("figure").message == "place → figure: «نيويورك تايمز»"
    assert session.undo().message == "undone: 1 added, 1 removed"  # one step each
    assert _triples(corpus_store.spans(NYT, "ali")) == [(start, end, "place")]


def test_label_key_on_a_span_that_has_it_writes_nothing(corpus_store: Store) -> None:
    document = corpus_store.document(NYT)
    session = _tagged(corpus_store, document, [("نيويورك تايمز", "actor")])
    session.cursor = document.text.index("تايمز")
    before = corpus_store.last_event_id(NYT, "ali")
    assert session.tag("actor") == Outcome("already actor: «نيويورك تايمز»")
    assert corpus_store.last_event_id(NYT, "ali") == before


def test_label_key_in_a_quote_without_an_entity_tags_the_word(corpus_store: Store) -> None:
    """Only a span of the label's own layer is relabelled: an entity inside a quote is tagged as before."""
    document = corpus_store.document(NYT)
    text = document.text
    quote_start = text.index("نيويورك") - 1
    session = _tagged(corpus_store, document, [])
    corpus_store.add_span(NYT, "ali", quote_start, quote_start + 40, "quote", user="ali")
    session.reload()
    session.cursor = text.index("تايمز")
    assert session.tag("actor").message == "actor: «تايمز» saved"
    start = text.index("تايمز")
    assert (start, start + len("تايمز"), "actor") in _triples(corpus_store.spans(NYT, "ali"))
    assert (quote_start, quote_start + 40, "quote") in _triples(corpus_store.spans(NYT, "ali"))


def test_selection_ending_on_a_letter_takes_its_tanween(corpus_store: Store) -> None:
    """The cursor on the alef of «عنصراً»: the selection still ends after the tanween drawn in its cell."""
    session = Session(corpus_store, "ali", corpus_store.document(NYT))
    text = session.text
    start = text.index("15 عنصراً")
    alef = text.index("\u064b", start) - 1
    session.anchor, session.cursor = start, alef
    assert session.selection == (start, alef + 2)
    outcome = session.tag("figure")
    assert outcome.message == "figure: «15 عنصراً» saved"
    assert _triples(corpus_store.spans(NYT, "ali")) == [(start, alef + 2, "figure")]


def test_tag_notes_a_span_that_cuts_a_word(store: Store) -> None:
    text = "هاجمت القوات العراقية والعراق أمس"
    store.import_batch([Document("w", "w", text)], [], user="lead")
    session = Session(store, "ali", store.document("w"))
    start = text.index("العراقية")
    session.anchor, session.cursor = start, start + len("العراق") - 1
    assert session.tag("place").message == "place: «العراق» saved — note: ends inside the word «العراقية»"
    start = text.index("عراقية")
    session.anchor, session.cursor = start, start + len("عراقية") - 1
    assert session.tag("place").message == (
        "place: «عراقية» saved, replacing 1 — note: starts inside the word «العراقية»"
    )
    start = text.index("العراق", text.index("والعراق"))  # «و» left outside: how the guidelines tag
    session.anchor, session.cursor = start, start + len("العراق") - 1
    assert session.tag("place").message == "place: «العراق» saved"


# Arabic letters with harakat, shadda, tanween, tatweel, ZWJ/ZWNJ, a bidi mark, spaces and newlines.
_PIECES = st.sampled_from(
    list("عنصرابلوفكمدية")
    + [
        "\u064b",
        "\u064c",
        "\u064e",
        "\u0650",
        "\u0651",
        "\u0652",
        "\u0640",
        "\u200d",
        "\u200c",
        "\u200f",
        " ",
        " ",
        "\n",
        "1",
        "5",
    ]
)


def _cells(text: str) -> list[tuple[int, int]]:
    """The cells the layout draws, as [start, end) offsets: each paragraph clusterized whole, a newline alone."""
    cells: list[tuple[int, int]] = []
    start = 0
    paragraphs = text.split("\n")
    for number, paragraph in enumerate(paragraphs):
        if paragraph:
            starts = clusterize(paragraph).starts
            cells += [(start + a, start + b) for a, b in zip(starts, [*starts[1:], len(paragraph)])]
        if number < len(paragraphs) - 1:
            cells.append((start + len(paragraph), start + len(paragraph) + 1))
        start += len(paragraph) + 1
    return cells


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, min_size=1, max_size=30).map("".join), st.data())
def test_selection_edges_are_cell_edges_and_cover_both_ends(store: Store, text: str, data: st.DataObject) -> None:
    doc_id = f"p{len(store.document_list())}"
    store.import_batch([Document(doc_id, doc_id, text)], [], user="lead")
    session = Session(store, "ali", store.document(doc_id))
    session.anchor = data.draw(st.integers(0, len(text) - 1), label="anchor")
    session.cursor = data.draw(st.integers(0, len(text) - 1), label="cursor")
    selection = session.selection
    assert selection is not None
    cells = _cells(text)
    edges = {a for a, _ in cells} | {len(text)}
    assert selection[0] in edges and selection[1] in edges
    for end in (session.anchor, session.cursor):
        cell = next(c for c in cells if c[0] <= end < c[1])
        assert selection[0] <= cell[0] and cell[1] <= selection[1]
    low, high = sorted((session.anchor, session.cursor))
    assert any(a <= low < b and a == selection[0] for a, b in cells)  # no more than the cells at both ends
    assert any(a <= high < b and b == selection[1] for a, b in cells)


def test_tagging_a_selection_that_is_already_exactly_that_span_writes_nothing(store: Store) -> None:
    """Found by the stateful test: it used to write a no-op edit, so the next `u` undid nothing visible."""
    store.import_batch([Document("r", "r", "داعش هاجم الأنبار")], [], user="lead")
    session = Session(store, "ali", store.document("r"))
    assert not session.tag("actor").error
    events = len(store.events("r"))
    assert not session.select_word().error
    outcome = session.tag("actor")
    assert outcome.message.startswith("already actor") and not outcome.error
    assert len(store.events("r")) == events and session.selection is None


def test_space_extends_over_quotation_marks_and_commas_to_the_next_word(store: Store) -> None:
    """Found in a team day: Space from «وكالة» took the quotation mark as the next word (a span «وكالة "»)."""
    text = 'نقلت وكالة "الأنباء" ، عن مصدر'
    store.import_batch([Document("q", "q", text)], [], user="lead")
    session = Session(store, "ali", store.document("q"))
    session.cursor = text.index("وكالة")
    assert not session.select_word().error
    assert session.selection == (text.index("وكالة"), text.index("وكالة") + len("وكالة"))
    assert not session.select_word().error  # over the opening mark: to the end of الأنباء
    assert session.selection == (text.index("وكالة"), text.index("الأنباء") + len("الأنباء"))
    assert not session.select_word().error  # over the closing mark and the comma: to عن
    assert session.selection == (text.index("وكالة"), text.index("عن") + len("عن"))
    session.cursor, session.anchor = text.index('"'), None  # on a mark itself, Space still selects it
    assert not session.select_word().error and session.selection == (text.index('"'), text.index('"') + 1)
