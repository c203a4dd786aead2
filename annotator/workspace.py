"""Corpus progress for one layer: the order articles come in, their statuses, the next one not done.

The screens and commands ask here. `Progress` is read once when a screen opens and then kept up to
date from what each write returned, so a header is drawn without reading the database after a write.
Vocabulary: `annotator` is whose layer (a person's login, or GOLD); `user` is who acted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.assignments import order_for
from annotator.model import Document
from annotator.store import ADJUDICATED, DONE, Store

CORPUS_ORDER = "corpus"
UNCERTAIN_ORDER = "uncertain"
ORDERS = (CORPUS_ORDER, UNCERTAIN_ORDER)
FINISHED = (DONE, ADJUDICATED)


def document_order(store: Store, order: str = CORPUS_ORDER, annotator: str | None = None) -> list[str]:
    """Every document id in the order an annotator takes them (the annotator's assigned ones first, when named).

    `corpus`: corpus order. `uncertain`: the documents with scored suggestions (a model's confidence)
    first, lowest mean score first, so the team's next hour goes where the model needs it; the rest
    after them in corpus order (no model has looked at those, so nothing says they are certain).
    """
    if annotator is not None:
        mine, others = order_for(store, annotator, document_order(store, order))
        return mine + others
    ids = [doc_id for doc_id, _, _ in store.document_list()]
    if order == CORPUS_ORDER:
        return ids
    if order != UNCERTAIN_ORDER:
        raise ValueError(f"unknown order {order!r} (orders: {', '.join(ORDERS)})")
    scores = store.mean_scores()
    position = {doc_id: i for i, doc_id in enumerate(ids)}
    scored = sorted((doc_id for doc_id in ids if doc_id in scores), key=lambda d: (scores[d], position[d]))
    return scored + [doc_id for doc_id in ids if doc_id not in scores]


def first_not_finished(
    ids: Sequence[str], statuses: dict[str, str], after: str | None = None, finished: Sequence[str] = FINISHED
) -> str | None:
    """The first id whose status is not in `finished`, looking after `after` first (wrapping around)."""
    ids = list(ids)
    if after in ids:
        start = ids.index(after) + 1
        ids = ids[start:] + ids[:start]
    return next((doc_id for doc_id in ids if statuses.get(doc_id) not in finished), None)


def first_in_parts(
    parts: Sequence[Sequence[str]],
    statuses: dict[str, str],
    after: str | None = None,
    finished: Sequence[str] = FINISHED,
) -> str | None:
    """The first id not finished, part by part: an earlier part (the assigned documents) always comes first."""
    for ids in parts:
        found = first_not_finished(ids, statuses, after, finished)
        if found is not None:
            return found
    return None


def next_not_done(store: Store, annotator: str, after: str | None = None, order: str = CORPUS_ORDER) -> str | None:
    """The first document the annotator has not finished, in the given order, looking after `after` first;
    the documents assigned to the annotator come before all others."""
    parts = order_for(store, annotator, document_order(store, order))
    return first_in_parts(parts, store.statuses(annotator), after)


class Progress:
    """One layer's statuses over the documents a screen walks.

    `corpus` is what `[`/`]` step through and the header counts (the corpus, or the review's order);
    `order` is the order ctrl+d takes the next one not finished in.
    """

    def __init__(
        self,
        annotator: str,
        corpus: list[str],
        order: list[str],
        statuses: dict[str, str],
        others: list[str] | None = None,
    ) -> None:
        """Progress from ids and statuses already read (see `read`); `others` follow `order` (unassigned)."""
        self.annotator = annotator
        self.corpus = corpus
        self.order = order
        self.others = others or []
        self.statuses = statuses

    @classmethod
    def read(cls, store: Store, annotator: str, order: str = CORPUS_ORDER) -> Progress:
        """Read the corpus, its order and the layer's statuses (once, when a screen opens)."""
        corpus = [doc_id for doc_id, _, _ in store.document_list()]
        ordered = corpus if order == CORPUS_ORDER else document_order(store, order)
        mine, others = order_for(store, annotator, ordered)
        return cls(annotator, corpus, mine, store.statuses(annotator), others)

    def status(self, document_id: str) -> str | None:
        """The document's status for the layer (None: never opened)."""
        return self.statuses.get(document_id)

    def record(self, document_id: str, status: str | None) -> None:
        """Take in the status a write left the document in."""
        if status is not None:
            self.statuses[document_id] = status

    def position(self, document_id: str) -> int:
        """The document's 1-based place among `corpus`, the documents the header counts (0 when not there)."""
        return self.corpus.index(document_id) + 1 if document_id in self.corpus else 0

    def count(self, statuses: Sequence[str] = FINISHED) -> int:
        """How many documents of `corpus` have one of these statuses."""
        return sum(1 for doc_id in self.corpus if self.statuses.get(doc_id) in statuses)

    def neighbour(self, document_id: str, step: int) -> str | None:
        """The document `step` places away in corpus order, or None past either end."""
        place = self.corpus.index(document_id) + step if document_id in self.corpus else 0
        return self.corpus[place] if 0 <= place < len(self.corpus) else None

    def next_not_finished(self, after: str | None, finished: Sequence[str] = FINISHED) -> str | None:
        """The next document in the order whose status is not in `finished`, looking after `after` first."""
        return first_in_parts((self.order, self.others), self.statuses, after, finished)


def open_article(
    store: Store, document_id: str, annotator: str, cursor: int | None = None
) -> tuple[Document | None, int]:
    """The document to open and where its cursor goes: `cursor`, else the annotator's last place in it, else 0."""
    document = store.document(document_id)
    if document is None or cursor is not None:
        return document, cursor or 0
    place = store.last_place_in(document_id, annotator)
    return document, place if place is not None else 0


def article_rows(store: Store, annotator: str | None) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The articles list: the overview rows in corpus order, and open flags per document (of one annotator,
    or everyone's when annotator is None)."""
    return store.overview(), store.open_flag_counts(annotator)


def choose_document(store: Store, annotator: str, doc_id: str | None, order: str = CORPUS_ORDER) -> tuple[str, int]:
    """The document to open and the cursor in it: --doc, else where the user left off if not done (in corpus
    order; another order asked for starts at its first article not done), else the first not done."""
    if doc_id is not None:
        return doc_id, store.last_place_in(doc_id, annotator) or 0
    statuses = store.statuses(annotator)
    last = store.last_place(annotator)
    if order == CORPUS_ORDER and last is not None and statuses.get(last[0]) not in FINISHED:
        return last
    target = next_not_done(store, annotator, order=order)
    if target is None:
        target = store.document_list()[0][0]
    return target, store.last_place_in(target, annotator) or 0
