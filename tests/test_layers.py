"""The core never imports Textual: only annotator/tui/ (and the CLI's late import of it) may."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "annotator"


def _core_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "tui" not in p.relative_to(PACKAGE).parts]


def _imports(nodes: list[ast.stmt] | list[ast.AST]) -> list[str]:
    names: list[str] = []
    for node in nodes:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_no_core_module_imports_textual_statically() -> None:
    """Textual nowhere outside tui/; the CLI layer (cli.py, commands/) may import tui/ only inside a function."""
    offenders = []
    for path in _core_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        everywhere = _imports(list(ast.walk(tree)))
        top_level = _imports(tree.body)
        cli_layer = path.name == "cli.py" or "commands" in path.relative_to(PACKAGE).parts
        for name in everywhere:
            if name.split(".")[0] == "textual":
                offenders.append(f"{path.relative_to(PACKAGE)}: {name}")
            if name.startswith("annotator.tui") and (not cli_layer or name in top_level):
                offenders.append(f"{path.relative_to(PACKAGE)}: {name}")
    assert offenders == []
    assert len(_core_modules()) >= 8


def test_importing_the_core_loads_no_textual() -> None:
    modules = sorted(
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        for p in _core_modules()
        if p.name not in ("__main__.py", "demo.py")
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert "annotator.store.connection" in modules and "annotator.cli" in modules


def _ui_modules() -> list[Path]:
    """The screens and the command line: they talk to the use-case layer and the store's methods only."""
    return [
        p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] in ("tui", "commands") or p.name == "cli.py"
    ]


def test_screens_and_commands_use_no_sqlite_connection() -> None:
    """No sqlite3 import and no reach into a store's connection (`.conn`) from tui/, commands/ or cli.py."""
    offenders = []
    for path in _ui_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name in _imports(list(ast.walk(tree))):
            if name.split(".")[0] == "sqlite3":
                offenders.append(f"{path.relative_to(PACKAGE)}: imports {name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "conn":
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: uses .conn")
    assert offenders == []
    assert len(_ui_modules()) >= 10


# The app and its launcher own the store's lifecycle (open, close); every other screen and widget goes
# through the use-case layer (Session, workspace, adjudication, lead) and never calls the store itself.
STORE_OWNERS = {"app.py", "run.py"}


def test_screens_call_no_store_method() -> None:
    """No `store.method(...)` / `self.store.method(...)` call in annotator/tui/ outside the app and launcher."""
    offenders = []
    for path in sorted((PACKAGE / "tui").glob("*.py")):
        if path.name in STORE_OWNERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
                if name == "store":
                    offenders.append(f"tui/{path.name}:{node.lineno}: store.{node.func.attr}()")
    assert offenders == []
