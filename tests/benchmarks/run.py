"""Run every benchmark, one after another, and print their tables: ``python tests/benchmarks/run.py``.

Each benchmark compares its figures with a reference measured in the same run (ratios, not absolute
times: these machines are noisy). Exit status 1 when any benchmark reports a missed target.
Takes about nine minutes on two cores.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "bench_app.py",
    "bench_import.py",
    "bench_export.py",
    "bench_agreement.py",
    "bench_layout.py",
    "bench_suggest.py",
    "bench_slow_link.py",
    "bench_model_suggest.py",
    "bench_review_log.py",
]


def main() -> int:
    """Run the benchmarks; report which ones missed a target."""
    failed: list[str] = []
    for name in BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        began = time.perf_counter()
        code = subprocess.run([sys.executable, str(HERE / name)]).returncode
        print(f"({time.perf_counter() - began:.0f} s, exit {code})", flush=True)
        if code != 0:
            failed.append(name)
    print("\nall targets met" if not failed else f"\nmissed or failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
