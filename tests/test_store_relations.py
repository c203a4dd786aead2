"""The relations table: link, unlink, one speaker per quote, the cascade with span removal, undo/redo, check."""

from __future__ import annotations

import json

import pytest

from annotator.errors import Conflict, NoSuchDocument, Refused
from annotator.model import Document, Relation, Span
from annotator.store import Store

TEXT = "قال السوداني إن «داعش خسر الأنبار» وأكد المتحدث ذلك."
SUDANI = (TEXT.index("السوداني"), TEXT.index("السوداني") + len("السوداني"))
QUOTE = (TEXT.index("داعش"), TEXT.index("»"))
DAESH = (TEXT.index("داعش"), TEXT.index("داعش") + len("داعش"))
SPOKESMAN = (TEXT.index("المتحدث"), TEXT.index("المتحدث") + len("المتحدث"))


@pytest.fixture
def layer(store: Store) -> dict[str, Span]:
    """ali's layer of one document: two actors outside the quote, one inside it, and the quote."""
    store.import_batch([Document("d1", "t", TEXT)], [], user="lead")
    made = {}
    for name, (start, end), label in (
        ("sudani", SUDANI, "actor"),
        ("quote", QUOTE, "quote"),
        ("daesh", DAESH, "actor"),
        ("spokesman", SPOKESMAN, "actor"),
    ):
        made[name] = store.add_span("d1", "ali", start, end, label, user="ali").added[0]
    return made


def rel(store: Store, annotator: str = "ali") -> list[tuple[int, int, str]]:
    return [(r.head_span_id, r.child_span_id, r.label) for r in store.relations("d1", annotator)]


def ids(*spans: Span) -> list[int]:
    return [span.id or 0 for span in spans]


def test_link_stores_one_event_and_says_what_it_linked(store: Store, layer: dict[str, Span]) -> None:
    quote, sudani = layer["quote"], layer["sudani"]
    edit = store.link("d1", "ali", quote.id or 0, sudani.id or 0, user="ali")
    [made] = edit.linked
    assert (made.head_span_id, made.child_span_id, made.label) == (quote.id, sudani.id, "speaker") and made.id
    assert edit.unlinked == () and edit.added == () and edit.removed == ()
    assert rel(store) == [(quote.id, sudani.id, "speaker")]
    assert store.all_relations("d1") == {"ali": [made]}
    event = store.events("d1")[-1]
    assert event["action"] == "link" and event["id"] == edit.event_id
    assert event["payload"]["link"] == [{"id": made.id, "head": quote.id, "child": sudani.id, "label": "speaker"}]
    assert store.can_undo("d1", "ali") == (True, False)
    assert store.check() == []


def test_linking_a_quote_with_a_speaker_replaces_it_and_undo_restores_it(store: Store, layer: dict[str, Span]) -> None:
    quote = layer["quote"].id or 0
    first = store.link("d1", "ali", quote, layer["sudani"].id or 0, user="ali").linked[0]
    edit = store.link("d1", "ali", quote, layer["spokesman"].id or 0, user="ali")
    assert edit.unlinked == (first,)
    assert rel(store) == [(quote, layer["spokesman"].id, "speaker")]
    undone = store.undo("d1", "ali", user="ali")
    assert undone is not None and undone.unlinked == edit.linked and undone.linked == (first,)
    assert store.relations("d1", "ali") == [first]  # the same relation, id included
    redone = store.redo("d1", "ali", user="ali")
    assert redone is not None and redone.linked == edit.linked and redone.unlinked == (first,)
    assert rel(store) == [(quote, layer["spokesman"].id, "speaker")]
    assert store.check() == []


def test_an_actor_may_speak_many_quotes(store: Store, layer: dict[str, Span]) -> None:
    second = store.add_span("d1", "ali", SPOKESMAN[1] + 1, len(TEXT) - 1, "quote", user="ali").added[0]
    store.link("d1", "ali", layer["quote"].id or 0, layer["sudani"].id or 0, user="ali")
    store.link("d1", "ali", second.id or 0, layer["sudani"].id or 0, user="ali")
    assert len(store.relations("d1", "ali")) == 2 and store.check() == []


def test_unlink_and_its_undo(store: Store, layer: dict[str, Span]) -> None:
    quote = layer["quote"].id or 0
    made = store.link("d1", "ali", quote, layer["sudani"].id or 0, user="ali").linked[0]
    edit = store.unlink("d1", "ali", quote, user="ali")
    assert edit.unlinked == (made,) and edit.linked == () and rel(store) == []
    assert store.events("d1")[-1]["action"] == "unlink"
    undone = store.undo("d1", "ali", user="ali")
    assert undone is not None and undone.linked == (made,) and store.relations("d1", "ali") == [made]
    undone = store.undo("d1", "ali", user="ali")  # the link itself
    assert undone is not None and undone.unlinked == (made,) and rel(store) == []
    with pytest.raises(Refused, match="has no speaker"):
        store.unlink("d1", "ali", quote, user="ali")
    assert store.check() == []


@pytest.mark.parametrize("remove", ["quote", "sudani"])
def test_removing_either_span_removes_its_relation_and_undo_restores_both(
    store: Store, layer: dict[str, Span], remove: str
) -> None:
    made = store.link("d1", "ali", layer["quote"].id or 0, layer["sudani"].id or 0, user="ali").linked[0]
    edit = store.remove_span("d1", "ali", layer[remove].id or 0, user="ali")
    assert edit.removed == (layer[remove],) and edit.unlinked == (made,)
    assert rel(store) == [] and store.check() == []
    undone = store.undo("d1", "ali", user="ali")
    assert undone is not None and undone.added == (layer[remove],) and undone.linked == (made,)
    assert store.relations("d1", "ali") == [made] and store.check() == []
    redone = store.redo("d1", "ali", user="ali")
    assert redone is not None and redone.removed == (layer[remove],) and redone.unlinked == (made,)
    assert rel(store) == [] and store.check() == []


def test_a_span_replacing_the_speaker_takes_the_link(store: Store, layer: dict[str, Span]) -> None:
    """Retagging the speaker (a new span over it in its layer) removes the old span, and so its link."""
    made = store.link("d1", "ali", layer["quote"].id or 0, layer["sudani"].id or 0, user="ali").linked[0]
    edit = store.add_span("d1", "ali", *SUDANI, "figure", user="ali")
    assert edit.removed == (layer["sudani"],) and edit.unlinked == (made,)
    undone = store.undo("d1", "ali", user="ali")
    assert undone is not None and undone.linked == (made,) and store.check() == []


def test_an_actor_inside_the_quote_stays_linked_when_the_quote_is_relinked(
    store: Store, layer: dict[str, Span]
) -> None:
    """The quote nests the actor (different layers): removing the actor leaves the quote and its other links alone."""
    quote = layer["quote"].id or 0
    store.link("d1", "ali", quote, layer["daesh"].id or 0, user="ali")
    edit = store.remove_span("d1", "ali", layer["sudani"].id or 0, user="ali")
    assert edit.unlinked == () and rel(store) == [(quote, layer["daesh"].id, "speaker")]


@pytest.mark.parametrize(
    ("head", "child", "message"),
    [
        ("sudani", "quote", "needs a 'quote' head and a 'actor' child"),
        ("quote", "quote", "needs a 'quote' head"),
        ("daesh", "sudani", "needs a 'quote' head"),
    ],
)
def test_link_refuses_wrong_ends(store: Store, layer: dict[str, Span], head: str, child: str, message: str) -> None:
    before = store.events("d1")
    with pytest.raises(Refused, match=message):
        store.link("d1", "ali", layer[head].id or 0, layer[child].id or 0, user="ali")
    assert store.events("d1") == before and rel(store) == []


def test_link_refuses_other_layers_unknown_labels_gone_spans_and_documents(
    store: Store, layer: dict[str, Span]
) -> None:
    omar = store.add_span("d1", "omar", *SUDANI, "actor", user="omar").added[0]
    quote = layer["quote"].id or 0
    with pytest.raises(Refused, match="is not a span of 'ali'"):
        store.link("d1", "ali", quote, omar.id or 0, user="ali")
    with pytest.raises(Refused, match="is not a span of 'omar'"):
        store.link("d1", "omar", quote, omar.id or 0, user="omar")
    with pytest.raises(Refused, match="unknown relation"):
        store.link("d1", "ali", quote, layer["sudani"].id or 0, user="ali", label="said")
    with pytest.raises(Conflict, match="no longer there"):
        store.link("d1", "ali", quote, 9999, user="ali")
    with pytest.raises(NoSuchDocument):
        store.link("nope", "ali", quote, layer["sudani"].id or 0, user="ali")
    store.link("d1", "ali", quote, layer["sudani"].id or 0, user="ali")
    with pytest.raises(Refused, match="already has that speaker"):
        store.link("d1", "ali", quote, layer["sudani"].id or 0, user="ali")
    assert len(store.relations("d1", "ali")) == 1 and store.check() == []


def test_two_annotators_are_isolated(store: Store, layer: dict[str, Span]) -> None:
    omar_quote = store.add_span("d1", "omar", *QUOTE, "quote", user="omar").added[0]
    omar_actor = store.add_span("d1", "omar", *SPOKESMAN, "actor", user="omar").added[0]
    store.link("d1", "ali", layer["quote"].id or 0, layer["sudani"].id or 0, user="ali")
    store.link("d1", "omar", omar_quote.id or 0, omar_actor.id or 0, user="omar")
    assert rel(store, "ali") == [(layer["quote"].id, layer["sudani"].id, "speaker")]
    assert rel(store, "omar") == [(omar_quote.id, omar_actor.id, "speaker")]
    undone = store.undo("d1", "omar", user="omar")  # omar's undo takes back omar's link only
    assert undone is not None and rel(store, "omar") == [] and len(rel(store, "ali")) == 1
    with pytest.raises(Refused, match="has no speaker"):
        store.unlink("d1", "omar", layer["quote"].id or 0, user="omar")  # ali's quote is not omar's
    assert set(store.all_relations("d1")) == {"ali"}
    assert store.check() == []


def test_undo_and_redo_walk_links_and_span_edits_in_order(store: Store, layer: dict[str, Span]) -> None:
    quote = layer["quote"].id or 0
    store.link("d1", "ali", quote, layer["sudani"].id or 0, user="ali")
    store.remove_span("d1", "ali", layer["sudani"].id or 0, user="ali")
    store.link("d1", "ali", quote, layer["spokesman"].id or 0, user="ali")
    states = [rel(store)]
    while store.undo("d1", "ali", user="ali") is not None:
        states.append(rel(store))
        assert store.check() == []
    assert states[:4] == [[(quote, layer["spokesman"].id, "speaker")], [], [(quote, layer["sudani"].id, "speaker")], []]
    while store.redo("d1", "ali", user="ali") is not None:
        assert store.check() == []
    assert rel(store) == states[0]


def test_check_proves_the_table_against_the_log(store: Store, layer: dict[str, Span]) -> None:
    made = store.link("d1", "ali", layer["quote"].id or 0, layer["sudani"].id or 0, user="ali").linked[0]
    assert store.check() == []
    store.conn.execute("UPDATE relations SET child_span_id = ? WHERE id = ?", (layer["spokesman"].id, made.id))
    store.conn.commit()
    problems = store.check()
    assert len(problems) == 1 and problems[0].startswith(f"event log: relation {made.id} is ")
    # a relation the schema does not allow (an actor head) is named by its id
    store.conn.execute(
        "UPDATE relations SET head_span_id = ?, child_span_id = ? WHERE id = ?",
        (layer["daesh"].id, layer["sudani"].id, made.id),
    )
    store.conn.commit()
    assert any(p.startswith(f"relation {made.id} (d1, ali) 'speaker': needs a 'quote' head") for p in store.check())


def test_a_span_cannot_leave_a_relation_behind(store: Store, layer: dict[str, Span]) -> None:
    """The foreign keys refuse a removal that forgot the relations (the database's own safety net)."""
    store.link("d1", "ali", layer["quote"].id or 0, layer["sudani"].id or 0, user="ali")
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("DELETE FROM spans WHERE id = ?", (layer["sudani"].id,))
    store.conn.rollback()


def test_import_writes_relations_over_new_and_present_spans(store: Store) -> None:
    store.import_batch([Document("d1", "t", TEXT)], [], user="lead")
    spans = [
        Span("d1", "ali", *SUDANI, "actor"),
        Span("d1", "ali", *QUOTE, "quote"),
        Span("d1", "ali", *SPOKESMAN, "actor"),
    ]
    result = store.import_batch([], spans[:2], relations=[Relation(1, 0, "speaker")], user="lead")
    assert (result.spans, result.relations) == (2, 1)
    stored = {(s.start, s.end): s.id for s in store.spans("d1", "ali")}
    assert rel(store) == [(stored[QUOTE], stored[SUDANI], "speaker")]
    event = store.events("d1")[-2]  # the import, then the status it sets
    assert event["action"] == "import" and len(event["payload"]["link"]) == 1
    again = store.import_batch([], spans[:2], relations=[Relation(1, 0, "speaker")], user="lead")
    assert (again.spans, again.relations) == (0, 0)  # the same file twice: nothing new
    store.add_span("d1", "ali", *SPOKESMAN, "actor", user="ali")
    with pytest.raises(Conflict, match="a span of 'ali' already has another speaker"):
        store.import_batch([], spans, relations=[Relation(1, 2, "speaker")], user="lead")
    assert len(store.relations("d1", "ali")) == 1 and store.check() == []


def test_undo_of_a_span_linked_by_an_import_takes_the_link(store: Store) -> None:
    """A relation made outside the undo stack (an import onto spans the annotator drew) goes with its span."""
    store.import_batch([Document("d1", "t", TEXT)], [], user="lead")
    store.add_span("d1", "ali", *SUDANI, "actor", user="ali")
    store.add_span("d1", "ali", *QUOTE, "quote", user="ali")
    spans = [Span("d1", "ali", *SUDANI, "actor"), Span("d1", "ali", *QUOTE, "quote")]
    assert store.import_batch([], spans, relations=[Relation(1, 0, "speaker")], user="lead").relations == 1
    undone = store.undo("d1", "ali", user="ali")  # the quote's creation
    assert undone is not None and len(undone.unlinked) == 1 and rel(store) == [] and store.check() == []


def test_link_payload_is_json_in_the_log(store: Store, layer: dict[str, Span]) -> None:
    edit = store.link("d1", "ali", layer["quote"].id or 0, layer["sudani"].id or 0, user="ali")
    payload = store.conn.execute("SELECT payload FROM events WHERE id = ?", (edit.event_id,)).fetchone()[0]
    assert set(json.loads(payload)) == {"add", "remove", "link"}
