"""Where an export goes and how it lands: default paths under exports/, temporary file + rename, stdout."""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Protocol

from annotator.export.errors import ExportError

EXPORTS_DIR = "exports"
STDOUT = "-"


class Sink(Protocol):
    """Somewhere text is written; nothing is visible until commit()."""

    label: str

    def write(self, text: str) -> None:
        """Add text."""
        ...

    def write_bytes(self, data: bytes) -> None:
        """Add bytes (binary formats)."""
        ...

    def commit(self) -> None:
        """Make everything written visible at once."""
        ...

    def abort(self) -> None:
        """Drop everything written; leave no trace."""
        ...


def safe_name(name: str) -> str:
    """A file-name fragment of a layer name: word characters, dots and dashes only, never a path."""
    cleaned = re.sub(r"[^\w.-]+", "_", name).strip("._-")
    return cleaned[:60] or "layer"


def stamp(when: datetime | None = None) -> str:
    """The time part of default file names (UTC)."""
    return (when or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def companion_path(path: Path, suffix: str) -> Path:
    """A file written beside `path`: its name without .jsonl/.json, plus suffix."""
    name = path.name
    for ending in (".jsonl", ".json"):
        if name.lower().endswith(ending) and len(name) > len(ending):
            name = name[: -len(ending)]
            break
    return path.with_name(name + suffix)


def default_path(
    db_file: str | Path,
    layer: str,
    format_name: str,
    extension: str,
    companions: tuple[str, ...] = (),
    when: datetime | None = None,
    folder: Path | None = None,
) -> Path:
    """A free path `<layer>-<format>-<time><ext>` in `folder` (default: exports/ beside the database)."""
    exports = folder if folder is not None else Path(db_file).resolve().parent / EXPORTS_DIR
    try:
        exports.mkdir(exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the folder {exports} ({exc.strerror or exc})") from None
    base = f"{safe_name(layer)}-{format_name}-{stamp(when)}"
    for n in range(1, 1000):
        candidate = exports / f"{base}{'' if n == 1 else f'-{n}'}{extension}"
        if candidate.resolve().parent != exports.resolve():
            raise ExportError(f"refusing to write outside {exports}: {candidate}")
        paths = [candidate] + [companion_path(candidate, suffix) for suffix in companions]
        if not any(os.path.lexists(p) for p in paths):
            return candidate
    raise ExportError(f"no free file name for {base} in {exports}")


def check_target(path: Path, force: bool) -> Path:
    """The file to write (symlinks followed); ExportError when it must not or cannot be written."""
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if path.exists():
        if path.is_dir():
            raise ExportError(f"{path} is a folder; name a file")
        if not stat.S_ISREG(path.stat().st_mode):
            raise ExportError(f"{path} is not a regular file; use -o - to write to standard output")
        if not force:
            raise ExportError(f"{path} already exists; use --force to overwrite it")
    parent = path.parent
    if not parent.is_dir():
        raise ExportError(f"cannot write {path}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {path}: the folder {parent} is not writable")
    return path


def output_path(
    output: str | None,
    db_file: str | Path,
    layer: str,
    format_name: str,
    extension: str,
    companions: tuple[str, ...],
    force: bool,
) -> Path | None:
    """The records' path for -o (None for stdout); default under exports/; a folder gets the default name."""
    if output == STDOUT:
        return None
    if output is None:
        path = default_path(db_file, layer, format_name, extension, companions)
    else:
        path = Path(output).expanduser()
        if path.is_dir():
            path = default_path(db_file, layer, format_name, extension, companions, folder=path)
    path = check_target(path, force)
    database = Path(db_file).resolve()
    for target in [path, *(companion_path(path, suffix) for suffix in companions)]:
        if target.resolve() in {database, Path(f"{database}-wal"), Path(f"{database}-shm")}:
            raise ExportError(f"{target} is the database itself; name another file")
        check_target(target, force)
    return path


class AtomicFile:
    """A file written under a temporary name in its folder and renamed into place on commit."""

    def __init__(self, path: Path, force: bool) -> None:
        self.path = path
        self.force = force
        self.label = str(path)
        self.temp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError as exc:
            raise ExportError(f"cannot write {path.parent} ({exc.strerror or exc})") from None
        self.handle: io.TextIOWrapper = open(fd, "w", encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        """Add text to the temporary file."""
        try:
            self.handle.write(text)
        except OSError as exc:
            raise ExportError(f"cannot write {self.path} ({exc.strerror or exc}); nothing was written") from None

    def write_bytes(self, data: bytes) -> None:
        """Add bytes (a binary format) to the temporary file."""
        try:
            self.handle.flush()
            self.handle.buffer.write(data)
        except OSError as exc:
            raise ExportError(f"cannot write {self.path} ({exc.strerror or exc}); nothing was written") from None

    def commit(self) -> None:
        """fsync, then rename over the target (refusing an existing file without force)."""
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            if self.force:
                os.replace(self.temp, self.path)
            else:
                self._link_without_overwriting()
        except OSError as exc:
            self.abort()
            raise ExportError(f"cannot write {self.path} ({exc.strerror or exc}); nothing was written") from None
        _sync_folder(self.path.parent)

    def _link_without_overwriting(self) -> None:
        """Put the file in place unless one appeared there meanwhile."""
        try:
            os.link(self.temp, self.path)
        except FileExistsError:
            self.abort()
            raise ExportError(f"{self.path} already exists; use --force to overwrite it") from None
        except OSError:  # a filesystem without hard links
            if os.path.lexists(self.path):
                self.abort()
                raise ExportError(f"{self.path} already exists; use --force to overwrite it") from None
            os.replace(self.temp, self.path)
            return
        os.unlink(self.temp)

    def abort(self) -> None:
        """Close and delete the temporary file."""
        try:
            self.handle.close()
        except OSError:
            pass
        try:
            os.unlink(self.temp)
        except FileNotFoundError:
            pass


def write_text_file(path: Path, text: str, force: bool) -> None:
    """Write text to path the way exports land: a temporary file with the user's umask, renamed on commit."""
    sink = AtomicFile(path, force)
    try:
        sink.write(text)
    except BaseException:
        sink.abort()
        raise
    sink.commit()


def staging_folder(path: Path) -> Path:
    """A new empty folder beside path, made with the user's umask (mkdtemp would make it 0700)."""
    for _ in range(100):
        folder = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
        try:
            folder.mkdir(0o777)
        except FileExistsError:
            continue
        return folder
    raise FileExistsError(f"no free temporary name beside {path}")


class StdoutSink:
    """Standard output, spooled to a temporary file first so a failed check writes nothing."""

    label = "standard output"

    def __init__(self, stream: IO[bytes] | None = None) -> None:
        self.stream = stream
        self.spool: IO[bytes] = tempfile.TemporaryFile()

    def write(self, text: str) -> None:
        """Add text to the spool."""
        self.spool.write(text.encode("utf-8"))

    def write_bytes(self, data: bytes) -> None:
        """Add bytes to the spool."""
        self.spool.write(data)

    def commit(self) -> None:
        """Copy the spool to standard output."""
        sys.stdout.flush()
        stream = self.stream or getattr(sys.stdout, "buffer", None)
        self.spool.seek(0)
        if stream is None:
            sys.stdout.write(self.spool.read().decode("utf-8"))
        else:
            shutil.copyfileobj(self.spool, stream)
            stream.flush()
        self.spool.close()

    def abort(self) -> None:
        """Drop the spool."""
        self.spool.close()


def _sync_folder(folder: Path) -> None:
    """fsync a folder so a rename survives a crash (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
