"""Files the lead's commands write (report, backup) follow the user's umask like the exports do."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.model import Document
from annotator.store import Store


@contextmanager
def umask(mask: int) -> Iterator[None]:
    """Run the block under this umask (the process's one), then put the old one back."""
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> str:
    """The permission bits of path, in octal."""
    return oct(stat.S_IMODE(path.stat().st_mode))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`annotator ...` in-process: (exit code, stdout, stderr)."""
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def project(db_path: Path) -> Path:
    """One article with one span."""
    with Store(db_path) as store:
        store.import_batch([Document("d1", "عنوان المقال", "قال السوداني إن داعش في الأنبار")], [], user="lead")
        store.add_span("d1", "ali", 4, 12, "actor", user="ali")
    return db_path


@pytest.mark.parametrize(("mask", "expected"), [(0o022, "0o644"), (0o002, "0o664"), (0o077, "0o600")])
def test_the_report_follows_the_umask(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], mask: int, expected: str
) -> None:
    target = tmp_path / "report.html"
    with umask(mask):
        code, out, err = run(capsys, "report", "--db", str(project), "-o", str(target))
    assert code == 0, err
    assert out.startswith(f"{target}: report written")
    assert mode(target) == expected
    with umask(mask):
        code, _, err = run(capsys, "report", "--db", str(project), "-o", str(target), "--force")
    assert code == 0, err
    assert mode(target) == expected and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(project.name)) == ["report.html"]


@pytest.mark.parametrize(("mask", "expected"), [(0o022, "0o644"), (0o002, "0o664")])
def test_a_backup_follows_the_umask(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], mask: int, expected: str
) -> None:
    dest = tmp_path / "copy.db"
    with umask(mask):
        code, out, err = run(capsys, "backup", "--db", str(project), str(dest))
    assert code == 0, err
    assert out.endswith("ok\n")
    assert mode(dest) == expected
