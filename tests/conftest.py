"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.store import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A database path in a fresh folder (the file does not exist yet)."""
    return tmp_path / "annotations.db"


@pytest.fixture
def store(db_path: Path) -> Store:
    """An empty store."""
    with Store(db_path) as opened:
        yield opened


@pytest.fixture
def corpus_store(store: Store) -> Store:
    """A store holding the bundled corpus."""
    from annotator.importer import expand_paths, parse_files

    files, _ = expand_paths([CORPUS])
    parsed = parse_files(files, store.labels())
    store.import_batch(parsed.documents, parsed.spans, user="lead")
    return store
