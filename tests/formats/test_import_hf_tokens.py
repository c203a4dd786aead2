"""A Hugging Face token file (the `-f hf` export) is told apart and refused in one line naming what to import."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.importer import HF_TOKENS, JSONL, detect
from annotator.model import Document
from annotator.store import Store

Run = Callable[..., tuple[int, str, str]]
TEXT = "قال السوداني إن داعش في الأنبار. وقال التحالف إن الغارات أصابت مواقع في العراق."


@pytest.fixture
def exported(tmp_path: Path, run_cli: Run) -> Path:
    """gold-hf.jsonl: the Hugging Face export of a gold layer over three articles (several sentences)."""
    source = tmp_path / "source.db"
    with Store(source) as store:
        store.import_batch([Document(f"d{n}", f"عنوان {n}", TEXT) for n in range(3)], [], user="lead")
        for n in range(3):
            store.add_span(f"d{n}", "gold", 16, 20, "actor", user="lead")
            store.set_status(f"d{n}", "gold", "adjudicated", user="lead")
    target = tmp_path / "gold-hf.jsonl"
    code, _, err = run_cli("export", "--db", str(source), "-f", "hf", "--gold", "-o", str(target))
    assert code == 0, err
    assert len(target.read_text(encoding="utf-8").splitlines()) > 3  # a record per sentence
    return target


def _refused(run_cli: Run, tmp_path: Path, path: Path) -> None:
    db = tmp_path / "fresh.db"
    Store(db).close()
    before = db.read_bytes()
    code, out, err = run_cli("import", "--db", str(db), str(path))
    assert code == 1 and out == ""
    problems = [line for line in err.splitlines() if "nothing imported" not in line]
    assert problems == [
        f"annotator: error: {path}: a Hugging Face token file (sentences of `tokens` and `ner_tags`, no `text`) "
        "cannot be imported: its tokens do not give the article's text back; import the JSONL export instead "
        "(annotator export -f jsonl)"
    ], err
    assert err.splitlines()[-1] == "annotator: error: nothing imported (1 problem)"
    assert db.read_bytes() == before


def test_the_hf_export_is_refused_in_one_line(exported: Path, run_cli: Run, tmp_path: Path) -> None:
    _refused(run_cli, tmp_path, exported)


def test_an_hf_file_without_its_extension_or_as_a_json_array(exported: Path, run_cli: Run, tmp_path: Path) -> None:
    records = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    bare = tmp_path / "gold-hf"
    bare.write_text(exported.read_text(encoding="utf-8"), encoding="utf-8")
    _refused(run_cli, tmp_path, bare)
    array = tmp_path / "gold-hf.json"
    array.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    _refused(run_cli, tmp_path, array)


def test_detect_needs_tokens_and_a_tag_column_without_text() -> None:
    hf = json.dumps({"id": "d-0", "tokens": ["قال"], "ner_tags": ["O"]})
    assert detect("x.jsonl", hf + "\n")[0] == HF_TOKENS
    assert detect("x", hf + "\n")[0] == HF_TOKENS
    assert detect("x.jsonl", json.dumps({"tokens": ["قال"], "quote_tags": ["O"]}))[0] == HF_TOKENS
    ours = json.dumps({"text": "قال", "tokens": [{"text": "قال", "start": 0, "end": 3, "id": 0}], "spans": []})
    assert detect("x.jsonl", ours)[0] == JSONL  # our JSONL export carries tokens too, and text
    assert detect("x.jsonl", json.dumps({"tokens": ["قال"]}))[0] == JSONL  # no tag column: the usual errors
