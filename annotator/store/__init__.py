"""The project's database: one `Store` put together from one mixin per concern, and the names other modules import.

Every change to spans and relations is also appended to the `events` table (who, what, when); the undo/redo
stacks of an annotator's layer are replayed from that log, so they survive restarts, and `check`
proves that the log replays to exactly the stored spans and relations.

    connection.py   the sqlite3 connection: opening, waiting out locks, transactions, closing
    schema.py       SCHEMA_VERSION and the migrations (how to add a table is written there)
    claims.py       one live editor per annotator layer
    documents.py    the articles and the label schema
    events.py       the append-only event log and the undo/redo stacks replayed from it
    progress.py     statuses and the annotator's last place
    relations.py    links between two spans of a layer (a quote's speaker): link, unlink, the cascade
    spans.py        a layer's spans and the undoable edits of it, undo and redo of every step
    imports.py      import_batch and its merge rules
    suggestions.py  proposed spans, their rejection and what is still pending
    assignments.py  which documents the lead gave to which annotator
    flags.py        an annotator's flags (with a note) on an article or a span, resolved by the lead
    check.py        the integrity check
    labels.py       replacing the label schema (the spans of a dropped label leave through the log)

Each concern is a mixin class that builds on the one whose methods it uses: Connection ← Claims ←
Documents ← EventLog ← Progress ← Relations ← Spans, Imports; Progress ← Suggestions; EventLog ← Check ← Flags (which adds the flags to `check`); Connection ← Assignments. `Store`
inherits the last of each line, so mypy sees every method where it is called. A sqlite3 error
never leaves the package: it becomes a StoreError subclass of annotator.errors.
"""

from __future__ import annotations

from typing import Any

from annotator.errors import StoreError
from annotator.status import ADJUDICATED, DONE, IN_PROGRESS, NEW, STATUS_WORDS, STATUSES, Status, status_word
from annotator.store.assignments import Assignments
from annotator.store.claims import (
    CLAIM_HEARTBEAT_S,
    CLAIM_POLL_S,
    CLAIM_STALE_S,
    Claim,
    ClaimLost,
    ClaimWatch,
    LayerBusy,
    clock,
    layer_name,
)
from annotator.store.connection import BUSY_SLICE_MS, CLOSE_WAIT_S, DEFAULT_LOCK_WAIT_S, close_all, now
from annotator.store.events import Edit
from annotator.store.flags import Flag, Flags
from annotator.store.imports import ImportResult, Imports
from annotator.store.labels import LabelWrites, SchemaChange
from annotator.store.schema import SCHEMA_VERSION
from annotator.store.spans import Spans
from annotator.store.suggestions import (
    StoredSuggestion,
    Suggestions,
    offered_to,
    pending_suggestions,
    propagation_source,
)

__all__ = [
    "ADJUDICATED",
    "BUSY_SLICE_MS",
    "CLAIM_HEARTBEAT_S",
    "CLAIM_POLL_S",
    "CLAIM_STALE_S",
    "CLOSE_WAIT_S",
    "DEFAULT_LOCK_WAIT_S",
    "DONE",
    "IN_PROGRESS",
    "NEW",
    "SCHEMA_VERSION",
    "STATUSES",
    "STATUS_WORDS",
    "Claim",
    "ClaimLost",
    "ClaimWatch",
    "Edit",
    "Flag",
    "ImportResult",
    "LayerBusy",
    "SchemaChange",
    "Status",
    "Store",
    "StoreError",
    "StoredSuggestion",
    "clock",
    "close_all",
    "layer_name",
    "now",
    "offered_to",
    "pending_suggestions",
    "propagation_source",
    "status_word",
]


class Store(Spans, Imports, Suggestions, Flags, Assignments, LabelWrites):
    """The project's database: documents, spans, relations, progress, labels, claims, suggestions, flags,
    assignments and the event log."""

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
            {
                "id": doc_id,
                "title": title,
                "length": length,
                "annotators": dict(sorted(per[doc_id].items())),
                "pending": pending.get(doc_id, {}),
            }
            for doc_id, title, length in docs
        ]
