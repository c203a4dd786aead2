"""Benchmark (on demand): replaying a long gold log into the review's decisions and undo/redo targets, which
runs after every gold change, against reading that same log from the store (which it always follows).

    python tests/benchmarks/bench_review_log.py

Prints a table and exits 1 when a target is missed.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from annotator.agreement.disagreement import Region  # noqa: E402
from annotator.decision_log import decisions, last_step, majority_steps, redo_steps, redo_target  # noqa: E402
from annotator.model import GOLD, Document  # noqa: E402
from annotator.store import Store  # noqa: E402

WORDS = 6_000
STEPS = 3_000
TARGET = 1.5  # the replay may add at most half again the time of reading the log it follows


def best_of(runs: int, action: Callable[[], Any]) -> float:
    """The fastest of `runs` timings of action, in seconds."""
    best = float("inf")
    for _ in range(runs):
        began = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - began)
    return best


def gold_log(store: Store) -> list[Region]:
    """A gold layer of one article written as a lead would: tags, speaker links, undos; returns regions on it."""
    text = " ".join(f"كلمة{i % 97}" for i in range(WORDS))
    store.import_batch([Document("d", "d", text)], [], user="lead")
    starts = [i for i in range(1, len(text)) if text[i - 1] == " "]
    rng = random.Random(3)
    quotes: list[int] = []
    actors: list[int] = []
    for _ in range(STEPS):
        roll = rng.random()
        try:
            if roll < 0.5 or len(actors) < 2:
                start = rng.choice(starts)
                label = "actor" if rng.random() < 0.5 else "quote"
                edit = store.apply("d", GOLD, add=[(start, start + 4, label)], user="lead")
                (actors if label == "actor" else quotes).extend(s.id for s in edit.added if s.id is not None)
            elif roll < 0.8 and quotes:
                store.link("d", GOLD, rng.choice(quotes), rng.choice(actors), user="lead")
            else:
                store.undo("d", GOLD, user="lead")
        except Exception:  # an overlap refused, a link already there, a span undone away: the next step goes on
            continue
    spans = {s.id for s in store.spans("d", GOLD)}
    quotes = [q for q in quotes if q in spans]
    return [Region(s, s + 4, "speaker", {}) for s in starts[::20]] + [
        Region(s, s + 4, "entity", {}) for s in starts[10::20]
    ]


def main() -> int:
    """Time the replay and the read; print the table; 1 when the replay takes over TARGET times the read."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "log.db")
        regions = gold_log(store)
        layer_of = store.label_schema().layer_of
        events = [e for e in store.events("d") if e["annotator"] == GOLD]

        def replay() -> None:
            decisions(regions, events, layer_of)
            last = last_step(events)
            majority_steps(events, last)
            redo_steps(events)
            redo_target(events)

        read = best_of(5, lambda: [e for e in store.events("d") if e["annotator"] == GOLD])
        replayed = best_of(5, replay)
        store.close()
    ratio = replayed / read
    print(f"gold log of {len(events)} events, {len(regions)} regions")
    print(f"{'what':<44}{'ours':>10}{'reference':>28}  ratio (target)")
    ok = ratio <= TARGET
    print(
        f"{'replay: decisions, u and U targets':<44}{replayed * 1000:>8.1f} ms{'read of the log':>20} "
        f"{read * 1000:>5.1f} ms  {ratio:.2f}× (≤ {TARGET}×)  {'ok' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
