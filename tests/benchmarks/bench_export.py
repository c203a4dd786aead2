"""Benchmark of `annotator export` (issue 8): 10,000 articles with 200,000 spans, JSONL and CoNLL.

Run on demand (pytest does not collect tests/benchmarks):

    /work/venv/bin/python tests/benchmarks/bench_export.py [--docs 10000] [--spans 20]

Builds a database in a temporary folder from lines of the bundled corpus, then times, over the
same selection (one annotator, every document done), read through the same Store calls:

* read      the documents and spans only (no output);
* baseline  json.dumps of the stored records (id, title, text, annotator, spans with their text,
            meta, relations) to a file, no tokens, no checks;
* baseline+tokens  the same records plus tokenizer tokens (tokenize(text) → text/start/end/id/ws),
            json.dumps, no span-edge cuts, no checks, no atomic rename;
* dumps only  the literal reading of issue 8: json.dumps + write of exactly the records the JSONL
            export writes, building them untimed (only json.dumps and the write are on the clock);
* jsonl / conll / conll expand / hf   the real exports (run_export: tokens cut at span edges,
            every check, temporary file + fsync + rename).

and prints a table with each time and its ratio to both baselines.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from annotator.export import make_format, run_export, select  # noqa: E402
from annotator.export.jsonl import jsonl_record  # noqa: E402
from annotator.export.records import iter_records  # noqa: E402
from annotator.model import Document, Span  # noqa: E402
from annotator.store import Store  # noqa: E402
from annotator.text.tokenizer import tokenize  # noqa: E402

ANNOTATOR = "bench"
ENTITY = ("actor", "figure", "place")


def corpus_lines() -> list[str]:
    """Non-empty lines of the bundled articles."""
    return [
        line
        for path in sorted((ROOT / "corpus").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").split("\n")
        if line.strip()
    ]


def make_spans(doc_id: str, text: str, count: int, rng: random.Random) -> list[Span]:
    """count spans: one quote over a line's middle words, the rest entities on distinct words (some cut inside)."""
    words = tokenize(text)
    picks = sorted(rng.sample(range(len(words)), min(count - 1, len(words))))
    spans = []
    for i in picks:
        word = words[i]
        start = word.start + 1 if len(word.text) > 4 and rng.random() < 0.1 else word.start  # a clitic now and then
        spans.append(Span(doc_id, ANNOTATOR, start, word.end, rng.choice(ENTITY)))
    q = rng.randrange(0, max(1, len(words) - 12))
    spans.append(Span(doc_id, ANNOTATOR, words[q].start, words[q + 10].end, "quote"))
    return spans


def build(path: Path, docs: int, per_doc: int) -> tuple[int, int]:
    """The benchmark database; returns (documents, spans)."""
    rng = random.Random(8)
    lines = corpus_lines()
    total = 0
    with Store(path) as store:
        batch_docs: list[Document] = []
        batch_spans: list[Span] = []
        for n in range(docs):
            text = "\n".join(rng.sample(lines, 7)) + "\n"
            doc_id = f"article-{n:05}"
            batch_docs.append(Document(doc_id, doc_id, text, meta={"n": n}))
            batch_spans.extend(make_spans(doc_id, text, per_doc, rng))
            if len(batch_docs) == 1000:
                total += store.import_batch(batch_docs, batch_spans, user=ANNOTATOR).spans
                batch_docs, batch_spans = [], []
        if batch_docs:
            total += store.import_batch(batch_docs, batch_spans, user=ANNOTATOR).spans
    return docs, total


def timed(action: Callable[[], object]) -> float:
    """Seconds one call takes."""
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def main() -> None:
    """Build, time, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=20, help="spans per document")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step; the best is kept")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        db = folder / "bench.db"
        began = time.perf_counter()
        docs, spans = build(db, args.docs, args.spans)
        chars = 0
        print(f"built {docs} documents, {spans} spans in {time.perf_counter() - began:.1f} s", flush=True)
        store = Store(db)
        labels = store.labels()
        selection = select(
            store, annotator=ANNOTATOR, gold=False, include_unfinished=False, one_layer=True, format_name="conll"
        )

        def read_only() -> None:
            nonlocal chars
            with store.snapshot():
                for record in iter_records(store, selection.plan):
                    chars += len(record.document.text) + len(record.spans)

        def baseline(with_tokens: bool) -> Callable[[], None]:
            def run() -> None:
                with store.snapshot(), open(folder / "baseline.jsonl", "w", encoding="utf-8") as out:
                    for record in iter_records(store, selection.plan):
                        doc = record.document
                        data = {
                            "id": doc.id,
                            "title": doc.title,
                            "text": doc.text,
                            "annotator": record.annotator,
                            "spans": [
                                {"start": s.start, "end": s.end, "label": s.label, "text": doc.text[s.start : s.end]}
                                for s in record.spans
                            ],
                            "meta": doc.meta,
                            "relations": [],
                        }
                        if with_tokens:
                            data["tokens"] = [
                                {"text": t.text, "start": t.start, "end": t.end, "id": i, "ws": t.ws}
                                for i, t in enumerate(tokenize(doc.text))
                            ]
                        out.write(json.dumps(data, ensure_ascii=False) + "\n")

            return run

        def dumps_only() -> float:
            clock = 0.0
            with store.snapshot(), open(folder / "dumps.jsonl", "w", encoding="utf-8") as out:
                for record in iter_records(store, selection.plan):
                    data = jsonl_record(record)
                    began = time.perf_counter()
                    out.write(json.dumps(data, ensure_ascii=False) + "\n")
                    clock += time.perf_counter() - began
            return clock

        def export(fmt: str, boundary: str | None = None) -> Callable[[], None]:
            def run() -> None:
                with store.snapshot():
                    run_export(
                        store,
                        selection,
                        make_format(fmt, labels, None, boundary),
                        folder / f"out-{fmt}-{boundary or 'split'}.{fmt}",
                        force=True,
                    )

            return run

        rows = [
            ("read (no output)", read_only),
            ("baseline: json.dumps, no tokens", baseline(False)),
            ("baseline+tokens: json.dumps", baseline(True)),
            ("export jsonl", export("jsonl")),
            ("export conll (split)", export("conll")),
            ("export conll (expand)", export("conll", "expand")),
            ("export hf", export("hf")),
        ]
        times = {name: min(timed(action) for _ in range(args.repeat)) for name, action in rows}
        literal = "dumps only: exact jsonl records"
        times[literal] = min(dumps_only() for _ in range(args.repeat))
        base, base_tokens, dumps = times[rows[1][0]], times[rows[2][0]], times[literal]
        print(f"{'step':34} {'seconds':>8} {'× baseline':>11} {'× baseline+tokens':>18} {'× dumps only':>13}")
        for name in [rows[0][0], rows[1][0], rows[2][0], literal, *(row[0] for row in rows[3:])]:
            t = times[name]
            print(f"{name:34} {t:8.2f} {t / base:11.2f} {t / base_tokens:18.2f} {t / dumps:13.2f}")
        sizes = ", ".join(f"{p.name} {p.stat().st_size / 2**20:.0f} MB" for p in sorted(folder.glob("out-*")))
        print(f"outputs: {sizes}")
        print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        store.close()


if __name__ == "__main__":
    main()
