"""Benchmark: the whole `annotator suggest --model` over 1,000 articles, beside spaCy's bare `nlp.pipe`.

Run from the repository root: ``python tests/benchmarks/bench_model_suggest.py [ARTICLES] [--model DIR] [--beam N]``.
Without --model, a model is trained first (60 steps, on a silver layer of the bundled corpus built
with the figures rule and a few actor and place patterns: tests/model_loop/silver.py; --beam N trains
a beam model, whose confidences cost a beam search): the speed of predicting does not depend on how
long the model was trained, only on its size and how many entities it finds. The articles are
bench_suggest's (about 5,000 characters of corpus lines each), imported into a fresh database.

Ours is the command itself, run in-process through `annotator.cli.main(["suggest", "--db", DB,
"--model", DIR])`: it loads the pipeline, reads every document from the database, runs the pipeline,
maps labels, moves edges to grapheme clusters, trims proclitics, and writes the suggestions table in
its one transaction. The reference is spaCy alone on the same texts in the same run: `spacy.load(DIR)`
then `list(nlp.pipe(texts))`, both with a freshly loaded pipeline as the command has (its vocabulary
grows on the first pass over new words). The order is bare, ours, bare; the reference is the faster
bare run. The target (≤ 1.3×) is judged against the bare pipe WITHOUT its load, the stricter figure;
the ratio against load + pipe is printed too. With a beam model the entity counts differ a little:
ours runs one beam per line (see `annotator.model_loop.predict._beamed`), the bare pipe one per article. `predict` alone (no database, a fresh pipeline) is timed
as a third row, to tell mapping from reading and writing. Exits 1 when a target is missed, in CPU time (the cores are
shared; wall time is printed too).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

from bench_suggest import articles  # noqa: E402

from annotator.model_loop.predict import predict  # noqa: E402

TARGET_RATIO = 1.3
LABEL_MAP = {"actor": "actor", "figure": "figure", "place": "place"}


def train_small_model(folder: Path, steps: int = 60, beam: int = 1) -> Path:
    """A model trained for `steps` steps on the corpus's silver layer, saved in folder."""
    from model_loop.silver import write_silver

    from annotator.importer import expand_paths, parse_files
    from annotator.model_loop.training import save, train
    from annotator.store import Store

    db = folder / "silver.db"
    with Store(db) as store:
        files, _ = expand_paths([ROOT / "corpus"])
        parsed = parse_files(files, store.labels())
        store.import_batch(parsed.documents, parsed.spans, user="lead")
        texts = [(document.id, document.text) for document in store.documents()]
        silver = parse_files([write_silver(texts, folder / "silver.jsonl")], store.labels())
        store.import_batch(silver.documents, silver.spans, user="lead", done=silver.done)
        nlp, result = train(store, "silver", max_steps=steps, seed=0, beam=beam)
    return save(nlp, result, folder / "model", seed=0, dev=0.2, force=True)


def article_database(path: Path, texts: list[str]) -> Path:
    """A database holding the texts as documents art-0000…, as `annotator import` leaves it."""
    from annotator.model import Document
    from annotator.store import Store

    with Store(path) as store:
        store.import_batch(
            [Document(f"art-{i:04d}", f"article {i}", text) for i, text in enumerate(texts)], [], user="lead"
        )
    return path


def run_command(db: Path, model: Path) -> str:
    """`annotator suggest --db DB --model DIR` in-process: its output; SystemExit when it fails."""
    from annotator.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            main(["suggest", "--db", str(db), "--model", str(model)])
        except SystemExit as exc:
            if exc.code:
                raise
    return out.getvalue()


def timed(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall, CPU, result) of calling work()."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def bare(model: Path, texts: list[str]) -> tuple[float, float, float, float, int]:
    """(load wall, load CPU, pipe wall, pipe CPU, entities) of spaCy alone with a freshly loaded pipeline."""
    import spacy

    load_wall, load_cpu, nlp = timed(lambda: spacy.load(model))
    pipe_wall, pipe_cpu, docs = timed(lambda: list(nlp.pipe(texts)))
    return load_wall, load_cpu, pipe_wall, pipe_cpu, sum(len(doc.ents) for doc in docs)


def main() -> int:
    """Run both sides, print the table, exit 1 when the target is missed."""
    import spacy

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("articles", nargs="?", type=int, default=1000)
    parser.add_argument("--model", type=Path, default=None, help="a spaCy pipeline (default: train a small one)")
    parser.add_argument("--beam", type=int, default=1, help="beam width of the model trained without --model")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        model = args.model or train_small_model(folder, beam=args.beam)
        texts = articles(args.articles)
        characters = sum(len(text) for text in texts)
        db = article_database(folder / "bench.db", texts)
        spacy.load(model)  # spaCy's own modules and the pipeline's code imported once, for both sides

        first = bare(model, texts)
        print(f"bare: load {first[1]:.2f}s, pipe {first[3]:.2f}s CPU", flush=True)
        ours_wall, ours_cpu, output = timed(lambda: run_command(db, model))
        again = bare(model, texts)
        load_wall, load_cpu = min(first[0], again[0]), min(first[1], again[1])
        pipe_wall, pipe_cpu = min(first[2], again[2]), min(first[3], again[3])
        bare_count = first[4]
        with contextlib.closing(sqlite3.connect(db)) as conn:
            written = conn.execute("SELECT count(*) FROM suggestions").fetchone()[0]
        print(f"ours {ours_cpu:.2f}s CPU, bare pipe {pipe_cpu:.2f}s CPU; timing predict alone…", flush=True)
        nlp = spacy.load(model)
        predict_wall, predict_cpu, found = timed(lambda: predict(nlp, texts, LABEL_MAP))
    predicted = sum(len(entities) for entities in found.entities)
    ratio_cpu, ratio_wall = ours_cpu / pipe_cpu, ours_wall / pipe_wall
    loaded_cpu, loaded_wall = ours_cpu / (load_cpu + pipe_cpu), ours_wall / (load_wall + pipe_wall)
    print(f"{len(texts):,} articles, {characters:,} characters, model {model.name}")
    print(f"{'':44} {'wall':>8} {'CPU':>8} {'entities':>10}")
    print(f"{'spaCy: spacy.load (fresh pipeline)':44} {load_wall:>7.2f}s {load_cpu:>7.2f}s")
    print(f"{'spaCy: nlp.pipe (bare)':44} {pipe_wall:>7.2f}s {pipe_cpu:>7.2f}s {bare_count:>10,}")
    print(f"{'ours: annotator suggest --model (whole)':44} {ours_wall:>7.2f}s {ours_cpu:>7.2f}s {written:>10,}")
    print(f"{'  of which predict alone (pipe + map)':44} {predict_wall:>7.2f}s {predict_cpu:>7.2f}s {predicted:>10,}")
    print(f"{'ratio to the bare pipe (target ≤ 1.3× CPU)':44} {ratio_wall:>7.2f}× {ratio_cpu:>7.2f}×")
    print(f"{'ratio to load + pipe':44} {loaded_wall:>7.2f}× {loaded_cpu:>7.2f}×")
    print("command output: " + " | ".join(line.strip() for line in output.strip().splitlines()[:5]) + " | …")
    if not bare_count:
        print("FAIL: the model found no entity, so nothing of ours was measured (train it longer)")
        return 1
    if written != predicted:
        print(f"FAIL: the command wrote {written} suggestions, predict found {predicted}")
        return 1
    if ratio_cpu > TARGET_RATIO:
        print(f"FAIL: the command takes {ratio_cpu:.2f}× the bare pipe (target ≤ {TARGET_RATIO}×)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
