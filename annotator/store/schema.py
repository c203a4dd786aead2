"""The database schema: its version, the migrations that build it, and the check that a file is ours.

Tables are made one way only: plain SQL DDL run on the store's own connection, inside the one
transaction that migrates. The SQL is the schema itself, readable here and in `sqlite3 FILE .schema`
alike, and nothing else has to be imported to open a database. The labels and documents tables
and the `idx_` indexes keep the exact text sqlite-utils writes (quoted names), because existing
databases were made by it: every database then has one schema, whichever version created it.

To add a table:
1. write `_migration_N(conn)` below with its `CREATE TABLE` (and indexes), append it to
   MIGRATIONS and raise SCHEMA_VERSION to N — never edit a migration that has shipped: existing
   databases ran it already and only run the ones after their `PRAGMA user_version`;
2. put the table's reads and writes in a new module of this package, a mixin subclassing
   `Connection` (or the mixin whose methods it needs), add it to `Store`'s bases in
   `__init__.py`, and let `check.py` look at the new rows if they can go wrong.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.errors import NotOurDatabase, SchemaTooNew, from_sqlite
from annotator.model import DEFAULT_LABELS

if TYPE_CHECKING:
    from annotator.store.connection import Connection

SCHEMA_VERSION = 6
OUR_TABLES = frozenset({"documents", "spans", "progress", "events", "labels"})


def _migration_1(conn: sqlite3.Connection) -> None:
    """The first schema: labels, documents, spans, progress and the append-only event log."""
    conn.execute(
        'CREATE TABLE "labels" (\n'
        '   "name" TEXT PRIMARY KEY,\n'
        '   "layer" TEXT NOT NULL,\n'
        '   "key" TEXT NOT NULL,\n'
        '   "colour" TEXT NOT NULL,\n'
        '   "description" TEXT,\n'
        '   "position" INTEGER NOT NULL\n'
        ")"
    )
    conn.execute(
        'CREATE TABLE "documents" (\n'
        '   "id" TEXT PRIMARY KEY,\n'
        '   "title" TEXT,\n'
        '   "text" TEXT NOT NULL,\n'
        '   "source" TEXT,\n'
        '   "meta" TEXT,\n'
        '   "text_hash" TEXT NOT NULL,\n'
        '   "length" INTEGER NOT NULL,\n'
        '   "position" INTEGER NOT NULL,\n'
        '   "created" TEXT\n'
        ")"
    )
    conn.execute('CREATE UNIQUE INDEX "idx_documents_position"\n    ON "documents" ("position")')
    conn.execute(
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
    conn.execute(
        'CREATE INDEX "idx_spans_document_id_annotator_start"\n    ON "spans" ("document_id", "annotator", "start")'
    )
    conn.execute(
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
    conn.execute(
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
    conn.execute(
        'CREATE INDEX "idx_events_document_id_annotator_id"\n    ON "events" ("document_id", "annotator", "id")'
    )
    # The log is append-only: the database refuses to change or delete an event.
    conn.execute(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END"
    )
    conn.execute(
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
        "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END"
    )
    conn.executemany(
        "INSERT INTO labels (name, layer, key, colour, description, position) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (label.name, label.layer, label.key, label.colour, label.description, i)
            for i, label in enumerate(DEFAULT_LABELS)
        ],
    )


def _migration_2(conn: sqlite3.Connection) -> None:
    """Claims: one live editor per annotator layer (who holds it, since when, last seen)."""
    conn.execute(
        """CREATE TABLE claims (
            annotator TEXT PRIMARY KEY,
            token TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            since TEXT NOT NULL,
            seen TEXT NOT NULL
        )"""
    )


def _migration_3(conn: sqlite3.Connection) -> None:
    """Suggestions: proposed spans shared by every annotator, never spans themselves."""
    conn.execute(
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
    conn.execute("CREATE INDEX suggestions_document ON suggestions (document_id, start)")
    conn.execute("CREATE INDEX suggestions_source ON suggestions (source, document_id)")


def _migration_4(conn: sqlite3.Connection) -> None:
    """Assignments: which documents the lead gave to which annotator."""
    conn.execute(
        """CREATE TABLE assignments (
            document_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT NOT NULL,
            assigned_at TEXT NOT NULL,
            assigned_by TEXT NOT NULL,
            PRIMARY KEY (document_id, annotator)
        )"""
    )
    conn.execute("CREATE INDEX assignments_annotator ON assignments (annotator, document_id)")


def _migration_5(conn: sqlite3.Connection) -> None:
    """Relations: labelled links from a head span to a child span of one annotator's layer (a quote's speaker).

    The label is free text checked against the relation types in code (annotator.model.RELATION_TYPES),
    so a later label schema can add kinds without a migration. The spans are referenced by id, and
    foreign keys are on: a span cannot be deleted while a relation holds it, so every removal takes
    its relations first, in the same event.
    """
    conn.execute(
        """CREATE TABLE relations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT NOT NULL,
            head_span_id INTEGER NOT NULL REFERENCES spans(id),
            child_span_id INTEGER NOT NULL REFERENCES spans(id),
            label TEXT NOT NULL,
            created TEXT NOT NULL,
            UNIQUE (head_span_id, child_span_id, label),
            CHECK (head_span_id <> child_span_id)
        )"""
    )
    conn.execute("CREATE INDEX relations_layer ON relations (document_id, annotator)")
    # the foreign keys' lookup when a span is deleted (the UNIQUE index already starts with the head)
    conn.execute("CREATE INDEX relations_child ON relations (child_span_id)")


def _migration_6(conn: sqlite3.Connection) -> None:
    """Flags: an annotator's question to the lead about an article or a stretch of it, with a one-line note.

    start and end are both NULL for the whole article, else the offsets of the span flagged (the text
    never changes, so they keep naming the same characters whatever becomes of the span). A flag is
    open until the lead resolves it (resolved, resolved_by).
    """
    conn.execute(
        """CREATE TABLE flags (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT NOT NULL,
            start INTEGER,
            "end" INTEGER,
            note TEXT NOT NULL DEFAULT '',
            user TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            resolved TEXT,
            resolved_by TEXT,
            CHECK ((start IS NULL AND "end" IS NULL) OR (start >= 0 AND start < "end"))
        )"""
    )
    conn.execute("CREATE INDEX flags_document ON flags (document_id, annotator)")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _migration_1,
    _migration_2,
    _migration_3,
    _migration_4,
    _migration_5,
    _migration_6,
)
assert len(MIGRATIONS) == SCHEMA_VERSION


def migrate(store: Connection) -> None:
    """Bring the schema up to SCHEMA_VERSION, refusing newer databases and files that are not ours."""
    try:
        version = store.conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as exc:
        raise from_sqlite(exc, store.path) from None
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"{store.path}: database schema version {version} is newer than this "
            f"annotator understands ({SCHEMA_VERSION}); upgrade annotator"
        )
    if version == SCHEMA_VERSION:
        check_is_ours(store)
        return
    with store.transaction() as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and table_names(store):
            raise NotOurDatabase(f"{store.path}: not an annotator database (it has other tables)")
        for number in range(version, SCHEMA_VERSION):
            MIGRATIONS[number](conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def check_is_ours(store: Connection) -> None:
    """Fail clearly when the file is not a database of ours."""
    missing = OUR_TABLES - table_names(store)
    if missing:
        raise NotOurDatabase(f"{store.path}: not an annotator database (missing {', '.join(sorted(missing))})")


def table_names(store: Connection) -> set[str]:
    """Names of the tables in the file."""
    try:
        rows = store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.Error as exc:
        raise from_sqlite(exc, store.path) from None
    return {row[0] for row in rows}
