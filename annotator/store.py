"""SQLite persistence through sqlite-utils: schema, migrations, one transaction per action.

Every change to spans is also appended to the `events` table (who, what, when); the
undo/redo stacks of an annotator's layer are replayed from that log, so they survive
restarts, and `check` can prove that the log replays to exactly the stored spans.
"""

from __future__ import annotations

import atexit
import bisect
import json
import os
import sqlite3
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # sqlite-utils is imported only to migrate: it pulls in pandas when present
    import sqlite_utils

from annotator.model import (
    DEFAULT_LABELS,
    GOLD,
    Document,
    Label,
    Span,
    dumps_meta,
    layer_of,
    text_hash,
)

SCHEMA_VERSION = 4
BUSY_SLICE_MS = 200
DEFAULT_LOCK_WAIT_S = 30.0
TEXT_CACHE_SIZE = 4
CLAIM_POLL_S = 2.0
CLAIM_HEARTBEAT_S = 15.0
CLAIM_STALE_S = 60.0
"""A claim held from another host is alive while its last heartbeat is younger than this."""
CLOSE_WAIT_S = 2.0

NEW = "new"
IN_PROGRESS = "in_progress"
DONE = "done"
ADJUDICATED = "adjudicated"
STATUSES = (IN_PROGRESS, DONE, ADJUDICATED)
STATUS_WORDS = {NEW: "new", IN_PROGRESS: "in progress", DONE: "done", ADJUDICATED: "adjudicated"}


def status_word(status: str | None) -> str:
    """How a status reads on every screen and in `annotator docs` (None: never opened)."""
    return STATUS_WORDS.get(status or NEW, (status or NEW).replace("_", " "))


def _host() -> str:
    """This machine's name (os.uname: the socket module costs 5 ms of every start-up)."""
    return os.uname().nodename


class StoreError(Exception):
    """A database problem, worded as one line for the user."""


class Claim(NamedTuple):
    """Who holds an annotator's layer: a random token, the host and pid of the process, since and last seen."""

    annotator: str
    token: str
    host: str
    pid: int
    since: str
    seen: str

    def describe(self) -> str:
        """`host H, pid P, since HH:MM` (local time)."""
        return f"host {self.host}, pid {self.pid}, since {clock(self.since)}"


class LayerBusy(StoreError):
    """Another live process holds the annotator's layer."""

    def __init__(self, holder: Claim) -> None:
        super().__init__(f"{layer_name(holder.annotator)} is open in another terminal ({holder.describe()})")
        self.holder = holder


class ClaimLost(StoreError):
    """Another process took this process's layer over: nothing more may be written from here."""

    def __init__(self, annotator: str, holder: Claim | None) -> None:
        if holder is None:
            who = "another session"
        else:
            who = f"{holder.host} pid {holder.pid} at {clock(holder.since)}"
        super().__init__(f"read-only: taken over by {who} — nothing more is saved here")
        self.annotator = annotator
        self.holder = holder


def layer_name(annotator: str) -> str:
    """`ali's layer`, or `the gold layer`."""
    return "the gold layer" if annotator == GOLD else f"{annotator}'s layer"


def clock(stamp: str) -> str:
    """HH:MM in local time of a stored UTC timestamp."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%H:%M")
    except ValueError:
        return stamp


class Edit(NamedTuple):
    """What one committed action did to one layer: spans added and removed, or the status it set."""

    event_id: int
    added: tuple[Span, ...] = ()
    removed: tuple[Span, ...] = ()
    status: str | None = None
    rejected: dict[str, Any] | None = None
    """Set when the step rejected a suggestion (or undid/redid a rejection): the suggestion's record."""


@dataclass
class ImportResult:
    """Counts of one import."""

    added: int = 0
    present: int = 0
    spans: int = 0
    annotators: set[str] = field(default_factory=set)


def now() -> str:
    """The current UTC time as ISO 8601 with milliseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _describe(exc: sqlite3.Error, path: str) -> str:
    """One line saying what a sqlite3 error means for the user."""
    message = str(exc)
    lowered = message.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return f"{path}: the database is read-only (check the file's and its folder's permissions)"
    if "locked" in lowered or "busy" in lowered:
        return f"{path}: the database stayed locked by another annotator; nothing was saved, try again"
    if "disk is full" in lowered or "full" in lowered:
        return f"{path}: the disk is full; nothing was saved"
    if "disk i/o error" in lowered:
        return f"{path}: the disk refused the write (full, over quota, or failing); nothing was saved"
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return f"{path}: not a valid annotator database ({message})"
    if "unable to open" in lowered:
        return f"{path}: cannot open the database file (is the folder there and writable?)"
    return f"{path}: database error: {message}"


def _migration_1(db: sqlite_utils.Database) -> None:
    """The first schema."""
    db.table("labels").create(
        {
            "name": str,
            "layer": str,
            "key": str,
            "colour": str,
            "description": str,
            "position": int,
        },
        pk="name",
        not_null={"layer", "key", "colour", "position"},
    )
    db.table("documents").create(
        {
            "id": str,
            "title": str,
            "text": str,
            "source": str,
            "meta": str,
            "text_hash": str,
            "length": int,
            "position": int,
            "created": str,
        },
        pk="id",
        not_null={"text", "text_hash", "length", "position"},
    )
    db.table("documents").create_index(["position"], unique=True)
    db.execute(
        """CREATE TABLE spans (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL REFERENCES labels(name),
            text TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            CHECK (start >= 0 AND start < "end")
        )"""
    )
    db.table("spans").create_index(["document_id", "annotator", "start"])
    db.execute(
        """CREATE TABLE progress (
            document_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT NOT NULL,
            status TEXT NOT NULL,
            cursor INTEGER NOT NULL DEFAULT 0,
            opened TEXT,
            updated TEXT NOT NULL,
            PRIMARY KEY (document_id, annotator)
        )"""
    )
    db.execute(
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            ts TEXT NOT NULL,
            user TEXT NOT NULL,
            annotator TEXT NOT NULL,
            document_id TEXT NOT NULL REFERENCES documents(id),
            action TEXT NOT NULL,
            ref INTEGER,
            origin TEXT,
            payload TEXT NOT NULL
        )"""
    )
    db.table("events").create_index(["document_id", "annotator", "id"])
    # The log is append-only: the database refuses to change or delete an event.
    db.execute(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
        "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END"
    )
    db.table("labels").insert_all(
        [
            {
                "name": label.name,
                "layer": label.layer,
                "key": label.key,
                "colour": label.colour,
                "description": label.description,
                "position": i,
            }
            for i, label in enumerate(DEFAULT_LABELS)
        ]
    )


def _migration_2(db: sqlite_utils.Database) -> None:
    """Claims: one live editor per annotator layer (who holds it, since when, last seen)."""
    db.execute(
        """CREATE TABLE claims (
            annotator TEXT PRIMARY KEY,
            token TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            since TEXT NOT NULL,
            seen TEXT NOT NULL
        )"""
    )


def _migration_3(db: sqlite_utils.Database) -> None:
    """Suggestions: proposed spans shared by every annotator, never spans themselves."""
    db.execute(
        """CREATE TABLE suggestions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id TEXT NOT NULL REFERENCES documents(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL REFERENCES labels(name),
            source TEXT NOT NULL,
            score REAL,
            created TEXT NOT NULL,
            CHECK (start >= 0 AND start < "end")
        )"""
    )
    db.execute("CREATE INDEX suggestions_document ON suggestions (document_id, start)")
    db.execute("CREATE INDEX suggestions_source ON suggestions (source, document_id)")


def _migration_4(db: sqlite_utils.Database) -> None:
    """Assignments: which documents the lead gave to which annotator (annotator/assignments.py reads and writes it)."""
    db.execute(
        """CREATE TABLE assignments (
            document_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT NOT NULL,
            assigned_at TEXT NOT NULL,
            assigned_by TEXT NOT NULL,
            PRIMARY KEY (document_id, annotator)
        )"""
    )
    db.execute("CREATE INDEX assignments_annotator ON assignments (annotator, document_id)")


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    _migration_1, _migration_2, _migration_3, _migration_4,
)
assert len(MIGRATIONS) == SCHEMA_VERSION


def _sqlite_utils() -> Any:
    """Import sqlite-utils without its optional pandas and numpy support (never used here; pandas alone costs ~0.4 s)."""
    if "sqlite_utils" in sys.modules:
        return sys.modules["sqlite_utils"]
    blocked = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # makes its optional import fail fast
    try:
        import sqlite_utils
    finally:
        for name in blocked:
            del sys.modules[name]
    return sqlite_utils


def _span_from_row(row: sqlite3.Row | tuple) -> Span:
    """A Span from (id, document_id, annotator, start, end, label)."""
    return Span(row[1], row[2], row[3], row[4], row[5], id=row[0])


def _span_json(span: Span) -> dict[str, Any]:
    """The event-log form of a span."""
    return {"id": span.id, "start": span.start, "end": span.end, "label": span.label}


class Store:
    """The project's database: documents, spans, progress, labels and the event log."""

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
        self._labels: list[Label] | None = None
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

    # -- opening ---------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        """Open the file with WAL, foreign keys and a short busy slice."""
        path = Path(self.path)
        if path.is_dir():
            raise StoreError(f"{self.path}: is a directory, not a database file")
        if not path.parent.exists():
            raise StoreError(f"{self.path}: the folder {path.parent} does not exist")
        if not path.exists():
            try:
                # Create the file ourselves so it gets the user's umask (SQLite would use 0644).
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o666))
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create the database ({exc.strerror})") from None
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
            raise StoreError(_describe(exc, self.path)) from None
        return conn

    def _retry(self, action: Callable[[], Any], wait: float | None = None) -> Any:
        """Run action, retrying while the database is locked, up to `wait` (default lock_wait) seconds."""
        limit = self.lock_wait if wait is None else wait
        began = time.monotonic()
        while True:
            try:
                return action()
            except sqlite3.OperationalError as exc:
                text = str(exc).lower()
                waited = time.monotonic() - began
                if ("locked" in text or "busy" in text) and waited < limit:
                    if self.on_wait is not None:
                        self.on_wait(waited)
                    time.sleep(0.02)
                    continue
                raise

    def _migrate(self) -> None:
        """Bring the schema up to SCHEMA_VERSION, refusing newer databases."""
        try:
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as exc:
            raise StoreError(_describe(exc, self.path)) from None
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: database schema version {version} is newer than this "
                f"annotator understands ({SCHEMA_VERSION}); upgrade annotator"
            )
        if version == SCHEMA_VERSION:
            self._check_is_ours()
            return
        with self.transaction():
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and self._table_names():
                raise StoreError(f"{self.path}: not an annotator database (it has other tables)")
            db = _sqlite_utils().Database(self.conn)
            for number in range(version, SCHEMA_VERSION):
                MIGRATIONS[number](db)
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def backup_to(self, dest: str | Path) -> None:
        """Copy the database, WAL included, to dest through SQLite's online backup: to a temporary file
        beside dest, synced to disk, then renamed over dest (a crash leaves dest as it was)."""
        dest = Path(dest)
        temporary = dest.parent / f".{dest.name}.{os.getpid()}.tmp"
        try:
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
            raise StoreError(_describe(exc, str(dest))) from None
        except OSError as exc:
            raise StoreError(f"{dest}: cannot write the backup ({exc.strerror})") from None
        finally:
            for leftover in (temporary, Path(f"{temporary}-journal")):
                try:
                    leftover.unlink()
                except OSError:
                    pass

    def _check_is_ours(self) -> None:
        """Fail clearly when the file is not a database of ours."""
        names = self._table_names()
        missing = {"documents", "spans", "progress", "events", "labels"} - names
        if missing:
            raise StoreError(f"{self.path}: not an annotator database (missing {', '.join(sorted(missing))})")

    def _table_names(self) -> set[str]:
        """Names of the tables in the file."""
        try:
            rows = self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        except sqlite3.Error as exc:
            raise StoreError(_describe(exc, self.path)) from None
        return {row[0] for row in rows}

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
            for annotator in list(self._claims):
                try:
                    self.release(annotator, wait=CLOSE_WAIT_S if wait is None else min(wait, CLOSE_WAIT_S))
                except StoreError:
                    pass  # the claim dies with this process (its pid) or after CLAIM_STALE_S
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

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------

    @contextmanager
    def transaction(self, wait: float | None = None) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT); StoreError when it fails.

        With `wait`, waiting for another thread of this process is bounded by it too.
        """
        if not self._lock.acquire(timeout=-1 if wait is None else wait):
            raise StoreError(f"{self.path}: the database stayed busy in this process; nothing was saved, try again")
        try:
            try:
                self._retry(lambda: self.conn.execute("BEGIN IMMEDIATE"), wait)
            except sqlite3.Error as exc:
                raise StoreError(_describe(exc, self.path)) from None
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException as exc:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(_describe(exc, self.path)) from None
                raise
        finally:
            self._lock.release()

    @contextmanager
    def bulk_journal(self) -> Iterator[None]:
        """Write through a rollback journal while no other connection has the file open, else stay in WAL.

        In WAL a bulk write is written twice, to the WAL and again at the checkpoint, which made
        importing 90 MB three times slower. Leaving WAL needs the file to ourselves, so with an
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
            raise StoreError(_describe(exc, self.path)) from None

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run a read query for a module beside the store (annotator/assignments.py); StoreError on failure."""
        return self._read(sql, params)

    # -- claims: one live editor per annotator layer ------------------------------

    def holder(self, annotator: str) -> Claim | None:
        """The claim on an annotator's layer, live or not, if any."""
        rows = self._read(
            "SELECT annotator, token, host, pid, since, seen FROM claims WHERE annotator = ?", (annotator,)
        )
        return Claim(*rows[0]) if rows else None

    @staticmethod
    def alive(claim: Claim) -> bool:
        """Whether the claim's process still runs: its pid on this host, a recent heartbeat from another."""
        if claim.host == _host():
            if claim.pid == os.getpid():
                return True  # another Store of this very process
            try:
                os.kill(claim.pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                return True  # someone else's live process
            except OSError:
                return False
            return not _zombie(claim.pid)
        try:
            seen = datetime.fromisoformat(claim.seen)
        except ValueError:
            return False
        return (datetime.now(timezone.utc) - seen).total_seconds() < CLAIM_STALE_S

    def claim(self, annotator: str, *, take_over: bool = False) -> Claim | None:
        """Become the one editor of an annotator's layer; returns the claim of an ended process it replaced, if any.

        Raises LayerBusy when a live process holds it, unless take_over: then that process's next
        write fails with ClaimLost, whatever its screen shows.
        """
        stamp = now()
        token = os.urandom(16).hex()
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT annotator, token, host, pid, since, seen FROM claims WHERE annotator = ?", (annotator,)
            ).fetchone()
            previous = Claim(*row) if row else None
            ended: Claim | None = None
            if previous is not None and previous.token != self._claims.get(annotator):
                if not self.alive(previous):
                    ended = previous
                elif not take_over:
                    raise LayerBusy(previous)
            conn.execute(
                "INSERT INTO claims (annotator, token, host, pid, since, seen) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (annotator) DO UPDATE SET token = excluded.token, host = excluded.host, "
                "pid = excluded.pid, since = excluded.since, seen = excluded.seen",
                (annotator, token, _host(), os.getpid(), stamp, stamp),
            )
        self._claims[annotator] = token
        return ended

    def holds(self, annotator: str) -> bool:
        """Whether this Store took a claim on the layer (it may have been taken over since)."""
        return annotator in self._claims

    def release(self, annotator: str, *, wait: float | None = None) -> None:
        """Give the layer up, unless another process already took it over."""
        token = self._claims.get(annotator)
        if token is None:
            return
        with self.transaction(wait) as conn:
            conn.execute("DELETE FROM claims WHERE annotator = ? AND token = ?", (annotator, token))
        del self._claims[annotator]

    def heartbeat(self, annotator: str) -> None:
        """Say this process still holds the layer (others on other hosts judge liveness by it); ClaimLost if not."""
        with self.transaction(wait=CLAIM_POLL_S) as conn:
            self._guard(conn, annotator)
            conn.execute("UPDATE claims SET seen = ? WHERE annotator = ?", (now(), annotator))

    def verify_claim(self, annotator: str) -> None:
        """Raise ClaimLost when another process took the layer over (a read; never waits for a writer)."""
        with self._lock:
            try:
                self._guard(self.conn, annotator)
            except sqlite3.Error as exc:
                raise StoreError(_describe(exc, self.path)) from None

    def _guard(self, conn: sqlite3.Connection, annotator: str) -> None:
        """Inside a write: refuse it when this Store's claim on the layer was taken over."""
        token = self._claims.get(annotator)
        if token is None:
            return
        row = conn.execute(
            "SELECT annotator, token, host, pid, since, seen FROM claims WHERE annotator = ?", (annotator,)
        ).fetchone()
        if row is None or row[1] != token:
            self.claim_alarm.set()
            raise ClaimLost(annotator, Claim(*row) if row else None)

    # -- labels ----------------------------------------------------------------

    def labels(self) -> list[Label]:
        """The project's label schema in its order."""
        if self._labels is None:
            rows = self._read(
                "SELECT name, layer, key, colour, description FROM labels ORDER BY position"
            )
            self._labels = [Label(*row) for row in rows]
        return self._labels

    def layer(self, label: str) -> str:
        """The layer of a known label."""
        layer = layer_of(self.labels(), label)
        if layer is None:
            raise StoreError(f"unknown label {label!r}")
        return layer

    # -- documents -------------------------------------------------------------

    def documents(self) -> list[Document]:
        """Every document in corpus order."""
        rows = self._read(
            "SELECT id, title, text, source, meta, position FROM documents ORDER BY position"
        )
        return [self._document(row) for row in rows]

    def document_list(self) -> list[tuple[str, str, int]]:
        """(id, title, length) of every document in corpus order, without texts."""
        return [
            (row[0], row[1], row[2])
            for row in self._read(
                "SELECT id, title, length FROM documents ORDER BY position"  # not length(text): it stops at a NUL
            )
        ]

    def document(self, document_id: str) -> Document | None:
        """One document, or None."""
        rows = self._read(
            "SELECT id, title, text, source, meta, position FROM documents WHERE id = ?",
            (document_id,),
        )
        return self._document(rows[0]) if rows else None

    @staticmethod
    def _document(row: tuple) -> Document:
        meta = json.loads(row[4]) if row[4] else {}
        return Document(row[0], row[1] or "", row[2], row[3] or "", meta, row[5])

    def document_hashes(self) -> dict[str, str]:
        """id → text hash of every stored document."""
        return dict(self._read("SELECT id, text_hash FROM documents"))

    def import_batch(
        self,
        documents: Sequence[Document],
        spans: Sequence[Span],
        *,
        user: str,
        done: dict[tuple[str, str], str | None] | Sequence[tuple[str, str]] = (),
        on_progress: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """Add new documents and their spans in ONE transaction; identical documents are skipped.

        The caller has validated everything; a document id present with another text raises.
        `done` maps (document, annotator) to the status that layer gets: a status string is set
        as it is, None leaves the layer's status alone (no progress row, no status event). A layer
        whose spans are imported without an entry, and a pair given as a plain sequence, is
        marked done (adjudicated for gold).
        """
        statuses: dict[tuple[str, str], str | None] = (
            dict(done) if isinstance(done, dict)
            else {pair: ADJUDICATED if pair[1] == GOLD else DONE for pair in done}
        )
        result = ImportResult()
        with self.bulk_journal(), self.transaction() as conn:
            existing = dict(conn.execute("SELECT id, text_hash FROM documents").fetchall())
            position = conn.execute("SELECT coalesce(max(position), -1) FROM documents").fetchone()[0]
            stamp = now()
            rows = []
            for doc in documents:
                known = existing.get(doc.id)
                if known is not None:
                    if known != doc.text_hash:
                        raise StoreError(f"document {doc.id!r} is already stored with a different text")
                    result.present += 1
                    continue
                position += 1
                existing[doc.id] = doc.text_hash
                rows.append(
                    (doc.id, doc.title, doc.text if doc.utf8 is None else doc.utf8, doc.source, dumps_meta(doc.meta), doc.text_hash, len(doc.text),
                     position, stamp)
                )
                result.added += 1
            conn.executemany(
                "INSERT INTO documents (id, title, text, source, meta, text_hash, length, position, created) "
                "VALUES (?, ?, CAST(? AS TEXT), ?, ?, ?, ?, ?, ?)",  # bytes as UTF-8 text, not re-encoded
                rows,
            )
            if on_progress is not None:
                on_progress(len(documents))
            texts: dict[str, str] = {doc.id: doc.text for doc in documents}
            by_layer: dict[tuple[str, str], list[Span]] = {}
            for span in spans:
                by_layer.setdefault((span.document_id, span.annotator), []).append(span)
            for pair in statuses:
                by_layer.setdefault(pair, [])
            for (document_id, annotator), group in by_layer.items():
                present = {
                    (row[0], row[1], row[2])
                    for row in conn.execute(
                        'SELECT start, "end", label FROM spans WHERE document_id = ? AND annotator = ?',
                        (document_id, annotator),
                    )
                }
                new = [s for s in group if (s.start, s.end, s.label) not in present]
                if present and new:
                    raise StoreError(
                        f"document {document_id!r} already has other spans of {annotator!r}; "
                        "import refuses to merge two versions of one layer"
                    )
                text = texts.get(document_id) or conn.execute(
                    "SELECT text FROM documents WHERE id = ?", (document_id,)
                ).fetchone()[0]
                added = [self._insert_span(conn, span, text, stamp) for span in new]
                if added:
                    self._log(conn, user, annotator, document_id, "import", added=added)
                default = ADJUDICATED if annotator == GOLD else DONE
                status = statuses.get((document_id, annotator), default)
                if status is not None:
                    current = conn.execute(
                        "SELECT status FROM progress WHERE document_id = ? AND annotator = ?",
                        (document_id, annotator),
                    ).fetchone()
                    if current is None or current[0] != status:
                        self._set_status(conn, document_id, annotator, status, user, stamp)
                result.spans += len(added)
                result.annotators.add(annotator)
        return result

    # -- spans -----------------------------------------------------------------

    def spans(self, document_id: str, annotator: str) -> list[Span]:
        """One annotator's spans of one document, in text order (only the varying columns are read)."""
        rows = self._read(
            'SELECT start, "end", label, id FROM spans WHERE document_id = ? AND annotator = ? '
            'ORDER BY start, "end", id',
            (document_id, annotator),
        )
        return [Span(document_id, annotator, start, end, label, span_id) for start, end, label, span_id in rows]

    def spans_touching(self, document_id: str, annotator: str, start: int, end: int) -> list[Span]:
        """One annotator's spans sharing a character with [start, end), in text order, through the start index."""
        found: list[Span] = []
        for layer in dict.fromkeys(label.layer for label in self.labels()):
            with self._lock:
                found += self._overlapping(self.conn, document_id, annotator, layer, start, end)
        return sorted(found, key=lambda span: (span.start, span.end, span.id or 0))

    def last_event_id(self, document_id: str, annotator: str) -> int:
        """The id of the newest event of one layer of one document (0 when none)."""
        rows = self._read(
            "SELECT coalesce(max(id), 0) FROM events WHERE document_id = ? AND annotator = ?", (document_id, annotator)
        )
        return int(rows[0][0])

    def all_spans(self, document_id: str) -> dict[str, list[Span]]:
        """Every annotator's spans of one document (gold included), in text order."""
        rows = self._read(
            'SELECT id, document_id, annotator, start, "end", label FROM spans '
            'WHERE document_id = ? ORDER BY annotator, start, "end", id',
            (document_id,),
        )
        result: dict[str, list[Span]] = {}
        for row in rows:
            result.setdefault(row[2], []).append(_span_from_row(row))
        return result

    def annotators(self) -> list[str]:
        """Every annotator with spans or progress, gold excluded, sorted."""
        rows = self._read(
            "SELECT annotator FROM progress UNION SELECT annotator FROM spans ORDER BY 1"
        )
        return [row[0] for row in rows if row[0] != GOLD]

    def known_annotators(self) -> list[str]:
        """Every name that ever opened or was given a document (gold excluded), sorted; reads only `progress`."""
        rows = self._read("SELECT DISTINCT annotator FROM progress ORDER BY 1")
        return [row[0] for row in rows if row[0] != GOLD]

    def _insert_span(self, conn: sqlite3.Connection, span: Span, text: str, stamp: str) -> Span:
        """Insert a span (keeping its id when it has one) and return it with its id."""
        cursor = conn.execute(
            'INSERT INTO spans (id, document_id, annotator, start, "end", label, text, created, updated) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (span.id, span.document_id, span.annotator, span.start, span.end, span.label,
             text[span.start:span.end], stamp, stamp),
        )
        return Span(span.document_id, span.annotator, span.start, span.end, span.label, id=cursor.lastrowid)

    def _log(
        self,
        conn: sqlite3.Connection,
        user: str,
        annotator: str,
        document_id: str,
        action: str,
        *,
        added: Sequence[Span] = (),
        removed: Sequence[Span] = (),
        ref: int | None = None,
        origin: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> int:
        """Append one event; returns its id."""
        payload: dict[str, Any] = {
            "add": [_span_json(s) for s in added],
            "remove": [_span_json(s) for s in removed],
        }
        if extra:
            payload.update(extra)
        cursor = conn.execute(
            "INSERT INTO events (ts, user, annotator, document_id, action, ref, origin, payload) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (now(), user, annotator, document_id, action, ref, origin,
             json.dumps(payload, ensure_ascii=False)),
        )
        assert cursor.lastrowid is not None  # an INSERT into a rowid table always sets it
        return cursor.lastrowid

    def _document_text(self, conn: sqlite3.Connection, document_id: str) -> str:
        """A document's text; cached, since a stored text never changes (import refuses another text)."""
        text = self._texts.get(document_id)
        if text is None:
            row = conn.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
            if row is None:
                raise StoreError(f"no document {document_id!r}")
            text = row[0]
            if len(self._texts) >= TEXT_CACHE_SIZE:
                self._texts.pop(next(iter(self._texts)))
            self._texts[document_id] = text
        return text

    def _overlapping(
        self, conn: sqlite3.Connection, document_id: str, annotator: str, layer: str, start: int, end: int
    ) -> list[Span]:
        """Spans of one layer sharing a character with [start, end), found through the (document, annotator, start) index.

        Spans of a layer never overlap, so besides those starting inside the range at most one
        span starting before it can reach into it: the last one of the layer before `start`.
        """
        names = [label.name for label in self.labels() if label.layer == layer]
        marks = ", ".join("?" * len(names))
        columns = 'id, document_id, annotator, start, "end", label'
        inside = conn.execute(
            f"SELECT {columns} FROM spans WHERE document_id = ? AND annotator = ? AND start >= ? AND start < ? "
            f"AND label IN ({marks}) ORDER BY start",
            (document_id, annotator, start, end, *names),
        ).fetchall()
        before = conn.execute(
            f"SELECT {columns} FROM spans WHERE document_id = ? AND annotator = ? AND start < ? "
            f"AND label IN ({marks}) ORDER BY start DESC LIMIT 1",
            (document_id, annotator, start, *names),
        ).fetchall()
        found = [_span_from_row(row) for row in before if row[4] > start]
        return found + [_span_from_row(row) for row in inside]

    def apply(
        self,
        document_id: str,
        annotator: str,
        add: Sequence[tuple[int, int, str]] = (),
        remove_ids: Sequence[int] = (),
        *,
        user: str,
        origin: str | None = None,
    ) -> Edit:
        """One undoable action: remove spans by id, then add spans, each replacing what it overlaps in its layer."""
        stamp = now()
        with self.transaction() as conn:
            self._guard(conn, annotator)
            text = self._document_text(conn, document_id)
            removed: list[Span] = []
            for span_id in remove_ids:
                row = conn.execute(
                    'SELECT id, document_id, annotator, start, "end", label FROM spans '
                    "WHERE id = ? AND document_id = ? AND annotator = ?",
                    (span_id, document_id, annotator),
                ).fetchone()
                if row is None:
                    raise StoreError(f"span {span_id} is no longer there (changed in another window?)")
                removed.append(_span_from_row(row))
                conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))
            added: list[Span] = []
            for start, end, label in add:
                if not (0 <= start < end <= len(text)):
                    raise StoreError(f"span {start}-{end} lies outside the text (0-{len(text)})")
                layer = self.layer(label)
                for old in self._overlapping(conn, document_id, annotator, layer, start, end):
                    removed.append(old)
                    conn.execute("DELETE FROM spans WHERE id = ?", (old.id,))
                added.append(self._insert_span(conn, Span(document_id, annotator, start, end, label), text, stamp))
            if not added and not removed:
                raise StoreError("nothing to change")
            event = self._log(conn, user, annotator, document_id, "edit", added=added, removed=removed, origin=origin)
            self._touch_progress(conn, document_id, annotator, user, stamp)
        return Edit(event, tuple(added), tuple(removed))

    def add_span(
        self, document_id: str, annotator: str, start: int, end: int, label: str, *, user: str,
        origin: str | None = None,
    ) -> Edit:
        """Tag [start, end) with label, replacing overlapping spans of the same layer."""
        return self.apply(document_id, annotator, add=[(start, end, label)], user=user, origin=origin)

    def remove_span(self, document_id: str, annotator: str, span_id: int, *, user: str) -> Edit:
        """Remove one span."""
        return self.apply(document_id, annotator, remove_ids=[span_id], user=user)

    # -- undo / redo -----------------------------------------------------------

    def _stacks(self, conn: sqlite3.Connection, document_id: str, annotator: str) -> tuple[list[int], list[int]]:
        """Replay the log into (undo stack, redo stack) of event ids: edits and the user's status changes."""
        undo: list[int] = []
        redo: list[int] = []
        for event_id, action, ref in conn.execute(
            "SELECT id, action, ref FROM events WHERE document_id = ? AND annotator = ? "
            "AND (action IN ('edit', 'undo', 'redo', 'reject') OR (action = 'status' AND json_extract(payload, '$.step') = 1)) "
            "ORDER BY id",
            (document_id, annotator),
        ):
            if action in ("edit", "status", "reject"):
                undo.append(event_id)
                redo.clear()
            elif action == "undo" and undo and undo[-1] == ref:
                redo.append(undo.pop())
            elif action == "redo" and redo and redo[-1] == ref:
                undo.append(redo.pop())
        return undo, redo

    def can_undo(self, document_id: str, annotator: str) -> tuple[bool, bool]:
        """Whether undo and redo have something to do."""
        undo, redo = self._stacks(self.conn, document_id, annotator)
        return bool(undo), bool(redo)

    def undo(self, document_id: str, annotator: str, *, user: str) -> Edit | None:
        """Reverse the annotator's last edit of this document; None when there is none."""
        return self._step(document_id, annotator, user, "undo")

    def redo(self, document_id: str, annotator: str, *, user: str) -> Edit | None:
        """Re-apply the last undone edit; None when there is none."""
        return self._step(document_id, annotator, user, "redo")

    def _step(self, document_id: str, annotator: str, user: str, action: str) -> Edit | None:
        stamp = now()
        with self.transaction() as conn:
            self._guard(conn, annotator)
            undo, redo = self._stacks(conn, document_id, annotator)
            stack = undo if action == "undo" else redo
            if not stack:
                return None
            ref = stack[-1]
            payload = json.loads(
                conn.execute("SELECT payload FROM events WHERE id = ?", (ref,)).fetchone()[0]
            )
            if "step" in payload:  # a status change: undo restores the status it replaced
                status = payload["previous"] if action == "undo" else payload["status"]
                conn.execute(
                    "UPDATE progress SET status = ?, updated = ? WHERE document_id = ? AND annotator = ?",
                    (status, stamp, document_id, annotator),
                )
                event = self._log(conn, user, annotator, document_id, action, ref=ref, extra={"status": status})
                return Edit(event, status=status)
            if "suggestion" in payload:  # a rejection: undoing it shows the suggestion again, redoing hides it
                event = self._log(conn, user, annotator, document_id, action, ref=ref)
                return Edit(event, rejected=payload["suggestion"])
            to_remove = payload["add"] if action == "undo" else payload["remove"]
            to_add = payload["remove"] if action == "undo" else payload["add"]
            text = self._document_text(conn, document_id)
            removed: list[Span] = []
            for item in to_remove:
                gone = conn.execute(
                    "DELETE FROM spans WHERE id = ? AND document_id = ? AND annotator = ?",
                    (item["id"], document_id, annotator),
                ).rowcount
                if gone != 1:
                    raise StoreError("cannot undo: the layer was changed elsewhere since")
                removed.append(Span(document_id, annotator, item["start"], item["end"], item["label"], id=item["id"]))
            added: list[Span] = []
            for item in to_add:
                span = Span(document_id, annotator, item["start"], item["end"], item["label"], id=item["id"])
                if self._overlapping(conn, document_id, annotator, self.layer(span.label), span.start, span.end):
                    raise StoreError("cannot undo: the layer was changed elsewhere since")
                added.append(self._insert_span(conn, span, text, stamp))
            event = self._log(conn, user, annotator, document_id, action, added=added, removed=removed, ref=ref)
            self._touch_progress(conn, document_id, annotator, user, stamp)
        return Edit(event, tuple(added), tuple(removed))

    # -- progress --------------------------------------------------------------

    def _set_status(
        self, conn: sqlite3.Connection, document_id: str, annotator: str, status: str, user: str, stamp: str,
        *, step: bool = False, previous: str | None = None,
    ) -> int:
        """Write the status and log it; a `step` (the user's own change) is undoable and records what it replaced."""
        conn.execute(
            "INSERT INTO progress (document_id, annotator, status, updated) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (document_id, annotator) DO UPDATE SET status = excluded.status, updated = excluded.updated",
            (document_id, annotator, status, stamp),
        )
        extra: dict[str, Any] = {"status": status}
        if step:
            extra.update(previous=previous or NEW, step=True)
        return self._log(conn, user, annotator, document_id, "status", extra=extra)

    def _touch_progress(self, conn: sqlite3.Connection, document_id: str, annotator: str, user: str, stamp: str) -> None:
        """Mark a document in progress for an annotator who starts on it (not an undo step of its own)."""
        row = conn.execute(
            "SELECT status FROM progress WHERE document_id = ? AND annotator = ?", (document_id, annotator)
        ).fetchone()
        if row is None or row[0] == NEW:
            self._set_status(conn, document_id, annotator, IN_PROGRESS, user, stamp)

    def set_status(
        self, document_id: str, annotator: str, status: str, *, user: str, step: bool = False,
        only_from: Sequence[str] | None = None,
    ) -> Edit | None:
        """Record a document's status for an annotator (in_progress, done, adjudicated).

        With `step` (a change the user made: done, reopen) it is one step of the layer's undo/redo
        stack, and nothing is written when the status is already that (None returned). With
        `only_from`, a current status outside it raises.
        """
        if status not in STATUSES:
            raise StoreError(f"unknown status {status!r}")
        with self.transaction() as conn:
            self._guard(conn, annotator)
            self._document_text(conn, document_id)
            row = conn.execute(
                "SELECT status FROM progress WHERE document_id = ? AND annotator = ?", (document_id, annotator)
            ).fetchone()
            current = row[0] if row else None
            if only_from is not None and current not in only_from:
                raise StoreError(f"the article is {status_word(current)}, not {' or '.join(map(status_word, only_from))}")
            if step and current == status:
                return None
            event = self._set_status(conn, document_id, annotator, status, user, now(), step=step, previous=current)
        return Edit(event, status=status)

    def status(self, document_id: str, annotator: str) -> str | None:
        """A document's status for an annotator (`new` when only opened), or None when never opened."""
        rows = self._read(
            "SELECT status FROM progress WHERE document_id = ? AND annotator = ?", (document_id, annotator)
        )
        return rows[0][0] if rows else None

    def statuses(self, annotator: str) -> dict[str, str]:
        """document id → status for one annotator."""
        return dict(self._read("SELECT document_id, status FROM progress WHERE annotator = ?", (annotator,)))

    def overview(self) -> list[dict[str, Any]]:
        """Per document in corpus order: id, title, length, per annotator status and span count, and per known
        annotator the suggestions still pending (`pending`, empty for a document without suggestions)."""
        docs = self.document_list()
        status = self._read("SELECT document_id, annotator, status FROM progress")
        counts = self._read("SELECT document_id, annotator, count(*) FROM spans GROUP BY 1, 2")
        per: dict[str, dict[str, dict[str, Any]]] = {doc_id: {} for doc_id, _, _ in docs}
        for doc_id, annotator, value in status:
            per[doc_id].setdefault(annotator, {"status": None, "spans": 0})["status"] = value
        for doc_id, annotator, count in counts:
            per[doc_id].setdefault(annotator, {"status": None, "spans": 0})["spans"] = count
        pending = self.pending_counts()
        return [
            {"id": doc_id, "title": title, "length": length,
             "annotators": dict(sorted(per[doc_id].items())), "pending": pending.get(doc_id, {})}
            for doc_id, title, length in docs
        ]

    def done_documents(self, annotator: str) -> list[str]:
        """Ids of documents the annotator marked done (or adjudicated), in corpus order."""
        rows = self._read(
            "SELECT p.document_id FROM progress p JOIN documents d ON d.id = p.document_id "
            "WHERE p.annotator = ? AND p.status IN ('done', 'adjudicated') ORDER BY d.position",
            (annotator,),
        )
        return [row[0] for row in rows]

    def save_place(self, document_id: str, annotator: str, cursor: int, *, wait: float = 2.0) -> None:
        """Remember where the annotator is (document and cursor), for the next start; gives up after `wait` s."""
        stamp = now()
        with self.transaction(wait) as conn:
            self._guard(conn, annotator)
            # Opening an article changes no status: `new` until the first edit makes it in progress.
            conn.execute(
                "INSERT INTO progress (document_id, annotator, status, cursor, opened, updated) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (document_id, annotator) DO UPDATE SET "
                "cursor = excluded.cursor, opened = excluded.opened",
                (document_id, annotator, NEW, cursor, stamp, stamp),
            )

    def last_place(self, annotator: str) -> tuple[str, int] | None:
        """The document and cursor the annotator was last on, if any."""
        rows = self._read(
            "SELECT document_id, cursor FROM progress WHERE annotator = ? AND opened IS NOT NULL "
            "ORDER BY opened DESC LIMIT 1",
            (annotator,),
        )
        return (rows[0][0], rows[0][1]) if rows else None

    def last_place_in(self, document_id: str, annotator: str) -> int | None:
        """The cursor the annotator last had in one document, if any."""
        rows = self._read(
            "SELECT cursor FROM progress WHERE document_id = ? AND annotator = ? AND opened IS NOT NULL",
            (document_id, annotator),
        )
        return rows[0][0] if rows else None

    # -- the log ---------------------------------------------------------------

    def events(self, document_id: str | None = None) -> list[dict[str, Any]]:
        """Events in order, optionally of one document."""
        sql = "SELECT id, ts, user, annotator, document_id, action, ref, origin, payload FROM events"
        params: tuple = ()
        if document_id is not None:
            sql += " WHERE document_id = ?"
            params = (document_id,)
        rows = self._read(sql + " ORDER BY id", params)
        keys = ("id", "ts", "user", "annotator", "document_id", "action", "ref", "origin")
        return [dict(zip(keys, row[:8]), payload=json.loads(row[8])) for row in rows]

    def replay(self) -> dict[int, tuple[str, str, int, int, str]]:
        """The spans the event log says exist: id → (document, annotator, start, end, label)."""
        state: dict[int, tuple[str, str, int, int, str]] = {}
        for event in self.events():
            for item in event["payload"].get("remove", []):
                state.pop(item["id"], None)
            for item in event["payload"].get("add", []):
                state[item["id"]] = (event["document_id"], event["annotator"], item["start"], item["end"], item["label"])
        return state

    def check(self) -> list[str]:
        """Every integrity problem found, one line each (empty when the database is sound).

        All queries run in one read transaction: annotators committing meanwhile cannot make the
        spans and the event log look different.
        """
        with self.snapshot():
            return self._check()

    def _check(self) -> list[str]:
        """check's queries, run inside its read snapshot."""
        problems: list[str] = []
        for (result,) in self._read("PRAGMA integrity_check"):
            if result != "ok":
                problems.append(f"integrity_check: {result}")
        for (row,) in self._read("PRAGMA foreign_key_check"):
            problems.append(f"foreign key: {row}")
        version = self._read("PRAGMA user_version")[0][0]
        if version != SCHEMA_VERSION:
            problems.append(f"schema version is {version}, expected {SCHEMA_VERSION}")
        texts = {doc_id: text for doc_id, text, in self._read("SELECT id, text FROM documents")}
        hashes = self.document_hashes()
        for doc_id, text in texts.items():
            if text_hash(text) != hashes[doc_id]:
                problems.append(f"document {doc_id}: text does not match its recorded hash")
        labels = self.labels()
        layers = {label.name: label.layer for label in labels}
        rows = self._read(
            'SELECT id, document_id, annotator, start, "end", label, text FROM spans ORDER BY document_id, annotator, start'
        )
        last_end: dict[tuple[str, str, str], tuple[int, int]] = {}
        stored: dict[int, tuple[str, str, int, int, str]] = {}
        for span_id, doc_id, annotator, start, end, label, recorded in rows:
            stored[span_id] = (doc_id, annotator, start, end, label)
            text = texts.get(doc_id)
            where = f"span {span_id} ({doc_id}, {annotator}, {start}-{end} {label})"
            if text is None:
                problems.append(f"{where}: its document is missing")
                continue
            if not (0 <= start < end <= len(text)):
                problems.append(f"{where}: outside its text")
            elif text[start:end] != recorded:
                problems.append(f"{where}: its text no longer matches the document")
            if label not in layers:
                problems.append(f"{where}: unknown label")
                continue
            key = (doc_id, annotator, layers[label])
            if key in last_end and start < last_end[key][0]:
                problems.append(f"{where}: overlaps span {last_end[key][1]} in layer {layers[label]}")
            if key not in last_end or end > last_end[key][0]:
                last_end[key] = (end, span_id)
        for item_id, doc_id, start, end, label in self._read('SELECT id, document_id, start, "end", label FROM suggestions'):
            text = texts.get(doc_id)
            if text is None or not (0 <= start < end <= len(text)) or label not in layers:
                problems.append(f"suggestion {item_id} ({doc_id}, {start}-{end} {label}): outside its text or unknown label")
        replayed = self.replay()
        for span_id in sorted(set(replayed) | set(stored)):
            if replayed.get(span_id) != stored.get(span_id):
                problems.append(
                    f"event log: span {span_id} is {stored.get(span_id)} in the table but "
                    f"{replayed.get(span_id)} by the log"
                )
        return problems

    def record_decision(
        self, document_id: str, annotator: str, *, user: str, origin: str | None, detail: dict[str, Any]
    ) -> int:
        """Log a review decision that adds and removes no span (action `decide`); returns its event id.

        Replay and undo look only at spans and at edit/undo/redo events, so this event changes neither.
        """
        with self.transaction() as conn:
            self._guard(conn, annotator)
            self._document_text(conn, document_id)
            return self._log(conn, user, annotator, document_id, "decide", origin=origin, extra=detail)

    # -- suggestions (issue 15): shared by everyone; an accept is an edit, a reject an event --------------

    def replace_suggestions(
        self, source: str, found: Mapping[str, Sequence[tuple[int, int, str, float | None]]], scope: Sequence[str]
    ) -> int:
        """Replace `source`'s suggestions in the documents of `scope` by `found` (start, end, label, score), in one transaction.

        Suggestions belong to no annotator's layer, so no claim guards this write; returns how many were written.
        """
        stamp = now()
        rows = [(doc, start, end, label, source, score, stamp)
                for doc, items in found.items() for start, end, label, score in items]
        with self.transaction() as conn:
            conn.executemany("DELETE FROM suggestions WHERE source = ? AND document_id = ?",
                             [(source, doc) for doc in scope])
            conn.executemany(_INSERT_SUGGESTION, rows)
        return len(rows)

    def add_suggestions(
        self, annotator: str, source: str, found: Mapping[str, Sequence[tuple[int, int, str, float | None]]]
    ) -> int:
        """Add suggestions an annotator's action made (propagate), skipping ones already there; returns how many were new."""
        stamp = now()
        added = 0
        with self.transaction() as conn:
            self._guard(conn, annotator)
            for doc, items in found.items():
                for start, end, label, score in items:
                    present = conn.execute(
                        'SELECT 1 FROM suggestions WHERE document_id = ? AND start = ? AND "end" = ? AND label = ? '
                        "AND source = ?", (doc, start, end, label, source),
                    ).fetchone()
                    if present is None:
                        conn.execute(_INSERT_SUGGESTION, (doc, start, end, label, source, score, stamp))
                        added += 1
        return added

    def mean_scores(self) -> dict[str, float]:
        """document id → the mean score of its scored suggestions (a model's confidence), for documents with any."""
        rows = self._read(
            "SELECT document_id, avg(score) FROM suggestions WHERE score IS NOT NULL GROUP BY document_id"
        )
        return {doc_id: float(mean) for doc_id, mean in rows}

    def suggestions(self, document_id: str) -> list[StoredSuggestion]:
        """Every suggestion of one document, pending or not, in text order."""
        rows = self._read(
            'SELECT id, document_id, start, "end", label, source, score FROM suggestions WHERE document_id = ? '
            'ORDER BY start, "end" DESC, id',
            (document_id,),
        )
        return [StoredSuggestion(*row) for row in rows]

    def reject_suggestion(self, document_id: str, annotator: str, suggestion: StoredSuggestion, *, user: str) -> Edit:
        """Hide a suggestion for one annotator: an undoable `reject` event that adds and removes no span."""
        record = {"id": suggestion.id, "start": suggestion.start, "end": suggestion.end,
                  "label": suggestion.label, "source": suggestion.source}
        with self.transaction() as conn:
            self._guard(conn, annotator)
            self._document_text(conn, document_id)
            event = self._log(conn, user, annotator, document_id, "reject", origin=suggestion.source,
                              extra={"suggestion": record})
            self._touch_progress(conn, document_id, annotator, user, now())  # deciding is working on it
        return Edit(event, rejected=record)

    def _rejections(self, conn: sqlite3.Connection, document_id: str, annotator: str) -> set[tuple[int, int, str]]:
        """(start, end, label) of every suggestion the annotator rejected in a document and did not undo."""
        rows = conn.execute(
            "SELECT id, payload FROM events WHERE document_id = ? AND annotator = ? AND action = 'reject'",
            (document_id, annotator),
        ).fetchall()
        if not rows:
            return set()
        in_force = set(self._stacks(conn, document_id, annotator)[0])
        found = set()
        for event_id, payload in rows:
            if event_id in in_force:
                item = json.loads(payload)["suggestion"]
                found.add((item["start"], item["end"], item["label"]))
        return found

    def rejections(self, document_id: str, annotator: str) -> set[tuple[int, int, str]]:
        """(start, end, label) of the suggestions an annotator rejected in a document (undone rejections excluded)."""
        try:
            with self._lock:
                return self._retry(lambda: self._rejections(self.conn, document_id, annotator))
        except sqlite3.Error as exc:
            raise StoreError(_describe(exc, self.path)) from None

    def pending_counts(self) -> dict[str, dict[str, int]]:
        """document id → annotator → suggestions still pending for them, for every known annotator and
        every document holding suggestions."""
        with self.snapshot():
            suggestions: dict[str, list[StoredSuggestion]] = {}
            for row in self._read('SELECT id, document_id, start, "end", label, source, score FROM suggestions'):
                suggestions.setdefault(row[1], []).append(StoredSuggestion(*row))
            if not suggestions:
                return {}
            spans: dict[tuple[str, str], list[Span]] = {}
            for row in self._read(
                'SELECT id, document_id, annotator, start, "end", label FROM spans '
                "WHERE document_id IN (SELECT DISTINCT document_id FROM suggestions)"
            ):
                spans.setdefault((row[1], row[2]), []).append(_span_from_row(row))
            rejecting = self._read("SELECT DISTINCT document_id, annotator FROM events WHERE action = 'reject'")
            rejected = {(doc, name): self.rejections(doc, name) for doc, name in rejecting}
            layers = {label.name: label.layer for label in self.labels()}
            names = self.known_annotators()
            return {
                doc: {name: len(pending_suggestions(items, spans.get((doc, name), []),
                                                    rejected.get((doc, name), set()), layers))
                      for name in names}
                for doc, items in suggestions.items()
            }


_INSERT_SUGGESTION = (
    'INSERT INTO suggestions (document_id, start, "end", label, source, score, created) VALUES (?, ?, ?, ?, ?, ?, ?)'
)


class StoredSuggestion(NamedTuple):
    """A row of the suggestions table: a proposed span of one document, shared by every annotator."""

    id: int
    document_id: str
    start: int
    end: int
    label: str
    source: str
    score: float | None = None


def pending_suggestions(
    suggestions: Sequence[StoredSuggestion], spans: Sequence[Span], rejected: set[tuple[int, int, str]],
    layer_of: dict[str, str],
) -> list[StoredSuggestion]:
    """What an annotator still has to decide, in text order: suggestions they did not reject and that overlap
    none of their own spans in the suggestion's layer.

    Of suggestions overlapping in one layer (two sources) the first in text order, the longer at one start,
    is shown; the others come back once it is rejected. The same offsets and label are shown once.
    """
    taken: dict[str, tuple[list[int], list[int]]] = {}
    for span in sorted(spans, key=lambda s: s.start):
        starts, ends = taken.setdefault(layer_of.get(span.label, span.label), ([], []))
        starts.append(span.start)
        ends.append(span.end)
    last_end: dict[str, int] = {}
    shown: list[StoredSuggestion] = []
    for item in sorted(suggestions, key=lambda s: (s.start, -s.end, s.id)):
        if (item.start, item.end, item.label) in rejected or item.label not in layer_of:
            continue
        layer = layer_of[item.label]
        if item.start < last_end.get(layer, -1):
            continue
        starts, ends = taken.get(layer, ([], []))
        i = bisect.bisect_left(starts, item.end) - 1  # the last span starting before the suggestion ends
        if i >= 0 and ends[i] > item.start:
            continue
        shown.append(item)
        last_end[layer] = item.end
    return shown


class ClaimWatch:
    """A daemon thread that checks a held claim every CLAIM_POLL_S, heartbeats it every CLAIM_HEARTBEAT_S,
    and calls on_lost once when another process took the layer over."""

    def __init__(self, store: Store, annotator: str, on_lost: Callable[[ClaimLost], None],
                 *, poll: float = CLAIM_POLL_S, beat: float = CLAIM_HEARTBEAT_S) -> None:
        self.store = store
        self.annotator = annotator
        self.on_lost = on_lost
        self.poll = poll
        self.beat = beat
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"claim-{annotator}", daemon=True)

    def start(self) -> None:
        """Start watching."""
        self._thread.start()

    def stop(self) -> None:
        """Stop watching (returns at once; the thread wakes and ends)."""
        self._stop.set()
        self.store.claim_alarm.set()

    def _run(self) -> None:
        last_beat = time.monotonic()
        while True:
            # A write refused for a lost claim wakes this at once; else look every `poll` seconds.
            if self.store.claim_alarm.wait(self.poll):
                self.store.claim_alarm.clear()
            if self._stop.is_set() or self.store.closed:
                return
            try:
                if time.monotonic() - last_beat >= self.beat:
                    self.store.heartbeat(self.annotator)
                    last_beat = time.monotonic()
                else:
                    self.store.verify_claim(self.annotator)
            except ClaimLost as exc:
                if not self._stop.is_set():
                    self.on_lost(exc)
                return
            except StoreError:
                continue  # locked for a moment, or closing: look again next time


def _zombie(pid: int) -> bool:
    """Whether a pid is a zombie (exited, not yet reaped): its claim is dead."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


_OPEN: weakref.WeakSet[Store] = weakref.WeakSet()


def close_all(wait: float | None = CLOSE_WAIT_S) -> None:
    """Close every Store this process still has open (at exit: the `.db` file is then complete)."""
    for store in list(_OPEN):
        store.close(wait)


atexit.register(close_all)

