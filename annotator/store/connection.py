"""The connection to one database file: opening, waiting out locks, transactions, journal modes, closing."""

from __future__ import annotations

import atexit
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Self

from annotator.errors import CannotOpen, DatabaseLocked, StoreError, from_sqlite, is_locked
from annotator.labels import LabelSchema
from annotator.store import schema

BUSY_SLICE_MS = 200
DEFAULT_LOCK_WAIT_S = 30.0
CLOSE_WAIT_S = 2.0


def now() -> str:
    """The current UTC time as ISO 8601 with milliseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class Connection:
    """One sqlite3 connection shared by the threads of a process, one transaction at a time."""

    def __init__(
        self,
        path: str | Path,
        *,
        lock_wait: float = DEFAULT_LOCK_WAIT_S,
        on_wait: Callable[[float], None] | None = None,
    ) -> None:
        self.path = str(path)
        self.lock_wait = lock_wait
        self.on_wait = on_wait
        self._labels: LabelSchema | None = None
        self._texts: dict[str, str] = {}
        self._claims: dict[str, str] = {}  # annotator → token of the claim this Store holds
        self.claim_alarm = threading.Event()  # set when a write found a claim taken over: wakes ClaimWatch
        self.closed = False
        # One connection may serve the UI thread and a writer thread: one transaction at a time.
        self._lock = threading.RLock()
        self.conn = self._connect()
        try:
            self._migrate()
        except BaseException:
            self.conn.close()
            raise
        _OPEN.add(self)

    def _connect(self) -> sqlite3.Connection:
        """Open the file with WAL, foreign keys and a short busy slice."""
        path = Path(self.path)
        if path.is_dir():
            raise CannotOpen(f"{self.path}: is a directory, not a database file")
        if not path.parent.exists():
            raise CannotOpen(f"{self.path}: the folder {path.parent} does not exist")
        if not path.exists():
            try:
                # Create the file ourselves so it gets the user's umask (SQLite would use 0644).
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o666))
            except OSError as exc:
                raise CannotOpen(f"{self.path}: cannot create the database ({exc.strerror})") from None
        try:
            conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_SLICE_MS / 1000, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_SLICE_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                self._retry(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as exc:
            raise from_sqlite(exc, self.path) from None
        return conn

    def _retry(self, action: Callable[[], Any], wait: float | None = None) -> Any:
        """Run action, retrying while the database is locked, up to `wait` (default lock_wait) seconds."""
        limit = self.lock_wait if wait is None else wait
        began = time.monotonic()
        while True:
            try:
                return action()
            except sqlite3.OperationalError as exc:
                waited = time.monotonic() - began
                if is_locked(exc) and waited < limit:
                    if self.on_wait is not None:
                        self.on_wait(waited)
                    time.sleep(0.02)
                    continue
                raise

    def _migrate(self) -> None:
        """Bring the schema up to date (see schema.py)."""
        schema.migrate(self)

    def _release_claims(self, wait: float) -> None:
        """Give up the layers this Store holds before closing (claims.py fills this in)."""

    def backup_to(self, dest: str | Path) -> None:
        """Copy the database, WAL included, to dest through SQLite's online backup: to a temporary file
        beside dest, synced to disk, then renamed over dest (a crash leaves dest as it was)."""
        dest = Path(dest)
        temporary = dest.parent / f".{dest.name}.{os.getpid()}.tmp"
        try:
            temporary.unlink(missing_ok=True)
            # Create the file ourselves so the backup gets the user's umask, like the database (SQLite: 0644).
            os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            target = sqlite3.connect(temporary)
            try:
                with self._lock:
                    self.conn.backup(target)
            finally:
                target.close()
            descriptor = os.open(temporary, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
            os.replace(temporary, dest)
            folder = os.open(dest.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
        except sqlite3.Error as exc:
            raise from_sqlite(exc, str(dest)) from None
        except OSError as exc:
            raise StoreError(f"{dest}: cannot write the backup ({exc.strerror})") from None
        finally:
            for leftover in (temporary, Path(f"{temporary}-journal")):
                try:
                    leftover.unlink()
                except OSError:
                    pass

    def close(self, wait: float | None = None) -> bool:
        """Release this Store's claims, checkpoint the WAL into the file and close the connection.

        When the last connection to the file closes, SQLite deletes the `-wal` file, so the `.db`
        alone then holds everything. With `wait`, give up (returning False, leaving the connection
        open) when a writer thread keeps the connection that long: a process about to exit must not
        hang on it; SQLite rolls back the transaction that thread had not committed.
        """
        if not self._lock.acquire(timeout=-1 if wait is None else wait):
            return False
        try:
            if self.closed:
                return True
            self._release_claims(CLOSE_WAIT_S if wait is None else min(wait, CLOSE_WAIT_S))
            try:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass  # another process reading: the last one to close checkpoints
            self.conn.close()
            self.closed = True
            _OPEN.discard(self)
            return True
        finally:
            self._lock.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, wait: float | None = None) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT); StoreError when it fails.

        With `wait`, waiting for another thread of this process is bounded by it too.
        """
        if not self._lock.acquire(timeout=-1 if wait is None else wait):
            raise DatabaseLocked(f"{self.path}: the database stayed busy in this process; nothing was saved, try again")
        try:
            try:
                self._retry(lambda: self.conn.execute("BEGIN IMMEDIATE"), wait)
            except sqlite3.Error as exc:
                raise from_sqlite(exc, self.path) from None
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException as exc:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                if isinstance(exc, sqlite3.Error):
                    raise from_sqlite(exc, self.path) from None
                raise
        finally:
            self._lock.release()

    @contextmanager
    def bulk_journal(self) -> Iterator[None]:
        """Write through a rollback journal while no other connection has the file open, else stay in WAL.

        In WAL a bulk write is written twice, to the WAL and again at the checkpoint, which makes
        a large import several times slower. Leaving WAL needs the file to ourselves, so with an
        annotator at work the switch fails at once and the import runs in WAL as any write does.
        """
        with self._lock:
            switched = False
            try:
                self.conn.execute("PRAGMA busy_timeout = 0")
                switched = self.conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
            except sqlite3.OperationalError:
                pass
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_SLICE_MS}")
            try:
                yield
            finally:
                if switched:
                    try:
                        self._retry(lambda: self.conn.execute("PRAGMA journal_mode = WAL"))
                    except sqlite3.Error:
                        pass  # what was written is committed; the next Store to open the file restores WAL

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read inside one transaction, so a long reader (an export) sees one state of the database."""
        with self._lock:
            if self.conn.in_transaction:
                yield
                return
            self._retry(lambda: self.conn.execute("BEGIN"))
            try:
                yield
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run a read query; StoreError on failure."""
        try:
            with self._lock:
                return self._retry(lambda: self.conn.execute(sql, params).fetchall())
        except sqlite3.Error as exc:
            raise from_sqlite(exc, self.path) from None


_OPEN: weakref.WeakSet[Connection] = weakref.WeakSet()


def close_all(wait: float | None = CLOSE_WAIT_S) -> None:
    """Close every Store this process still has open (at exit: the `.db` file is then complete)."""
    for store in list(_OPEN):
        store.close(wait)


atexit.register(close_all)
