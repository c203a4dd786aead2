"""Flags in `annotator stats` (text and --json) and the HTML report, against counts worked out by hand."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.model import Document
from annotator.store import Store

TEXT = "قال السوداني إن داعش في الأنبار"
NOTE = "خبر أم رأي؟"


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
    """ali: two open flags (d1 article, d2 span 4–12) and one resolved; mona: one resolved; sara: none."""
    with Store(db_path) as store:
        store.import_batch([Document(d, f"عنوان {d}", TEXT) for d in ("d1", "d2")], [], user="lead")
        for name in ("ali", "mona", "sara"):
            store.add_span("d1", name, 0, 3, "actor", user=name)
        store.set_flag("d1", "ali", None, NOTE, user="ali")
        store.set_flag("d2", "ali", (4, 12), "actor or not?", user="ali")
        old = store.set_flag("d1", "ali", (0, 3), "", user="ali")
        store.resolve_flag(old.id, user="lead")
        done = store.set_flag("d2", "mona", None, "duplicate of d1", user="mona")
        store.resolve_flag(done.id, user="lead")
    return db_path


def test_stats_json_counts_open_and_resolved(flagged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "stats", "--db", str(flagged), "--json")
    assert code == 0, err
    stats = json.loads(out)
    got = {name: (e["open"], e["resolved"]) for name, e in stats["flags"]["annotators"].items()}
    assert got == {"ali": (2, 1), "mona": (0, 1), "sara": (0, 0)}
    rows = [(r["document"], r["annotator"], r["text"], r["note"]) for r in stats["flags"]["open"]]
    assert rows == [("d1", "ali", None, NOTE), ("d2", "ali", TEXT[4:12], "actor or not?")]
    assert TEXT[4:12] == "السوداني"


def test_stats_prints_a_flags_table(
    flagged: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(capsys, "stats", "--db", str(flagged))
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 80
    lines = out.splitlines()
    flags = "\n".join(lines[lines.index(next(line for line in lines if line.strip() == "flags")) :])
    for name, opened, resolved in (("ali", 2, 1), ("mona", 0, 1), ("sara", 0, 0)):
        line = next(line for line in flags.splitlines() if line.startswith(f"│ {name}"))
        assert re.fullmatch(rf"│ {name} +│ +{opened} │ +{resolved} │", line), line


class Cells(HTMLParser):
    """The cells of the table with id open-flags: (text, dir) per cell, per row."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.rows: list[list[tuple[str, str | None]]] = []
        self.cell: str | None = None
        self.dir: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and found.get("id") == "open-flags":
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag == "td":
            self.cell, self.dir = "", found.get("dir")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag == "td" and self.cell is not None:
            self.rows[-1].append((self.cell, self.dir))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell += data


def test_report_lists_the_open_flags(flagged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.html"
    code, _, err = run(capsys, "report", "--db", str(flagged), "-o", str(target))
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    cells = Cells()
    cells.feed(page)
    assert [row for row in cells.rows if row] == [
        [("d1", None), ("ali", None), ("article", None), (NOTE, "rtl")],
        [("d2", None), ("ali", None), ("السوداني", "rtl"), ("actor or not?", None)],
    ]
    assert "<th>flags open</th><th>flags resolved</th>" in page
