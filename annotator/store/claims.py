"""Claims: one live editor per annotator layer, and the watch that notices when another process takes it over."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import NamedTuple

from annotator.errors import StoreError, from_sqlite
from annotator.model import GOLD
from annotator.store import connection
from annotator.store.connection import Connection

CLAIM_POLL_S = 2.0
CLAIM_HEARTBEAT_S = 15.0
CLAIM_STALE_S = 60.0
"""A claim held from another host is alive while its last heartbeat is younger than this."""


def _host() -> str:
    """This machine's name (os.uname: the socket module would slow every start-up)."""
    return os.uname().nodename


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


class Claims(Connection):
    """Taking, keeping and giving up an annotator's layer; every write to a layer is guarded by its claim."""

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
        stamp = connection.now()
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
            conn.execute("UPDATE claims SET seen = ? WHERE annotator = ?", (connection.now(), annotator))

    def verify_claim(self, annotator: str) -> None:
        """Raise ClaimLost when another process took the layer over (a read; never waits for a writer)."""
        with self._lock:
            try:
                self._guard(self.conn, annotator)
            except sqlite3.Error as exc:
                raise from_sqlite(exc, self.path) from None

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

    def _release_claims(self, wait: float) -> None:
        """Give up every layer this Store holds (on close)."""
        for annotator in list(self._claims):
            try:
                self.release(annotator, wait=wait)
            except StoreError:
                pass  # the claim dies with this process (its pid) or after CLAIM_STALE_S


class ClaimWatch:
    """A daemon thread that checks a held claim every CLAIM_POLL_S, heartbeats it every CLAIM_HEARTBEAT_S,
    and calls on_lost once when another process took the layer over."""

    def __init__(
        self,
        store: Claims,
        annotator: str,
        on_lost: Callable[[ClaimLost], None],
        *,
        poll: float = CLAIM_POLL_S,
        beat: float = CLAIM_HEARTBEAT_S,
    ) -> None:
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
