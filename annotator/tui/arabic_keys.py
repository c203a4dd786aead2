"""The standard Arabic keyboard layout, so that every single-key command works with the keyboard switched to Arabic.

An annotator typing Arabic in the find box switches the keyboard layout; pressing `a` to tag an actor then
types «ش». Each binding on a key of the layout also answers to the character that physical key types in the
Arabic (101) layout, and help lists both.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterable

from textual.binding import Binding, BindingType

ARABIC_LAYOUT: dict[str, str] = {
    # Unshifted keys, by Textual's name of the Latin key.
    "q": "ض",
    "w": "ص",
    "e": "ث",
    "r": "ق",
    "t": "ف",
    "y": "غ",
    "u": "ع",
    "i": "ه",
    "o": "خ",
    "p": "ح",
    "left_square_bracket": "ج",
    "right_square_bracket": "د",
    "a": "ش",
    "s": "س",
    "d": "ي",
    "f": "ب",
    "g": "ل",
    "h": "ا",
    "j": "ت",
    "k": "ن",
    "l": "م",
    "semicolon": "ك",
    "apostrophe": "ط",
    "z": "ئ",
    "x": "ء",
    "c": "ؤ",
    "v": "ر",
    "n": "ى",
    "m": "ة",
    "comma": "و",
    "full_stop": "ز",
    "slash": "ظ",
    # Shifted keys the screens bind.
    "question_mark": "؟",
    "A": "\u0650",
    "X": "\u0652",
    "N": "آ",
    "U": "\u2018",
    "M": "\u2019",
}


def key_name(character: str) -> str:
    """Textual's name of the key that types this character: itself when alphanumeric, else its Unicode name."""
    if character.isalnum():
        return character
    return unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")


def arabic_key(key: str) -> str | None:
    """The key name the same physical key has on the Arabic layout, or None when the layout has none."""
    character = ARABIC_LAYOUT.get(key.strip())
    return None if character is None else key_name(character)


def with_arabic_layout(bindings: Iterable[BindingType]) -> list[BindingType]:
    """The bindings, each also bound to its keys' Arabic-layout twins."""
    result: list[BindingType] = []
    for binding in bindings:
        if isinstance(binding, Binding):
            keys = [key.strip() for key in binding.key.split(",")]
            twins = [twin for key in keys if (twin := arabic_key(key)) is not None and twin not in keys]
            if twins:
                binding = dataclasses.replace(binding, key=",".join(keys + list(dict.fromkeys(twins))))
        result.append(binding)
    return result
