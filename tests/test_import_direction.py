"""Import refuses a `meta.direction` other than rtl, ltr or auto: one line naming file:line and the value,
a non-zero exit, nothing written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.store import Store

TEXT = "قال السوداني إن داعش في الأنبار"


def run_import(path: Path, db: Path) -> subprocess.CompletedProcess[str]:
    """The real command in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(path), "--db", str(db)],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=60,
    )


@pytest.mark.parametrize("value", ["rlt", "", None, 1, ["rtl"], "right-to-left"])
def test_an_invalid_direction_is_refused_and_nothing_is_written(tmp_path: Path, value: object) -> None:
    path = tmp_path / "docs.jsonl"
    records = [
        {"id": "good", "text": TEXT, "meta": {"direction": "ltr"}},
        {"id": "bad", "text": TEXT, "meta": {"direction": value}},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    db = tmp_path / "a.db"
    out = run_import(path, db)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    problem = [line for line in out.stderr.splitlines() if "meta.direction" in line]
    assert problem == [
        f'annotator: error: {path}:2: "meta.direction" is {json.dumps(value)}; use "rtl", "ltr" or "auto"'
    ]
    if db.exists():
        with Store(db) as store:
            assert store.document_list() == []


@pytest.mark.parametrize("value", ["rtl", "ltr", "auto", "RTL"])
def test_the_valid_directions_import(tmp_path: Path, value: str) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "d", "text": TEXT, "meta": {"direction": value}}) + "\n", encoding="utf-8")
    db = tmp_path / "a.db"
    out = run_import(path, db)
    assert out.returncode == 0, out.stderr
    with Store(db) as store:
        doc = store.document("d")
        assert doc is not None and doc.meta["direction"] == value
