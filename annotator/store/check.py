"""The integrity check: the file, the texts and their hashes, the spans and relations, and the event log replayed against them."""

from __future__ import annotations

from typing import Any

from annotator.model import RELATION_TYPES, Relation, Span, relation_problems, text_hash
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
        texts = {doc_id: text for doc_id, text in self._read("SELECT id, text FROM documents")}
        hashes = self.document_hashes()
        for doc_id, text in texts.items():
            if text_hash(text) != hashes[doc_id]:
                problems.append(f"document {doc_id}: text does not match its recorded hash")
        layers = self.label_schema().layer_of
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
        for item_id, doc_id, start, end, label in self._read(
            'SELECT id, document_id, start, "end", label FROM suggestions'
        ):
            text = texts.get(doc_id)
            if text is None or not (0 <= start < end <= len(text)) or label not in layers:
                problems.append(
                    f"suggestion {item_id} ({doc_id}, {start}-{end} {label}): outside its text or unknown label"
                )
        events = self.events()
        replayed = self.replay(events)
        for span_id in sorted(set(replayed) | set(stored)):
            if replayed.get(span_id) != stored.get(span_id):
                problems.append(
                    f"event log: span {span_id} is {stored.get(span_id)} in the table but "
                    f"{replayed.get(span_id)} by the log"
                )
        return problems + self._check_relations(stored, self.replay_relations(events))

    def _check_relations(
        self, spans: dict[int, tuple[str, str, int, int, str]], replayed: dict[int, tuple[str, str, int, int, str]]
    ) -> list[str]:
        """The relations: each joins two stored spans of its own layer as its type allows, and the log replays to them."""
        problems: list[str] = []
        stored: dict[int, tuple[str, str, int, int, str]] = {}
        by_layer: dict[tuple[str, str], list[Relation]] = {}
        for rel_id, doc_id, annotator, head, child, label in self._read(
            "SELECT id, document_id, annotator, head_span_id, child_span_id, label FROM relations ORDER BY id"
        ):
            stored[rel_id] = (doc_id, annotator, head, child, label)
            by_layer.setdefault((doc_id, annotator), []).append(Relation(head, child, label, rel_id))
        for (doc_id, annotator), relations in by_layer.items():
            ids = sorted({end for r in relations for end in (r.head_span_id, r.child_span_id)})
            ends = [Span(*spans[i][:5], id=i) if i in spans else Span("", "", 0, 1, "", id=i) for i in ids]
            position = {span_id: n for n, span_id in enumerate(ids)}
            local = [Relation(position[r.head_span_id], position[r.child_span_id], r.label) for r in relations]
            for problem in relation_problems(ends, local, RELATION_TYPES):
                # relation_problems names a relation by its place in the list: name it by its id
                n, rest = problem.removeprefix("relation ").split(" ", 1)
                problems.append(f"relation {relations[int(n)].id} ({doc_id}, {annotator}) {rest}")
            for r in relations:
                for span_id in (r.head_span_id, r.child_span_id):
                    if span_id in spans and spans[span_id][:2] != (doc_id, annotator):
                        problems.append(f"relation {r.id} ({doc_id}, {annotator}): span {span_id} is of another layer")
        for rel_id in sorted(set(replayed) | set(stored)):
            if replayed.get(rel_id) != stored.get(rel_id):
                problems.append(
                    f"event log: relation {rel_id} is {stored.get(rel_id)} in the table but {replayed.get(rel_id)} by the log"
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
