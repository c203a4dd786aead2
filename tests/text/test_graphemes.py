"""Grapheme clusters for span edges: the layout's own cells, looked up around one offset."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.text.clusters import clusterize
from annotator.text.graphemes import cluster_end, cluster_start, is_boundary

FATHATAN, SHADDA, FATHA, TATWEEL, ZWJ, ZWNJ, RLM = "\u064b", "\u0651", "\u064e", "\u0640", "\u200d", "\u200c", "\u200f"

# Arabic letters, harakat, shadda, tanween, tatweel, joiners, a bidi mark, spaces, newlines, digits, Latin;
# flags, emoji with skin tone and ZWJ, wide and control characters, isolates, a soft hyphen.
PIECES = st.sampled_from(
    list("عنصرابلوفكالمدينة")
    + [
        FATHATAN,
        SHADDA,
        FATHA,
        "\u0650",
        "\u0652",
        TATWEEL,
        ZWJ,
        ZWNJ,
        RLM,
        " ",
        " ",
        "\n",
        "1",
        "5",
        "A",
        "«",
        "\u00a0",
        "\t",
        # what another writer of the cluster rule may group differently:
        "\U0001f1f8",
        "\U0001f1e6",
        "\U0001f468",
        "\U0001f469",
        "\U0001f3fd",
        "\ufe0f",
        "中",
        "\x1b",
        "\u0301",
        "\u2066",
        "\u2069",
        "\u00ad",
    ]
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
@given(TEXTS)
def test_clusters_are_the_layouts_cells(text: str) -> None:
    """Looking around one offset gives exactly the clusters of the whole paragraph, at every offset."""
    boundaries = sorted(reference_boundaries(text))
    for offset in range(len(text) + 1):
        assert is_boundary(text, offset) == (offset in boundaries), offset
        assert cluster_start(text, offset) == max(b for b in boundaries if b <= offset), offset
        if offset < len(text):
            assert cluster_end(text, offset) == min(b for b in boundaries if b > offset), offset


def test_an_emoji_with_its_skin_tone_or_joined_family_is_one_cluster_after_a_letter() -> None:
    """A skin tone, VS16 or ZWJ-joined emoji belongs to the emoji's cell only in context: the fast path
    that clusters one character at a time must not decide there (found when the emoji cells changed)."""
    for text, cell in (("ع👨🏽", (1, 3)), ("ع❤️ب", (1, 3)), ("ع👨\u200d👩\u200d👧 ب", (1, 6))):
        for offset in range(*cell):
            assert cluster_start(text, offset) == cell[0], (text, offset)
            assert cluster_end(text, offset) == cell[1], (text, offset)
        assert not any(is_boundary(text, offset) for offset in range(cell[0] + 1, cell[1]))
