"""Reading the workers' journals and proving the database holds exactly what they were told."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.importer import expand_paths, parse_files
from annotator.resources import corpus_dir
from annotator.store import DONE, Store

WORKER = Path(__file__).resolve().parent / "worker.py"
SPAN_ACTIONS = {"tag": "edit", "remove": "edit", "undo": "undo", "redo": "redo"}


def stress_seconds() -> float:
    """How long the stress runs last: $ANNOTATOR_STRESS_SECONDS, default 60 (.ci/run sets 8)."""
    return float(os.environ.get("ANNOTATOR_STRESS_SECONDS", "60"))


def make_database(path: Path, annotators: list[str]) -> list[str]:
    """A database with the bundled corpus, every article marked done by every annotator; returns the ids."""
    with Store(path) as store:
        files, errors = expand_paths([corpus_dir()])
        assert not errors
        parsed = parse_files(files, store.labels())
        assert not parsed.errors
        store.import_batch(parsed.documents, parsed.spans, user="lead")
        ids = [doc.id for doc in store.documents()]
        for doc_id in ids:
            for name in annotators:  # agreement needs done articles from at least two annotators
                store.set_status(doc_id, name, DONE, user=name)
    return ids


def start_worker(db: Path, annotator: str, seed: int, seconds: float, journal: Path) -> subprocess.Popen:
    """Start one worker process (stderr captured)."""
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(db), annotator, str(seed), f"{seconds:.3f}", str(journal)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_9(process: subprocess.Popen) -> None:
    """SIGKILL a worker and reap it."""
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


@dataclass
class Segment:
    """One worker process's part of a journal: from its start line to its last line."""

    start: dict[str, Any]
    ok: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    pending: dict[str, Any] | None = None  # the last intent with no outcome after it
    finish: dict[str, Any] | None = None


def read_journal(path: Path) -> list[Segment]:
    """The segments of a journal; a last line without its newline was never written whole and is ignored."""
    data = path.read_bytes().decode() if path.exists() else ""
    lines = data.split("\n")[:-1]
    segments: list[Segment] = []
    orphans: list[dict[str, Any]] = []
    for line in lines:
        record = json.loads(line)
        kind = record["t"]
        if kind == "start":
            segments.append(Segment(record))
            continue
        if not segments:
            orphans.append(record)
            continue
        segment = segments[-1]
        if kind == "intent":
            segment.pending = record
        elif kind == "ok":
            assert segment.pending is not None and segment.pending["n"] == record["n"], record
            segment.ok.append(record)
            segment.pending = None
        elif kind == "error":
            segment.errors.append(record)
            segment.pending = None
        elif kind == "noop":  # the action had nothing to write (and wrote nothing)
            segment.pending = None
        elif kind == "finish":
            segment.finish = record
    if orphans:  # an error before the start line (the store would not open)
        segments.insert(0, Segment({"t": "start", "last_event": 0}, errors=orphans))
    return segments


def _rows(items: list[dict[str, Any]] | list[list[Any]]) -> set[tuple[Any, ...]]:
    """Spans as a set of (id, start, end, label)."""
    return {
        (item["id"], item["start"], item["end"], item["label"]) if isinstance(item, dict) else tuple(item)
        for item in items
    }


def _matches(event: dict[str, Any], op: dict[str, Any]) -> bool:
    """Whether a span event is the change an ok line reported."""
    return (
        event["action"] == SPAN_ACTIONS[op["op"]]
        and _rows(event["payload"]["add"]) == _rows(op["added"])
        and _rows(event["payload"]["remove"]) == _rows(op["removed"])
    )


def _could_be(event: dict[str, Any], intent: dict[str, Any]) -> bool:
    """Whether a span event is what an intent (never reported back) asked for."""
    op = intent["op"]
    if op not in SPAN_ACTIONS or event["action"] != SPAN_ACTIONS[op]:
        return False
    add, remove = event["payload"]["add"], event["payload"]["remove"]
    if op == "tag":
        return [(a["start"], a["end"], a["label"]) for a in add] == [(intent["start"], intent["end"], intent["label"])]
    if op == "remove":
        return not add and len(remove) == 1 and remove[0]["start"] <= intent["cursor"] < remove[0]["end"]
    return True


@dataclass
class Verdict:
    """What the verification found for all annotators."""

    problems: list[str] = field(default_factory=list)
    reported: int = 0  # ok lines
    unreported_committed: int = 0  # in-flight operations of killed processes that did commit
    unreported_absent: int = 0  # in-flight operations of killed processes that had not committed
    durations_ms: list[float] = field(default_factory=list)
    waits_ms: list[float] = field(default_factory=list)  # what on_wait reported (the "waiting" notice)
    ops_per_second: dict[str, float] = field(default_factory=dict)


def verify(store: Store, journals: dict[str, Path], killed: bool = False) -> Verdict:
    """Check every annotator's layer against its journal, event by event and span by span."""
    verdict = Verdict()
    events = [e for e in store.events() if e["action"] in ("edit", "undo", "redo")]
    documents = [doc_id for doc_id, _, _ in store.document_list()]
    for annotator, path in journals.items():
        segments = read_journal(path)
        if not segments:
            verdict.problems.append(f"{annotator}: empty journal")
            continue
        mine = [e for e in events if e["annotator"] == annotator]
        expected: dict[int, tuple[str, int, int, str]] = {}
        done: set[str] = set()
        for index, segment in enumerate(segments):
            where = f"{annotator} process {index + 1}/{len(segments)}"
            for error in segment.errors:
                verdict.problems.append(f"{where}: an error reached the user: {error['message']}")
            low = segment.start["last_event"]
            high = segments[index + 1].start["last_event"] if index + 1 < len(segments) else math.inf
            owned = [e for e in mine if low < e["id"] <= high]
            reported = [op for op in segment.ok if op["op"] in SPAN_ACTIONS]
            verdict.reported += len(segment.ok)
            for op in segment.ok:
                verdict.durations_ms.append(op["ms"])
                if op["waited_ms"] is not None:
                    verdict.waits_ms.append(op["waited_ms"])
                if op["op"] == "done":
                    done.add(op["doc"])
            if segment.finish is not None and segment.ok:
                verdict.ops_per_second[f"{annotator}#{index + 1}"] = len(segment.ok) / segment.finish["seconds"]
            applied: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
            for event, told in zip(owned, reported):
                if event["document_id"] != told["doc"] or not _matches(event, told):
                    verdict.problems.append(f"{where}: reported {told} but the log has {event}")
                applied.append((event, told))
            extra = owned[len(reported) :]
            for told in reported[len(owned) :]:
                verdict.problems.append(f"{where}: reported {told['op']} n={told['n']} is not in the database")
            if extra:
                pending = segment.pending
                if (
                    segment.finish is None
                    and killed
                    and pending is not None
                    and len(extra) == 1
                    and extra[0]["document_id"] == pending["doc"]
                    and _could_be(extra[0], pending)
                ):
                    verdict.unreported_committed += 1
                    applied.append((extra[0], None))
                else:
                    verdict.problems.append(f"{where}: {len(extra)} change(s) in the log nobody was told of: {extra}")
            elif segment.finish is None and segment.pending is not None and segment.pending["op"] in SPAN_ACTIONS:
                verdict.unreported_absent += 1
            if not killed and segment.finish is None:
                verdict.problems.append(f"{where}: the worker did not finish")
            for event, reported_op in applied:
                source = (
                    reported_op
                    if reported_op is not None
                    else {
                        "removed": [[i["id"], i["start"], i["end"], i["label"]] for i in event["payload"]["remove"]],
                        "added": [[i["id"], i["start"], i["end"], i["label"]] for i in event["payload"]["add"]],
                    }
                )
                for span_id, start, end, label in source["removed"]:
                    if expected.pop(span_id, None) != (event["document_id"], start, end, label):
                        verdict.problems.append(f"{where}: removed span {span_id} that was not there as told")
                for span_id, start, end, label in source["added"]:
                    if span_id in expected:
                        verdict.problems.append(f"{where}: added span {span_id} twice")
                    expected[span_id] = (event["document_id"], start, end, label)
        stored: dict[int, tuple[str, int, int, str]] = {}
        for doc_id in documents:
            for span in store.spans(doc_id, annotator):
                assert span.id is not None
                stored[span.id] = (doc_id, span.start, span.end, span.label)
        lost = sorted(expected.keys() - stored.keys())
        unknown = sorted(stored.keys() - expected.keys())
        changed = sorted(i for i in expected.keys() & stored.keys() if expected[i] != stored[i])
        if lost:
            verdict.problems.append(f"{annotator}: spans lost: {[expected[i] for i in lost]}")
        if unknown:
            verdict.problems.append(f"{annotator}: spans nobody added: {[stored[i] for i in unknown]}")
        if changed:
            verdict.problems.append(f"{annotator}: spans changed: {changed}")
        contents = list(stored.values())
        if len(set(contents)) != len(contents):
            verdict.problems.append(f"{annotator}: doubled spans")
        for doc_id in sorted(done):
            if store.status(doc_id, annotator) != DONE:
                verdict.problems.append(
                    f"{annotator}: {doc_id} was reported done but is {store.status(doc_id, annotator)}"
                )
    return verdict


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie (nearest rank); 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]
