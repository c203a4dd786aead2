"""Who annotates what: each document to `overlap` annotators, load balanced, the overlap spread over every pair.

Pure: documents and annotators in, an assignment out (ready to be stored by whoever owns the table).

Documents are filled in order, each with annotators of the lowest loads (all those below the
overlap-th lowest load, the rest among those at it), so no two loads ever differ by more than one;
within that freedom the group that gives the most pairs of annotators their first shared document,
then the fewest documents already shared by its pairs; ties go to the annotators' order, so the
result is deterministic (the exchanges below draw from a generator seeded by the sizes). Last,
exchanges that keep every load (b takes c's place in a document of a's, c takes b's place in a
document of b's) give the pairs still sharing nothing a document where the counts allow, then even
out how many documents the pairs share.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from itertools import combinations
from math import comb

from annotator.errors import BadInput

EXHAUSTIVE_LIMIT = 5000
"""Up to this many candidate groups per document, every group is scored; above it, one annotator at a time."""


REPAIR_STEPS = 20000
"""At most this many exchanges are tried to give every pair a shared document, and as many (fewer for a
small corpus: 40 per document) to even out the pairs' counts."""


class AssignError(BadInput, ValueError):
    """An assignment that cannot be made (overlap larger than the team, duplicate names); one line."""


def pairs_possible(documents: int, annotators: int, overlap: int) -> bool:
    """Whether balanced loads can give every pair of annotators a shared document (necessary conditions).

    Each document gives C(overlap, 2) pairs a shared document, and C(annotators, 2) pairs need one;
    each annotator meets overlap − 1 others per document and must meet annotators − 1, with the
    smallest balanced load, floor(documents × overlap / annotators).
    """
    if annotators < 2:
        return True
    least_load = documents * overlap // annotators
    return (
        overlap >= 2
        and documents * comb(overlap, 2) >= comb(annotators, 2)
        and least_load * (overlap - 1) >= annotators - 1
    )


def _score(group: Sequence[int], shared: list[list[int]]) -> tuple[int, int, tuple[int, ...]]:
    """Lower is better: pairs sharing no document yet (more), then documents its pairs already share (fewer)."""
    new = 0
    total = 0
    for a, b in combinations(group, 2):
        count = shared[a][b]
        new += count == 0
        total += count
    return (-new, total, tuple(group))


def assign(documents: Sequence[str], annotators: Sequence[str], overlap: int) -> dict[str, list[str]]:
    """document → the `overlap` annotators it goes to (in the annotators' order), for every document.

    Loads (documents per annotator) differ by at most one; the groups favour pairs of annotators that
    share no document yet, then those sharing the fewest.
    """
    names = list(annotators)
    if len(set(names)) != len(names):
        raise AssignError("the annotators' names must differ")
    if len(set(documents)) != len(documents):
        raise AssignError("the documents' ids must differ")
    if not 1 <= overlap <= len(names):
        raise AssignError(f"overlap must be between 1 and the number of annotators ({len(names)}), not {overlap}")
    m = len(names)
    load = [0] * m
    shared = [[0] * m for _ in range(m)]
    groups: list[list[int]] = []
    for _ in documents:
        # the annotators of the lowest loads: all those below the load of the overlap-th lowest, the rest
        # chosen among those at that load; so no two loads ever differ by more than one
        order = sorted(range(m), key=lambda i: (load[i], i))
        cut = load[order[overlap - 1]]
        forced = [i for i in order if load[i] < cut]
        free = [i for i in order if load[i] == cut]
        need = overlap - len(forced)
        if comb(len(free), need) <= EXHAUSTIVE_LIMIT:
            extra = min(combinations(free, need), key=lambda more: _score(sorted(forced + list(more)), shared))
            group = sorted(forced + list(extra))
        else:
            group = list(forced)
            pool = list(free)
            for _ in range(need):
                pick = min(pool, key=lambda i: _score(sorted(group + [i]), shared))
                group.append(pick)
                pool.remove(pick)
            group.sort()
        for i in group:
            load[i] += 1
        for a, b in combinations(group, 2):
            shared[a][b] += 1
            shared[b][a] += 1
        groups.append(group)
    if overlap >= 2 and groups:
        seed = random.Random(len(documents) * 1009 + m * 31 + overlap)
        _improve(groups, shared, m, seed, covering=pairs_possible(len(documents), m, overlap))
    return {doc: [names[i] for i in sorted(group)] for doc, group in zip(documents, groups)}


def _improve(groups: list[list[int]], shared: list[list[int]], m: int, rng: random.Random, covering: bool) -> None:
    """Exchanges that keep every load: first giving the pairs that share nothing a document, then evening
    out how many documents the pairs share. An exchange is undone when it leaves more pairs uncovered,
    or as many but a larger sum of squared shared counts."""
    uncovered = {(a, b) for a in range(m) for b in range(a + 1, m) if shared[a][b] == 0}
    squares = sum(shared[a][b] ** 2 for a in range(m) for b in range(a + 1, m))
    member: list[set[int]] = [set() for _ in range(m)]
    for d, group in enumerate(groups):
        for i in group:
            member[i].add(d)

    def bump(x: int, y: int, change: int) -> None:
        nonlocal squares
        before = shared[x][y]
        shared[x][y] = shared[y][x] = before + change
        squares += (before + change) ** 2 - before**2
        if before + change == 0:
            uncovered.add((min(x, y), max(x, y)))
        elif before == 0:
            uncovered.discard((min(x, y), max(x, y)))

    def move(d: int, out: int, into: int) -> None:
        group = groups[d]
        for other in group:
            if other != out:
                bump(out, other, -1)
                bump(into, other, 1)
        group[group.index(out)] = into
        member[out].discard(d)
        member[into].add(d)

    def pick(ids: set[int], unwanted: tuple[int, ...]) -> int | None:
        """A document of ids holding none of unwanted (a few random tries, then a scan)."""
        listed = sorted(ids)
        if not listed:
            return None
        for _ in range(8):
            d = rng.choice(listed)
            if not any(u in groups[d] for u in unwanted):
                return d
        found = [d for d in listed if not any(u in groups[d] for u in unwanted)]
        return rng.choice(found) if found else None

    def exchange(first: int, leaving: int, second: int, entering: int, balancing: bool) -> None:
        """In `first`, leaving makes way for entering; in `second`, the reverse; undone if it makes things worse."""
        before = (len(uncovered), squares if balancing else 0)
        move(first, leaving, entering)
        move(second, entering, leaving)
        if (len(uncovered), squares if balancing else 0) > before:
            move(second, leaving, entering)
            move(first, entering, leaving)

    for _ in range(REPAIR_STEPS if covering else 0):
        if not uncovered:
            break
        # a pair sharing nothing: b enters one of a's documents, c (from there) takes b's place in one of b's
        a, b = rng.choice(sorted(uncovered))
        if rng.random() < 0.5:
            a, b = b, a
        first = pick(member[a], (b,))
        if first is None:
            continue
        c = rng.choice([x for x in groups[first] if x != a])
        second = pick(member[b], (a, c))
        if second is not None:
            exchange(first, c, second, b, balancing=False)
    pairs = [(x, y) for x in range(m) for y in range(x + 1, m)]
    for _ in range(min(REPAIR_STEPS, 40 * len(groups) + 2000)):
        # the pair sharing the most: a leaves one of their documents for someone c sharing little with b
        top = max(shared[x][y] for x, y in pairs)
        if top <= 1:
            return  # nothing to even out: no pair shares more than one document
        a, b = rng.choice([(x, y) for x, y in pairs if shared[x][y] == top])
        if rng.random() < 0.5:
            a, b = b, a
        first = rng.choice(sorted(member[a] & member[b]))
        outside = [x for x in range(m) if x not in groups[first]]
        if not outside:
            return
        low = min(shared[b][x] for x in outside)
        c = rng.choice([x for x in outside if shared[b][x] == low])
        second = pick(member[c], (a,))
        if second is not None:
            exchange(first, a, second, c, balancing=True)
