"""`annotator docs` stays readable at 80 columns however many annotators there are: nothing cut off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from annotator.model import Document, Span
from annotator.store import Store

NAMES = ["alexandra", "mona", "saraswati", "khadija", "youssef", "fatimazahra"]


def test_six_annotators_at_80_columns_lose_no_column(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    text = "قال السوداني إن داعش هاجم الأنبار"
    with Store(db) as store:
        docs = [Document(f"article-{n}", f"عنوان {n}", text) for n in range(3)]
        spans = [Span(doc.id, name, 16, 20, "actor") for doc in docs for name in NAMES[: 2 + 2 * int(doc.id[-1])]]
        store.import_batch(docs, spans, user="lead")
    out = subprocess.run(
        [sys.executable, "-m", "annotator", "docs", "--db", str(db)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80", "LINES": "40"},
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert "…" not in out.stdout
    for name in NAMES:
        assert name in out.stdout, name
    for n in range(3):
        assert any(f"article-{n}" in line for line in lines)
    assert sum(" done " in line for line in lines) == 2 + 4 + 6  # one row per article and annotator who did it
