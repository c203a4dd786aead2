"""Arabic contextual shaping into presentation forms, keeping an offset map.

Terminals draw one code point per cell and do no shaping, so each Arabic
letter is replaced by its isolated/initial/final/medial presentation form
and LAM + ALEF becomes one ligature cell.  The tables are derived from the
Unicode compatibility decompositions of the presentation-form blocks, so
no third-party reshaper is needed and the output keeps a 1:1 offset map:
``shape(text).forms[i]`` is what offset ``i`` draws, and ``""`` marks an
ALEF merged into the preceding LAM's ligature cell.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, NamedTuple

from .sanitize import kind_letters

_FORMS: Final = ("isolated", "final", "initial", "medial")
TATWEEL: Final = "\u0640"
ZWJ: Final = "\u200d"
ZWNJ: Final = "\u200c"
LAM: Final = "\u0644"


def _build_tables() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    letters: dict[str, dict[str, str]] = {}
    lam_alef: dict[str, dict[str, str]] = {}
    for block in (range(0xFB50, 0xFE00), range(0xFE70, 0xFF00)):
        for code in block:
            form_char = chr(code)
            decomposition = unicodedata.decomposition(form_char).split()
            if len(decomposition) < 2 or decomposition[0][1:-1] not in _FORMS:
                continue
            form = decomposition[0][1:-1]
            base = "".join(chr(int(part, 16)) for part in decomposition[1:])
            if len(base) == 1 and unicodedata.category(base) == "Lo":
                letters.setdefault(base, {}).setdefault(form, form_char)
            elif len(base) == 2 and base[0] == LAM and base[1] in "\u0622\u0623\u0625\u0627":
                lam_alef.setdefault(base[1], {}).setdefault(form, form_char)
    return letters, lam_alef


_LETTER_FORMS, _LAM_ALEF_FORMS = _build_tables()

# Joining types (Unicode ArabicShaping): D dual, R right, C join-causing,
# U non-joining, T transparent.
_JOINING: dict[str, str] = {TATWEEL: "C", ZWJ: "C", ZWNJ: "U"}
for _letter, _forms in _LETTER_FORMS.items():
    _JOINING[_letter] = "D" if "initial" in _forms or "medial" in _forms else (
        "R" if "final" in _forms else "U"
    )


def joining_type(ch: str) -> str:
    """Return the Arabic joining type (D, R, C, U or T) of a character."""
    found = _JOINING.get(ch)
    if found is not None:
        return found
    return "T" if unicodedata.category(ch) in ("Mn", "Me", "Cf") else "U"


class _JoiningTable(dict[int, str]):
    """str.translate table from code point to joining type letter, filled lazily."""

    def __missing__(self, code: int) -> str:
        letter = self[code] = joining_type(chr(code))
        return letter


class _FormTable(dict[str, str]):
    """Maps a letter followed by a form code (s, f, i, m) to its presentation form."""

    def __missing__(self, key: str) -> str:
        forms = _LETTER_FORMS.get(key[0])
        if forms is None:
            shaped = key[0]
        else:
            name = _FORM_NAMES[key[1]]
            fallback = "final" if key[1] in "fm" else "isolated"
            shaped = forms.get(name) or forms.get(fallback) or key[0]
        self[key] = shaped
        return shaped


_FORM_NAMES: Final = {"s": "isolated", "f": "final", "i": "initial", "m": "medial"}
_JOINING_TABLE: Final = _JoiningTable()
_FORM_TABLE: Final = _FormTable()
_JOINS_NEXT: Final = re.compile("[DC](?=[DRC])")  # marked "j"
_FINAL: Final = re.compile("(?<=j)[^j]")
_MEDIAL: Final = re.compile("(?<=j)j")
_TO_ISOLATED: Final = str.maketrans("DRCUj", "ssssi")
_LAM_ALEF: Final = re.compile(LAM + "[" + "".join(_LAM_ALEF_FORMS) + "]")
_ARABIC_LETTER: Final = re.compile("[" + "".join(sorted(_LETTER_FORMS)) + "]")


class Shaped(NamedTuple):
    """Shaping result: what each offset draws, and which offsets merged into a ligature."""

    forms: list[str]  # per offset: the presentation form, or "" for a ligated ALEF
    ligated: list[int]  # offsets of the ALEFs drawn inside the preceding LAM's cell


def needs_shaping(text: str) -> bool:
    """Tell whether the text has any character the shaper would change."""
    return _ARABIC_LETTER.search(text) is not None


def form_codes(types: str) -> str:
    """Return per joining-type letter its form code: s(olated), i(nitial), m(edial), f(inal)."""
    marked = _JOINS_NEXT.sub("j", types)  # j: joins the next letter
    return _MEDIAL.sub("m", _FINAL.sub("f", marked)).translate(_TO_ISOLATED)


def shape(text: str) -> Shaped:
    """Shape Arabic text into presentation forms with a 1:1 offset map."""
    if not needs_shaping(text):
        return Shaped(list(text), [])
    types = text.translate(_JOINING_TABLE)
    solid_index: list[int] | None = None
    solid = text
    if "T" in types:  # transparent characters (marks, format characters) are skipped
        solid_index = [i for i, t in enumerate(types) if t != "T"]
        solid = "".join([text[i] for i in solid_index])
        types = types.replace("T", "")
    codes = form_codes(types)
    shaped = list(map(_FORM_TABLE.__getitem__, map(str.__add__, solid, codes)))
    ligated: list[int] = []
    for match in _LAM_ALEF.finditer(solid):
        lam = match.start()
        if solid_index is not None and "h" in kind_letters(text[solid_index[lam] + 1:solid_index[lam + 1]]):
            continue  # a format character (ZWJ, LRM, ...) between them: no ligature
        forms = _LAM_ALEF_FORMS[solid[lam + 1]]
        shaped[lam] = forms["final" if codes[lam] in "fm" else "isolated"]
        shaped[lam + 1] = ""
        ligated.append(lam + 1)
    if solid_index is None:
        return Shaped(shaped, ligated)
    out = list(text)
    for i, form in zip(solid_index, shaped):
        out[i] = form
    return Shaped(out, [solid_index[i] for i in ligated])
