"""`annotator import`, `docs` and `check` as a user runs them: exit codes, one-line errors, no partial writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS

from annotator.store import Store

TEXT = "قال السوداني إن داعش في الأنبار"


def run(
    *args: str, db: Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run the real command in a child process."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=60,
    )


def counts(db: Path) -> tuple[int, int, int, int]:
    """Row counts of documents, spans, progress, events."""
    with Store(db) as store:
        return tuple(
            store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "spans", "progress", "events")
        )


def test_import_corpus_twice_and_docs_json(db_path: Path) -> None:
    first = run("import", str(CORPUS), db=db_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "5 documents added, 0 already present, 0 spans added."
    second = run("import", str(CORPUS), db=db_path)
    assert second.stdout.strip() == "0 documents added, 5 already present, 0 spans added."
    docs = json.loads(run("docs", "--json", db=db_path).stdout)
    assert [d["id"] for d in docs] == [p.stem for p in sorted(CORPUS.glob("*.txt"))]
    assert all(d["length"] > 1000 and d["title"] for d in docs)


def test_docs_table_renders_titles_visually(db_path: Path) -> None:
    run("import", str(CORPUS), db=db_path)
    out = run("docs", db=db_path)
    assert out.returncode == 0 and "01-anbar-raid-nyt" in out.stdout
    assert "\x1b" not in out.stdout


def test_txt_title_id_and_newlines(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "my-article.txt"
    path.write_bytes(("\ufeff" + "العنوان\r\nنص المقال").encode())
    assert run("import", str(path), db=db_path).returncode == 0
    with Store(db_path) as store:
        doc = store.document("my-article")
    assert doc.title == "العنوان" and doc.text == "العنوان\nنص المقال"


def test_jsonl_with_spans_as_annotator(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "ann.jsonl"
    records = [
        {"id": "a", "text": TEXT, "spans": [{"start": 16, "end": 20, "label": "actor", "text": "داعش"}]},
        {"id": "b", "text": "نص آخر", "annotator": "mona", "spans": []},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    out = run("import", str(path), "--as", "ali", db=db_path)
    assert out.returncode == 0, out.stderr
    assert "2 documents added, 0 already present, 1 span added." in out.stdout
    with Store(db_path) as store:
        assert [(s.start, s.end, s.label) for s in store.spans("a", "ali")] == [(16, 20, "actor")]
        assert store.status("a", "ali") == "done"
        assert store.status("b", "mona") is None


BAD_JSONL = {
    "not-object": ("[1, 2]", "not a JSON object"),
    "not-json": ("{oops", "not valid JSON"),
    "no-text": ('{"id": "x"}', 'no "text"'),
    "out-of-range": (
        json.dumps({"text": "abc", "annotator": "a", "spans": [{"start": 1, "end": 9, "label": "actor"}]}),
        "out of range",
    ),
    "start-ge-end": (
        json.dumps({"text": "abc", "annotator": "a", "spans": [{"start": 2, "end": 2, "label": "actor"}]}),
        "start must be less than end",
    ),
    "unknown-label": (
        json.dumps({"text": "abc", "annotator": "a", "spans": [{"start": 0, "end": 2, "label": "person"}]}),
        "unknown label",
    ),
    "overlap": (
        json.dumps(
            {
                "text": "abcdef",
                "annotator": "a",
                "spans": [{"start": 0, "end": 3, "label": "actor"}, {"start": 2, "end": 5, "label": "place"}],
            }
        ),
        "overlaps",
    ),
    "no-annotator": (
        json.dumps({"text": "abc", "spans": [{"start": 0, "end": 2, "label": "actor"}]}),
        "without an annotator",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_JSONL))
def test_bad_jsonl_line_writes_nothing(case: str, tmp_path: Path, db_path: Path) -> None:
    run("import", str(CORPUS), db=db_path)
    before = db_path.read_bytes()
    good = json.dumps({"id": "fine", "text": TEXT}, ensure_ascii=False)
    line, reason = BAD_JSONL[case]
    path = tmp_path / "bad.jsonl"
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    out = run("import", str(path), db=db_path)
    assert out.returncode == 1
    assert f"{path}:2" in out.stderr and reason in out.stderr, out.stderr
    assert "Traceback" not in out.stderr
    assert all(len(line) < 300 for line in out.stderr.splitlines())
    assert counts(db_path) == (5, 0, 0, 0)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("latin1.txt", "caf\xe9".encode("latin-1"), "not UTF-8"),
        ("binary.txt", b"\x00\x01\x02ELF", "binary"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
    ],
)
def test_bad_files_write_nothing(name: str, content: bytes, reason: str, tmp_path: Path, db_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    bad = tmp_path / name
    bad.write_bytes(content)
    out = run("import", str(good), str(bad), db=db_path)
    assert out.returncode == 1 and str(bad) in out.stderr and reason in out.stderr, out.stderr
    assert "Traceback" not in out.stderr
    assert counts(db_path) == (0, 0, 0, 0)


def test_unreadable_and_missing_files(tmp_path: Path, db_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    out = run("import", str(missing), db=db_path)
    assert out.returncode == 1 and "no such file" in out.stderr
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    (folder / "x.bin").write_bytes(b"x")
    out = run("import", str(folder), db=db_path)
    assert out.returncode == 1 and "no .txt, .jsonl, .json, .conll or .spacy files" in out.stderr


def test_unreadable_file(tmp_path: Path, db_path: Path) -> None:
    """A file the user may not read: a real permission error for non-root, a FIFO-free stand-in for root."""
    path = tmp_path / "secret.txt"
    path.write_text(TEXT, encoding="utf-8")
    path.chmod(0)
    if os.geteuid() == 0:
        path.unlink()
        path.symlink_to(path)  # a self-referencing link cannot be read, even by root
    out = run("import", str(path), db=db_path)
    assert out.returncode == 1 and "cannot read" in out.stderr and str(path) in out.stderr, out.stderr


def test_same_id_different_text_is_an_error(tmp_path: Path, db_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "doc.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "doc.txt").write_text(TEXT + " أيضاً", encoding="utf-8")
    assert run("import", str(tmp_path / "a"), db=db_path).returncode == 0
    out = run("import", str(tmp_path / "b"), db=db_path)
    assert out.returncode == 1 and "different text" in out.stderr
    assert counts(db_path)[0] == 1


def test_usage_errors_exit_2(db_path: Path) -> None:
    out = run("import", db=db_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    out = run("export-nothing", db=db_path)
    assert out.returncode == 2


def test_help_and_version(db_path: Path) -> None:
    assert (
        "annotator, version"
        in subprocess.run([sys.executable, "-m", "annotator", "--version"], capture_output=True, text=True).stdout
    )
    from annotator.cli import cli

    for name in cli.commands:
        out = run(name, "--help", db=db_path)
        assert out.returncode == 0 and "--db" in out.stdout, name


def test_db_from_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    out = subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(CORPUS)],
        capture_output=True,
        text=True,
        env=dict(os.environ, ANNOTATOR_DB=str(db)),
        cwd=tmp_path,
    )
    assert out.returncode == 0 and db.exists()


def test_check_command(db_path: Path) -> None:
    run("import", str(CORPUS), db=db_path)
    out = run("check", db=db_path)
    assert out.returncode == 0 and out.stdout.strip().endswith("ok")
    with Store(db_path) as store:
        store.add_span("01-anbar-raid-nyt", "ali", 0, 3, "actor", user="ali")
        store.conn.execute("UPDATE spans SET start = 1")
    out = run("check", db=db_path)
    assert out.returncode == 1 and "no longer matches" in out.stdout


def test_bad_database_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "folder.db"
    db.mkdir()
    out = run("docs", db=db)
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "is a directory" in out.stderr


def test_long_import_shows_a_progress_bar_on_a_terminal_only(tmp_path: Path, db_path: Path) -> None:
    """On a pty, stderr gets a Rich bar for the files read; piped, stderr stays empty."""
    from ptyrun import run_on_pty

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(250):
        (folder / f"d{i:03}.txt").write_text(f"نص رقم {i}", encoding="utf-8")
    output, code = run_on_pty(["import", str(folder), "--db", str(db_path)], seconds=30)
    assert code == 0
    assert b"reading" in output and "━".encode() in output and b"250/250" in output
    assert b"250 documents added" in output
    piped = run("import", str(folder), db=tmp_path / "piped.db")
    assert piped.returncode == 0 and piped.stderr == ""
