"""The normalised, word-marked text the matcher searches, and its map back to the stored text."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.suggest.normal import fold_word, normalise, plain

S, E = "\x02", "\x03"  # word start (also after each split-off clitic letter), word end


def test_words_are_marked_and_leading_clitic_letters_split_off() -> None:
    assert normalise("بالأنبار، بغداد وببغداد و 15").text == (
        f"{S}ب{S}الانبار{E}، {S}ب{S}غداد{E} {S}و{S}ب{S}ب{S}غداد{E} {S}و{E} {S}15{E}"
    )


def test_foldings_whitespace_and_the_map_back() -> None:
    text = "إِلى  ٱلعِراقـة\n \tCENTCOM"
    normalised = normalise(text)
    assert normalised.text == f"{S}الي{E} {S}العراقه{E}\n{S}centcom{E}"
    letters = np.array([i for i, char in enumerate(normalised.text) if char not in (S, E)])
    mapped = normalised.origin(letters).tolist()
    assert [text[i] for i in mapped] == ["إ", "ل", "ى", " ", "ٱ", "ل", "ع", "ر", "ا", "ق", "ة", "\n", *"CENTCOM"]


def test_text_outside_the_basic_plane_keeps_its_offsets() -> None:
    text = "😀داعش 𝐀b"
    normalised = normalise(text)
    assert normalised.text == f"😀{S}داعش{E} {S}𝐀b{E}"
    assert normalised.origin(np.array([0, 2, 9])).tolist() == [0, 1, 6]


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("أإآٱاةهىيبلوفكدعشxX5") + ["\u064e", "\u0651", "\u0640"]), min_size=1, max_size=12
    )
)
def test_one_word_folds_alike_through_both_paths(word: str) -> None:
    assert fold_word(word) == plain(word)
