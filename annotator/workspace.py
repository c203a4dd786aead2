"""Corpus progress for one annotator: the order articles come in and the next one not done.

The screens and commands ask here; the rule is written once (it was in the annotation screen).
"""

from __future__ import annotations

from annotator.assignments import order_for
from annotator.store import ADJUDICATED, DONE, Store

CORPUS_ORDER = "corpus"
UNCERTAIN_ORDER = "uncertain"
ORDERS = (CORPUS_ORDER, UNCERTAIN_ORDER)


def document_order(store: Store, order: str = CORPUS_ORDER, owner: str | None = None) -> list[str]:
    """Every document id in the order an annotator takes them (owner's assigned documents first, when named).

    `corpus`: corpus order. `uncertain`: the documents with scored suggestions (a model's confidence)
    first, lowest mean score first, so the team's next hour goes where the model needs it; the rest
    after them in corpus order (no model has looked at those, so nothing says they are certain).
    """
    if owner is not None:
        return assigned_first(store, owner, document_order(store, order))
    ids = [doc_id for doc_id, _, _ in store.document_list()]
    if order == CORPUS_ORDER:
        return ids
    if order != UNCERTAIN_ORDER:
        raise ValueError(f"unknown order {order!r} (orders: {', '.join(ORDERS)})")
    scores = store.mean_scores()
    position = {doc_id: i for i, doc_id in enumerate(ids)}
    scored = sorted((doc_id for doc_id in ids if doc_id in scores), key=lambda d: (scores[d], position[d]))
    return scored + [doc_id for doc_id in ids if doc_id not in scores]


def assigned_first(store: Store, owner: str, ids: list[str]) -> list[str]:
    """ids with the documents assigned to owner first (each part in the order given); as given when owner has none."""
    mine, others = order_for(store, owner, ids)
    return mine + others


def next_not_done(store: Store, owner: str, after: str | None = None, order: str = CORPUS_ORDER) -> str | None:
    """The first document owner has not finished, in the given order, looking after `after` first; the
    documents assigned to owner come before all others."""
    statuses = store.statuses(owner)
    for ids in order_for(store, owner, document_order(store, order)):
        if after in ids:
            start = ids.index(after) + 1
            ids = ids[start:] + ids[:start]
        for doc_id in ids:
            if statuses.get(doc_id) not in (DONE, ADJUDICATED):
                return doc_id
    return None
