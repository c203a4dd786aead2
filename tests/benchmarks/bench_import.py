"""Benchmark: `annotator import` of 10,000 articles (about 50 MB) against a bare sqlite-utils insert_all.

Run from the repository root: ``python tests/benchmarks/bench_import.py [ARTICLES]``.
Both sides insert the same rows into a fresh database file in the same folder; ours also reads,
decodes, validates and hashes the files, as the command does. Prints a table; exits 1 past 1.5×.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from annotator.importer import expand_paths, parse_files  # noqa: E402
from annotator.model import dumps_meta  # noqa: E402
from annotator.store import Store  # noqa: E402

TARGET = 1.5


def write_corpus(folder: Path, articles: int) -> None:
    """Write `articles` .txt files of about 5,000 characters of corpus Arabic each."""
    lines = [
        line
        for path in sorted((ROOT / "corpus").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").split("\n")
        if line.strip()
    ]
    rng = random.Random(7)
    folder.mkdir()
    for i in range(articles):
        body: list[str] = []
        size = 0
        while size < 5000:
            line = rng.choice(lines)
            body.append(line)
            size += len(line) + 1
        (folder / f"article-{i:05d}.txt").write_text(f"article {i}\n" + "\n".join(body), encoding="utf-8")


def ours(folder: Path, db: Path) -> float:
    """Seconds for the import path of `annotator import FOLDER` (parse, validate, one transaction)."""
    began = time.perf_counter()
    store = Store(db)
    files, errors = expand_paths([folder])
    parsed = parse_files(files, store.labels())
    assert not errors and not parsed.errors
    store.import_batch(parsed.documents, parsed.spans, user="bench")
    store.close()
    return time.perf_counter() - began


def reference(folder: Path, db: Path, read_files: bool = False) -> float:
    """Seconds for sqlite-utils insert_all of the same rows; reading the files is timed only with read_files."""
    import sqlite_utils

    began = time.perf_counter()
    files, _ = expand_paths([folder])
    parsed = parse_files(files, [])
    rows = [
        {
            "id": d.id,
            "title": d.title,
            "text": d.text,
            "source": d.source,
            "meta": dumps_meta(d.meta),
            "text_hash": d.text_hash,
            "length": len(d.text),
            "position": i,
        }
        for i, d in enumerate(parsed.documents)
    ]
    if not read_files:
        began = time.perf_counter()
    database = sqlite_utils.Database(db)
    database["documents"].insert_all(rows, pk="id", batch_size=1000)
    database.close()
    return time.perf_counter() - began


def main() -> int:
    """Run both, print the table, exit 1 when the target is missed."""
    articles = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        write_corpus(folder, articles)
        megabytes = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        os.sync()  # the corpus just written must not be flushing to disk while the first side runs
        timings: dict[str, list[float]] = {"ours": [], "ref": [], "ref_read": []}
        for i in range(5):  # interleaved, so drifts of a noisy machine hit both sides alike
            timings["ours"].append(ours(folder, Path(tmp) / f"ours{i}.db"))
            timings["ref"].append(reference(folder, Path(tmp) / f"ref{i}.db"))
            timings["ref_read"].append(reference(folder, Path(tmp) / f"refr{i}.db", read_files=True))
        ours_s, ref_s, ref_read_s = (min(timings[key]) for key in ("ours", "ref", "ref_read"))
    ratio = ours_s / ref_s
    print(f"import {articles} articles ({megabytes:.0f} MB)")
    print(f"{'annotator import':<44} {ours_s:7.2f} s")
    print(
        f"{'sqlite-utils insert_all, rows ready':<44} {ref_s:7.2f} s  ratio {ratio:.2f}×  (target ≤ {TARGET}×)"
        f"  {'ok' if ratio <= TARGET else 'MISSED'}"
    )
    print(f"{'read the files, then sqlite-utils insert_all':<44} {ref_read_s:7.2f} s  ratio {ours_s / ref_read_s:.2f}×")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
