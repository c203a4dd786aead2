"""`annotator stats` against figures computed here, independently, from the raw tables and a scripted clock."""

from __future__ import annotations

import json
import sqlite3
import statistics
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import annotator.store.connection as store_module  # the store's clock
from annotator.cli import main
from annotator.lead.stats import activity, compute_stats
from annotator.model import DEFAULT_LABELS, Document, Span
from annotator.store import Store

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
TEXT = "قال السوداني إن داعش في الأنبار وإن 15 عنصراً قتلوا في وادي الحزيمي"


class Clock:
    """The store's clock, set by the test: every event of one action gets the time set before it."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def now(self) -> str:
        return (T0 + timedelta(seconds=self.seconds)).isoformat(timespec="milliseconds")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(["stats", *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def worked(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """ali and mona working on a scripted clock, sara's work imported, a gold layer, lead touching ali's layer."""
    clock = Clock()
    monkeypatch.setattr(store_module, "now", clock.now)

    def at(seconds: float) -> Store:
        clock.seconds = seconds
        return store

    with Store(db_path) as store:
        docs = [Document(f"d{i}", f"عنوان {i}", TEXT) for i in range(1, 5)]
        store.import_batch(docs, [], user="lead")
        at(0).add_span("d1", "ali", 4, 12, "actor", user="ali")
        at(40).add_span("d1", "ali", 24, 31, "place", user="ali")
        at(100).set_status("d1", "ali", "done", user="ali")
        at(130).add_span("d2", "ali", 16, 20, "actor", user="ali")
        at(1000).add_span("d2", "ali", 36, 45, "figure", user="ali")  # after a break of 870 s
        at(1100).undo("d2", "ali", user="ali")
        at(1160).set_status("d2", "ali", "done", user="ali")
        at(1200).add_span("d3", "ali", 0, 3, "quote", user="ali")  # d3 stays in progress
        at(1250).add_span("d3", "ali", 16, 20, "actor", user="lead")  # the lead's work is not ali's time

        at(10).add_span("d1", "mona", 4, 12, "actor", user="mona")
        at(250).add_span("d1", "mona", 36, 45, "figure", user="mona")
        at(260).set_status("d1", "mona", "done", user="mona")
        at(900).add_span("d4", "mona", 24, 31, "place", user="mona")  # after a break of 640 s

        at(5000).import_batch(
            [], [Span("d1", "sara", 4, 12, "actor"), Span("d2", "sara", 24, 31, "place")], user="sara"
        )
        at(6000).import_batch(
            [], [Span("d1", "gold", 4, 12, "actor"), Span("d1", "gold", 24, 31, "place")], user="lead"
        )
    return db_path


def expected_from_tables(db: Path, name: str) -> dict[str, object]:
    """The figures of one annotator computed straight from the SQLite tables."""
    conn = sqlite3.connect(db)
    times: list[tuple[float, int, str, str, str]] = []
    for event_id, ts, user, annotator, doc, action, payload in conn.execute(
        "SELECT id, ts, user, annotator, document_id, action, payload FROM events"
    ):
        if user == name and annotator == name and action != "import":
            times.append((datetime.fromisoformat(ts).timestamp(), event_id, doc, action, payload))
    times.sort()
    active = 0.0
    per_doc: dict[str, float] = {}
    made = 0
    for i, (moment, _id, doc, action, payload) in enumerate(times):
        if i and moment - times[i - 1][0] <= 300:
            active += moment - times[i - 1][0]
            per_doc[doc] = per_doc.get(doc, 0.0) + moment - times[i - 1][0]
        if action == "edit":
            made += len(json.loads(payload)["add"])
    status = dict(conn.execute("SELECT document_id, status FROM progress WHERE annotator = ?", (name,)).fetchall())
    done = [doc for doc, s in status.items() if s == "done"]
    spans = conn.execute('SELECT label, "end" - start FROM spans WHERE annotator = ?', (name,)).fetchall()
    conn.close()
    timed = [per_doc[doc] for doc in done if per_doc.get(doc, 0) > 0]
    return {
        "documents_done": len(done),
        "documents_in_progress": sum(1 for s in status.values() if s == "in_progress"),
        "spans": len(spans),
        "spans_per_label": {label.name: sum(1 for lab, _ in spans if lab == label.name) for label in DEFAULT_LABELS},
        "mean_span_length": statistics.fmean(n for _, n in spans) if spans else None,
        "active_seconds": active,
        "spans_made": made,
        "spans_per_active_hour": made / (active / 3600) if active >= 60 else None,
        "median_minutes_per_done_document": statistics.median(timed) / 60 if timed else None,
        "timed_done_documents": len(timed),
    }


def test_json_matches_the_event_log(worked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", str(worked), "--json")
    assert code == 0, err
    stats = json.loads(out)
    assert list(stats["annotators"]) == ["ali", "mona", "sara"]
    for name in ("ali", "mona", "sara"):
        ours = stats["annotators"][name]
        theirs = expected_from_tables(worked, name)
        assert set(ours) == set(theirs), name
        for key, value in theirs.items():
            assert ours[key] == pytest.approx(value), (name, key)
    # the scripted clock, by hand: ali 40 + 60 + 30 (d1, d1, d2) then a break, 100 + 60 (d2) + 40 (d3)
    ali = stats["annotators"]["ali"]
    assert ali["active_seconds"] == pytest.approx(330)
    assert ali["median_minutes_per_done_document"] == pytest.approx((100 + 190) / 2 / 60)
    assert ali["spans_made"] == 5 and ali["spans"] == 5  # one undone, one made by the lead on her layer
    assert ali["documents_done"] == 2 and ali["documents_in_progress"] == 1
    assert stats["annotators"]["mona"]["active_seconds"] == pytest.approx(250)
    sara = stats["annotators"]["sara"]
    assert sara["active_seconds"] == pytest.approx(0) and sara["spans_per_active_hour"] is None
    assert sara["spans"] == 2 and sara["documents_done"] == 2
    assert stats["labels"]["actor"] == {"layer": "entity", "annotators": {"ali": 3, "mona": 1, "sara": 1}, "gold": 1}
    assert stats["labels"]["place"]["gold"] == 1 and stats["labels"]["quote"]["annotators"]["ali"] == 1
    assert stats["gold_documents"] == 1 and stats["documents"] == 4


def test_annotators_option_and_errors(worked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(worked), "--json", "--annotators", "mona,ali")
    assert code == 0
    stats = json.loads(out)
    assert list(stats["annotators"]) == ["mona", "ali"]
    assert list(stats["labels"]["actor"]["annotators"]) == ["mona", "ali"]
    code, out, err = run(capsys, "--db", str(worked), "--annotators", "ali,zed")
    assert code == 1 and out == ""
    assert err == "annotator: error: unknown annotator zed (known: ali, mona, sara)\n"
    missing = worked.parent / "none.db"
    code, out, err = run(capsys, "--db", str(missing))
    assert code == 1 and out == "" and err == f"annotator: error: {missing}: no such database\n"
    assert not missing.exists()


def test_tables_at_80_columns(
    worked: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(capsys, "--db", str(worked))
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "…" not in out
    ali = next(line for line in out.splitlines() if line.startswith("│ ali"))
    assert "0:06" in ali and "2.4" in ali  # 330 s active; median (100 s, 190 s) = 2.4 minutes


def test_gaps_belong_to_the_document_of_the_later_event() -> None:
    def event(i: int, seconds: float, doc: str, action: str = "edit") -> dict[str, object]:
        ts = (T0 + timedelta(seconds=seconds)).isoformat()
        return {
            "id": i,
            "ts": ts,
            "user": "a",
            "annotator": "a",
            "document_id": doc,
            "action": action,
            "payload": {"add": [{"id": i}], "remove": []},
        }

    events = [event(1, 0, "x"), event(2, 300, "y"), event(3, 300.5 + 300, "y"), event(4, 601, "x", "import")]
    work = activity(events, "a")
    assert work.seconds == 300 and work.by_document == {"y": 300}  # exactly 5 minutes counts, more does not
    assert work.spans_made == 3
    stats = compute_stats(["a"], [], [], events, DEFAULT_LABELS)
    assert stats["annotators"]["a"]["spans_per_active_hour"] == pytest.approx(3 / (300 / 3600))
