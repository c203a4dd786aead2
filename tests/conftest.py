"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


@pytest.fixture
def run_cli(
    capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., tuple[int, str, str]]]:
    """Run `annotator ...` through annotator.cli.main in-process: (exit code, stdout, stderr)."""
    from annotator.cli import main

    def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsysbinary.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsysbinary.readouterr()
        return code, out.decode("utf-8"), err.decode("utf-8")

    yield run
