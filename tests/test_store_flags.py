"""Flags on the store: raise, edit, clear, resolve, the lists, the check, and the assignments' queries."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.errors import NoSuchDocument, Refused
from annotator.model import Document
from annotator.store import Store

TEXT = "قال السوداني إن داعش هاجم الأنبار"


@pytest.fixture
def store(db_path: Path) -> Store:
    """Two articles."""
    with Store(db_path) as opened:
        opened.import_batch([Document("d1", "t", TEXT), Document("d2", "t", TEXT)], [], user="lead")
        yield opened


def test_flag_the_article_and_a_span_then_edit_clear_and_resolve(store: Store) -> None:
    article = store.set_flag("d1", "ali", None, "  is this\nnews?  ", user="ali")
    assert (article.on_article, article.note, article.resolved) == (True, "is this news?", None)
    span = store.set_flag("d1", "ali", (4, 12), "", user="ali")  # a bare flag
    assert (span.start, span.end, span.note, span.on_article) == (4, 12, "", False)
    edited = store.set_flag("d1", "ali", (4, 12), "actor or place?", user="ali")
    assert edited.id == span.id and edited.note == "actor or place?" and edited.created == span.created
    assert [f.id for f in store.flags(document_id="d1")] == [article.id, span.id]
    assert store.open_flag_counts() == {"d1": 2} and store.open_flag_counts("mona") == {}
    store.clear_flag(span.id, "ali")
    assert [f.id for f in store.flags()] == [article.id]
    done = store.resolve_flag(article.id, user="lead")
    assert done.resolved is not None and done.resolved_by == "lead"
    assert store.flags(open_only=True) == [] and store.open_flag_counts() == {}
    again = store.set_flag("d1", "ali", None, "still unsure", user="ali")  # a resolved flag is not reopened
    assert again.id != article.id and len(store.flags()) == 2
    assert store.check() == []


def test_refusals(store: Store) -> None:
    with pytest.raises(Refused, match="outside the text"):
        store.set_flag("d1", "ali", (4, len(TEXT) + 1), "", user="ali")
    with pytest.raises(NoSuchDocument):
        store.set_flag("nope", "ali", None, "", user="ali")
    flag = store.set_flag("d1", "ali", None, "", user="ali")
    with pytest.raises(Refused, match="not an open flag of mona"):
        store.clear_flag(flag.id, "mona")
    store.resolve_flag(flag.id, user="lead")
    with pytest.raises(Refused, match="resolved already"):
        store.resolve_flag(flag.id, user="lead")
    with pytest.raises(Refused, match="no flag 99"):
        store.resolve_flag(99, user="lead")
    with pytest.raises(Refused):
        store.clear_flag(flag.id, "ali")  # resolved: the lead's record stays
    assert store.flags() != [] and store.check() == []


def test_check_reports_a_flag_past_its_text_and_a_half_resolved_one(store: Store, db_path: Path) -> None:
    flag = store.set_flag("d2", "ali", (0, 3), "x", user="ali")
    conn = sqlite3.connect(db_path)
    conn.execute('UPDATE flags SET "end" = 999, resolved_by = ? WHERE id = ?', ("lead", flag.id))
    conn.commit()
    conn.close()
    problems = store.check()
    assert f"flag {flag.id} (d2, 0-999): outside its text" in problems
    assert f"flag {flag.id} (d2): resolved None by 'lead'" in problems


def test_assignment_queries_live_in_the_store(store: Store) -> None:
    assert store.assigned_annotators() == [] and store.assignment_rows() == []
    assert store.write_plan([("d2", "mona"), ("d1", "mona"), ("d1", "ali")], "lead") == set()
    assert store.assigned_documents("mona") == ["d1", "d2"]
    assert store.assigned_annotators() == ["ali", "mona"]
    assert [(doc, name, by) for doc, name, _, by in store.assignment_rows()] == [
        ("d1", "ali", "lead"),
        ("d1", "mona", "lead"),
        ("d2", "mona", "lead"),
    ]
    store.add_span("d2", "mona", 4, 12, "actor", user="mona")
    assert store.started_work() == {("d2", "mona")}
    assert store.write_plan([("d1", "ali")], "lead") == {("d2", "mona")}  # started work is never taken away
    assert store.assigned_documents("mona") == ["d2"]
    assert not hasattr(store, "read")  # the table's SQL is the store's own
