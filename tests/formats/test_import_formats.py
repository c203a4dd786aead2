"""Import of other tools' files (issue 17): every record with annotations imports them or fails the import."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotator.store import Store

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    """An empty database file (created, so its bytes can be compared after a failed import)."""
    path = tmp_path / "db" / "annotations.db"
    path.parent.mkdir()
    Store(path).close()
    return path


TEXT = "قال السوداني إن داعش في الأنبار"
SUDANI, DAESH, ANBAR = (4, 12), (16, 20), (24, 31)


def write_lines(path: Path, records: list[Any]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def spans_of(db: Path, doc_id: str, annotator: str) -> list[tuple[int, int, str]]:
    with Store(db) as store:
        return [(s.start, s.end, s.label) for s in store.spans(doc_id, annotator)]


def failed_cleanly(db: Path, before: bytes, code: int, err: str) -> list[str]:
    """The import failed with one-line errors and left the database byte for byte as it was."""
    assert code == 1, err
    assert db.read_bytes() == before
    lines = err.strip().splitlines()
    assert all(line.startswith("annotator: error: ") and "Traceback" not in line for line in lines), err
    return lines


def test_doccano_label_triples_import_their_spans(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    path = write_lines(
        tmp_path / "doccano.jsonl",
        [
            {"id": 7, "text": TEXT, "label": [[*SUDANI, "PER"], [*DAESH, "ORG"], [*ANBAR, "LOC"]], "Comments": []},
        ],
    )
    code, out, err = run_cli(
        "import", "--db", str(fresh_db), str(path), "--as", "ali", "--label-map", "PER=actor,ORG=actor,LOC=place"
    )
    assert code == 0, err
    assert "1 document added, 0 already present, 3 spans added." in out
    assert spans_of(fresh_db, "7", "ali") == [(*SUDANI, "actor"), (*DAESH, "actor"), (*ANBAR, "place")]


def test_doccano_entities_form_and_relations_checked_then_stored(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    entities = [{"id": 1, "label": "actor", "start_offset": DAESH[0], "end_offset": DAESH[1]}]
    path = write_lines(tmp_path / "doccano.jsonl", [{"id": "d", "text": TEXT, "entities": entities, "relations": []}])
    code, _, err = run_cli("import", "--db", str(fresh_db), str(path), "--as", "ali")
    assert code == 0, err
    assert spans_of(fresh_db, "d", "ali") == [(*DAESH, "actor")]
    before = fresh_db.read_bytes()
    relations = [{"id": 1, "from_id": 1, "to_id": 2, "type": "said"}]
    bad = write_lines(tmp_path / "rel.jsonl", [{"id": "e", "text": TEXT, "entities": entities, "relations": relations}])
    lines = failed_cleanly(fresh_db, before, *run_cli("import", "--db", str(fresh_db), str(bad), "--as", "ali")[::2])
    assert lines[0] == f"annotator: error: {bad}:1: relation 0: to_id 2 is not the id of an entity of this record"
    # a valid speaker link is stored with its spans, and the summary counts it
    quote = {"id": 2, "label": "quote", "start_offset": DAESH[0], "end_offset": ANBAR[1]}
    actor = {"id": 3, "label": "actor", "start_offset": SUDANI[0], "end_offset": SUDANI[1]}
    link = [{"id": 1, "from_id": 2, "to_id": 3, "type": "speaker"}]
    good = write_lines(
        tmp_path / "link.jsonl", [{"id": "e", "text": TEXT, "entities": [quote, actor], "relations": link}]
    )
    code, out, err = run_cli("import", "--db", str(fresh_db), str(good), "--as", "ali")
    assert code == 0, err
    assert out.strip() == "1 document added, 0 already present, 2 spans added, 1 relation added."
    with Store(fresh_db) as store:
        spans = {span.id: (span.start, span.end, span.label) for span in store.spans("e", "ali")}
        assert [(spans[r.head_span_id], spans[r.child_span_id], r.label) for r in store.relations("e", "ali")] == [
            ((DAESH[0], ANBAR[1], "quote"), (*SUDANI, "actor"), "speaker")
        ]


def test_doccano_document_labels_are_an_error(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    before = fresh_db.read_bytes()
    path = write_lines(tmp_path / "cls.jsonl", [{"text": TEXT, "label": ["politics"]}])
    lines = failed_cleanly(fresh_db, before, *run_cli("import", "--db", str(fresh_db), str(path))[::2])
    assert f"{path}:1" in lines[0] and "'politics'" in lines[0] and "text classification" in lines[0]


def test_unknown_foreign_label_names_label_file_and_line(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    before = fresh_db.read_bytes()
    path = write_lines(
        tmp_path / "doccano.jsonl",
        [
            {"text": "نص", "label": []},
            {"text": TEXT, "label": [[*SUDANI, "PER"], [*ANBAR, "GPE"]]},
        ],
    )
    code, _, err = run_cli("import", "--db", str(fresh_db), str(path), "--as", "ali", "--label-map", "PER=actor")
    lines = failed_cleanly(fresh_db, before, code, err)
    assert len(lines) == 2 and lines[0].startswith(f"annotator: error: {path}:2: span 24-31: unknown label 'GPE'")


def test_label_map_spec_errors_are_usage_errors(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    path = write_lines(tmp_path / "a.jsonl", [{"text": TEXT}])
    code, _, err = run_cli("import", "--db", str(fresh_db), str(path), "--label-map", "PER")
    assert code == 2 and "'PER' is not FROM=TO" in err


def test_prodigy_reject_and_ignore_are_counted_not_imported(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    span = {"start": DAESH[0], "end": DAESH[1], "label": "actor", "token_start": 3, "token_end": 3}
    records = [
        {
            "text": TEXT,
            "spans": [span],
            "answer": "accept",
            "_input_hash": 11,
            "_task_hash": 12,
            "meta": {"source": "x"},
        },
        {"text": TEXT + " أمس", "spans": [span], "answer": "reject", "_input_hash": 21, "_task_hash": 22},
        {"text": TEXT + " اليوم", "spans": [span], "answer": "ignore", "_input_hash": 31, "_task_hash": 32},
    ]
    path = write_lines(tmp_path / "prodigy.jsonl", records)
    code, out, err = run_cli("import", "--db", str(fresh_db), str(path), "--as", "ali")
    assert code == 0, err
    assert out.splitlines() == [
        "1 document added, 0 already present, 1 span added.",
        f"1 record not imported (Prodigy answer ignore): {path}:3",
        f"1 record not imported (Prodigy answer reject): {path}:2",
    ]
    with Store(fresh_db) as store:
        (doc,) = store.documents()
        assert doc.meta == {"source": "x", "_input_hash": 11, "_task_hash": 12}
        assert store.status(doc.id, "ali") == "done"
    assert spans_of(fresh_db, "prodigy-1", "ali") == [(*DAESH, "actor")]


def test_prodigy_unknown_answer_is_an_error(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    before = fresh_db.read_bytes()
    path = write_lines(tmp_path / "p.jsonl", [{"text": TEXT, "spans": [], "answer": "maybe"}])
    lines = failed_cleanly(fresh_db, before, *run_cli("import", "--db", str(fresh_db), str(path), "--as", "a")[::2])
    assert lines[0] == f"annotator: error: {path}:1: unknown Prodigy answer 'maybe' (accept, reject or ignore)"


def labelstudio_task(task_id: int, text: str, annotations: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"id": task_id, "data": {"text": text}, "annotations": annotations, **extra}


def region(start: int, end: int, label: str, text: str = TEXT) -> dict[str, Any]:
    return {
        "id": f"r{start}",
        "type": "labels",
        "from_name": "label",
        "to_name": "text",
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
    }


def test_labelstudio_export_one_layer_per_annotator(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    tasks = [
        labelstudio_task(
            1,
            TEXT,
            [
                {"id": 1, "completed_by": {"id": 3, "email": "ali@example.org"}, "result": [region(*DAESH, "ORG")]},
                {"id": 2, "completed_by": 4, "result": [region(*DAESH, "ORG"), region(*ANBAR, "LOC")]},
                {"id": 3, "completed_by": 5, "was_cancelled": True, "result": []},
            ],
            predictions=[{"result": [region(*SUDANI, "PER")]}],
        ),
        labelstudio_task(2, "نص بلا وسوم", []),
    ]
    path = tmp_path / "project-1-at-2026.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli("import", "--db", str(fresh_db), str(path), "--label-map", "ORG=actor,LOC=place")
    assert code == 0, err
    assert out.splitlines() == [
        "2 documents added, 0 already present, 3 spans added.",
        f"{path}: 1 Label Studio prediction not imported (predictions are not annotations)",
        f"{path}: 1 cancelled (skipped) Label Studio annotation not imported",
    ]
    assert spans_of(fresh_db, "1", "ali@example.org") == [(*DAESH, "actor")]
    assert spans_of(fresh_db, "1", "labelstudio-4") == [(*DAESH, "actor"), (*ANBAR, "place")]
    with Store(fresh_db) as store:
        assert [d.text for d in store.documents()] == [TEXT, "نص بلا وسوم"]
        assert store.status("1", "labelstudio-4") == "done"


def test_labelstudio_as_names_the_one_layer_and_refuses_two(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    one = [labelstudio_task(1, TEXT, [{"completed_by": 9, "result": [region(*DAESH, "actor")]}])]
    path = tmp_path / "one.json"
    path.write_text(json.dumps(one, ensure_ascii=False), encoding="utf-8")
    assert run_cli("import", "--db", str(fresh_db), str(path), "--as", "mona")[0] == 0
    assert spans_of(fresh_db, "1", "mona") == [(*DAESH, "actor")]
    two = [labelstudio_task(2, TEXT + ".", [{"completed_by": 1, "result": []}, {"completed_by": 2, "result": []}])]
    path.write_text(json.dumps(two, ensure_ascii=False), encoding="utf-8")
    before = fresh_db.read_bytes()
    lines = failed_cleanly(fresh_db, before, *run_cli("import", "--db", str(fresh_db), str(path), "--as", "mona")[::2])
    assert "--as names one annotator, but the file holds 2" in lines[0]


@pytest.mark.parametrize(
    "kind, problem",
    [
        ("choices", "of type 'choices'"),
        ("misplaced", "not 'داعش' as the region says"),
    ],
)
def test_labelstudio_regions_it_cannot_store_fail(
    kind: str, problem: str, tmp_path: Path, fresh_db: Path, run_cli: Run
) -> None:
    result = (
        {"type": "choices", "value": {"choices": ["x"]}}
        if kind == "choices"
        else {**region(*ANBAR, "actor"), "value": {**region(*ANBAR, "actor")["value"], "text": "داعش"}}
    )
    path = tmp_path / "ls.json"
    path.write_text(
        json.dumps([labelstudio_task(1, TEXT, [{"completed_by": 1, "result": [result]}])], ensure_ascii=False),
        encoding="utf-8",
    )
    before = fresh_db.read_bytes()
    lines = failed_cleanly(fresh_db, before, *run_cli("import", "--db", str(fresh_db), str(path))[::2])
    assert (
        lines[0].startswith(f"annotator: error: {path}: task 1 (id 1), annotation 1: result 0") and problem in lines[0]
    )


def test_labelstudio_export_is_not_one_plain_text_article(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    """The file named .txt or with no extension is still recognised by its content."""
    tasks = [labelstudio_task(1, TEXT, [{"completed_by": 1, "result": [region(*DAESH, "actor")]}])]
    path = tmp_path / "export"
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=2), encoding="utf-8")
    code, _, err = run_cli("import", "--db", str(fresh_db), str(path))
    assert code == 0, err
    with Store(fresh_db) as store:
        assert [d.text for d in store.documents()] == [TEXT]
    assert spans_of(fresh_db, "1", "labelstudio-1") == [(*DAESH, "actor")]


def test_json_lines_without_extension_are_json_lines(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    path = write_lines(
        tmp_path / "batch",
        [
            {
                "id": "a",
                "text": TEXT,
                "annotator": "ali",
                "spans": [{"start": DAESH[0], "end": DAESH[1], "label": "actor"}],
            },
            {"id": "b", "text": "نص آخر"},
        ],
    )
    code, out, err = run_cli("import", "--db", str(fresh_db), str(path))
    assert code == 0, err
    assert out.strip() == "2 documents added, 0 already present, 1 span added."
    assert spans_of(fresh_db, "a", "ali") == [(*DAESH, "actor")]


def test_plain_text_starting_with_a_brace_stays_text(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    path = tmp_path / "note.txt"
    path.write_text("{ملاحظة} " + TEXT, encoding="utf-8")
    assert run_cli("import", "--db", str(fresh_db), str(path))[0] == 0
    with Store(fresh_db) as store:
        assert [d.text for d in store.documents()] == ["{ملاحظة} " + TEXT]


def test_changed_text_names_file_and_line(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    first = write_lines(tmp_path / "v1.jsonl", [{"id": "render", "text": TEXT}])
    assert run_cli("import", "--db", str(fresh_db), str(first))[0] == 0
    before = fresh_db.read_bytes()
    second = write_lines(tmp_path / "v2.jsonl", [{"id": "other", "text": "نص"}, {"id": "render", "text": TEXT + "."}])
    lines = failed_cleanly(fresh_db, before, *run_cli("import", "--db", str(fresh_db), str(second))[::2])
    assert lines[0] == f"annotator: error: {second}:2: document 'render' is already stored with a different text"


def test_spans_and_foreign_annotations_together_are_refused(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    before = fresh_db.read_bytes()
    path = write_lines(
        tmp_path / "both.jsonl", [{"text": TEXT, "annotator": "a", "spans": [], "label": [[*DAESH, "actor"]]}]
    )
    lines = failed_cleanly(fresh_db, before, *run_cli("import", "--db", str(fresh_db), str(path))[::2])
    assert 'holds annotations twice ("spans", "label")' in lines[0]


ANERCORP = """فرانكفورت B-LOC
(د O
ب O
أ) O
أعلن O
اتحاد B-ORG
صناعة I-ORG
السيارات I-ORG
في O
ألمانيا B-LOC
امس O
. O
ورأى O
ميشيل B-PERS
السوداني I-PERS
. O
"""


def test_anercorp_style_iob_file_imports_with_a_label_map(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    path = tmp_path / "ANERCorp.txt"
    path.write_text(ANERCORP, encoding="utf-8")
    code, out, err = run_cli(
        "import", "--db", str(fresh_db), str(path), "--as", "anercorp", "--label-map", "LOC=place,ORG=actor,PERS=actor"
    )
    assert code == 0, err
    assert out.splitlines() == [
        "1 document added, 0 already present, 4 spans added.",
        f"{path}: CoNLL holds tokens, not text: the text of its 1 document is the tokens joined by single spaces, "
        "a line per sentence",
    ]
    with Store(fresh_db) as store:
        (doc,) = store.documents()
        assert doc.id == "ANERCorp-1" and doc.text.startswith("فرانكفورت (د ب أ) أعلن اتحاد صناعة السيارات")
        found = [(doc.text[s.start : s.end], s.label) for s in store.spans(doc.id, "anercorp")]
    assert found == [
        ("فرانكفورت", "place"),
        ("اتحاد صناعة السيارات", "actor"),
        ("ألمانيا", "place"),
        ("ميشيل السوداني", "actor"),
    ]


def test_conll_label_neither_known_nor_mapped_names_it(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    path = tmp_path / "a.conll"
    path.write_text(ANERCORP, encoding="utf-8")
    before = fresh_db.read_bytes()
    code, _, err = run_cli(
        "import", "--db", str(fresh_db), str(path), "--as", "x", "--label-map", "LOC=place,ORG=actor"
    )
    lines = failed_cleanly(fresh_db, before, code, err)
    assert lines[0].startswith(f"annotator: error: {path}:1: span ") and "unknown label 'PERS'" in lines[0]


def test_our_conll_export_imports_back_both_layers(tmp_path: Path, fresh_db: Path, run_cli: Run) -> None:
    text = "قال السوداني: «داعش في الأنبار انتهى». وعاد الوفد."
    source = tmp_path / "src" / "annotations.db"
    source.parent.mkdir()
    with Store(source) as store:
        from annotator.model import Document

        store.import_batch([Document("d", "d", text)], [], user="lead")
        quote = (text.index("داعش"), text.index("انتهى") + len("انتهى"))
        for start, end, label in [
            (4, 12, "actor"),
            (*quote, "quote"),
            (quote[0], quote[0] + 4, "actor"),
            (text.index("الأنبار"), text.index("الأنبار") + 7, "place"),
        ]:
            store.add_span("d", "ali", start, end, label, user="ali")
        store.set_status("d", "ali", "done", user="ali")
    conll = tmp_path / "ali.conll"
    assert (
        run_cli(
            "export", "--db", str(source), "-f", "conll", "--annotator", "ali", "--scheme", "bioes", "-o", str(conll)
        )[0]
        == 0
    )
    code, _, err = run_cli("import", "--db", str(fresh_db), str(conll), "--as", "ali")
    assert code == 0, err
    with Store(fresh_db) as store, Store(source) as original:
        (doc,) = store.documents()
        got = sorted((doc.text[s.start : s.end], s.label) for s in store.spans(doc.id, "ali"))
        want = sorted((text[s.start : s.end], s.label) for s in original.spans("d", "ali"))
    assert [(piece.replace(" ", ""), label) for piece, label in got] == [(p.replace(" ", ""), l) for p, l in want]
