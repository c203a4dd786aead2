"""Importing: new documents and their layers in one transaction, by the merge rules of a repeated import."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from annotator.errors import Conflict
from annotator.model import GOLD, Document, Relation, Span, dumps_meta
from annotator.status import ADJUDICATED, DONE
from annotator.store import connection
from annotator.store.relations import Relations, relation_type


@dataclass
class ImportResult:
    """Counts of one import."""

    added: int = 0
    present: int = 0
    spans: int = 0
    annotators: set[str] = field(default_factory=set)
    relations: int = 0


class Imports(Relations):
    """`import_batch`: documents are added once; a layer is imported whole or not at all."""

    def import_batch(
        self,
        documents: Sequence[Document],
        spans: Sequence[Span],
        *,
        user: str,
        done: dict[tuple[str, str], str | None] | Sequence[tuple[str, str]] = (),
        on_progress: Callable[[int], None] | None = None,
        relations: Sequence[Relation] = (),
    ) -> ImportResult:
        """Add new documents, their spans and relations in ONE transaction; identical documents are skipped.

        The caller has validated everything; a document id present with another text raises.
        `done` maps (document, annotator) to the status that layer gets: a status string is set
        as it is, None leaves the layer's status alone (no progress row, no status event). A layer
        whose spans are imported without an entry, and a pair given as a plain sequence, is
        marked done (adjudicated for gold).

        `relations` (validated too) join spans by their positions in `spans`; a span already stored
        (skipped) lends its stored id. A relation already stored is skipped; one that would give a
        head a second relation of a one-per-head kind (a second speaker) raises Conflict.
        """
        statuses: dict[tuple[str, str], str | None] = (
            dict(done) if isinstance(done, dict) else {pair: ADJUDICATED if pair[1] == GOLD else DONE for pair in done}
        )
        result = ImportResult()
        with self.bulk_journal(), self.transaction() as conn:
            existing = dict(conn.execute("SELECT id, text_hash FROM documents").fetchall())
            position = conn.execute("SELECT coalesce(max(position), -1) FROM documents").fetchone()[0]
            stamp = connection.now()
            rows = []
            for doc in documents:
                known = existing.get(doc.id)
                if known is not None:
                    if known != doc.text_hash:
                        raise Conflict(f"document {doc.id!r} is already stored with a different text")
                    result.present += 1
                    continue
                position += 1
                existing[doc.id] = doc.text_hash
                rows.append(
                    (
                        doc.id,
                        doc.title,
                        doc.text if doc.utf8 is None else doc.utf8,
                        doc.source,
                        dumps_meta(doc.meta),
                        doc.text_hash,
                        len(doc.text),
                        position,
                        stamp,
                    )
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
            by_layer: dict[tuple[str, str], list[int]] = {}  # layer → positions of its spans in `spans`
            for position, span in enumerate(spans):
                by_layer.setdefault((span.document_id, span.annotator), []).append(position)
            for pair in statuses:
                by_layer.setdefault(pair, [])
            links: dict[tuple[str, str], list[Relation]] = {}
            for relation in relations:
                head = spans[relation.head_span_id]
                links.setdefault((head.document_id, head.annotator), []).append(relation)
            for (document_id, annotator), group in by_layer.items():
                present = {
                    (row[0], row[1], row[2]): row[3]
                    for row in conn.execute(
                        'SELECT start, "end", label, id FROM spans WHERE document_id = ? AND annotator = ?',
                        (document_id, annotator),
                    )
                }
                new = [p for p in group if (spans[p].start, spans[p].end, spans[p].label) not in present]
                if present and new:
                    raise Conflict(
                        f"document {document_id!r} already has other spans of {annotator!r}; "
                        "import refuses to merge two versions of one layer"
                    )
                text = (
                    texts.get(document_id)
                    or conn.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()[0]
                )
                ids = {p: present.get((spans[p].start, spans[p].end, spans[p].label)) for p in group}
                added = []
                for p in new:
                    added.append(self._insert_span(conn, spans[p], text, stamp))
                    ids[p] = added[-1].id
                linked = self._import_links(
                    conn, document_id, annotator, links.get((document_id, annotator), []), ids, stamp
                )
                if added or linked:
                    self._log(conn, user, annotator, document_id, "import", added=added, linked=linked)
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
                result.relations += len(linked)
                result.annotators.add(annotator)
        return result

    def _import_links(
        self,
        conn: sqlite3.Connection,
        document_id: str,
        annotator: str,
        relations: Sequence[Relation],
        ids: dict[int, int | None],
        stamp: str,
    ) -> list[Relation]:
        """Store one layer's imported relations over its span ids; the ones already stored are skipped."""
        linked: list[Relation] = []
        for relation in relations:
            head, child = ids[relation.head_span_id], ids[relation.child_span_id]
            assert head is not None and child is not None  # every span of the layer is stored or present
            taken = self._relations_where(conn, "head_span_id = ? AND label = ?", (head, relation.label))
            if any(r.child_span_id == child for r in taken):
                continue
            kind = relation_type(relation.label)
            if taken and kind is not None and kind.single:
                raise Conflict(
                    f"document {document_id!r}: a span of {annotator!r} already has another {relation.label}; "
                    "import refuses to merge two versions of one layer"
                )
            linked.append(
                self._insert_relation(conn, document_id, annotator, Relation(head, child, relation.label), stamp)
            )
        return linked
