"""Finding the files an import names and reading one as text: the size limit, UTF-8, newlines."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable

from annotator.model import normalise_newlines

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Files above this size are refused: a document is read whole into memory and the database."""

SPACY_SUFFIX = ".spacy"
SUFFIXES = (".txt", ".jsonl", ".json", ".conll", SPACY_SUFFIX)


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[str], list[str]]:
    """Files to import: plain files as given, directories' .txt/.jsonl files sorted by name."""
    files: list[str] = []
    errors: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            with os.scandir(path) as entries:  # scandir: file types without a stat per file
                found = sorted(e.name for e in entries if e.is_file() and e.name.lower().endswith(SUFFIXES))
            if not found:
                errors.append(f"{os.fspath(path)}: no .txt, .jsonl, .json, .conll or .spacy files in this folder")
            files.extend(os.path.join(path, name) for name in found)
        elif os.path.lexists(path):
            files.append(os.fspath(path))
        else:
            errors.append(f"{os.fspath(path)}: no such file or folder")
    return files, errors


def read_text(path: str) -> tuple[str | None, str | None, str, bytes | None]:
    """The file's text as stored (UTF-8, BOM dropped, LF) or an error line; its hash and bytes when cheap.

    When decoding changed nothing (no BOM, no CR), the stored text's UTF-8 is the file's bytes, so
    they are hashed and stored as they are instead of encoding the text again (a third of the import).
    """
    try:
        with open(path, "rb", buffering=0) as file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_FILE_BYTES:
                return (
                    None,
                    f"{path}: too large ({size // (1024 * 1024)} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB)",
                    "",
                    None,
                )
            data = file.read()
    except OSError as exc:
        return None, f"{path}: cannot read ({exc.strerror or exc})", "", None
    if b"\x00" in data:
        return None, f"{path}: binary file (contains NUL bytes), not UTF-8 text", "", None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"{path}: not UTF-8 (invalid byte at position {exc.start})", "", None
    if not text or text.isspace():
        return None, f"{path}: empty file", "", None
    if b"\r" not in data and not data.startswith(b"\xef\xbb\xbf"):
        return text, None, hashlib.sha256(data).hexdigest(), data
    text = normalise_newlines(text)
    if not text or text.isspace():
        return None, f"{path}: empty file", "", None
    return text, None, "", None


def file_stem(path: str) -> str:
    """The file name without its last suffix (as Path.stem)."""
    return os.path.splitext(os.path.basename(path))[0]
