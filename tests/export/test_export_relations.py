"""Relations in the exports (issue 20): each format's form from records built here, and from the store through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ANBAR

from annotator.export.errors import ExportError
from annotator.export.records import LayerRecord
from annotator.export.run import ExportSummary, make_format
from annotator.importer import parse_files
from annotator.model import DEFAULT_LABELS, Document, Relation, Span

TEXT = "قال السوداني إن «داعش خسر الأنبار» أمس."
SPEAKER_AT = TEXT.index("السوداني")
QUOTE_AT = TEXT.index("داعش خسر")
QUOTE_END = TEXT.index("»")
DAESH_AT = TEXT.index("داعش")
DOC = Document("d1", "title", TEXT)
CENTCOM = "القيادة المركزية للجيش الأميركي"


def spans(who: str = "ali") -> list[Span]:
    """Speaker, quote and an actor inside the quote, with store-like ids."""
    return [
        Span("d1", who, SPEAKER_AT, SPEAKER_AT + len("السوداني"), "actor", 11),
        Span("d1", who, QUOTE_AT, QUOTE_END, "quote", 12),
        Span("d1", who, DAESH_AT, DAESH_AT + len("داعش"), "actor", 13),
    ]


def record(relations: tuple[Relation, ...] = (Relation(12, 11, "speaker"),)) -> LayerRecord:
    return LayerRecord(DOC, "ali", spans(), "done", (), relations)


def fmt(name: str, layer: str | None = None, relations: bool = False) -> Any:
    """The format object (Any: the tests call each class's own methods, e.g. finish)."""
    return make_format(name, DEFAULT_LABELS, None, None, layer, relations)


def test_jsonl_carries_relations_in_prodigys_form_with_token_indices() -> None:
    rendered = fmt("jsonl").render(record())
    data = json.loads(rendered.text)
    assert rendered.relations == 1 and rendered.left_out == 0
    [relation] = data["relations"]
    tokens = data["tokens"]
    head, child = relation["head_span"], relation["child_span"]
    assert (head["start"], head["end"], head["label"]) == (QUOTE_AT, QUOTE_END, "quote")
    assert (child["start"], child["end"], child["label"]) == (SPEAKER_AT, SPEAKER_AT + 8, "actor")
    assert relation["label"] == "speaker"
    # Prodigy's convention: head and child are the last token of each span
    assert relation["head"] == head["token_end"] and relation["child"] == child["token_end"]
    assert tokens[head["token_start"]]["start"] == QUOTE_AT and tokens[head["token_end"]]["end"] == QUOTE_END
    assert "".join(t["text"] for t in tokens[child["token_start"] : child["token_end"] + 1]) == "السوداني"
    # the same indices as the spans list gives the same spans
    by_range = {(s["start"], s["end"]): (s["token_start"], s["token_end"]) for s in data["spans"]}
    assert by_range[QUOTE_AT, QUOTE_END] == (head["token_start"], head["token_end"])


def test_prodigy_one_layer_keeps_the_link_to_the_other_layer() -> None:
    data = json.loads(fmt("prodigy").render(record()).text)  # the entity layer: the quote is not in spans
    assert {s["label"] for s in data["spans"]} == {"actor"}
    [relation] = data["relations"]
    assert relation["head_span"]["label"] == "quote" and relation["child_span"]["label"] == "actor"
    tokens = data["tokens"]
    assert tokens[relation["head_span"]["token_start"]]["start"] == QUOTE_AT  # tokens still cut at the quote
    assert data["_view_id"] == "relations" and data["answer"] == "accept"
    plain = json.loads(fmt("prodigy").render(record(())).text)
    assert "relations" not in plain and plain["_view_id"] == "spans_manual"


def test_doccano_relation_form_names_entities_by_id() -> None:
    rendered = fmt("doccano", relations=True).render(record())
    data = json.loads(rendered.text)
    assert "label" not in data
    entities = {e["id"]: (e["start_offset"], e["end_offset"], e["label"]) for e in data["entities"]}
    [relation] = data["relations"]
    assert set(relation) == {"id", "from_id", "to_id", "type"} and relation["type"] == "speaker"
    assert entities[relation["from_id"]] == (QUOTE_AT, QUOTE_END, "quote")
    assert entities[relation["to_id"]] == (SPEAKER_AT, SPEAKER_AT + 8, "actor")
    # the sequence-labelling form has no place for it: counted, never silently gone
    assert fmt("doccano").render(record()).left_out == 1


def test_labelstudio_relation_result_between_regions() -> None:
    out = fmt("labelstudio")
    rendered = out.render(record())
    tasks = json.loads(rendered.text + out.finish())
    result = tasks[0]["annotations"][0]["result"]
    regions = {r["id"]: r["value"] for r in result if r["type"] == "labels"}
    [relation] = [r for r in result if r["type"] == "relation"]
    assert relation["direction"] == "right" and relation["labels"] == ["speaker"]
    assert regions[relation["from_id"]]["labels"] == ["quote"] and regions[relation["to_id"]]["text"] == "السوداني"
    # --layer entity leaves the quote out, so the link cannot go: counted
    other = fmt("labelstudio", layer="entity")
    assert other.render(record()).left_out == 1


@pytest.mark.parametrize("name", ["conll", "hf"])
def test_token_formats_count_what_they_cannot_carry(name: str) -> None:
    assert fmt(name).render(record()).left_out == 1
    assert fmt(name).render(record(())).left_out == 0
    summary = ExportSummary(format_name=name, left_out=3)
    assert summary.notes() == [
        f"{name} has no place for relations: 3 relations not in this export "
        "(use -f jsonl, prodigy, doccano or labelstudio)"
    ]
    assert ExportSummary(format_name=name).notes() == []


def test_a_relation_to_a_span_of_another_layer_is_an_error() -> None:
    with pytest.raises(ExportError, match="span id 99, which is not a span of this layer"):
        fmt("jsonl").render(record((Relation(12, 99, "speaker"),)))


def test_jsonl_round_trip_keeps_every_relation(tmp_path: Path) -> None:
    """JSONL → parse → JSONL: the same relations, the same token indices."""
    two = Relation(12, 11, "speaker")
    first = fmt("jsonl").render(record((two,))).text
    path = tmp_path / "ali.jsonl"
    path.write_text(first, encoding="utf-8")
    parsed = parse_files([path], DEFAULT_LABELS)
    assert parsed.errors == []
    [relation] = parsed.relations
    head, child = parsed.spans[relation.head_span_id], parsed.spans[relation.child_span_id]
    assert (head.start, head.end, head.label, child.start, child.label) == (
        QUOTE_AT,
        QUOTE_END,
        "quote",
        SPEAKER_AT,
        "actor",
    )
    # as the store would give them back: ids on the spans, the relation over those ids
    stored = [span._replace(id=100 + n) for n, span in enumerate(parsed.spans)]
    again = LayerRecord(
        parsed.documents[0],
        "ali",
        stored,
        "done",
        (),
        (Relation(100 + relation.head_span_id, 100 + relation.child_span_id, relation.label),),
    )
    second = fmt("jsonl").render(again).text
    assert json.loads(second)["relations"] == json.loads(first)["relations"]
    assert json.loads(second)["spans"] == json.loads(first)["spans"]


@pytest.fixture
def linked_project(project: Path) -> Path:
    """The export fixture with alice's first quote linked to «القيادة المركزية للجيش الأميركي» in the store."""
    from annotator.store import Store

    with Store(project) as store:
        spans = store.spans(ANBAR, "alice")
        document = store.document(ANBAR)
        assert document is not None
        text = document.text
        quote = next(s for s in spans if s.label == "quote")
        actor = next(s for s in spans if text[s.start : s.end] == CENTCOM)
        store.link(ANBAR, "alice", quote.id or 0, actor.id or 0, user="alice")
    return project


def test_cli_exports_the_link_and_says_what_conll_cannot_carry(
    linked_project: Path, run_cli: Any, tmp_path: Path
) -> None:
    target = tmp_path / "alice.jsonl"
    code, _, err = run_cli(
        "export", "--db", str(linked_project), "-f", "jsonl", "--annotator", "alice", "-o", str(target)
    )
    assert code == 0, err
    assert "no place for relations" not in err and ", 1 relation) as jsonl" in err  # the summary counts it
    [record] = [
        json.loads(line) for line in target.read_text(encoding="utf-8").splitlines() if json.loads(line)["id"] == ANBAR
    ]
    [relation] = record["relations"]
    tokens = record["tokens"]
    child = relation["child_span"]
    words = tokens[child["token_start"] : relation["child"] + 1]
    assert " ".join(t["text"] for t in words) == CENTCOM and relation["head_span"]["label"] == "quote"
    code, _, err = run_cli(
        "export",
        "--db",
        str(linked_project),
        "-f",
        "conll",
        "--annotator",
        "alice",
        "-o",
        str(tmp_path / "alice.conll"),
    )
    assert code == 0, err
    assert err.splitlines()[-1] == (
        "conll has no place for relations: 1 relation not in this export "
        "(use -f jsonl, prodigy, doccano or labelstudio)"
    )


def _records(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """(document, annotator) → record of a JSONL export."""
    return {(r["id"], r["annotator"]): r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def test_store_to_jsonl_to_import_to_jsonl_keeps_every_relation(
    linked_project: Path, run_cli: Any, tmp_path: Path
) -> None:
    """Two layers linked in the store (alice's and gold's), exported, imported into a new database through the
    CLI, exported again: the same records, relations and their token indices included."""
    from annotator.store import Store

    with Store(linked_project) as store:
        gold = store.spans(ANBAR, "gold")
        quote = next(s for s in gold if s.label == "quote")
        store.link(ANBAR, "gold", quote.id or 0, gold[0].id or 0, user="lead")  # gold[0]: the first داعش

    def export(db: Path, name: str) -> dict[tuple[str, str], dict[str, Any]]:
        """Alice's layer and gold's, each exported through the CLI into name-alice.jsonl and name-gold.jsonl."""
        found = {}
        for layer in ("--annotator=alice", "--gold"):
            path = tmp_path / f"{name}-{layer.strip('-').split('=')[0]}.jsonl"
            code, _, err = run_cli("export", "--db", str(db), "-f", "jsonl", layer, "-o", str(path))
            assert code == 0, err
            found.update(_records(path))
        return found

    records = export(linked_project, "first")
    linked = {key: r["relations"] for key, r in records.items() if r["relations"]}
    assert set(linked) == {(ANBAR, "alice"), (ANBAR, "gold")}
    for key, relations in linked.items():
        tokens = records[key]["tokens"]
        [relation] = relations
        for role in ("head", "child"):
            span = relation[f"{role}_span"]
            assert (
                tokens[span["token_start"]]["start"] == span["start"]
                and tokens[span["token_end"]]["end"] == span["end"]
            )
            assert relation[role] == span["token_end"]
            assert span in [{k: v for k, v in s.items() if k != "text"} for s in records[key]["spans"]]
    fresh = tmp_path / "fresh" / "annotations.db"
    fresh.parent.mkdir()
    files = [str(tmp_path / "first-annotator.jsonl"), str(tmp_path / "first-gold.jsonl")]
    code, out, err = run_cli("import", "--db", str(fresh), *files)
    assert code == 0, err
    assert out.strip().endswith(", 2 relations added.")
    assert export(fresh, "second") == records
    with Store(fresh) as store:
        assert store.check() == []
    code, out, err = run_cli("import", "--db", str(fresh), *files)  # the same files again: nothing new
    assert code == 0, err
    assert (
        out.strip()
        == f"0 documents added, {len({doc for doc, _ in records})} already present, 0 spans added, 0 relations added."
    )


def test_doccano_writes_its_relation_form_when_the_export_holds_a_relation(
    linked_project: Path, project: Path, run_cli: Any, tmp_path: Path
) -> None:
    target = tmp_path / "linked.jsonl"
    code, _, err = run_cli(
        "export", "--db", str(linked_project), "-f", "doccano", "--annotator", "alice", "-o", str(target)
    )
    assert code == 0, err
    record = next(r for r in map(json.loads, target.read_text(encoding="utf-8").splitlines()) if r["id"] == ANBAR)
    assert "label" not in record and len(record["relations"]) == 1
    [relation] = record["relations"]
    entities = {e["id"]: e for e in record["entities"]}
    head, child = entities[relation["from_id"]], entities[relation["to_id"]]
    assert (head["label"], child["label"], relation["type"]) == ("quote", "actor", "speaker")
    assert record["text"][child["start_offset"] : child["end_offset"]] == CENTCOM
    # one layer cannot hold a quote's speaker: the sequence-labelling form, and stderr says what is left out
    code, _, err = run_cli(
        "export",
        "--db",
        str(linked_project),
        "-f",
        "doccano",
        "--annotator",
        "alice",
        "--layer",
        "entity",
        "-o",
        str(tmp_path / "entity.jsonl"),
    )
    assert code == 0, err
    assert all(
        "label" in json.loads(line) for line in (tmp_path / "entity.jsonl").read_text(encoding="utf-8").splitlines()
    )
    assert "1 relation not in this export" in err
    # bob has no relation: the sequence-labelling form
    code, _, err = run_cli(
        "export", "--db", str(linked_project), "-f", "doccano", "--annotator", "bob", "-o", str(tmp_path / "bob.jsonl")
    )
    assert code == 0, err
    assert all(
        "label" in json.loads(line) and "relations" not in json.loads(line)
        for line in (tmp_path / "bob.jsonl").read_text(encoding="utf-8").splitlines()
    )
