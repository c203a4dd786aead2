"""`annotator assign` on a real database, and the article order and `docs` list following the assignments."""

from __future__ import annotations

import re
import sqlite3
from itertools import combinations
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.model import Document
from annotator.store import Store
from annotator.workspace import document_order, next_not_done

TEXT = "قال السوداني إن داعش هاجم الأنبار"
DOCS = [f"d{n}" for n in range(1, 7)]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def table(db: Path) -> list[tuple[str, str]]:
    """The assignments table read directly: (document, annotator) sorted."""
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute("SELECT document_id, annotator FROM assignments").fetchall())
    finally:
        conn.close()


@pytest.fixture
def six(db_path: Path) -> Path:
    """Six articles, nobody at work yet."""
    with Store(db_path) as store:
        store.import_batch([Document(doc, f"عنوان {doc}", TEXT) for doc in DOCS], [], user="lead")
    return db_path


def test_assign_prints_the_plan_and_writes_the_table(six: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "assign", "--db", str(six), "--annotators", "ali,mona,sara", "--per-document", "2")
    assert (code, err) == (0, "")
    assert "6 documents × 2 annotators: 12 assignments." in out
    for name in ("ali", "mona", "sara"):
        assert re.search(rf"^  {name} +4 documents$", out, re.M)
    assert "Every pair of the 3 shares at least one document." in out
    rows = table(six)
    assert len(rows) == 12
    per_doc = {doc: [name for d, name in rows if d == doc] for doc in DOCS}
    assert all(len(names) == 2 for names in per_doc.values())
    shared = {
        pair: sum(set(pair) <= set(names) for names in per_doc.values())
        for pair in combinations(["ali", "mona", "sara"], 2)
    }
    assert sorted(shared.values()) == [2, 2, 2]
    assert f"ali–mona {shared[('ali', 'mona')]}" in out
    with sqlite3.connect(six) as conn:
        stamps = conn.execute("SELECT DISTINCT assigned_by, assigned_at FROM assignments").fetchall()
    assert len(stamps) == 1 and stamps[0][0] and stamps[0][1].startswith("20")
    code, out, _ = run(capsys, "assign", "--db", str(six), "--show")
    assert code == 0
    assert f"d1  {', '.join(per_doc['d1'])}" in out
    assert "12 assignments by" in out and "ali 4, mona 4, sara 4" in out


def test_dry_run_writes_nothing(six: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "assign", "--db", str(six), "--annotators", "ali,mona,sara", "--dry-run")
    assert code == 0
    assert "12 assignments" in out and "Dry run: nothing written." in out
    assert table(six) == []
    assert "No assignments" in run(capsys, "assign", "--db", str(six), "--show")[1]


def test_a_second_run_is_refused_without_force(six: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "assign", "--db", str(six), "--annotators", "ali,mona,sara")[0] == 0
    before = table(six)
    code, out, err = run(capsys, "assign", "--db", str(six), "--annotators", "ali,mona", "--per-document", "1")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "already has 12 assignments" in err and "--force" in err
    assert table(six) == before
    code, _, _ = run(capsys, "assign", "--db", str(six), "--annotators", "ali,mona", "--per-document", "1", "--force")
    assert code == 0
    assert len(table(six)) == 6


def test_force_keeps_every_document_already_started(six: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "assign", "--db", str(six), "--annotators", "ali,mona,sara")[0] == 0
    first = table(six)
    ali = [doc for doc, name in first if name == "ali"]
    mona = [doc for doc, name in first if name == "mona"]
    with Store(six) as store:
        store.add_span(ali[0], "ali", 4, 12, "actor", user="ali")  # started
        store.set_status(ali[1], "ali", "done", user="ali")  # finished
        store.set_status(mona[0], "mona", "done", user="mona")
    code, out, err = run(
        capsys, "assign", "--db", str(six), "--annotators", "mona,sara", "--per-document", "1", "--force"
    )
    assert (code, err) == (0, "")
    rows = table(six)
    assert (ali[0], "ali") in rows and (ali[1], "ali") in rows and (mona[0], "mona") in rows
    assert re.search(
        r"^  ali +2 documents  \(2 already started, kept\)  \(not in --annotators: keeps only the "
        r"work started\)$",
        out,
        re.M,
    )
    assert re.search(r"^  mona +\d documents  \(1 already started, kept\)$", out, re.M)
    # ali's two hold their one place; every other document goes to one of mona and sara
    for doc in DOCS:
        names = [n for d, n in rows if d == doc]
        assert names == ["ali"] if doc in ali[:2] else len(names) == 1 and names[0] in ("mona", "sara")


@pytest.mark.parametrize(
    "args, message",
    [
        (("--annotators", "ali,mona", "--per-document", "3"), "--overlap must be between 1 and"),
        (("--annotators", "ali,mona", "--docs", "d1,nope"), "--docs: no such document"),
        (("--annotators", "ali,mona", "--docs", " , "), "--docs: give document ids"),
        (("--annotators", "ali,ali"), "names must differ"),
        (("--annotators", " , "), "--annotators: give the team's names"),
        (("--annotators", "ali,gold"), "reserved for the adjudicated layer"),
        (("--show", "--force"), "takes no other option"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    six: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, "assign", "--db", str(six), *args)
    assert code != 0 and message in err and err.count("\n") == 1 and "Traceback" not in err
    assert table(six) == []


def test_overlap_is_the_option_the_issue_names(six: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "assign", "--db", str(six), "--annotators", "ali,mona,sara", "--overlap", "3")
    assert (code, err) == (0, "")
    assert "6 documents × 3 annotators: 18 assignments." in out
    assert table(six) == sorted((doc, name) for doc in DOCS for name in ("ali", "mona", "sara"))


def test_docs_assigns_only_those_and_keeps_the_rest(six: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "assign", "--db", str(six), "--annotators", "ali", "--overlap", "1")[0] == 0
    assert table(six) == [(doc, "ali") for doc in DOCS]
    # d2 and d5 already have ali: refused without --force, nothing written
    code, out, err = run(capsys, "assign", "--db", str(six), "--annotators", "mona,sara", "--docs", "d2,d5")
    assert code == 1 and "already has 2 assignments for these documents" in err
    assert table(six) == [(doc, "ali") for doc in DOCS]
    code, out, err = run(
        capsys, "assign", "--db", str(six), "--annotators", "mona,sara", "--overlap", "2", "--docs", "d2,d5", "--force"
    )
    assert (code, err) == (0, "")
    assert "2 documents × 2 annotators: 4 assignments." in out
    expected = [(doc, "ali") for doc in DOCS if doc not in ("d2", "d5")]
    expected += [(doc, name) for doc in ("d2", "d5") for name in ("mona", "sara")]
    assert table(six) == sorted(expected)


def test_annotators_follow_their_assignments_first(six: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store(six) as store:
        assert document_order(store, annotator="ali") == DOCS  # no assignment: everything, as before
    assert run(capsys, "assign", "--db", str(six), "--annotators", "ali,mona,sara")[0] == 0
    rows = table(six)
    mine = [doc for doc in DOCS if (doc, "ali") in rows]
    others = [doc for doc in DOCS if doc not in mine]
    with Store(six) as store:
        assert document_order(store, annotator="ali") == mine + others
        assert document_order(store, annotator="omar") == DOCS  # not assigned: sees everything as before
        assert document_order(store) == DOCS
        assert next_not_done(store, "ali") == mine[0]
        assert next_not_done(store, "ali", after=mine[0]) == mine[1]
        assert next_not_done(store, "ali", after=others[0]) == mine[0]  # an unassigned article leads back
        for doc in mine:
            store.set_status(doc, "ali", "done", user="ali")
        assert next_not_done(store, "ali") == others[0]  # all assigned done: the others follow
    code, out, _ = run(capsys, "docs", "--db", str(six), "--user", "ali")
    assert code == 0
    assert all(doc in out for doc in mine) and not any(doc in out for doc in others)
    assert f"{len(mine)} articles assigned to ali listed; {len(others)} others are not assigned" in out
    code, out, _ = run(capsys, "docs", "--db", str(six), "--user", "ali", "--all")
    assert all(doc in out for doc in DOCS) and "not assigned" not in out
    code, out, _ = run(capsys, "docs", "--db", str(six), "--user", "omar")
    assert all(doc in out for doc in DOCS) and "not assigned" not in out


async def test_the_screen_opens_on_the_first_assigned_article_and_ctrl_d_follows_the_assignments(
    six: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.tui.run import build_app

    assert run(capsys, "assign", "--db", str(six), "--annotators", "ali,mona,sara")[0] == 0
    mine = [doc for doc, name in table(six) if name == "ali"]
    assert mine[0] != "d1"  # the test shows something only if corpus order would open another article
    with Store(six) as store:
        app = build_app(store, user="ali")
        async with app.run_test(size=(100, 30)) as pilot:
            assert app.screen.session.document.id == mine[0]
            await pilot.press("ctrl+d")
            await pilot.pause()
            assert app.screen.session.document.id == mine[1]
