"""`annotator flags`: the list (text and --json), --open, --resolve and its refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.model import Document
from annotator.store import Store

TEXT = "قال السوداني إن داعش هاجم الأنبار"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def flagged(db_path: Path) -> Path:
    """Two flags by ali (the article d1, the span السوداني of d2) and one by mona, resolved."""
    with Store(db_path) as store:
        store.import_batch([Document("d1", "t", TEXT), Document("d2", "t", TEXT)], [], user="lead")
        store.set_flag("d1", "ali", None, "خبر أم رأي؟", user="ali")
        store.set_flag("d2", "ali", (4, 12), "", user="ali")
        done = store.set_flag("d2", "mona", None, "duplicate of d1", user="mona")
        store.resolve_flag(done.id, user="lead")
    return db_path


def test_json_lists_every_flag_with_its_span_text_or_article(flagged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "flags", "--db", str(flagged), "--json")
    assert (code, err) == (0, "")
    records = json.loads(out)
    assert [
        (r["id"], r["document"], r["annotator"], r["target"], r["text"], r["note"], r["resolved_by"]) for r in records
    ] == [
        (1, "d1", "ali", "article", None, "خبر أم رأي؟", None),
        (2, "d2", "ali", "span", "السوداني", "", None),
        (3, "d2", "mona", "article", None, "duplicate of d1", "lead"),
    ]
    assert all(r["created"] for r in records) and records[2]["resolved"]
    code, out, _ = run(capsys, "flags", "--db", str(flagged), "--json", "--open")
    assert [r["id"] for r in json.loads(out)] == [1, 2]


def test_text_lists_them_in_logical_order_into_a_pipe(flagged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "flags", "--db", str(flagged))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("#1  d1  ali  ") and lines[0].endswith("  open")
    assert lines[1].strip() == "article" and lines[2].strip() == "note: خبر أم رأي؟"
    assert lines[4].strip() == "span (4-12): السوداني" and lines[5].strip() == "note: (no note)"
    assert lines[6].startswith("#3  d2  mona  ") and "resolved " in lines[6] and lines[6].endswith("by lead")
    assert lines[-1].startswith("3 flags, 2 open;")
    code, out, _ = run(capsys, "flags", "--db", str(flagged), "--open")
    assert "#3" not in out and out.splitlines()[-1].startswith("2 flags, 2 open;")


def test_app_mode_shows_the_note_laid_out_right_to_left(flagged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.text.display import display_line

    _, out, _ = run(capsys, "flags", "--db", str(flagged), "--bidi", "app", "--open")
    assert f"note: {display_line('خبر أم رأي؟', 60, 'app')}" in out and "خبر أم رأي؟" not in out


def test_resolve_then_nothing_open(flagged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "flags", "--db", str(flagged), "--resolve", "1") == (0, "flag #1 (d1, ali) resolved.\n", "")
    code, out, err = run(capsys, "flags", "--db", str(flagged), "--resolve", "1")
    assert code == 1 and out == "" and err.count("\n") == 1 and "resolved already" in err
    code, _, err = run(capsys, "flags", "--db", str(flagged), "--resolve", "42")
    assert code == 1 and "no flag 42" in err and "Traceback" not in err
    run(capsys, "flags", "--db", str(flagged), "--resolve", "2")
    assert run(capsys, "flags", "--db", str(flagged), "--open")[1] == "No open flags.\n"
    with Store(flagged) as store:
        assert store.check() == [] and [f.resolved_by is not None for f in store.flags()] == [True, True, True]


def test_no_database_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "flags", "--db", str(tmp_path / "none.db"))
    assert code == 1 and err.strip().endswith("no such database")
