"""Group a paragraph's characters into display clusters: one cluster per terminal cell.

A cluster is one visible base (a letter, a placeholder for a control
character, a LAM-ALEF ligature, ...) plus every zero-width character
after it (harakat and other combining marks, which stay in its text, and
hidden format characters, which do not).  Zero-width characters before
the first base join the first cluster; a combining mark with no base is
drawn on a dotted circle.  Clusters tile the paragraph: cluster ``k``
covers offsets ``starts[k]`` up to ``starts[k + 1]``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Final, NamedTuple

from .sanitize import DOTTED_CIRCLE, REPLACEMENT, classify, kind_letters
from .shaping import Shaped

_STARTS: Final = re.compile("[bwc]+")
_ONLY_BASES: Final = re.compile("b*")
_MARKS: Final = re.compile("m")
_CONTROLS: Final = re.compile("c")


class _SpaceTable(dict[int, str]):
    """str.translate table: U+0020 stays a space, every other character becomes "x"."""

    def __missing__(self, code: int) -> str:
        return "x"


_SPACE_TABLE: Final = _SpaceTable({0x20: " "})


class Clusters(NamedTuple):
    """Parallel lists describing the clusters of one paragraph, in logical order."""

    starts: list[int]  # first offset of each cluster
    texts: list[str]  # what each cluster draws
    widths: list[int]  # cells each cluster takes (1 or 2)
    bases: list[int]  # offset of the character that gives the cluster its bidi level
    spaces: str  # per cluster " " for a U+0020 SPACE (a line-break opportunity), else "x"


def clusterize(text: str, shaped: Shaped | None = None, max_width: int = 2) -> Clusters:
    """Split text into clusters, drawing the shaped forms when given."""
    kinds = kind_letters(text)
    if shaped is None:
        shown = list(text)
    else:
        shown = list(shaped.forms)
        if shaped.ligated:
            marked = list(kinds)
            for i in shaped.ligated:
                marked[i] = "l"  # ALEF merged into its LAM's ligature cell
            kinds = "".join(marked)
    if _ONLY_BASES.fullmatch(kinds):  # fast path: one plain character per cell
        every = list(range(len(text)))
        return Clusters(every, shown, [1] * len(text), every, text.translate(_SPACE_TABLE))
    for match in _CONTROLS.finditer(kinds):
        shown[match.start()] = classify(text[match.start()])[1]
    starts: list[int] = []
    for match in _STARTS.finditer(kinds):
        starts.extend(range(*match.span()))
    lead = len(kinds) - len(kinds.lstrip("mhl"))
    orphan = kinds.find("m", 0, lead)
    if orphan >= 0:  # combining mark before any base: draw it on a dotted circle
        starts.insert(0, orphan)
        shown[orphan] = DOTTED_CIRCLE + text[orphan]
    if not starts:  # only hidden characters: one blank cell holds them all
        return Clusters([0], [" "], [1], [0], "x")
    texts = [shown[i] for i in starts]
    widths = [1] * len(starts)
    if "w" in kinds:
        for k, i in enumerate(starts):
            if kinds[i] == "w":
                if max_width >= 2:
                    widths[k] = 2
                else:
                    texts[k] = REPLACEMENT
    if "m" in kinds:
        for match in _MARKS.finditer(kinds, lead):
            k = bisect_right(starts, match.start()) - 1
            texts[k] += text[match.start()]
        if orphan >= 0:
            for i in range(orphan + 1, lead):
                if kinds[i] == "m":
                    texts[0] += text[i]
    bases = list(starts)
    starts[0] = 0  # leading hidden characters join the first cluster
    spaces = "".join([text[i] for i in bases]).translate(_SPACE_TABLE)
    return Clusters(starts, texts, widths, bases, spaces)
