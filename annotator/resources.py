"""Where the bundled corpus and stylesheets are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    """The bundled folder `name`: inside the installed package, else at the checkout's top."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} is missing from this installation")


def corpus_dir() -> Path:
    """The folder of bundled articles."""
    return _find("corpus")


def styles_dir() -> Path:
    """The folder of Textual stylesheets."""
    return _find("styles")
