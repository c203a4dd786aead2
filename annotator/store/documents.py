"""Documents and the label schema: reading the corpus, its texts and which layer a label belongs to."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from annotator.errors import NoSuchDocument, Refused
from annotator.labels import LabelSchema
from annotator.model import Document, Label
from annotator.store.claims import Claims

TEXT_CACHE_SIZE = 4
CHUNK = 500
"""Ids per query (SQLite allows at least 999 parameters)."""


class Documents(Claims):
    """The stored articles (never changed once stored) and the project's labels."""

    def label_schema(self) -> LabelSchema:
        """The project's label schema, read once per Store (`labels --set` refuses while an editor is open)."""
        if self._labels is None:
            self._labels = self._read_label_schema(self.conn, lock=True)
        return self._labels

    def _read_label_schema(self, conn: sqlite3.Connection, *, lock: bool = False) -> LabelSchema:
        """The labels table as a schema, read on this connection (inside a write: the rows being replaced)."""
        sql = "SELECT name, layer, key, colour, coalesce(description, '') FROM labels ORDER BY position"
        rows = self._read(sql) if lock else conn.execute(sql).fetchall()
        return LabelSchema(tuple(Label(*row) for row in rows))

    def labels(self) -> list[Label]:
        """The project's labels in schema order."""
        return list(self.label_schema().labels)

    def layer(self, label: str) -> str:
        """The layer of a known label."""
        layer = self.label_schema().layer(label)
        if layer is None:
            raise Refused(f"unknown label {label!r}")
        return layer

    def label_use(self) -> dict[str, int]:
        """label name → how many spans (every annotator's and gold) carry it; labels no span uses are left out."""
        return dict(self._read("SELECT label, count(*) FROM spans GROUP BY label"))

    def documents(self) -> list[Document]:
        """Every document in corpus order."""
        rows = self._read("SELECT id, title, text, source, meta, position FROM documents ORDER BY position")
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

    def _document_text(self, conn: sqlite3.Connection, document_id: str) -> str:
        """A document's text; cached, since a stored text never changes (import refuses another text)."""
        text = self._texts.get(document_id)
        if text is None:
            row = conn.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
            if row is None:
                raise NoSuchDocument(f"no document {document_id!r}")
            text = row[0]
            if len(self._texts) >= TEXT_CACHE_SIZE:
                self._texts.pop(next(iter(self._texts)))
            self._texts[document_id] = text
        return text

    def document_texts(self, ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(id, title, text) of the given documents in the given order (unknown ids left out), in a few queries."""
        found: dict[str, tuple[str, str, str]] = {}
        for i in range(0, len(ids), CHUNK):
            chunk = list(ids[i : i + CHUNK])
            marks = ", ".join("?" * len(chunk))
            for doc_id, title, text in self._read(
                f"SELECT id, title, text FROM documents WHERE id IN ({marks})", chunk
            ):
                found[doc_id] = (doc_id, title or "", text)
        return [found[doc_id] for doc_id in ids if doc_id in found]
