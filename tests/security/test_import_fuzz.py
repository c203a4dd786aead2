"""Fuzz `annotator import` with random bytes and random JSON: a clean error or a clean import, never a traceback or half."""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.store import Store

LABELS = ["actor", "figure", "place", "quote", "person", ""]
json_scalars = st.none() | st.booleans() | st.integers(-5, 50) | st.floats(allow_nan=True) | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
span_dicts = st.fixed_dictionaries(
    {
        "start": st.integers(-2, 30) | json_scalars,
        "end": st.integers(-2, 30) | json_scalars,
        "label": st.sampled_from(LABELS) | json_scalars,
    }
)
records = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=6) | st.integers(0, 3) | json_scalars,
        "text": st.text(alphabet="ابتث \n\x1b\u202e,.abc123", max_size=30) | json_scalars,
        "title": st.text(max_size=5) | json_scalars,
        "meta": json_values,
        "annotator": st.sampled_from(["ali", "mona", ""]) | json_scalars,
        "spans": st.lists(span_dicts | json_values, max_size=4) | json_values,
    },
)


def run_import(files: dict[str, bytes]) -> tuple[int, str, tuple[int, ...], str]:
    """Import files into a fresh database; (exit code, stderr, row counts, stdout)."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, data in files.items():
            path = Path(folder) / name
            path.write_bytes(data)
            paths.append(str(path))
        db = str(Path(folder) / "fuzz.db")
        Store(db).close()
        err = io.StringIO()
        code = 0
        out = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            try:
                main(["import", *paths, "--db", db])
            except SystemExit as exc:
                code = int(exc.code or 0)
        with Store(db) as store:
            counts = tuple(
                store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "spans", "progress")
            )
            assert store.check() == []
        return code, err.getvalue(), counts, out.getvalue()


def assert_clean(code: int, stderr: str, counts: tuple[int, ...], stdout: str = "") -> None:
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    if code == 0:
        assert stderr == ""
        # the summary's figures are exactly what reached the database
        summary = re.match(r"(\d+) documents? added, 0 already present, (\d+) spans? added\.", stdout)
        assert summary, stdout
        assert (counts[0], counts[1]) == (int(summary[1]), int(summary[2])), (counts, stdout)
        # a success imports something, or every record was skipped on purpose and the summary says so
        assert counts[0] >= 1 or "not imported" in stdout, stdout
    else:
        assert code == 1
        assert counts == (0, 0, 0), "a failed import wrote something"
        lines = stderr.strip().splitlines()
        assert lines and all(line.startswith("annotator: error: ") for line in lines)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=200), suffix=st.sampled_from(["txt", "jsonl"]))
def test_random_bytes(data: bytes, suffix: str) -> None:
    assert_clean(*run_import({f"f.{suffix}": data}))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(records | json_values, min_size=1, max_size=4))
def test_random_json_lines(lines: list) -> None:
    body = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode("utf-8", "surrogatepass")
    assert_clean(*run_import({"f.jsonl": body}))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(good=st.text(alphabet="ابت ", min_size=1, max_size=20).filter(str.strip), bad=st.binary(min_size=1, max_size=50))
def test_one_bad_file_among_good_writes_nothing(good: str, bad: bytes) -> None:
    code, stderr, counts, _ = run_import({"a.txt": good.encode(), "b.jsonl": bad})
    assert_clean(code, stderr, counts)


regions = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["labels", "choices"]) | json_scalars,
        "value": st.fixed_dictionaries(
            {},
            optional={
                "start": st.integers(-2, 30) | json_scalars,
                "end": st.integers(-2, 30) | json_scalars,
                "text": st.text(max_size=5) | json_scalars,
                "labels": st.lists(st.sampled_from(LABELS), max_size=2) | json_values,
            },
        )
        | json_values,
    },
)
tasks = st.fixed_dictionaries(
    {
        "data": st.fixed_dictionaries(
            {},
            optional={
                "text": st.text(alphabet="ابت \n.", max_size=30) | json_scalars,
                "id": st.text(max_size=4) | json_scalars,
            },
        )
    },
    optional={
        "id": st.integers(0, 3) | json_scalars,
        "annotations": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "completed_by": st.integers(0, 2) | json_values,
                    "was_cancelled": st.booleans(),
                    "result": st.lists(regions | json_values, max_size=3) | json_values,
                },
            )
            | json_values,
            max_size=2,
        )
        | json_values,
        "predictions": json_values,
        "meta": json_values,
    },
)
foreign = st.fixed_dictionaries(
    {"text": st.text(alphabet="ابت \n", max_size=20) | json_scalars},
    optional={
        "label": st.lists(
            st.lists(st.integers(-1, 20) | st.sampled_from(LABELS), max_size=3) | json_scalars, max_size=3
        ),
        "entities": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "start_offset": st.integers(-1, 20),
                    "end_offset": st.integers(-1, 20),
                    "label": st.sampled_from(LABELS),
                },
            )
            | json_values,
            max_size=2,
        ),
        "relations": json_values,
        "answer": st.sampled_from(["accept", "reject", "ignore", "maybe"]) | json_scalars,
        "_input_hash": json_scalars,
        "annotator": st.sampled_from(["ali", ""]) | json_scalars,
        "status": st.sampled_from(["done", "in_progress", "new"]) | json_scalars,
    },
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.lists(tasks, min_size=1, max_size=3), name=st.sampled_from(["ls.json", "export", "ls.jsonl"]))
def test_random_label_studio_exports(data: list, name: str) -> None:
    assert_clean(*run_import({name: json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")}))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(foreign, min_size=1, max_size=3))
def test_random_prodigy_and_doccano_lines(lines: list) -> None:
    body = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode("utf-8", "surrogatepass")
    assert_clean(*run_import({"f.jsonl": body}))


conll_lines = st.lists(
    st.sampled_from(
        [
            "-DOCSTART- -X- O O",
            "",
            "داعش B-actor",
            "في O",
            "الأنبار I-place",
            "x E-place",
            "y S-actor",
            "z B-PER",
            "w _ _ O",
            "v bad-tag",
            "u O O",
        ]
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=conll_lines, name=st.sampled_from(["a.conll", "a.txt"]))
def test_random_conll(lines: list[str], name: str) -> None:
    assert_clean(*run_import({name: "\n".join(lines).encode("utf-8")}))
