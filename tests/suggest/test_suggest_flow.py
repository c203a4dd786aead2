"""Suggestions end to end below the screen: the table, `annotator suggest`, accept/reject in the event log,
and proof that a suggestion is never an annotation (exports, agreement, check)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.importer import expand_paths, parse_files
from annotator.model import Document
from annotator.session import Session
from annotator.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
ANBAR = "01-anbar-raid-nyt"
PATTERNS = ['{"label": "place", "pattern": "الأنبار"}', '{"label": "actor", "pattern": "داعش"}']


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def corpus_db(db_path: Path) -> Path:
    with Store(db_path) as store:
        files, _ = expand_paths([CORPUS])
        parsed = parse_files(files, store.labels())
        store.import_batch(parsed.documents, parsed.spans, user="lead")
    return db_path


@pytest.fixture
def patterns(tmp_path: Path) -> Path:
    path = tmp_path / "places.jsonl"
    path.write_text("\n".join(PATTERNS) + "\n", encoding="utf-8")
    return path


def rows(db: Path) -> list[tuple]:
    with Store(db) as store:
        return store._read('SELECT document_id, start, "end", label, source FROM suggestions ORDER BY 1, 2, 5')


def test_patterns_prints_counts_and_rerunning_replaces(corpus_db: Path, patterns: Path, capsys) -> None:
    code, out, err = run(capsys, "suggest", "--db", str(corpus_db), "--patterns", str(patterns))
    assert code == 0, err
    first = rows(corpus_db)
    lines = out.splitlines()
    assert lines[0] == f"{len(first)} suggestions in 5 documents from places.jsonl"
    by_label = {line.split()[0]: int(line.split()[1]) for line in lines[1:5]}
    assert by_label["place"] == sum(1 for row in first if row[3] == "place") > 0
    assert by_label["actor"] == sum(1 for row in first if row[3] == "actor") > 0
    assert f"  {ANBAR}" in out
    assert {row[4] for row in first} == {"places.jsonl"}
    # idempotent: the same run replaces its own suggestions
    assert run(capsys, "suggest", "--db", str(corpus_db), "--patterns", str(patterns))[0] == 0
    assert rows(corpus_db) == first
    # other sources are kept beside it
    assert run(capsys, "suggest", "--db", str(corpus_db), "--figures")[0] == 0
    after = rows(corpus_db)
    assert {row[4] for row in after} == {"places.jsonl", "figures"}
    assert [row for row in after if row[4] == "places.jsonl"] == first


def test_dry_run_and_doc_write_nothing_elsewhere(corpus_db: Path, patterns: Path, capsys) -> None:
    code, out, _ = run(capsys, "suggest", "--db", str(corpus_db), "--patterns", str(patterns), "--dry-run")
    assert code == 0 and "(dry run: nothing written)" in out.splitlines()[0]
    assert rows(corpus_db) == []
    code, out, _ = run(capsys, "suggest", "--db", str(corpus_db), "--patterns", str(patterns), "--doc", ANBAR)
    assert code == 0 and out.splitlines()[0].endswith("in 1 documents from places.jsonl")
    assert {row[0] for row in rows(corpus_db)} == {ANBAR}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give one source: --patterns FILE, --from gold|NAME, --figures or --model DIR_OR_PACKAGE"),
        (
            ("--figures", "--from", "gold"),
            "give one source: --patterns FILE, --from gold|NAME, --figures or --model DIR_OR_PACKAGE (not --from and --figures together)",
        ),
        (("--figures", "--doc", "nope"), "no document 'nope' in"),
        (("--from", "gold"), "--from gold: that layer has no spans to learn patterns from"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(corpus_db: Path, capsys, args: tuple[str, ...], message: str) -> None:
    code, out, err = run(capsys, "suggest", "--db", str(corpus_db), *args)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err
    assert rows(corpus_db) == []


def test_bad_patterns_file_names_the_line(corpus_db: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(PATTERNS[0] + '\n{"label": "city", "pattern": "بغداد"}\n', encoding="utf-8")
    code, _, err = run(capsys, "suggest", "--db", str(corpus_db), "--patterns", str(bad))
    assert code == 1 and "bad.jsonl:2: unknown label 'city'" in err and len(err.strip().splitlines()) == 1
    assert rows(corpus_db) == []


def test_from_gold_skips_documents_gold_holds(corpus_db: Path, capsys) -> None:
    with Store(corpus_db) as store:
        text = store.document(ANBAR).text
        start = text.index("الأنبار")
        store.add_span(ANBAR, "gold", start, start + len("الأنبار"), "place", user="lead")
    code, out, err = run(capsys, "suggest", "--db", str(corpus_db), "--from", "gold")
    assert code == 0, err
    found = rows(corpus_db)
    assert found and {row[4] for row in found} == {"gold"} and {row[3] for row in found} == {"place"}
    assert ANBAR not in {row[0] for row in found}
    assert "1 document gold already holds gets no suggestions" in out


def _annotate(db: Path) -> None:
    """alice and bob tag a little of 01 and mark it done."""
    with Store(db) as store:
        text = store.document(ANBAR).text
        start = text.index("داعش")
        for name in ("alice", "bob"):
            store.add_span(ANBAR, name, start, start + 4, "actor", user=name)
            store.set_status(ANBAR, name, "done", user=name)


def _outputs(db: Path, tmp_path: Path, capsys, tag: str) -> list[str]:
    """The JSONL and CoNLL exports of alice and the agreement report, as text."""
    found = []
    for format_name in ("jsonl", "conll"):
        out = tmp_path / f"{tag}.{format_name}"
        code, _, err = run(capsys, "export", "--db", str(db), "-f", format_name, "--annotator", "alice", "-o", str(out))
        assert code == 0, err
        found.append(out.read_text(encoding="utf-8"))
    code, report, err = run(capsys, "agreement", "--db", str(db), "--json")
    assert code == 0, err
    found.append(json.dumps({k: v for k, v in json.loads(report).items() if k != "generated"}, sort_keys=True))
    return found


def test_a_suggestion_is_never_an_annotation(corpus_db: Path, patterns: Path, tmp_path: Path, capsys) -> None:
    _annotate(corpus_db)
    before = _outputs(corpus_db, tmp_path, capsys, "before")
    assert run(capsys, "suggest", "--db", str(corpus_db), "--patterns", str(patterns))[0] == 0
    assert run(capsys, "suggest", "--db", str(corpus_db), "--figures")[0] == 0
    with Store(corpus_db) as store:
        session = Session(store, "alice", store.document(ANBAR))
        session.load_suggestions()
        pending = len(session.suggestions)
        assert pending > 2
        session.cursor = session.suggestions[0].start
        assert not session.reject_suggestion().error  # a rejected one counts no more than a pending one
        assert len(session.suggestions) == pending - 1
        assert store.spans(ANBAR, "alice") == Session(store, "alice", store.document(ANBAR)).spans
        assert [s.id for s in store.spans(ANBAR, "alice")] == [s.id for s in session.spans]
        assert store.status(ANBAR, "alice") == "done"
        assert store.check() == []
    after = _outputs(corpus_db, tmp_path, capsys, "after")
    assert after == before


def test_accept_is_an_edit_reject_an_undoable_event(corpus_db: Path, patterns: Path, capsys) -> None:
    assert run(capsys, "suggest", "--db", str(corpus_db), "--patterns", str(patterns), "--doc", ANBAR)[0] == 0
    with Store(corpus_db) as store:
        document = store.document(ANBAR)
        session = Session(store, "ali", document)
        session.load_suggestions()
        first, second = session.suggestions[:2]
        total = len(session.suggestions)
        session.cursor = first.start
        assert session.accept_suggestion().message.startswith(f"accepted {first.label}")
        assert [(s.start, s.end, s.label) for s in store.spans(ANBAR, "ali")] == [(first.start, first.end, first.label)]
        assert store.events(ANBAR)[-2]["origin"] == "places.jsonl"  # the edit (then the status it started)
        assert len(session.suggestions) == total - 1
        session.cursor = second.start
        assert not session.reject_suggestion().error
        assert store.rejections(ANBAR, "ali") == {(second.start, second.end, second.label)}
        assert store.status(ANBAR, "ali") == "in_progress"
        assert store.rejections(ANBAR, "bob") == set()  # a reject is the annotator's alone
        bob = Session(store, "bob", document)
        bob.load_suggestions()
        assert len(bob.suggestions) == total
        # reopened, the reject still holds
        again = Session(store, "ali", document)
        again.load_suggestions()
        assert [s.id for s in again.suggestions] == [s.id for s in session.suggestions]
        assert store.check() == []
        # undo the reject: it is back; redo: hidden again; undo twice more: the accept is undone too
        assert "is back" in session.undo().message
        assert len(session.suggestions) == total - 1 and session.suggestion_at(second.start) == second
        assert "hidden again" in session.undo(redo=True).message
        assert session.suggestion_at(second.start) is None
        session.undo()
        assert "1 removed" in session.undo().message
        assert store.spans(ANBAR, "ali") == [] and len(session.suggestions) == total
        assert store.check() == []
        assert store.overview()[0]["pending"] == {"ali": total}  # bob never opened it: not an annotator yet


def test_pending_hides_suggestions_overlapping_own_spans(store: Store) -> None:
    text = "هاجم داعش الأنبار أمس"
    store.import_batch([Document("d", "d", text)], [], user="lead")
    store.replace_suggestions(
        "p", {"d": [(5, 9, "actor", None), (10, 17, "place", None), (5, 17, "quote", None)]}, ["d"]
    )
    store.add_span("d", "ali", 10, 13, "place", user="ali")  # overlaps the place suggestion only
    session = Session(store, "ali", store.document("d"))
    session.load_suggestions()
    assert [(s.start, s.end, s.label) for s in session.suggestions] == [(5, 17, "quote"), (5, 9, "actor")]


def test_docs_shows_pending_suggestions_per_annotator(corpus_db: Path, patterns: Path, capsys) -> None:
    assert run(capsys, "suggest", "--db", str(corpus_db), "--patterns", str(patterns), "--doc", ANBAR)[0] == 0
    with Store(corpus_db) as store:
        total = len(store.suggestions(ANBAR))
        session = Session(store, "ali", store.document(ANBAR))
        session.load_suggestions()
        session.cursor = session.suggestions[0].start
        assert not session.accept_suggestion().error
    code, out, _ = run(capsys, "docs", "--db", str(corpus_db))
    assert code == 0
    row = next(line for line in out.splitlines() if ANBAR in line)
    assert f"in progress 1 +{total - 1}?" in row
    assert "+N? = suggestions still waiting" in " ".join(out.split())
    code, out, _ = run(capsys, "docs", "--db", str(corpus_db), "--json")
    assert json.loads(out)[0]["pending"] == {"ali": total - 1}


def test_check_finds_a_suggestion_outside_its_text(store: Store) -> None:
    store.import_batch([Document("d", "d", "نص قصير")], [], user="lead")
    store.replace_suggestions("p", {"d": [(0, 2, "actor", None)]}, ["d"])
    assert store.check() == []
    with store.transaction() as conn:
        conn.execute('UPDATE suggestions SET "end" = 99')
    problems = store.check()
    assert len(problems) == 1 and problems[0].startswith("suggestion ") and "outside its text" in problems[0]


def test_a_schema_2_database_gains_the_suggestions_table(db_path: Path) -> None:
    with Store(db_path) as store:
        store.import_batch([Document("d", "d", "نص")], [], user="lead")
        store.conn.execute("DROP TABLE suggestions")
        store.conn.execute("DROP TABLE assignments")  # added by migration 4
        store.conn.execute("DROP TABLE relations")  # added by migration 5
        store.conn.execute("DROP TABLE flags")  # added by migration 6
        store.conn.execute("PRAGMA user_version = 2")
    with Store(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 6
        assert store.suggestions("d") == []
        assert store.replace_suggestions("p", {"d": [(0, 2, "actor", 0.5)]}, ["d"]) == 1
        assert [(s.start, s.end, s.label, s.source, s.score) for s in store.suggestions("d")] == [
            (0, 2, "actor", "p", 0.5)
        ]
        assert store.check() == []
