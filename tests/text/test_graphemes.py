"""Grapheme clusters for span edges: the layout's own cells, looked up around one offset."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.text.clusters import clusterize
from annotator.text.graphemes import cluster_end, cluster_start, is_boundary

FATHATAN, SHADDA, FATHA, TATWEEL, ZWJ, ZWNJ, RLM = "\u064b", "\u0651", "\u064e", "\u0640", "\u200d", "\u200c", "\u200f"

# Arabic letters, harakat, shadda, tanween, tatweel, joiners, a bidi mark, spaces, newlines, digits, Latin.
PIECES = st.sampled_from(
    list("عنصرابلوفكالمدينة") + [FATHATAN, SHADDA, FATHA, "\u0650", "\u0652", TATWEEL, ZWJ, ZWNJ, RLM,
                                  " ", " ", "\n", "1", "5", "A", "«", "\u00a0", "\t"]
)
TEXTS = st.lists(PIECES, min_size=1, max_size=40).map("".join)


def reference_boundaries(text: str) -> set[int]:
    """Every cluster start as the layout sees it: each paragraph clusterized whole, newlines on their own."""
    boundaries = {0, len(text)}
    start = 0
    for paragraph in text.split("\n"):
        if paragraph:
            boundaries.update(start + s for s in clusterize(paragraph).starts)
        boundaries.add(start + len(paragraph))  # the newline (or the end)
        start += len(paragraph) + 1
    return boundaries


def test_tanween_belongs_to_its_letter() -> None:
    text = "15 عنصراً من"
    alef = text.index("ا")
    assert (cluster_start(text, alef), cluster_end(text, alef)) == (alef, alef + 2)
    assert (cluster_start(text, alef + 1), cluster_end(text, alef + 1)) == (alef, alef + 2)
    assert not is_boundary(text, alef + 1)
    assert is_boundary(text, alef) and is_boundary(text, alef + 2)


def test_shadda_fatha_tatweel_and_zwj_stay_with_the_letter() -> None:
    text = "شدّ" + FATHA + TATWEEL + ZWJ + "ة"
    dal = text.index("د")
    assert cluster_end(text, dal) == dal + 3  # dal, shadda, fatha
    tatweel = text.index(TATWEEL)
    assert (cluster_start(text, tatweel + 1), cluster_end(text, tatweel)) == (tatweel, tatweel + 2)  # ZWJ is hidden


def test_edges_of_the_text_and_newlines() -> None:
    text = "بَ\n" + FATHA + "ت"
    assert cluster_start(text, 0) == 0 and cluster_end(text, len(text)) == len(text)
    assert (cluster_start(text, 2), cluster_end(text, 2)) == (2, 3)  # a newline is a cluster of its own
    assert is_boundary(text, 3) and is_boundary(text, len(text))


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.data())
def test_clusters_are_the_layouts_cells(text: str, data: st.DataObject) -> None:
    """Looking around one offset gives exactly the clusters of the whole paragraph."""
    boundaries = reference_boundaries(text)
    offset = data.draw(st.integers(0, len(text)))
    assert is_boundary(text, offset) == (offset in boundaries)
    start, end = cluster_start(text, offset), cluster_end(text, offset)
    assert start == max(b for b in boundaries if b <= offset)
    if offset < len(text):
        assert end == min(b for b in boundaries if b > offset)
