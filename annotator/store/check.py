"""The integrity check: the file, the texts and their hashes, the spans, and the event log replayed against them."""

from __future__ import annotations

from typing import Any

from annotator.model import text_hash
from annotator.store.events import EventLog
from annotator.store.schema import SCHEMA_VERSION


class Check(EventLog):
    """`check` and the review decisions it leaves alone."""

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
