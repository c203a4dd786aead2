"""Replacing the label schema (`annotator labels --set`): one transaction that never drops a span silently.

A label that spans use may be dropped or moved to another layer only when forced. Forced, the spans of a
dropped label go (with their relations and the label's pending suggestions) through `labels` events of the
log, one per layer of a document, so `check` replays the log to exactly the spans left; those events are
not on any undo stack, since undoing them would bring back spans of a label that no longer exists. A
label moved to another layer keeps its spans, unless they would then overlap spans of that layer: that
is refused even when forced. The relation types (a quote's speaker) need `quote` and `actor` while any
relation is stored.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from annotator.errors import Refused
from annotator.labels import LabelSchema, LabelSchemaError
from annotator.model import Span
from annotator.store.claims import Claim, layer_name
from annotator.store.events import _span_from_row
from annotator.store.relations import Relations

LABELS_ACTION = "labels"
"""The event action of spans removed because their label left the schema."""


@dataclass
class SchemaChange:
    """What replacing the schema did (or, refused, would have done): labels added, dropped, moved, changed."""

    added: list[str] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    """dropped label → spans it had (removed when forced)"""
    moved: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    """label → (old layer, new layer, spans that moved with it)"""
    changed: list[str] = field(default_factory=list)
    """labels whose key, colour, guideline or place in the order changed"""
    suggestions_removed: int = 0
    relations_removed: int = 0

    @property
    def spans_affected(self) -> int:
        """Spans removed or moved to another layer."""
        return sum(self.dropped.values()) + sum(n for _, _, n in self.moved.values())


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class LabelWrites(Relations):
    """`set_label_schema`: the labels table replaced in one transaction, with the spans it touches."""

    def set_label_schema(self, schema: LabelSchema, *, user: str, force: bool = False) -> SchemaChange:
        """Replace the label schema; Refused (nothing written) when it would drop or move labels in use unforced,
        while an editor is open, when relations need a label it drops, or when a moved label's spans would overlap."""
        problems = schema.problems()
        if problems:
            raise LabelSchemaError(problems[0])
        with self.transaction() as conn:
            for row in conn.execute("SELECT annotator, token, host, pid, since, seen FROM claims").fetchall():
                claim = Claim(*row)
                if claim.token != self._claims.get(claim.annotator) and self.alive(claim):
                    raise Refused(
                        f"{layer_name(claim.annotator)} is open in an editor ({claim.describe()}), which "
                        "keeps the labels it started with: close it, then change the labels"
                    )
            old = self._read_label_schema(conn)
            use = dict(conn.execute("SELECT label, count(*) FROM spans GROUP BY label").fetchall())
            suggested = dict(conn.execute("SELECT label, count(*) FROM suggestions GROUP BY label").fetchall())
            relations = conn.execute("SELECT count(*) FROM relations").fetchone()[0]
            change = SchemaChange(
                added=[name for name in schema.names if name not in old],
                dropped={name: use.get(name, 0) for name in old.names if name not in schema},
                moved={
                    label.name: (old.layer_of[label.name], label.layer, use.get(label.name, 0))
                    for label in schema
                    if label.name in old and old.layer_of[label.name] != label.layer
                },
                changed=[label.name for label in schema if label.name in old and old.label(label.name) != label],
            )
            change.changed += [
                name
                for n, name in enumerate(schema.names)
                if name in old and name not in change.changed and old.names.index(name) != n
            ]
            if relations and schema.relation_problems():
                raise Refused(
                    f"{schema.relation_problems()[0]}, and {_plural(relations, 'relation')} are stored: keep the label"
                )
            in_use = [
                f"{name} ({_plural(count, 'span')}"
                f"{', ' + _plural(suggested[name], 'suggestion') if suggested.get(name) else ''}) would be dropped"
                for name, count in change.dropped.items()
                if count or suggested.get(name)
            ]
            in_use += [
                f"{name} ({_plural(count, 'span')}) would move from the {before} to the {after} layer"
                for name, (before, after, count) in change.moved.items()
                if count
            ]
            if in_use and not force:
                raise Refused(f"{'; '.join(in_use)}: pass --force to do it")
            self._refuse_overlaps(conn, schema, change)
            for name in change.dropped:
                change.suggestions_removed += suggested.get(name, 0)
                change.relations_removed += self._drop_spans(conn, name, user)
                conn.execute("DELETE FROM suggestions WHERE label = ?", (name,))
                conn.execute("DELETE FROM labels WHERE name = ?", (name,))
            for position, label in enumerate(schema):
                conn.execute(
                    "INSERT INTO labels (name, layer, key, colour, description, position) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET layer = excluded.layer, key = excluded.key, "
                    "colour = excluded.colour, description = excluded.description, position = excluded.position",
                    (label.name, label.layer, label.key, label.colour, label.description, position),
                )
        self._labels = None
        return change

    def _refuse_overlaps(self, conn: sqlite3.Connection, schema: LabelSchema, change: SchemaChange) -> None:
        """Refuse (even forced) when spans of a moved label would overlap spans of their new layer."""
        for name, (_, after, count) in change.moved.items():
            if not count:
                continue
            names = schema.in_layer(after)
            marks = ", ".join("?" * len(names))
            rows = conn.execute(
                f'SELECT id, document_id, annotator, start, "end", label FROM spans WHERE label IN ({marks}) '
                'ORDER BY document_id, annotator, start, "end"',
                names,
            ).fetchall()
            clashes: list[tuple[Span, Span]] = []
            reach: Span | None = None
            for span in map(_span_from_row, rows):
                if (
                    reach is not None
                    and (reach.document_id, reach.annotator) == (span.document_id, span.annotator)
                    and span.start < reach.end
                    and name in (span.label, reach.label)
                ):
                    clashes.append((reach, span))
                if (
                    reach is None
                    or (reach.document_id, reach.annotator) != (span.document_id, span.annotator)
                    or span.end > reach.end
                ):
                    reach = span
            if clashes:
                a, b = clashes[0]
                raise Refused(
                    f"label.{name}.layer: in the {after} layer, {_plural(len(clashes), 'span')} of {name} would overlap "
                    f"others (first: document {a.document_id}, {a.annotator}, {a.label} {a.start}-{a.end} and "
                    f"{b.label} {b.start}-{b.end}); not even --force moves them: remove one of each pair first"
                )

    def _drop_spans(self, conn: sqlite3.Connection, name: str, user: str) -> int:
        """Remove every span of a dropped label, one `labels` event per layer of a document; returns relations removed."""
        rows = conn.execute(
            'SELECT id, document_id, annotator, start, "end", label FROM spans WHERE label = ? '
            "ORDER BY document_id, annotator, start",
            (name,),
        ).fetchall()
        groups: dict[tuple[str, str], list[Span]] = {}
        for span in map(_span_from_row, rows):
            groups.setdefault((span.document_id, span.annotator), []).append(span)
        relations = 0
        for (document_id, annotator), spans in groups.items():
            unlinked = self._cascade(conn, [span.id for span in spans])
            relations += len(unlinked)
            conn.executemany("DELETE FROM spans WHERE id = ?", [(span.id,) for span in spans])
            self._log(
                conn,
                user,
                annotator,
                document_id,
                LABELS_ACTION,
                removed=spans,
                unlinked=unlinked,
                origin="labels --set --force",
                extra={"label": name},
            )
        return relations
