"""Fixtures of the model-loop tests: small annotated databases and the CLI run in-process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotator.model import Document
from annotator.store import Store

ACTORS = ["داعش", "التحالف الدولي", "القوات العراقية"]
PLACES = ["الأنبار", "العراق", "الموصل", "سوريا"]
# {a}: an actor, {p}: a place after the proclitic ب (the clitic stays outside the span), {q}: a place.
TEMPLATES = [
    "قال {a} إن هجوماً وقع بـ{p} أمس، وإن {q} تشهد توتراً.",
    "أعلن {a} أن قواته دخلت {q} بعد معارك ب{p}.",
    "وصل وفد من {a} إلى {q} لبحث الوضع ب{p}.",
]


def document(k: int) -> tuple[str, list[tuple[int, int, str]]]:
    """The k-th small article and its spans: actors and places, a place behind a proclitic ب."""
    template = TEMPLATES[k % len(TEMPLATES)]
    values = {"a": ACTORS[k % len(ACTORS)], "p": PLACES[k % len(PLACES)], "q": PLACES[(k + 1) % len(PLACES)]}
    text, spans, rest = "", [], template
    while "{" in rest:
        before, _, after = rest.partition("{")
        key, _, rest = after.partition("}")
        text += before
        spans.append((len(text), len(text) + len(values[key]), "actor" if key == "a" else "place"))
        text += values[key]
    text += rest
    return "\n".join([text] * 3), [
        (s + i * (len(text) + 1), e + i * (len(text) + 1), label) for i in range(3) for s, e, label in spans
    ]


@pytest.fixture
def make_db(tmp_path: Path) -> Callable[..., Path]:
    """build(done, extra=0, annotator="ali"): a database with `done` finished articles and `extra` untouched ones."""

    def build(done: int, extra: int = 0, annotator: str = "ali") -> Path:
        path = tmp_path / "annotations.db"
        with Store(path) as store:
            store.import_batch(
                [Document(f"doc-{k:02d}", f"doc {k}", document(k)[0]) for k in range(done + extra)], [], user="lead"
            )
            for k in range(done):
                for start, end, label in document(k)[1]:
                    store.add_span(f"doc-{k:02d}", annotator, start, end, label, user=annotator)
                store.set_status(f"doc-{k:02d}", annotator, "done", user=annotator)
        return path

    return build


@pytest.fixture
def hide_spacy(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """hide(): from then on, `import spacy` (and its submodules) fails as if the extra were not installed."""
    import builtins

    real_import = builtins.__import__

    def no_spacy(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "spacy" or name.startswith("spacy."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    return lambda: monkeypatch.setattr(builtins, "__import__", no_spacy)
