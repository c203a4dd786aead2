"""Importing: new documents and their layers in one transaction, by the merge rules of a repeated import."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from annotator.errors import Conflict
from annotator.model import GOLD, Document, Span, dumps_meta
from annotator.status import ADJUDICATED, DONE
from annotator.store import connection
from annotator.store.progress import Progress


@dataclass
class ImportResult:
    """Counts of one import."""

    added: int = 0
    present: int = 0
    spans: int = 0
    annotators: set[str] = field(default_factory=set)


class Imports(Progress):
    """`import_batch`: documents are added once; a layer is imported whole or not at all."""

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
                    raise Conflict(
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
