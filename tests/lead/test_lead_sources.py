"""Suggestions per source in `annotator stats` and the report, against counts worked out by hand; and the
report's time-per-article table capped at the slowest articles."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.lead.data import read_report
from annotator.lead.html import build_html, time_table
from annotator.model import Document
from annotator.store import Store, StoredSuggestion

TEXT = "قال السوداني إن داعش هاجم الأنبار"
SUDANI = (TEXT.index("السوداني"), TEXT.index("السوداني") + len("السوداني"))
DAESH = (TEXT.index("داعش"), TEXT.index("داعش") + len("داعش"))
INNA_DAESH = (TEXT.index("إن داعش"), DAESH[1])
ANBAR = (TEXT.index("الأنبار"), len(TEXT))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def suggestion(store: Store, doc: str, start: int, end: int, label: str) -> StoredSuggestion:
    return next(s for s in store.suggestions(doc) if (s.start, s.end, s.label) == (start, end, label))


@pytest.fixture
def decided(db_path: Path) -> Path:
    """Three sources over three articles; ali and mona decide some of them (see the test for the tally)."""
    with Store(db_path) as store:
        store.import_batch([Document(d, d, TEXT) for d in ("d1", "d2", "d3")], [], user="lead")
        store.replace_suggestions(
            "places.jsonl", {d: [(*ANBAR, "place", None)] for d in ("d1", "d2", "d3")}, ["d1", "d2", "d3"]
        )
        store.replace_suggestions(
            "ner-model",
            {
                "d1": [(*SUDANI, "actor", 0.9), (*DAESH, "actor", 0.6)],
                "d2": [(*INNA_DAESH, "actor", 0.4)],
                "d3": [(*SUDANI, "actor", 0.8)],
            },
            ["d1", "d2", "d3"],
        )
        store.replace_suggestions("figures", {"d2": [(0, 3, "figure", None)]}, ["d2"])
        # ali, d1 (in progress): the place and السوداني accepted, داعش rejected with X
        store.add_span("d1", "ali", *ANBAR, "place", user="ali", origin="places.jsonl")
        store.add_span("d1", "ali", *SUDANI, "actor", user="ali")  # tagged by hand: the layer decides
        store.reject_suggestion("d1", "ali", suggestion(store, "d1", *DAESH, "actor"), user="ali")
        # ali, d2 (done): داعش without إن (the model's span is covered by another); place and figure left out
        store.add_span("d2", "ali", *DAESH, "actor", user="ali")
        store.set_status("d2", "ali", "done", user="ali")
        # mona, d1 (in progress): a shorter place; a rejection of داعش undone; السوداني not decided
        store.add_span("d1", "mona", ANBAR[0], ANBAR[0] + 4, "place", user="mona")
        store.reject_suggestion("d1", "mona", suggestion(store, "d1", *DAESH, "actor"), user="mona")
        assert store.undo("d1", "mona", user="mona") is not None
        # mona, d3 (done): السوداني accepted, the place left out
        store.add_span("d3", "mona", *SUDANI, "actor", user="mona", origin="ner-model")
        store.set_status("d3", "mona", "done", user="mona")
    return db_path


EXPECTED = {
    # d1 ali accepted, d1 mona covered, d2 ali done without, d3 mona done without (d2 mona, d3 ali: never opened)
    "places.jsonl": {"suggestions": 3, "documents": 3, "accepted": 1, "rejected": 3, "pending": 0, "precision": 0.25},
    # d1 السوداني: ali accepted, mona pending; d1 داعش: ali rejected, mona pending (undone); d2 إن داعش: ali
    # covered; d3 السوداني: mona accepted
    "ner-model": {"suggestions": 4, "documents": 3, "accepted": 2, "rejected": 2, "pending": 2, "precision": 0.5},
    # d2: ali done without it
    "figures": {"suggestions": 1, "documents": 1, "accepted": 0, "rejected": 1, "pending": 0, "precision": 0.0},
}


def test_stats_per_source_against_a_hand_count(decided: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "stats", "--db", str(decided), "--json")
    assert (code, err) == (0, "")
    sources = json.loads(out)["sources"]
    assert {name: {k: v for k, v in entry.items() if k != "annotators"} for name, entry in sources.items()} == EXPECTED
    assert sources["ner-model"]["annotators"] == {
        "ali": {"accepted": 1, "rejected": 2, "pending": 0},
        "mona": {"accepted": 1, "rejected": 0, "pending": 2},
    }
    code, out, _ = run(capsys, "stats", "--db", str(decided), "--json", "--annotators", "ali")
    only_ali = json.loads(out)["sources"]["places.jsonl"]
    assert (only_ali["accepted"], only_ali["rejected"], only_ali["pending"]) == (1, 1, 0)
    code, out, _ = run(capsys, "stats", "--db", str(decided))
    assert code == 0
    assert re.search(r"ner-model\s*│\s*4\s*│\s*3\s*│\s*2\s*│\s*2\s*│\s*2\s*│\s*50%", out)
    assert re.search(r"places\.jsonl\s*│\s*3\s*│\s*3\s*│\s*1\s*│\s*3\s*│\s*0\s*│\s*25%", out)
    assert "precision = accepted / (accepted + rejected)" in " ".join(out.split())


def test_the_report_shows_the_sources(decided: Path) -> None:
    with Store(decided) as store:
        data = read_report(store)
    page = build_html(
        data["stats"], data["agreement"], data["minutes"], data["titles"], agreement_note=data["agreement_note"]
    )
    assert "<h2>Suggestions</h2>" in page
    assert "<tr><td>ner-model</td><td>4</td><td>3</td><td>2</td><td>2</td><td>2</td><td>50%</td></tr>" in page


def test_the_time_table_lists_the_20_slowest_and_sums_up_the_rest() -> None:
    titles = {f"m{i}": f"عنوان {i}" for i in range(1, 26)}
    minutes = {"ali": {f"m{i}": float(i) for i in range(1, 26)}, "mona": {"m25": 5.0}}
    html = "".join(time_table(minutes, titles, ["ali", "mona"]))
    listed = re.findall(r"<tr><td>(m\d+)</td>", html)
    # m25's mean is (25 + 5) / 2 = 15, after m15 at the same mean (corpus order breaks the tie)
    assert listed == [f"m{i}" for i in range(24, 15, -1)] + ["m15", "m25"] + [f"m{i}" for i in range(14, 5, -1)]
    assert "The 20 slowest of 25 timed done articles, slowest first" in html
    assert "5 more articles not listed: 1.0–5.0 minutes each, 15 minutes in all" in html
    small = "".join(time_table({"ali": {"m1": 2.0, "m2": 3.0}}, titles, ["ali"]))
    assert re.findall(r"<tr><td>(m\d+)</td>", small) == ["m2", "m1"]
    assert "All 2 timed done articles" in small and "not listed" not in small
