"""Fixtures of the format tests: the CLI run in-process, and a database holding the bundled corpus."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotator.store import Store

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run_cli(capsysbinary: pytest.CaptureFixture[bytes]) -> Iterator[Run]:
    """Run `annotator ...` through annotator.cli.main in-process: (exit code, stdout, stderr)."""
    from annotator.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        capsysbinary.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsysbinary.readouterr()
        return code, out.decode("utf-8"), err.decode("utf-8")

    yield run


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    """An empty database file (created, so its bytes can be compared after a failed import)."""
    path = tmp_path / "db" / "annotations.db"
    path.parent.mkdir()
    Store(path).close()
    return path
