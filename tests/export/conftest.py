"""Fixtures of the export tests: a corpus database with spans built once, copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.cli import cli
from annotator.commands.export import export_command
from annotator.importer import expand_paths, parse_files
from annotator.model import GOLD, Document
from annotator.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
ANBAR = "01-anbar-raid-nyt"
QUOTE_START = "استهدفت العملية"
QUOTE_END = "المنطقة وخارجها"


def nth(text: str, piece: str, n: int = 0) -> tuple[int, int]:
    """(start, end) of the n-th occurrence of piece in text."""
    index = -1
    for _ in range(n + 1):
        index = text.index(piece, index + 1)
    return index, index + len(piece)


def anbar_spans(text: str) -> list[tuple[int, int, str]]:
    """The spans the README examples use on 01-anbar-raid-nyt: entities, a clitic, a quote holding an entity."""
    quote = (text.index(QUOTE_START), text.index(QUOTE_END) + len(QUOTE_END))
    clitic = text.index("لداعش") + 1
    return [
        (*nth(text, "داعش"), "actor"),
        (*nth(text, "الأنبار"), "place"),
        (*nth(text, "15 عنصراً"), "figure"),
        (*nth(text, "القيادة المركزية للجيش الأميركي"), "actor"),
        (*quote, "quote"),
        (*nth(text, "داعش", 3), "actor"),  # «قادة داعش», inside the quote
        (clitic, clitic + 4, "actor"),  # «لداعش»: the clitic ل stays outside
        (*nth(text, "وادي الحزيمي"), "place"),
    ]


def _build(path: Path) -> None:
    """Corpus + alice (done on 01 and 03), bob (done on 01, unfinished on 02), gold (adjudicated on 01)."""
    with Store(path) as store:
        files, _ = expand_paths([CORPUS])
        parsed = parse_files(files, store.labels())
        store.import_batch(parsed.documents, parsed.spans, user="lead")
        text = store.document(ANBAR).text
        for start, end, label in anbar_spans(text):
            store.add_span(ANBAR, "alice", start, end, label, user="alice")
            store.add_span(ANBAR, GOLD, start, end, label, user="lead")
        store.add_span(ANBAR, "bob", *nth(text, "داعش"), "actor", user="bob")
        store.set_status(ANBAR, "alice", "done", user="alice")
        store.set_status(ANBAR, "bob", "done", user="bob")
        store.set_status(ANBAR, GOLD, "adjudicated", user="lead")
        third = store.document("03-coalition-presence-debate").text
        store.add_span("03-coalition-presence-debate", "alice", *nth(third, "العراق"), "place", user="alice")
        store.set_status("03-coalition-presence-debate", "alice", "done", user="alice")
        second = store.document("02-centcom-joint-operation").text
        store.add_span("02-centcom-joint-operation", "bob", *nth(second, "داعش"), "actor", user="bob")


@pytest.fixture(scope="session", autouse=True)
def registered() -> None:
    """Make `annotator export` reachable through annotator.cli.main even before the lead registers it."""
    if "export" not in cli.commands:
        cli.add_command(export_command)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The annotated corpus database, built once."""
    path = tmp_path_factory.mktemp("template") / "annotations.db"
    _build(path)
    return path


@pytest.fixture
def project(tmp_path: Path, template_db: Path) -> Path:
    """A fresh copy of the annotated database in its own folder; returns the database path."""
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(template_db, folder / "annotations.db")
    return folder / "annotations.db"


@pytest.fixture
def make_db(tmp_path: Path) -> Callable[..., Path]:
    """Build a database holding the given texts and one annotator's spans, all marked done."""
    counter = iter(range(1000))

    def build(texts: dict[str, str], spans: dict[str, list[tuple[int, int, str]]], annotator: str = "alice") -> Path:
        path = tmp_path / f"db{next(counter)}" / "annotations.db"
        path.parent.mkdir()
        with Store(path) as store:
            store.import_batch([Document(doc_id, doc_id, text) for doc_id, text in texts.items()], [], user="lead")
            for doc_id in texts:
                for start, end, label in spans.get(doc_id, []):
                    store.add_span(doc_id, annotator, start, end, label, user=annotator)
                store.set_status(doc_id, annotator, "done", user=annotator)
        return path

    return build
