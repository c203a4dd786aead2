"""Every failure the user is told about, as one tree of exception classes sorted by cause.

    AnnotatorError                 a failure worded as one line for the user; the CLI prints
    │                              `annotator: error: <line>` and exits with `exit_code` (1)
    ├── BadInput                   what the user gave is wrong: an option, a name, a file's content
    │   ├── CommandError           a command refused its arguments (annotator/commands/common.py)
    │   ├── SchemeError            an unknown or misused tagging scheme (export/schemes.py)
    │   ├── PatternsError          a bad patterns file (suggest/patterns.py)
    │   └── AssignError            an assignment that cannot be made (lead/assign.py)
    ├── NotFound                   a document, database or file named that is not there
    ├── NothingToExport            the selection holds nothing to write
    ├── ExportError                an export that cannot be written (export/errors.py)
    ├── AgreementError             agreement cannot be computed for these layers (agreement/data.py)
    ├── StatsError                 statistics cannot be computed (lead/stats.py)
    ├── ModelError                 a model that cannot be trained, loaded or run (model_loop/errors.py)
    └── StoreError                 the database refused or failed (annotator/store/)
        ├── DatabaseLocked         another process kept it locked longer than we wait
        ├── ReadOnlyDatabase       the file or its folder cannot be written
        ├── DiskFull               no room left on the disk
        ├── DiskFailed             the disk refused the write (I/O error, quota)
        ├── CannotOpen             the file cannot be opened or created
        ├── NotOurDatabase         not an SQLite file, a damaged one, or another program's database
        ├── SchemaTooNew           made by a newer annotator
        ├── Conflict               the layer or document changed elsewhere, or differs from what is stored
        ├── Refused                a request against the store's rules (unknown label, span outside the text)
        ├── NoSuchDocument         no document of that id (also a NotFound)
        ├── LayerBusy              another live process edits that layer (store/claims.py)
        └── ClaimLost              another process took this process's layer over (store/claims.py)

Code decides on the class, never on the message. The store turns a sqlite3 error into its class
by SQLite's result code (`from_sqlite`), not by reading the message.
"""

from __future__ import annotations

import sqlite3


class AnnotatorError(Exception):
    """A failure worded as one line for the user."""

    exit_code = 1


class BadInput(AnnotatorError):
    """What the user gave (an option, a name, a file's content) is wrong."""


class NotFound(AnnotatorError):
    """Something named (a document, a database, a file) is not there."""


class NothingToExport(AnnotatorError):
    """The selection holds nothing to write."""


class StoreError(AnnotatorError):
    """A database problem, worded as one line for the user."""


class DatabaseLocked(StoreError):
    """Another process kept the database locked longer than we wait; nothing was saved."""


class ReadOnlyDatabase(StoreError):
    """The database file or its folder cannot be written."""


class DiskFull(StoreError):
    """No room left on the disk; nothing was saved."""


class DiskFailed(StoreError):
    """The disk refused the write (I/O error, quota, failing disk); nothing was saved."""


class CannotOpen(StoreError):
    """The database file cannot be opened or created."""


class NotOurDatabase(StoreError):
    """Not an SQLite file, a damaged one, or a database of another program."""


class SchemaTooNew(StoreError):
    """The database was made by a newer annotator."""


class Conflict(StoreError):
    """The layer or document changed elsewhere, or differs from what is stored."""


class Refused(StoreError):
    """A request against the store's rules: an unknown label or status, a span outside its text, nothing to change."""


class NoSuchDocument(StoreError, NotFound):
    """No document of that id in the database."""


# SQLite's primary result codes (https://sqlite.org/rescode.html); an extended code keeps its primary in the low byte.
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


def sqlite_code(exc: sqlite3.Error) -> int | None:
    """The primary SQLite result code of an error, None when SQLite gave none (a misuse of the module)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_locked(exc: sqlite3.Error) -> bool:
    """Whether the error says another connection holds the lock (worth waiting and trying again)."""
    return sqlite_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED)


def from_sqlite(exc: sqlite3.Error, path: str) -> StoreError:
    """The StoreError saying, in one line, what a sqlite3 error means for the user."""
    code = sqlite_code(exc)
    if code == SQLITE_READONLY:
        return ReadOnlyDatabase(f"{path}: the database is read-only (check the file's and its folder's permissions)")
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseLocked(f"{path}: the database stayed locked by another annotator; nothing was saved, try again")
    if code == SQLITE_FULL:
        return DiskFull(f"{path}: the disk is full; nothing was saved")
    if code == SQLITE_IOERR:
        return DiskFailed(f"{path}: the disk refused the write (full, over quota, or failing); nothing was saved")
    if code in (SQLITE_NOTADB, SQLITE_CORRUPT):
        return NotOurDatabase(f"{path}: not a valid annotator database ({exc})")
    if code == SQLITE_CANTOPEN:
        return CannotOpen(f"{path}: cannot open the database file (is the folder there and writable?)")
    return StoreError(f"{path}: database error: {exc}")
