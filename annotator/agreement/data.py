"""The material the agreement measures work on, read once from the store into numpy arrays."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from annotator.errors import AnnotatorError
from annotator.model import GOLD, Label, Span
from annotator.store import Store


class AgreementError(AnnotatorError):
    """A request the report cannot answer (unknown annotator, too few annotators); one line."""


@dataclass(frozen=True)
class SpanArrays:
    """The spans of one layer as parallel numpy arrays (document, rater, start, end, label code), offsets local to their document."""

    doc: np.ndarray
    rater: np.ndarray
    start: np.ndarray
    end: np.ndarray
    code: np.ndarray
    """1-based index of the label in the layer's label list (0 is O, no label)."""

    @property
    def size(self) -> int:
        """How many spans."""
        return int(self.doc.size)

    def select(self, mask: np.ndarray) -> SpanArrays:
        """The spans where mask holds."""
        return SpanArrays(self.doc[mask], self.rater[mask], self.start[mask], self.end[mask], self.code[mask])


@dataclass
class AgreementData:
    """Documents done by at least two chosen annotators, who did which, and their spans per layer."""

    annotators: list[str]
    doc_ids: list[str]
    titles: list[str]
    texts: list[str]
    done: np.ndarray
    """Boolean (documents, annotators): the annotator marked the document done."""
    layers: dict[str, list[str]]
    """Layer name → its label names in schema order."""
    spans: dict[str, SpanArrays] = field(default_factory=dict)

    @property
    def lengths(self) -> np.ndarray:
        """Each document's length in code points."""
        return np.array([len(text) for text in self.texts], dtype=np.int64)


def layers_of(labels: Sequence[Label]) -> dict[str, list[str]]:
    """Layer → label names, both in schema order."""
    layers: dict[str, list[str]] = {}
    for label in labels:
        layers.setdefault(label.layer, []).append(label.name)
    return layers


SpanRow = tuple[str, str, int, int, str]
"""(document id, annotator, start, end, label) of one span."""


def build_data(
    annotators: Sequence[str],
    documents: Sequence[tuple[str, str, str]],
    done: Mapping[str, Iterable[str]],
    spans: Iterable[Span] | Iterable[SpanRow],
    labels: Sequence[Label],
) -> AgreementData:
    """AgreementData from memory: documents as (id, title, text) in corpus order, done ids per annotator.

    Only documents done by at least two of the annotators are kept, and only the spans of an
    annotator on a document that annotator did. Spans are Span objects or SpanRow tuples.
    """
    names = list(annotators)
    done_sets = [set(done.get(name, ())) for name in names]
    kept = [doc for doc in documents if sum(doc[0] in s for s in done_sets) >= 2]
    matrix = np.array([[doc[0] in s for s in done_sets] for doc in kept], dtype=bool).reshape(len(kept), len(names))
    layers = layers_of(labels)
    data = AgreementData(
        names, [doc[0] for doc in kept], [doc[1] for doc in kept], [doc[2] for doc in kept], matrix, layers
    )
    rows: list[SpanRow] = [
        (s.document_id, s.annotator, s.start, s.end, s.label) if isinstance(s, Span) else s for s in spans
    ]
    doc_index = {doc[0]: i for i, doc in enumerate(kept)}
    rater_index = {name: i for i, name in enumerate(names)}
    label_index = {name: i for i, name in enumerate(label.name for label in labels)}
    if rows:
        doc_ids, raters, starts, ends, label_names = zip(*rows)
    else:
        doc_ids = raters = starts = ends = label_names = ()
    d = np.array([doc_index.get(x, -1) for x in doc_ids], dtype=np.int64)
    r = np.array([rater_index.get(x, -1) for x in raters], dtype=np.int64)
    lab = np.array([label_index.get(x, -1) for x in label_names], dtype=np.int64)
    start = np.array(starts, dtype=np.int64)
    end = np.array(ends, dtype=np.int64)
    valid = (d >= 0) & (r >= 0) & (lab >= 0)
    valid[valid] = matrix[d[valid], r[valid]]
    label_layer = np.array([list(layers).index(label.layer) for label in labels], dtype=np.int64)
    label_code = np.array([layers[label.layer].index(label.name) + 1 for label in labels], dtype=np.int64)
    for number, layer in enumerate(layers):
        mask = valid.copy()
        mask[valid] = label_layer[lab[valid]] == number
        order = np.lexsort((start[mask], r[mask], d[mask]))
        data.spans[layer] = SpanArrays(
            d[mask][order], r[mask][order], start[mask][order], end[mask][order], label_code[lab[mask]][order]
        )
    return data


def choose_annotators(store: Store, names: Sequence[str] | None) -> list[str]:
    """The annotators to compare: the named ones (checked), else everyone with a done document."""
    known = list(store.annotators())
    with_done = [name for name in known if store.done_documents(name)]
    if names is None:
        if len(with_done) < 2:
            have = ", ".join(with_done) if with_done else "nobody"
            raise AgreementError(f"agreement needs at least two annotators with done documents (so far: {have})")
        return with_done
    chosen: list[str] = []
    for name in names:
        if name not in chosen:
            chosen.append(name)
    allowed = set(known) | ({GOLD} if store.done_documents(GOLD) else set())
    unknown = [name for name in chosen if name not in allowed]
    if unknown:
        listed = ", ".join(known) if known else "none yet"
        raise AgreementError(
            f"unknown annotator{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} (known: {listed})"
        )
    doing = [name for name in chosen if store.done_documents(name)]
    if len(doing) < 2:
        lacking = [name for name in chosen if name not in doing]
        detail = f"; no done documents: {', '.join(lacking)}" if lacking else ""
        raise AgreementError(f"agreement needs at least two annotators with done documents{detail}")
    return chosen


def load_data(store: Store, annotators: Sequence[str]) -> AgreementData:
    """Read the documents at least two of the annotators marked done, with their spans on them."""
    done = {name: store.done_documents(name) for name in annotators}
    counts: dict[str, int] = {}
    for ids in done.values():
        for doc_id in ids:
            counts[doc_id] = counts.get(doc_id, 0) + 1
    wanted = [doc_id for doc_id, _title, _length in store.document_list() if counts.get(doc_id, 0) >= 2]
    return build_data(annotators, read_documents(store, wanted), done, read_spans(store, annotators), store.labels())


def read_documents(store: Store, ids: Sequence[str]) -> list[tuple[str, str, str]]:
    """(id, title, text) of the given documents, in the given order."""
    return store.document_texts(ids)


def read_spans(store: Store, annotators: Sequence[str]) -> list[SpanRow]:
    """Every span of the annotators (build_data keeps those on documents they did)."""
    return store.span_rows(annotators)
