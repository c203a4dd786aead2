"""Phrase patterns matched over Arabic-normalised text with one Aho–Corasick automaton per layer.

A pattern matches whole words only. Its first word may carry proclitics (و ف ب ل ك and their pairs),
which stay outside the suggestion as the guidelines ask («بالأنبار» → «الأنبار»); where «ل» swallowed
the article's alef («للفلوجة» = ل + الفلوجة) the whole word is suggested. Longest match wins, read
leftmost-longest (as POSIX regular expressions do): of the matches that start first, the longest is
kept, and the next match is looked for after it; so no two suggestions of one matcher overlap within
a layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import NamedTuple

import ahocorasick_rs
import numpy as np
import numpy.typing as npt

from annotator.labels import LabelSchema
from annotator.model import DEFAULT_LABELS, Label

from .normal import (
    SEPARATOR,
    WORD_END,
    WORD_START,
    Normalised,
    batches,
    normalise,
    normalise_patterns,
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
    rank: int  # 0 for the pattern as written, 1 for its «لل» reading: the written form wins
    clitics: int  # which clitics may come before it in its word: _ANY, _NOT_LAM or _CONJUNCTION


@dataclass
class _Layer:
    """The automaton of one layer and what each of its strings stands for."""

    automaton: ahocorasick_rs.BytesAhoCorasick  # over UTF-8: faster than its str form, offsets mapped here
    keys: list[_Key]
    starts: npt.NDArray[np.intp]  # per string: offset of the suggestion's start after the match's start
    ends: npt.NDArray[np.intp]  # per string: characters to drop from the match's end (WORD_END)
    label_names: list[str]
    label_index: npt.NDArray[np.intp]  # per string: its label's index in label_names
    clitic_rule: npt.NDArray[np.intp]  # per string: 0 any clitic, 1 none ending in ل (article), 2 only و or ف


@dataclass
class Matcher:
    """Patterns compiled for matching; build it with `build_matcher`."""

    source: str
    patterns: list[Pattern]
    layers: dict[str, _Layer]
    conflicts: list[str] = field(default_factory=list)
    """One line per pattern that was set aside because an earlier one has the same normalised text in its layer."""


_ANY, _NOT_LAM, _CONJUNCTION = 0, 1, 2
"""Which clitics may come before a string: any; none ending in ل (the article: «لال» is never written,
ل + ال is «لل»); only و or ف (the «لل» reading, whose ل is already inside the suggestion)."""


def _unmarked(normalised: str) -> str:
    """A normalised pattern without its markers."""
    return normalised.replace(WORD_START, "").replace(WORD_END, "")


def _swallowed(normalised: list[str]) -> dict[int, str]:
    """The «لل» reading (ل + ال, the alef gone) of each pattern whose first word has the article, by index."""
    which = [i for i, text in enumerate(normalised) if text.startswith(WORD_START + ARTICLE)]
    readings = normalise_patterns(["ل" + _unmarked(normalised[i])[1:] for i in which])
    return dict(zip(which, readings))


def build_matcher(patterns: Sequence[Pattern], source: str, labels: Sequence[Label] = DEFAULT_LABELS) -> Matcher:
    """Compile patterns (labels known, texts not blank: see patterns.py) into a matcher named `source`."""
    by_layer: dict[str, dict[str, _Key]] = {}
    owner: dict[tuple[str, str], int] = {}
    conflicts: list[str] = []
    layers_of = LabelSchema.of(labels).layer_of
    normalised_all = [text.strip(" \n") for text in normalise_patterns([p.text for p in patterns])]
    swallowed = _swallowed(normalised_all)
    for index, (pattern, normalised) in enumerate(zip(patterns, normalised_all)):
        layer = layers_of.get(pattern.label)
        if layer is None:
            raise ValueError(f"unknown label {pattern.label!r}")
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
        # The written form; for a name with the article also its «لل» reading, where the clitic ل stays
        # inside the suggestion because it swallowed the article's alef.
        variants = [(normalised, 0, _ANY)]
        if index in swallowed:
            variants = [(normalised, 0, _NOT_LAM), (swallowed[index], 1, _CONJUNCTION)]
        for string, rank, rule in variants:
            known = keys.get(string)
            if known is None or rank < known.rank:
                keys[string] = _Key(pattern.label, index, rank, rule)
    layers: dict[str, _Layer] = {}
    for layer, keys in by_layer.items():
        strings = list(keys)
        # Leftmost-longest: of the matches starting first, the longest; the next search starts after it.
        # Every string is anchored on word markers, so every match is of whole words; only one after a
        # clitic sequence Arabic does not write (ببالعراق، لالعراق) is dropped afterwards.
        automaton = ahocorasick_rs.BytesAhoCorasick(
            [string.encode("utf-8") for string in strings],
            matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST,
            implementation=ahocorasick_rs.Implementation.ContiguousNFA,
        )
        label_names = sorted({key.label for key in keys.values()})
        layers[layer] = _Layer(
            automaton,
            list(keys.values()),
            np.array([1 if string.startswith(WORD_START) else 0 for string in strings], dtype=np.intp),
            np.array([1 if string.endswith(WORD_END) else 0 for string in strings], dtype=np.intp),
            label_names,
            np.array([label_names.index(key.label) for key in keys.values()], dtype=np.intp),
            np.array([key.clitics for key in keys.values()], dtype=np.intp),
        )
    return Matcher(source, list(patterns), layers, conflicts)


_CONJUNCTIONS = np.array([ord("و"), ord("ف")], dtype=np.uint32)
_PREPOSITIONS = np.array([ord("ب"), ord("ل"), ord("ك")], dtype=np.uint32)
_CLITIC_CODES = np.concatenate((_CONJUNCTIONS, _PREPOSITIONS))


def _clitics_allowed(
    codes: npt.NDArray[np.uint32], starts: npt.NDArray[np.intp], rules: npt.NDArray[np.intp]
) -> npt.NDArray[np.bool_]:
    """Which matches (WORD_START at `starts` in the normalised text) have an allowed proclitic before them.

    The letters split off before a match in its word (‹و‹ب‹الانبار›) must read as a conjunction, a
    preposition, or a conjunction then a preposition; an article takes no ل before it, and the «لل»
    reading takes only a conjunction.
    """
    word_start = ord(WORD_START)
    padded = np.concatenate((np.zeros(8, dtype=np.uint32), codes))
    at = starts + 8
    last = padded[at - 1]
    one = np.isin(last, _CLITIC_CODES)  # a letter before a word start is a split-off clitic letter
    two = one & (padded[at - 2] == word_start) & np.isin(padded[at - 3], _CLITIC_CODES)
    three = two & (padded[at - 4] == word_start) & np.isin(padded[at - 5], _CLITIC_CODES)
    first = padded[at - 3]
    conjunction_last = np.isin(last, _CONJUNCTIONS)
    preposition_last = np.isin(last, _PREPOSITIONS)
    allowed = (
        ~one
        | (~two & (conjunction_last | preposition_last))
        | (two & ~three & np.isin(first, _CONJUNCTIONS) & preposition_last)
    )
    allowed &= (rules != _NOT_LAM) | ~one | (last != ord("ل"))
    allowed &= (rules != _CONJUNCTION) | ~one | (~two & conjunction_last)
    return allowed


def _needs_snap(
    normalised: Normalised, first: npt.NDArray[np.intp], last: npt.NDArray[np.intp], size: int
) -> npt.NDArray[np.bool_]:
    """Which matches may have a mark or hidden character at an edge: a stored character was skipped there."""
    kept = normalised.kept
    after = np.append(kept, size)[last + 1]
    before = np.where(first > 0, kept[np.maximum(first - 1, 0)], -1)
    return (after > kept[last] + 1) | (before < kept[first] - 1)


def suggest_many(texts: Sequence[str], matcher: Matcher) -> list[list[Suggestion]]:
    """The suggestions of the matcher in each text, in text order (offsets into each stored text).

    Texts are normalised and matched in batches of about two million characters, joined by SEPARATOR.
    """
    results: list[list[Suggestion]] = [[] for _ in texts]
    source = matcher.source
    for first_text, last_text in batches(texts):
        chunk = texts[first_text:last_text]
        joined = SEPARATOR.join(chunk)
        normalised = normalise(joined)
        haystack, byte_starts = normalised.utf8()
        bounds = np.cumsum([0] + [len(text) + 1 for text in chunk])
        for layer in matcher.layers.values():
            found = layer.automaton.find_matches_as_indexes(haystack)
            if not found:
                continue
            table = np.fromiter(chain.from_iterable(found), dtype=np.intp, count=3 * len(found)).reshape(-1, 3)
            which = table[:, 0]
            starts = np.searchsorted(byte_starts, table[:, 1])
            allowed = _clitics_allowed(normalised.codes, starts, layer.clitic_rule[which])
            if not allowed.all():
                which, starts, table = which[allowed], starts[allowed], table[allowed]
                if not which.size:
                    continue
            starts += layer.starts[which]
            ends = np.searchsorted(byte_starts, table[:, 2]) - layer.ends[which]
            first = normalised.unmarked(starts)
            last = normalised.unmarked(ends - 1)
            begin = normalised.kept[first]
            finish = normalised.kept[last] + 1
            document = np.searchsorted(bounds, begin, side="right") - 1
            begin -= bounds[document]
            finish -= bounds[document]
            snapping = np.flatnonzero(_needs_snap(normalised, first, last, len(joined)))
            for i in snapping.tolist():
                text = chunk[document[i]]
                begin[i], finish[i] = snap(text, int(begin[i]), int(finish[i]))
            labels = [layer.label_names[k] for k in layer.label_index[which].tolist()]
            # Suggestions come in text order; split them per document where the document changes.
            cuts = np.flatnonzero(np.diff(document)) + 1
            # tuple.__new__ straight from C: a NamedTuple's own __new__ is Python code, called per suggestion.
            fields = zip(begin.tolist(), finish.tolist(), labels, repeat(source), repeat(None))
            made: list[Suggestion] = list(map(tuple.__new__, repeat(Suggestion), fields))
            for piece_start, piece_end in zip([0, *cuts.tolist()], [*cuts.tolist(), len(made)]):
                results[first_text + int(document[piece_start])].extend(made[piece_start:piece_end])
    if len(matcher.layers) > 1:
        for suggestions in results:
            suggestions.sort(key=lambda s: (s.start, -s.end))  # text order, the longer of two at one place first
    return results


def suggest(text: str, matcher: Matcher) -> list[Suggestion]:
    """The matcher's suggestions in one text, in text order."""
    return suggest_many([text], matcher)[0]
