"""Speaker agreement from the store's relations: `annotator agreement` (text and --json) and the HTML report,
against the small case of test_agreement_relations computed by hand and directly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.agreement.relations import Links, speaker_agreement, speaker_json
from annotator.cli import cli, main
from annotator.commands.agreement import agreement_command
from annotator.model import Document
from annotator.store import Store

if "agreement" not in cli.commands:
    cli.add_command(agreement_command)

Range = tuple[int, int]
Q1, Q2, Q2B, Q3, Q4 = (10, 20), (30, 40), (31, 40), (50, 60), (70, 80)
S1, S2, S2B, S3, S4, S5 = (0, 5), (41, 45), (42, 45), (61, 65), (81, 85), (22, 28)
# the case of test_agreement_relations: d1 (shared Q1 with other speakers, Q2 shared by overlap, Q3 and Q4 not
# shared), d2 (one pair in common, a quote only A gave a speaker), d3 (done by A only: not compared)
A: dict[str, list[tuple[Range, Range | None]]] = {
    "d1": [(Q1, S1), (Q2, S2), (Q3, S3)],
    "d2": [((0, 10), (12, 15)), ((20, 30), (32, 35))],
    "d3": [((0, 10), (12, 15))],
}
B: dict[str, list[tuple[Range, Range | None]]] = {
    "d1": [(Q1, S5), (Q2B, S2B), (Q4, S4)],
    "d2": [((0, 10), (12, 15)), ((20, 30), None)],
}
TEXT = "قال المتحدث " * 10  # 120 letters and spaces: room for every range above


def fill(store: Store, name: str, layer: dict[str, list[tuple[Range, Range | None]]]) -> None:
    """The annotator's quotes and speakers, each pair linked in the store, every document done."""
    for doc_id, pairs in layer.items():
        for quote, speaker in pairs:
            head = store.add_span(doc_id, name, *quote, "quote", user=name).added[0]
            if speaker is not None:
                child = store.add_span(doc_id, name, *speaker, "actor", user=name).added[0]
                store.link(doc_id, name, head.id or 0, child.id or 0, user=name)
        store.set_status(doc_id, name, "done", user=name)


@pytest.fixture
def linked_db(db_path: Path) -> Path:
    with Store(db_path) as store:
        store.import_batch([Document(d, d, TEXT) for d in ("d1", "d2", "d3")], [], user="lead")
        fill(store, "amal", A)
        fill(store, "badr", B)
        assert store.check() == []
    return db_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(["agreement", *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def links(layer: dict[str, list[tuple[Range, Range | None]]], documents: set[str]) -> dict[str, Links]:
    """The direct computation's input: Links built from the case itself, not from the store."""
    return {
        doc: Links(tuple(sorted(q for q, _ in pairs)), tuple(sorted((q, s) for q, s in pairs if s is not None)))
        for doc, pairs in layer.items()
        if doc in documents
    }


def test_agreement_json_gives_the_speaker_f1_of_the_stored_links(
    linked_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(linked_db), "--json")
    assert code == 0, err
    entry = json.loads(out)["speaker"]
    compared = {"d1", "d2"}  # the documents both did
    direct = speaker_json(speaker_agreement({"amal": links(A, compared), "badr": links(B, compared)}))
    assert entry == json.loads(json.dumps(direct))
    [pair] = entry["pairs"]
    assert (pair["a"], pair["b"], pair["documents"]) == ("amal", "badr", 2)
    assert pair["exact"]["f1"] == pytest.approx(0.4)  # 2·1 / (3 + 2), by hand
    assert pair["overlap"]["f1"] == pytest.approx(4 / 7)  # P 2/3, R 2/4
    assert [pair["exact"][k] for k in ("shared_quotes", "a_pairs", "b_pairs", "a_matched")] == [3, 3, 2, 1]


def test_agreement_text_prints_the_speaker_table(linked_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", str(linked_db))
    assert code == 0, err
    assert "Who said it: speaker links" in out
    row = next(line for line in out.splitlines() if "amal · badr" in line)
    assert [cell.strip() for cell in row.split("│")[1:-1]] == ["amal · badr", "2", "3 / 4", "3/2", "0.40", "0.57"]


def test_the_html_report_has_the_speaker_table(linked_db: Path) -> None:
    from annotator.lead.data import read_report
    from annotator.lead.html import build_html

    with Store(linked_db) as store:
        data = read_report(store)
    page = build_html(data["stats"], data["agreement"], data["minutes"], data["titles"])
    section = page[page.index('id="speaker-agreement"') :]
    table = section[: section.index("</table>")]
    assert "<td>amal · badr</td><td>2</td><td>3 / 4</td><td>3/2</td><td>0.40</td><td>0.57</td>" in table


def test_no_links_no_speaker_f1(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Quotes without speakers on both sides: nothing to agree on, F1 undefined (null), not 0 or 1."""
    with Store(db_path) as store:
        store.import_batch([Document("d1", "d1", TEXT)], [], user="lead")
        fill(store, "amal", {"d1": [(Q1, None)]})
        fill(store, "badr", {"d1": [(Q1, None)]})
    code, out, err = run(capsys, "--db", str(db_path), "--json")
    assert code == 0, err
    [pair] = json.loads(out)["speaker"]["pairs"]
    assert pair["exact"]["f1"] is None and pair["exact"]["shared_quotes"] == 1
