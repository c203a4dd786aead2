"""Benchmark: the model's suggestions (`annotator.model_loop.predict`) over 1,000 articles, beside spaCy's bare `nlp.pipe`.

Run from the repository root: ``python tests/benchmarks/bench_model_suggest.py [ARTICLES] [--model DIR]``.
Without --model, a model is trained first (60 steps, on a silver layer of the bundled corpus built
with the figures rule and a few actor and place patterns: tests/model_loop/silver.py): the speed of
predicting does not depend on how long the model was trained, only on its size and how many entities
it finds. The articles are bench_suggest's (about 5,000 characters of corpus lines each).

Both sides run the same pipeline over the same texts in the same run, after an untimed warm-up pass
over all of them (spaCy's vocabulary grows on the first pass over new words), in the order bare,
ours, bare; the reference is the faster of the two bare runs. The reference is `list(nlp.pipe(texts))`; ours
is `predict(nlp, texts, label_map)`: the same pipe, then reading each entity, mapping its label,
moving its edges to grapheme clusters and trimming a proclitic. Writing the suggestions to the
database is not measured: the suggestions table and `annotator suggest --model` do not exist yet.
Exits 1 when ours takes more than 1.3× the bare pipe in CPU time (the cores are shared; wall time is
printed too).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

from bench_suggest import articles  # noqa: E402

from annotator.model_loop.predict import predict  # noqa: E402

TARGET_RATIO = 1.3
LABEL_MAP = {"actor": "actor", "figure": "figure", "place": "place"}


def train_small_model(folder: Path, steps: int = 60) -> Path:
    """A model trained for `steps` steps on the corpus's silver layer, saved in folder."""
    from model_loop.silver import write_silver

    from annotator.importer import expand_paths, parse_files
    from annotator.model_loop.training import save, train
    from annotator.store import Store

    db = folder / "bench.db"
    with Store(db) as store:
        files, _ = expand_paths([ROOT / "corpus"])
        parsed = parse_files(files, store.labels())
        store.import_batch(parsed.documents, parsed.spans, user="lead")
        texts = [(document.id, document.text) for document in store.documents()]
        silver = parse_files([write_silver(texts, folder / "silver.jsonl")], store.labels())
        store.import_batch(silver.documents, silver.spans, user="lead", done=silver.done)
        nlp, result = train(store, "silver", max_steps=steps, seed=0)
    return save(nlp, result, folder / "model", seed=0, dev=0.2, force=True)


def timed(work: object) -> tuple[float, float, object]:
    """(wall, CPU, result) of calling work()."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> int:
    """Run both sides, print the table, exit 1 when the target is missed."""
    import spacy

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("articles", nargs="?", type=int, default=1000)
    parser.add_argument("--model", type=Path, default=None, help="a spaCy pipeline (default: train a small one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        model = args.model or train_small_model(Path(scratch))
        nlp = spacy.load(model)
    texts = articles(args.articles)
    characters = sum(len(text) for text in texts)
    list(nlp.pipe(texts))
    bare_wall, bare_cpu, docs = timed(lambda: list(nlp.pipe(texts)))
    ours_wall, ours_cpu, found = timed(lambda: predict(nlp, texts, LABEL_MAP))
    again_wall, again_cpu, _ = timed(lambda: list(nlp.pipe(texts)))
    bare_wall, bare_cpu = min(bare_wall, again_wall), min(bare_cpu, again_cpu)
    bare_count = sum(len(doc.ents) for doc in docs)  # type: ignore[attr-defined]
    ours_count = sum(len(entities) for entities in found.entities)  # type: ignore[attr-defined]
    ratio_cpu, ratio_wall = ours_cpu / bare_cpu, ours_wall / bare_wall
    print(f"{len(texts):,} articles, {characters:,} characters, model {model}")
    print(f"{'':38} {'wall':>8} {'CPU':>8} {'entities':>10}")
    print(f"{'spaCy nlp.pipe (bare)':38} {bare_wall:>7.2f}s {bare_cpu:>7.2f}s {bare_count:>10,}")
    print(f"{'ours: predict (pipe + map, trim, snap)':38} {ours_wall:>7.2f}s {ours_cpu:>7.2f}s {ours_count:>10,}")
    print(f"{'ratio (target ≤ 1.3× in CPU)':38} {ratio_wall:>7.2f}× {ratio_cpu:>7.2f}×")
    print("database writes not measured: the suggestions table and `suggest --model` do not exist yet")
    if not bare_count:
        print("FAIL: the model found no entity, so nothing of ours was measured (train it longer)")
        return 1
    if ours_count != bare_count:
        print(f"FAIL: ours returned {ours_count} entities, the pipe {bare_count}")
        return 1
    if ratio_cpu > TARGET_RATIO:
        print(f"FAIL: ours takes {ratio_cpu:.2f}× the bare pipe (target ≤ {TARGET_RATIO}×)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
