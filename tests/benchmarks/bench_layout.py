"""Benchmark: lay out 1,000 distinct corpus lines of 77 characters (cold caches).

Run: ``python tests/benchmarks/bench_layout.py`` from the repository root.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from annotator.text import layout as layout_module  # noqa: E402
from annotator.text.layout import layout_paragraph  # noqa: E402

LINE_LENGTH = 77
LINES = 1000


def corpus_lines(count: int = LINES, length: int = LINE_LENGTH) -> list[str]:
    """Return ``count`` distinct slices of the corpus, ``length`` characters each."""
    text = " ".join(
        line
        for path in sorted((ROOT / "corpus").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").split("\n")
        if line
    )
    lines: list[str] = []
    seen: set[str] = set()
    step = 0
    while len(lines) < count:
        for start in range(step, len(text) - length, length):
            piece = text[start : start + length]
            if piece not in seen:
                seen.add(piece)
                lines.append(piece)
                if len(lines) == count:
                    break
        step += 7
    return lines


def clear_caches() -> None:
    """Drop every layout cache so the next run starts cold."""
    layout_paragraph.cache_clear()
    layout_module._prepare.cache_clear()


def run(width: int = 80, mode: str = "app", repeat: int = 5) -> float:
    """Return the best time in seconds to lay out all lines at ``width`` from cold caches."""
    lines = corpus_lines()
    best = float("inf")
    for _ in range(repeat):
        clear_caches()
        started = time.perf_counter()
        for line in lines:
            layout_paragraph(line, width, mode)  # type: ignore[arg-type]
        best = min(best, time.perf_counter() - started)
    return best


def run_with_cells(width: int = 80, repeat: int = 5) -> float:
    """Like :func:`run` in app mode, also building every Cell object and the position index."""
    lines = corpus_lines()
    best = float("inf")
    for _ in range(repeat):
        clear_caches()
        started = time.perf_counter()
        for line in lines:
            layout = layout_paragraph(line, width)
            for row in layout.rows:
                row.cells  # noqa: B018 - materialise
            layout.locate(0)
        best = min(best, time.perf_counter() - started)
    return best


def run_resize(widths: range = range(60, 100)) -> float:
    """Return seconds per width to re-lay all lines after a resize (analysis cached)."""
    lines = corpus_lines()
    clear_caches()
    for line in lines:
        layout_paragraph(line, 100)
    started = time.perf_counter()
    for width in widths:
        for line in lines:
            layout_paragraph(line, width)
    return (time.perf_counter() - started) / len(widths)


if __name__ == "__main__":
    lines = corpus_lines()
    chars = sum(map(len, lines))
    for mode in ("app", "terminal"):
        seconds = run(mode=mode)
        print(
            f"{mode:8s}: {LINES} lines x {LINE_LENGTH} chars at width 80: "
            f"{seconds * 1000:.1f} ms ({chars / seconds / 1e6:.2f} M chars/s)"
        )
    print(f"app+cells+index: {run_with_cells() * 1000:.1f} ms")
    print(f"resize  : {run_resize() * 1000:.1f} ms per width for {LINES} lines (shaping/levels cached)")
