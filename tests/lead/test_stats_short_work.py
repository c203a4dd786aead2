"""`annotator stats` and the report: under a minute of work reads `<0:01` beside no rate; counts agree in number."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import annotator.store.connection as store_module  # the store's clock
from annotator.cli import main
from annotator.lead.tables import duration
from annotator.model import Document
from annotator.store import Store

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
TEXT = "قال السوداني إن داعش في الأنبار"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`annotator ...` in-process: (exit code, stdout, stderr)."""
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def short(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """ali works 45 seconds, mona 75 seconds, each on one span pair."""
    clock = {"seconds": 0.0}
    monkeypatch.setattr(
        store_module, "now", lambda: (T0 + timedelta(seconds=clock["seconds"])).isoformat(timespec="milliseconds")
    )
    with Store(db_path) as store:
        store.import_batch([Document("d1", "عنوان", TEXT)], [], user="lead")
        for name, start, seconds in (("ali", 0.0, 45.0), ("mona", 100.0, 75.0)):
            clock["seconds"] = start
            store.add_span("d1", name, 4, 12, "actor", user=name)
            clock["seconds"] = start + seconds
            store.add_span("d1", name, 16, 20, "actor", user=name)
    monkeypatch.undo()
    return db_path


def _row(out: str, name: str) -> list[str]:
    line = next(line for line in out.splitlines() if line.startswith(f"│ {name} "))
    return [cell.strip() for cell in line.strip("│").split("│")]


def test_under_a_minute_reads_as_such_beside_no_rate(short: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "stats", "--db", str(short))
    assert code == 0, err
    assert _row(out, "ali")[5:7] == ["<0:01", "–"]  # active, spans/h
    assert _row(out, "mona")[5:7] == ["0:01", "96"]  # 2 spans in 75 s
    assert "(– under a minute)" in out


def test_the_report_shows_the_same_active_time(short: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "r.html"
    code, _, err = run(capsys, "report", "--db", str(short), "-o", str(target))
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    assert "<th>active (h:mm)</th>" in page
    assert re.search(r"<td>ali</td>(<td>[^<]*</td>){4}<td>&lt;0:01</td><td>–</td>", page), page
    assert re.search(r"<td>mona</td>(<td>[^<]*</td>){4}<td>0:01</td><td>96</td>", page)


def test_duration_is_rounded_minutes_and_never_zero_for_some_work() -> None:
    assert [duration(s) for s in (0.0, 0.4, 59.9, 60.0, 89.0, 91.0, 3599.0, 3690.0)] == [
        "0:00",
        "<0:01",
        "<0:01",
        "0:01",
        "0:01",
        "0:02",
        "1:00",
        "1:02",
    ]


def test_one_document_nobody_started_is_singular(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store(db_path) as store:
        store.import_batch([Document("d1", "عنوان", TEXT)], [], user="lead")
    code, out, err = run(capsys, "stats", "--db", str(db_path))
    assert code == 0, err
    assert out.startswith("1 document; no annotator has started yet.\n")


def test_the_report_of_one_article_speaks_of_one_document(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = {"seconds": 0.0}
    monkeypatch.setattr(
        store_module, "now", lambda: (T0 + timedelta(seconds=clock["seconds"])).isoformat(timespec="milliseconds")
    )
    with Store(db_path) as store:
        store.import_batch([Document("d1", "عنوان", TEXT)], [], user="lead")
        for name in ("ali", "mona"):
            store.add_span("d1", name, 4, 12, "actor", user=name)
            clock["seconds"] += 90
            store.set_status("d1", name, "done", user=name)
            clock["seconds"] += 10
    monkeypatch.undo()
    target = tmp_path / "r.html"
    code, _, err = run(capsys, "report", "--db", str(db_path), "-o", str(target))
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    assert "2 annotators (ali, mona) on 1 document done by at least two of them" in page
    assert "(1 document)" in page and "(1 documents)" not in page
    assert "The one timed done article, slowest first (minutes)." in page
