"""Eight annotators writing at once, a ninth reading, and kill -9 at random moments (issue 7).

Each worker (worker.py) drives Session, the annotation screen's code path, and journals every
Outcome it was given; the database must then hold exactly what the journals say, the event log
must replay to it, and nothing may ever have reached a user as an error.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.store import Store

from .journal import Verdict, kill_9, make_database, percentile, start_worker, stress_seconds, verify

WRITERS = 8
COMMAND_TIMEOUT_S = 120


def annotator_command(db: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the real `annotator` command on the database."""
    return subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
    )


@dataclass(frozen=True)
class ReaderCommand:
    """One command of the ninth process: its arguments, a check of its stdout, and the stderr it may print."""

    args: list[str]
    validate: Callable[[str], None]
    stderr: re.Pattern[str] | None = None  # None: nothing at all on stderr


def reader_commands(db: Path, names: list[str], documents: int) -> list[ReaderCommand]:
    """The ninth process's commands, each with a check of its output."""

    def agreement(stdout: str) -> None:
        assert json.loads(stdout)["annotators"] == names

    def docs(stdout: str) -> None:
        assert len(json.loads(stdout)) == documents

    def check(stdout: str) -> None:
        assert stdout.strip().endswith(": ok"), stdout

    def export(stdout: str) -> None:
        records = [json.loads(line) for line in stdout.splitlines()]
        assert sorted((r["id"], r["annotator"]) for r in records) == sorted(
            {(r["id"], name) for r in records for name in names}
        ) and len(records) == documents * len(names), "not one record per article and annotator"
        for record in records:
            for span in record["spans"]:
                assert record["text"][span["start"] : span["end"]] == span["text"], (record["id"], span)

    commands = [
        ReaderCommand(["agreement", "--json"], agreement),
        ReaderCommand(["docs", "--json"], docs),
        ReaderCommand(["check"], check),
        ReaderCommand(
            ["export", "--format", "jsonl", "--include-unfinished", "-o", "-"],
            export,
            # its one summary line goes to stderr so that stdout stays clean JSONL
            re.compile(
                rf"exported {documents * len(names)} records of all annotators \(.*\) as jsonl to standard output\n"
            ),
        ),
    ]
    return commands


def wait_for_start_lines(
    journals: dict[str, Path], workers: dict[str, subprocess.Popen], timeout: float = 90.0
) -> None:
    """Wait until every worker has opened the database and written its start line."""
    limit = time.monotonic() + timeout
    while not all(path.exists() and path.stat().st_size > 0 for path in journals.values()):
        assert time.monotonic() < limit, "the workers did not start"
        assert all(worker.poll() is None for worker in workers.values()), "a worker died while starting"
        time.sleep(0.05)


def summary(verdict: Verdict, seconds: float, extra: str = "") -> str:
    """The measured figures as one line."""
    rates = verdict.ops_per_second
    total = sum(rates.values())
    per = f"{min(rates.values()):.0f}-{max(rates.values()):.0f}" if rates else "n/a"
    return (
        f"[{seconds:g} s] {verdict.reported} reported operations; per worker {per}/s, total {total:.0f}/s; "
        f"write duration p50 {percentile(verdict.durations_ms, 0.5):.1f} ms, "
        f"p99 {percentile(verdict.durations_ms, 0.99):.1f} ms, max {max(verdict.durations_ms, default=0):.1f} ms; "
        f"{len(verdict.waits_ms)} writes showed 'waiting' (max reported wait {max(verdict.waits_ms, default=0):.0f} ms)"
        + extra
    )


@pytest.mark.slow
def test_eight_writers_and_a_reader_lose_nothing(tmp_path: Path) -> None:
    """8 workers tag/remove/undo/redo as fast as they can while a ninth loops the read commands."""
    seconds = stress_seconds()
    db = tmp_path / "team.db"
    names = [f"u{i}" for i in range(WRITERS)]
    documents = make_database(db, names)
    commands = reader_commands(db, names, len(documents))
    journals = {name: tmp_path / f"{name}.jsonl" for name in names}
    workers = {name: start_worker(db, name, 100 + i, seconds, journals[name]) for i, name in enumerate(names)}
    failures: list[str] = []
    runs: dict[str, int] = {}
    try:
        while any(worker.poll() is None for worker in workers.values()):
            for command in commands:
                out = annotator_command(db, *command.args)
                name = command.args[0]
                runs[name] = runs.get(name, 0) + 1
                stderr_ok = not out.stderr if command.stderr is None else command.stderr.fullmatch(out.stderr)
                if out.returncode != 0 or not stderr_ok:
                    failures.append(f"annotator {name}: exit {out.returncode}: {out.stderr.strip()} {out.stdout[:300]}")
                    continue
                try:
                    command.validate(out.stdout)
                except (AssertionError, ValueError, KeyError) as exc:
                    failures.append(f"annotator {name}: unexpected output: {str(exc)[:300]}")
    finally:
        for worker in workers.values():
            if worker.poll() is None:
                worker.wait(timeout=seconds + 60)
    for name, worker in workers.items():
        stderr = worker.stderr.read() if worker.stderr else ""
        assert worker.returncode == 0 and not stderr, f"{name} exited {worker.returncode}: {stderr}"
    with Store(db) as store:
        verdict = verify(store, journals)
        assert verdict.problems == []
        assert store.check() == []
        assert store.replay() == {
            span.id: (doc_id, name, span.start, span.end, span.label)
            for doc_id in documents
            for name in names
            for span in store.spans(doc_id, name)
        }
    assert verdict.reported >= WRITERS * 10, "the workers hardly wrote anything"
    assert len(verdict.ops_per_second) == WRITERS
    reader = ", ".join(f"{name} x{count}" for name, count in runs.items())
    print(summary(verdict, seconds, f"; reader ran {reader}, {len(failures)} failed"))
    assert failures == []
    assert all(runs.get(command.args[0], 0) >= 1 for command in commands), runs


@pytest.mark.slow
def test_kill_9_at_random_moments_keeps_every_reported_change(tmp_path: Path) -> None:
    """Workers are killed with SIGKILL at random moments and restarted; every reported change survives."""
    seconds = stress_seconds()
    rng = random.Random(20240907)
    db = tmp_path / "team.db"
    names = [f"u{i}" for i in range(WRITERS)]
    documents = make_database(db, names)
    journals = {name: tmp_path / f"{name}.jsonl" for name in names}
    workers = {name: start_worker(db, name, 200 + i, seconds, journals[name]) for i, name in enumerate(names)}
    started_at = {name: 0 for name in names}  # journal size when the current process was started
    kills = 0
    finished: list[tuple[str, int, str]] = []
    try:
        wait_for_start_lines(journals, workers)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline - 1.0:
            time.sleep(rng.uniform(0.15, 0.6))
            # Only processes past their start line: killing one still importing Python proves nothing.
            running = [
                name
                for name in names
                if journals[name].exists()
                and journals[name].stat().st_size > started_at[name]
                and workers[name].poll() is None
            ]
            if not running:
                continue
            name = rng.choice(running)
            kill_9(workers[name])
            kills += 1
            with Store(db) as store:  # opens cleanly right after the kill, while the others write
                assert len(store.document_list()) == len(documents)
                store.spans(documents[0], name)
            started_at[name] = journals[name].stat().st_size
            workers[name] = start_worker(db, name, rng.randrange(10**6), deadline - time.monotonic(), journals[name])
    finally:
        for worker in workers.values():
            if worker.poll() is None:
                worker.wait(timeout=seconds + 60)
    for name, worker in workers.items():
        finished.append((name, worker.returncode, worker.stderr.read() if worker.stderr else ""))
    for name, code, stderr in finished:
        assert code == 0 and not stderr, f"{name} exited {code}: {stderr}"
    assert kills >= 3, f"only {kills} kills"
    with Store(db) as store:
        verdict = verify(store, journals, killed=True)
        assert verdict.problems == []
        assert store.check() == []
    in_flight = verdict.unreported_committed + verdict.unreported_absent
    assert in_flight >= 1, "no kill landed during a write"
    print(
        summary(
            verdict,
            seconds,
            (
                f"; {kills} kills, {in_flight} in the middle of a write "
                f"({verdict.unreported_committed} had committed unreported, {verdict.unreported_absent} had not)"
            ),
        )
    )


def test_check_is_sound_while_others_write(tmp_path: Path) -> None:
    """`check` run during annotation must not report problems that a consistent snapshot would not have."""
    db = tmp_path / "team.db"
    names = [f"u{i}" for i in range(4)]
    make_database(db, names)
    journals = {name: tmp_path / f"{name}.jsonl" for name in names}
    seconds = min(4.0, stress_seconds())
    workers = [start_worker(db, name, 300 + i, seconds, journals[name]) for i, name in enumerate(names)]
    false_alarms: list[list[str]] = []
    checks = 0
    try:
        with Store(db) as store:
            while any(worker.poll() is None for worker in workers):
                problems = store.check()
                checks += 1
                if problems:
                    false_alarms.append(problems)
    finally:
        for worker in workers:
            worker.wait(timeout=60)
    assert all(worker.returncode == 0 for worker in workers)
    with Store(db) as store:
        assert verify(store, journals).problems == []
        assert store.check() == []
    assert checks >= 5
    assert false_alarms == [], f"{len(false_alarms)} of {checks} checks reported problems, e.g. {false_alarms[0][:2]}"


def test_the_verification_catches_lost_doubled_and_untold_changes(tmp_path: Path) -> None:
    """The checker itself: a deleted span, a doubled span and an unjournaled change are each reported."""
    db = tmp_path / "team.db"
    make_database(db, ["w"])
    journal = tmp_path / "w.jsonl"
    worker = start_worker(db, "w", 5, 1.0, journal)
    assert worker.wait(timeout=90) == 0
    with Store(db) as store:
        assert verify(store, {"w": journal}).problems == []
    lines = journal.read_text().splitlines(keepends=True)
    tagged = [i for i, line in enumerate(lines) if '"t": "ok"' in line and '"op": "tag"' in line]
    assert len(tagged) >= 3
    untold = tmp_path / "untold.jsonl"  # as if the screen had never said the last tag was saved
    untold.write_text("".join(lines[: tagged[-1]] + lines[tagged[-1] + 1 :]))
    raw = sqlite3.connect(db, isolation_level=None)
    victim, twin = raw.execute(
        "SELECT id, document_id FROM spans WHERE annotator = ? ORDER BY id LIMIT 2", ("w",)
    ).fetchall()
    raw.execute("DELETE FROM spans WHERE id = ?", (victim[0],))
    raw.execute(
        'INSERT INTO spans (document_id, annotator, start, "end", label, text, created, updated) '
        'SELECT document_id, annotator, start, "end", label, text, created, updated FROM spans WHERE id = ?',
        (twin[0],),
    )
    raw.close()
    with Store(db) as store:
        problems = "\n".join(verify(store, {"w": journal}).problems)
        assert "spans lost" in problems and "spans nobody added" in problems and "doubled spans" in problems
        assert "nobody was told of" in "\n".join(verify(store, {"w": untold}).problems)
        assert store.check() != []
