"""Who annotates which document: the plan the lead writes (annotator/lead/assign.py shares the documents out)
and the order an annotator's articles take. The table's queries are the store's (annotator/store/assignments.py).

A document an annotator has started or finished (a status past `new`, or any span of theirs) stays
assigned to them whatever a new plan says: their work is never taken from them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from annotator.lead.assign import AssignError, assign
from annotator.store import Store


class AssignmentError(ValueError):
    """An assignment the command refuses (one line)."""


@dataclass
class Plan:
    """An assignment ready to be written: document → its annotators, and what the command reports."""

    annotators: list[str]
    per_document: int
    groups: dict[str, list[str]]
    kept: set[tuple[str, str]] = field(default_factory=set)
    """(document, annotator) kept because the annotator has started or finished it."""
    untouched: list[tuple[str, str]] = field(default_factory=list)
    """(document, annotator) of the documents outside --docs: written back as they are."""

    def loads(self) -> dict[str, int]:
        """Annotator → documents assigned (annotators outside the team but keeping started work included)."""
        counts = dict.fromkeys(self.annotators, 0)
        for names in self.groups.values():
            for name in names:
                counts[name] = counts.get(name, 0) + 1
        return counts

    def pairs(self) -> dict[tuple[str, str], int]:
        """Every pair of the team → how many documents the two share."""
        shared = dict.fromkeys(combinations(self.annotators, 2), 0)
        for names in self.groups.values():
            for a, b in combinations([n for n in self.annotators if n in names], 2):
                shared[(a, b)] += 1
        return shared

    def rows(self) -> int:
        """How many assignments the plan holds."""
        return sum(len(names) for names in self.groups.values())


def make_plan(
    store: Store,
    annotators: Sequence[str],
    per_document: int,
    *,
    seed: int | None = None,
    force: bool = False,
    only: Sequence[str] | None = None,
) -> Plan:
    """The plan for every document of the store (or the `only` ones, the others keeping their assignments);
    AssignmentError when those documents have assignments and not `force`.

    Documents someone of the team (or an earlier assignee) has started keep those annotators, and their
    other places go to the least loaded; the rest are shared out by lead.assign (loads within one,
    pairs covered). A seed shuffles the order documents and annotators are taken in.
    """
    team = list(annotators)
    if not team:
        raise AssignmentError("name at least one annotator")
    if len(set(team)) != len(team):
        raise AssignmentError("the annotators' names must differ")
    if not 1 <= per_document <= len(team):
        raise AssignmentError(
            f"--overlap must be between 1 and the number of annotators ({len(team)}), not {per_document}"
        )
    every = store.assignment_rows()
    docs = [doc_id for doc_id, _, _ in store.document_list()]
    if not docs:
        raise AssignmentError(f"{store.path} holds no documents to assign")
    untouched: list[tuple[str, str]] = []
    if only is not None:
        unknown = [doc for doc in only if doc not in set(docs)]
        if unknown:
            raise AssignmentError(f"--docs: no such document in {store.path}: {', '.join(unknown)}")
        chosen = set(only)
        docs = [doc for doc in docs if doc in chosen]
        untouched = [(doc, name) for doc, name, _, _ in every if doc not in chosen]
    existing = [row for row in every if row[0] in set(docs)]
    if existing and not force:
        raise AssignmentError(
            f"{store.path} already has {len(existing)} assignments{' for these documents' if only else ''}; "
            "`annotator assign --show` lists them, --force replaces them (documents already started keep "
            "their annotators)"
        )
    work = {(doc, name) for doc, name in store.started_work() if doc in set(docs)}
    previously = {(doc, name) for doc, name, _, _ in existing}
    kept = {(doc, name) for doc, name in work if name in team or (doc, name) in previously}
    groups: dict[str, list[str]] = {doc: [] for doc in docs}
    for doc, name in sorted(kept):
        groups[doc].append(name)
    free = [doc for doc in docs if not groups[doc]]
    rng = random.Random(seed)
    held = {name: sum(1 for _, n in kept if n == name) for name in team}
    order = sorted(team, key=lambda n: held[n])  # the extra documents go to those holding the fewest started ones
    shuffled = list(free)
    if seed is not None:
        rng.shuffle(order)
        order.sort(key=lambda n: held[n])
        rng.shuffle(shuffled)
    try:
        planned = assign(shuffled, order, per_document) if shuffled else {}
    except AssignError as exc:
        raise AssignmentError(str(exc)) from None
    for doc, names in planned.items():
        groups[doc] = list(names)
    load = dict.fromkeys(team, 0)
    for names in groups.values():
        for name in names:
            if name in load:
                load[name] += 1
    for doc in docs:  # a started document's free places: the least loaded of the team
        names = groups[doc]
        if doc in planned or len(names) >= per_document:
            continue
        for name in sorted((n for n in team if n not in names), key=lambda n: (load[n], team.index(n))):
            if len(names) >= per_document:
                break
            names.append(name)
            load[name] += 1
    for names in groups.values():
        names.sort(key=lambda n: (team.index(n) if n in team else len(team), n))
    return Plan(team, per_document, groups, kept, untouched)


def write_plan(store: Store, plan: Plan, user: str) -> set[tuple[str, str]]:
    """Replace the assignments by the plan in one transaction; returns the (document, annotator) pairs kept
    beyond the plan because the annotator started the document meanwhile."""
    planned = [(doc, name) for doc, names in plan.groups.items() for name in names]
    return store.write_plan(planned + plan.untouched, user)


def order_for(store: Store, annotator: str, ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """ids split into (assigned to annotator, the others), each in the order given.

    With no assignment in the database, or none for this annotator, everything is in the first list.
    """
    mine = set(store.assigned_documents(annotator))
    if not mine:
        return list(ids), []
    return [doc for doc in ids if doc in mine], [doc for doc in ids if doc not in mine]


def assigned_part(
    store: Store, overview: list[dict[str, Any]], annotator: str | None
) -> tuple[list[dict[str, Any]], int]:
    """The overview rows of the documents assigned to annotator (all rows when annotator is None or has no
    assignment), and how many rows were left out."""
    if annotator is None:
        return overview, 0
    mine, others = order_for(store, annotator, [doc["id"] for doc in overview])
    if not others:
        return overview, 0
    chosen = set(mine)
    return [doc for doc in overview if doc["id"] in chosen], len(others)
