"""Relations read back from every format that has them (issue 20), parsed and validated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotator.export.records import LayerRecord
from annotator.export.run import make_format
from annotator.importer import ParsedImport, parse_files
from annotator.model import DEFAULT_LABELS, Document, Relation, Span

TEXT = "قال السوداني إن داعش خسر الأنبار"
SUDANI = (4, 12)
QUOTE = (16, 32)
DAESH = (16, 20)


def parse(path: Path, **options: Any) -> ParsedImport:
    return parse_files([path], DEFAULT_LABELS, **options)


def links(parsed: ParsedImport) -> list[tuple[tuple[int, int, str], tuple[int, int, str], str]]:
    """Each relation as (head span, child span, label), by offsets."""
    out = []
    for relation in parsed.relations:
        head, child = parsed.spans[relation.head_span_id], parsed.spans[relation.child_span_id]
        out.append(((head.start, head.end, head.label), (child.start, child.end, child.label), relation.label))
    return out


SPEAKER = ((*QUOTE, "quote"), (*SUDANI, "actor"), "speaker")


def write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def prodigy_relation(head: tuple[int, int, str], child: tuple[int, int, str], label: str = "speaker") -> dict[str, Any]:
    return {
        "head": 0,
        "child": 0,
        "label": label,
        "head_span": dict(zip(("start", "end", "label"), head)),
        "child_span": dict(zip(("start", "end", "label"), child)),
    }


def ours(relations: list[dict[str, Any]], spans: list[tuple[int, int, str]] | None = None) -> dict[str, Any]:
    spans = [(*SUDANI, "actor"), (*QUOTE, "quote")] if spans is None else spans
    return {
        "id": "d",
        "text": TEXT,
        "annotator": "ali",
        "spans": [dict(zip(("start", "end", "label"), s)) for s in spans],
        "relations": relations,
    }


def test_our_jsonl_relations_are_parsed(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", [ours([prodigy_relation((*QUOTE, "quote"), (*SUDANI, "actor"))])])
    parsed = parse(path)
    assert links(parsed) == [SPEAKER]
    assert parsed.errors == []


def test_positions_follow_the_spans_across_records(tmp_path: Path) -> None:
    first = ours([prodigy_relation((*QUOTE, "quote"), (*SUDANI, "actor"))])
    second = {**first, "annotator": "bob", "spans": [{"start": 16, "end": 20, "label": "actor"}, *first["spans"]]}
    parsed = parse(write(tmp_path / "a.jsonl", [first, second]))
    assert links(parsed) == [SPEAKER, SPEAKER]
    assert [parsed.spans[r.head_span_id].annotator for r in parsed.relations] == ["ali", "bob"]


def test_prodigy_relation_to_a_span_outside_spans_adds_it(tmp_path: Path) -> None:
    record = {
        **ours([prodigy_relation((*QUOTE, "quote"), (*SUDANI, "actor"))], [(*SUDANI, "actor")]),
        "answer": "accept",
        "_input_hash": 1,
    }
    parsed = parse(write(tmp_path / "p.jsonl", [record]))
    assert links(parsed) == [SPEAKER]
    assert sorted((s.start, s.end, s.label) for s in parsed.spans) == [(*SUDANI, "actor"), (*QUOTE, "quote")]


def test_doccano_and_labelstudio_relations(tmp_path: Path) -> None:
    entities = [
        {"id": 7, "label": "quote", "start_offset": QUOTE[0], "end_offset": QUOTE[1]},
        {"id": 9, "label": "actor", "start_offset": SUDANI[0], "end_offset": SUDANI[1]},
    ]
    doccano = write(
        tmp_path / "d.jsonl",
        [{"text": TEXT, "entities": entities, "relations": [{"id": 1, "from_id": 7, "to_id": 9, "type": "speaker"}]}],
    )
    assert links(parse(doccano, as_name="ali")) == [SPEAKER]

    def region(rid: str, start: int, end: int, label: str) -> dict[str, Any]:
        return {
            "id": rid,
            "type": "labels",
            "from_name": "label",
            "to_name": "text",
            "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]},
        }

    for direction, ends in (("right", ("q", "s")), ("left", ("s", "q"))):
        result = [
            region("s", *SUDANI, "actor"),
            region("q", *QUOTE, "quote"),
            {"type": "relation", "from_id": ends[0], "to_id": ends[1], "direction": direction, "labels": ["speaker"]},
        ]
        task = {"data": {"text": TEXT}, "annotations": [{"completed_by": 3, "result": result}]}
        path = tmp_path / f"ls-{direction}.json"
        path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
        assert links(parse(path)) == [SPEAKER], direction


@pytest.mark.parametrize(
    ("relations", "message"),
    [
        (
            [prodigy_relation((*QUOTE, "quote"), (*SUDANI, "actor"), "said")],
            "relation 0 'said': unknown relation (known: speaker)",
        ),
        (
            [prodigy_relation((*SUDANI, "actor"), (*QUOTE, "quote"))],
            "relation 0 'speaker': needs a 'quote' head and a 'actor' child, not 'actor' 4-12 → 'quote' 16-32",
        ),
        (
            [
                prodigy_relation((*QUOTE, "quote"), (*SUDANI, "actor")),
                prodigy_relation((*QUOTE, "quote"), (*DAESH, "actor")),
            ],
            "relation 1 'speaker': the quote 16-32 already has a speaker",
        ),
        (
            [{"head": 3, "child": 1, "label": "speaker"}],
            'relation 0 needs "head_span" and "child_span" ({start, end, label}) and a "label" string',
        ),
    ],
)
def test_bad_relations_name_file_and_line(tmp_path: Path, relations: list[dict[str, Any]], message: str) -> None:
    spans = [(*SUDANI, "actor"), (*DAESH, "actor"), (*QUOTE, "quote")]
    path = write(tmp_path / "bad.jsonl", [{"text": "x"}, ours(relations, spans)])
    parsed = parse(path)
    assert parsed.errors == [f"{path}:2: {message}"]
    assert parsed.relations == []


def test_label_map_renames_relation_labels(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", [ours([prodigy_relation((*QUOTE, "quote"), (*SUDANI, "actor"), "said_by")])])
    assert links(parse(path, label_map={"said_by": "speaker"})) == [SPEAKER]


@pytest.mark.parametrize(
    ("name", "relations", "suffix"),
    [
        ("jsonl", False, ".jsonl"),
        ("prodigy", False, ".jsonl"),
        ("doccano", True, ".jsonl"),
        ("labelstudio", False, ".json"),
    ],
)
def test_each_export_of_relations_reads_back(tmp_path: Path, name: str, relations: bool, suffix: str) -> None:
    spans = [
        Span("d", "ali", *SUDANI, "actor", 1),
        Span("d", "ali", *QUOTE, "quote", 2),
        Span("d", "ali", *DAESH, "actor", 3),
    ]
    record = LayerRecord(Document("d", "t", TEXT), "ali", spans, "done", (), (Relation(2, 1, "speaker"),))
    out: Any = make_format(name, DEFAULT_LABELS, None, None, None, relations)
    text = out.render(record).text + (out.finish() if hasattr(out, "finish") else "")
    path = tmp_path / f"out{suffix}"
    path.write_text(text, encoding="utf-8")
    parsed = parse(path)
    assert links(parsed) == [SPEAKER]
    assert parsed.errors == []
