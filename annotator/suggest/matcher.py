"""Phrase patterns matched over Arabic-normalised text with one Aho–Corasick automaton per layer.

A pattern matches whole words only. Its first word may carry proclitics (و ف ب ل ك and their pairs),
which stay outside the suggestion as the guidelines ask («بالأنبار» → «الأنبار»); where «ل» swallowed
the article's alef («للفلوجة» = ل + الفلوجة) the whole word is suggested. Longest match wins, and no two
suggestions of one matcher overlap within a layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import ahocorasick_rs
import numpy as np
import numpy.typing as npt

from annotator.model import DEFAULT_LABELS, Label, layer_of

from .normal import (
    SEPARATOR,
    WORD_END,
    WORD_START,
    batches,
    normalise,
    normalise_pattern,
    snap,
)
from .records import Suggestion

CLITICS: tuple[str, ...] = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")
"""Proclitics a name's first word may carry: a conjunction, a preposition, or the conjunction then the preposition."""
ARTICLE = "ال"


class Pattern(NamedTuple):
    """One phrase pattern: the label it suggests and the text it matches (an optional id from the file)."""

    label: str
    text: str
    id: str | None = None


class _Key(NamedTuple):
    """What one string of an automaton stands for."""

    label: str
    pattern: int  # index into the matcher's patterns, for precedence and reports
    outside: int  # characters after WORD_START that stay outside the suggestion (a clitic)
    rank: int  # 0 for the pattern as written, 1 for a clitic reading of it: the written form wins


@dataclass
class _Layer:
    """The automaton of one layer and what each of its strings stands for."""

    automaton: ahocorasick_rs.AhoCorasick
    keys: list[_Key]
    starts: npt.NDArray[np.intp]  # per string: offset of the suggestion's start after the match's start
    ends: npt.NDArray[np.intp]  # per string: characters to drop from the match's end (WORD_END)


@dataclass
class Matcher:
    """Patterns compiled for matching; build it with `build_matcher`."""

    source: str
    patterns: list[Pattern]
    layers: dict[str, _Layer]
    conflicts: list[str] = field(default_factory=list)
    """One line per pattern that was set aside because an earlier one has the same normalised text in its layer."""


def _variants(normalised: str) -> list[tuple[str, int, int]]:
    """(automaton string, clitic characters outside, rank) for a normalised pattern and its clitic readings."""
    variants = [(normalised, 0, 0)]
    if not normalised.startswith(WORD_START):
        return variants  # a pattern that starts with punctuation has no first word to carry a clitic
    rest = normalised[1:]
    article = rest.startswith(ARTICLE)
    # «لال» is never written (ل + ال is «لل», below), so no clitic ending in ل comes before the article.
    variants += [(WORD_START + clitic + rest, len(clitic), 1) for clitic in CLITICS if not (article and clitic.endswith("ل"))]
    if article:
        # ل + ال is written «لل»: the article's alef is gone, so the clitic stays inside the suggestion.
        variants += [(WORD_START + conjunction + "ل" + rest[1:], len(conjunction), 1) for conjunction in ("", "و", "ف")]
    return variants


def build_matcher(patterns: Sequence[Pattern], source: str, labels: Sequence[Label] = DEFAULT_LABELS) -> Matcher:
    """Compile patterns (labels known, texts not blank: see patterns.py) into a matcher named `source`."""
    by_layer: dict[str, dict[str, _Key]] = {}
    owner: dict[tuple[str, str], int] = {}
    conflicts: list[str] = []
    for index, pattern in enumerate(patterns):
        layer = layer_of(labels, pattern.label)
        if layer is None:
            raise ValueError(f"unknown label {pattern.label!r}")
        normalised = normalise_pattern(pattern.text)
        if not normalised:
            raise ValueError(f"blank pattern {pattern.text!r}")
        first = owner.setdefault((layer, normalised), index)
        if first != index:
            if patterns[first].label != pattern.label:
                conflicts.append(
                    f"pattern {pattern.text!r} ({pattern.label}) set aside: {patterns[first].text!r} "
                    f"({patterns[first].label}) matches the same text"
                )
            continue
        keys = by_layer.setdefault(layer, {})
        for string, outside, rank in _variants(normalised):
            known = keys.get(string)
            if known is None or rank < known.rank:
                keys[string] = _Key(pattern.label, index, outside, rank)
    layers: dict[str, _Layer] = {}
    for layer, keys in by_layer.items():
        strings = list(keys)
        automaton = ahocorasick_rs.AhoCorasick(strings, matchkind=ahocorasick_rs.MATCHKIND_STANDARD)
        starts = np.array([(1 + key.outside) if string.startswith(WORD_START) else 0 for string, key in keys.items()], dtype=np.intp)
        ends = np.array([1 if string.endswith(WORD_END) else 0 for string in strings], dtype=np.intp)
        layers[layer] = _Layer(automaton, list(keys.values()), starts, ends)
    return Matcher(source, list(patterns), layers, conflicts)


def _choose(order: list[int], starts: list[int], ends: list[int], lengths: list[int], ranks: list[int]) -> list[int]:
    """The matches kept from one cluster of overlapping ones: longest first, then leftmost, then earliest pattern."""
    kept: list[int] = []
    for i in sorted(order, key=lambda i: (-lengths[i], starts[i], ranks[i])):
        if all(ends[i] <= starts[j] or ends[j] <= starts[i] for j in kept):
            kept.append(i)
    return kept


def _match_layer(layer: _Layer, normalised_text: str) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """(string index, start, end) in the normalised text of the matches kept in one layer, by start."""
    found = layer.automaton.find_matches_as_indexes(normalised_text, overlapping=True)
    if not found:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, empty
    table = np.array(found, dtype=np.intp)
    which = table[:, 0]
    starts = table[:, 1] + layer.starts[which]
    ends = table[:, 2] - layer.ends[which]
    lengths = ends - starts
    pattern_rank = np.array([layer.keys[i].pattern for i in which], dtype=np.intp) if which.size > 1 else which
    order = np.lexsort((-lengths, starts))
    which, starts, ends, lengths, pattern_rank = which[order], starts[order], ends[order], lengths[order], pattern_rank[order]
    # Clusters of overlapping matches: a match joins the previous cluster when it starts before its end.
    reach = np.maximum.accumulate(ends)
    new_cluster = np.ones(which.size, dtype=np.bool_)
    new_cluster[1:] = starts[1:] >= reach[:-1]
    cluster_starts = np.flatnonzero(new_cluster)
    sizes = np.diff(np.append(cluster_starts, which.size))
    if (sizes == 1).all():
        return which, starts, ends
    keep = np.ones(which.size, dtype=np.bool_)
    starts_list, ends_list, lengths_list, ranks_list = starts.tolist(), ends.tolist(), lengths.tolist(), pattern_rank.tolist()
    for first, size in zip(cluster_starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):
        members = list(range(first, first + size))
        chosen = set(_choose(members, starts_list, ends_list, lengths_list, ranks_list))
        for i in members:
            keep[i] = i in chosen
    return which[keep], starts[keep], ends[keep]


def suggest_many(texts: Sequence[str], matcher: Matcher) -> list[list[Suggestion]]:
    """The suggestions of the matcher in each text, in text order (offsets into each stored text).

    Texts are normalised and matched in batches of about two million characters, joined by SEPARATOR.
    """
    results: list[list[Suggestion]] = [[] for _ in texts]
    for first, last in batches(texts):
        chunk = texts[first:last]
        joined = SEPARATOR.join(chunk)
        normalised = normalise(joined)
        bounds = np.cumsum([0] + [len(text) + 1 for text in chunk])
        for layer in matcher.layers.values():
            which, starts, ends = _match_layer(layer, normalised.text)
            if not which.size:
                continue
            begin = normalised.origin(starts)
            finish = normalised.origin(ends - 1) + 1
            document = np.searchsorted(bounds, begin, side="right") - 1
            local_begin = begin - bounds[document]
            local_finish = finish - bounds[document]
            for key_index, doc, start, end in zip(which.tolist(), document.tolist(), local_begin.tolist(), local_finish.tolist()):
                text = chunk[doc]
                start, end = snap(text, start, end)
                results[first + doc].append(Suggestion(start, end, layer.keys[key_index].label, matcher.source))
    if len(matcher.layers) > 1:
        for suggestions in results:
            suggestions.sort(key=lambda s: (s.start, -s.end))  # text order, the longer of two at one place first
    return results


def suggest(text: str, matcher: Matcher) -> list[Suggestion]:
    """The matcher's suggestions in one text, in text order."""
    return suggest_many([text], matcher)[0]
