"""Agreement figures as people read them: no `-0.00`, and no "least" pair when every pair reads the same."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotator.agreement import agreement_report, reading
from annotator.agreement.numbers import measure
from annotator.cli import main
from annotator.model import Document
from annotator.store import Store

SENTENCE = "قال السوداني إن داعش هاجم مواقع في الأنبار أمس وإن التحالف الدولي رد بغارات على مواقع التنظيم"
TEXT = " ".join([SENTENCE] * 6)
WORDS = [m.span() for m in re.finditer(r"\S+", TEXT)]


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
def team(db_path: Path) -> Path:
    """Three annotators who agree on every actor and quote; ali and sara each tag one other word a place."""
    actors = [m.span() for m in re.finditer("داعش|التحالف الدولي", TEXT)]
    with Store(db_path) as store:
        store.import_batch([Document("d1", "عنوان", TEXT), Document("d2", "عنوان ٢", TEXT)], [], user="lead")
        for name in ("ali", "mona", "sara"):
            for doc_id in ("d1", "d2"):
                for start, end in actors:
                    store.add_span(doc_id, name, start, end, "actor", user=name)
                store.add_span(doc_id, name, WORDS[5][0], WORDS[8][1], "quote", user=name)
                store.set_status(doc_id, name, "done", user=name)
        store.add_span("d1", "ali", *WORDS[7], "place", user="ali")
        store.add_span("d2", "sara", *WORDS[20], "place", user="sara")
    return db_path


def test_a_tiny_negative_reads_zero_and_equal_pairs_are_not_ranked(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "agreement", "--db", str(team), "--json")
    assert code == 0
    place = json.loads(out)["layers"]["entity"]["labels"]["place"]["krippendorff_alpha"]
    assert -0.005 < place < 0  # the JSON keeps the float as computed
    code, out, err = run(capsys, "agreement", "--db", str(team), "--bidi", "terminal")
    assert code == 0, err
    assert "-0.00" not in out
    assert "place is unreliable (α 0.00)." in out
    assert "quote: every pair agrees equally (κ 1.00)." in out
    assert "pair agreeing least is ali and mona" not in out
    assert re.search(r"entity: the pair agreeing least is \w+ and \w+ \(κ 0\.\d\d\)\.", out), out


def test_the_html_report_never_writes_a_negative_zero(
    team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.lead.html import agreement_section

    with Store(team) as store:
        report = agreement_report(store, None)
    report["layers"]["entity"]["krippendorff_alpha"] = -1e-17
    html = "".join(agreement_section(report, None))
    assert "Krippendorff α 0.00 " in html and "-0.00" not in html
    target = tmp_path / "r.html"
    code, _, err = run(capsys, "report", "--db", str(team), "-o", str(target))
    assert code == 0, err
    assert "-0.00" not in target.read_text(encoding="utf-8")


def _pair(a: str, b: str, kappa: float) -> dict[str, object]:
    return {"a": a, "b": b, "cohen_kappa": kappa}


def test_the_least_line_names_every_pair_tied_at_the_bottom() -> None:
    def least(pairs: list[dict[str, object]]) -> list[str]:
        layer = {"pairs": pairs, "labels": {}, "confusion": []}
        return [line for line in reading({"documents": 1, "layers": {"entity": layer}}) if "pair" in line]

    assert least([_pair("ali", "mona", 0.5), _pair("ali", "sara", 0.8)]) == [
        "entity: the pair agreeing least is ali and mona (κ 0.50)."
    ]
    assert least([_pair("ali", "mona", 0.5), _pair("ali", "sara", 0.501), _pair("mona", "sara", 0.9)]) == [
        "entity: the pairs agreeing least are ali and mona, ali and sara (κ 0.50)."
    ]
    assert least([_pair("ali", "mona", 0.999), _pair("ali", "sara", 1.0)]) == [
        "entity: every pair agrees equally (κ 1.00)."
    ]


def test_measure_writes_two_decimals_a_dash_and_no_negative_zero() -> None:
    assert [measure(v) for v in (None, -1e-17, -0.004, -0.0051, 0.0, 0.999, -0.5)] == [
        "–",
        "0.00",
        "0.00",
        "-0.01",
        "0.00",
        "1.00",
        "-0.50",
    ]
    assert measure(-0.04, 1) == "0.0" and measure(-0.06, 1) == "-0.1"
