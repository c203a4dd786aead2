"""`annotator train`: the model folder follows the user's umask; counts in its message agree in number."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

Run = Callable[..., tuple[int, str, str]]


def test_the_model_folder_follows_the_umask_and_one_document_is_singular(
    make_db: Callable[..., Path], run_cli: Run, tmp_path: Path
) -> None:
    db = make_db(2)
    out = tmp_path / "model"
    old = os.umask(0o022)
    try:
        code, stdout, stderr = run_cli("train", "--db", str(db), "--from", "ali", "-o", str(out), "--max-steps", "2")
    finally:
        os.umask(old)
    assert code == 0, stderr
    assert re.match(r"trained on 1 document of ali \(2 steps, [\d.]+ s\); scored on 1: doc-0\d\n", stdout), stdout
    assert oct(stat.S_IMODE(out.stat().st_mode)) == "0o755"
    modes = {oct(stat.S_IMODE(p.stat().st_mode)) for p in out.rglob("*")}
    assert modes <= {"0o644", "0o755"} and "0o644" in modes, modes
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging folder left
