"""Unicode Bidirectional Algorithm (UAX #9) for display, in pure Python.

Scope and policy:

* Explicit embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO,
  LRI, RLI, FSI, PDI) are *ignored*: they are treated as removed by rule
  X9, so the displayed order always reflects the characters actually
  present ("Trojan source" text cannot disguise itself).  The implicit
  marks LRM, RLM and ALM are honoured as the strong characters they are.
* Hence a paragraph is one isolating run sequence at the paragraph level
  and the levels are 0, 1 or 2.  Rules W1-W7, N0 (bracket pairs, BD16),
  N1-N2 and I1-I2 are implemented in full for that case; L1 and L2 work on
  any level list; L3 is done by the caller (marks stay in their base's
  cell) and L4 through :func:`mirror`.
* Controls are displayed as placeholder symbols, so they resolve as ON.

Each character's class is one letter in a string, and most rules are
regular-expression rewrites of that string, which keeps the cost per
paragraph low in CPython.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from bidi.mirror import MIRRORED as _PY_BIDI_MIRRORED  # type: ignore[import-untyped]

from .sanitize import EXPLICIT_FORMATS, Kind, classify

# One-letter codes for the bidi classes.
_CODES: Final = {
    "L": "L", "R": "R", "AL": "A", "EN": "E", "ES": "+", "ET": "$", "AN": "N",
    "CS": ",", "NSM": "M", "BN": "B", "B": "P", "S": "T", "WS": "W", "ON": "O",
    # explicit formatting characters are ignored (see module docstring)
    "LRE": "B", "LRO": "B", "RLE": "B", "RLO": "B", "PDF": "B",
    "LRI": "B", "RLI": "B", "FSI": "B", "PDI": "B",
}

#: Bidi_Mirroring_Glyph (python-bidi's copy of BidiMirroring.txt plus Unicode 14 additions).
MIRROR: Final[dict[str, str]] = dict(_PY_BIDI_MIRRORED)
for _a, _b in ("\u2e55\u2e56", "\u2e57\u2e58", "\u2e59\u2e5a", "\u2e5b\u2e5c"):
    MIRROR[_a], MIRROR[_b] = _b, _a

#: Bidi_Paired_Bracket for opening brackets (BidiBrackets.txt): opening -> closing.
OPENING: Final[dict[str, str]] = {
    ch: MIRROR[ch] for ch in MIRROR if unicodedata.category(ch) == "Ps"
}
#: Closing bracket -> the canonical opening bracket it closes.
CLOSING: Final[dict[str, str]] = {close: open_ for open_, close in OPENING.items()}
# BD16 compares canonical equivalents: U+2329/U+232A == U+3008/U+3009.
_CANONICAL_BRACKET: Final = {"\u2329": "\u3008", "\u232a": "\u3009"}


def _default_class(ch: str) -> str:
    """Default Bidi_Class of an unassigned code point (DerivedBidiClass.txt, abridged)."""
    code = ord(ch)
    if 0x0600 <= code <= 0x07BF or 0x0860 <= code <= 0x08FF or 0xFB50 <= code <= 0xFDCF \
            or 0xFDF0 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF or 0x1EC70 <= code <= 0x1EFFF:
        return "AL"
    if 0x0590 <= code <= 0x08FF or 0xFB1D <= code <= 0xFB4F or 0x10800 <= code <= 0x10FFF \
            or 0x1E800 <= code <= 0x1EFFF:
        return "R"
    return "L"


class _ClassTable(dict[int, str]):
    """str.translate table from code point to one-letter bidi class, filled lazily."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if classify(ch)[0] is Kind.CONTROL:
            letter = "O"  # drawn as a placeholder symbol
        elif ch in EXPLICIT_FORMATS:
            letter = "B"
        else:
            letter = _CODES[unicodedata.bidirectional(ch) or _default_class(ch)]
        self[code] = letter
        return letter


_CLASS_TABLE: Final = _ClassTable()


def bidi_classes(text: str) -> str:
    """Return one class letter per character (L R A E N + $ , M B P T W O)."""
    return text.translate(_CLASS_TABLE)


_RTL_STRONG: Final = re.compile("[RA]")


def is_rtl_paragraph(text: str) -> bool:
    """Tell whether a paragraph is laid out right to left: it has any strong R/AL character."""
    return _RTL_STRONG.search(bidi_classes(text)) is not None


# -- resolution ---------------------------------------------------------------

_W1 = re.compile(r"([^M])(M+)")
_W2 = re.compile(r"A[^LRA]*")
_W4_EN = re.compile(r"(?<=E)[+,](?=E)")
_W4_AN = re.compile(r"(?<=N),(?=N)")
_W5 = re.compile(r"\$+(?=E)|(?<=E)\$+")
_W6 = str.maketrans("+$,", "OOO")
_W7 = re.compile(r"L[^LR]*")
_NEUTRALS = re.compile(r"[OWPT]+")
_LEVELS = (
    str.maketrans({"L": "\x00", "R": "\x01", "E": "\x02", "N": "\x02"}),
    str.maketrans({"L": "\x02", "R": "\x01", "E": "\x02", "N": "\x02"}),
)
_STRONG_DIR: Final = {"L": "L", "R": "R", "E": "R", "N": "R"}


def _w1(match: re.Match[str]) -> str:
    return match.group(1) * len(match.group(0))


def _w2(match: re.Match[str]) -> str:
    return match.group(0).replace("E", "N")


def _w5(match: re.Match[str]) -> str:
    return "E" * len(match.group(0))


def _w7(match: re.Match[str]) -> str:
    return match.group(0).replace("E", "L")


_BRACKETS: Final = re.compile(
    "[" + "".join(re.escape(ch) for ch in (*OPENING, *CLOSING, *_CANONICAL_BRACKET)) + "]"
)


def _pair_brackets(chars: str, types: str) -> list[tuple[int, int]]:
    """BD16: pair the brackets (whose current class is ON) of one run sequence."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for match in _BRACKETS.finditer(chars):
        index = match.start()
        if types[index] != "O":
            continue
        ch = _CANONICAL_BRACKET.get(match.group(), match.group())
        closing = OPENING.get(ch)
        if closing is not None:
            if len(stack) == 63:
                break
            stack.append((_CANONICAL_BRACKET.get(closing, closing), index))
            continue
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == ch:
                pairs.append((stack[depth][1], index))
                del stack[depth:]
                break
    pairs.sort()
    return pairs


def _n0(chars: str, original: str, types: str, embedding: str) -> str:
    """N0: resolve paired brackets from the strong types inside and before them."""
    pairs = _pair_brackets(chars, types)
    if not pairs:
        return types
    opposite = "L" if embedding == "R" else "R"
    out = list(types)
    for open_at, close_at in pairs:
        inside = "".join(out[open_at + 1:close_at])
        has_l = "L" in inside
        has_r = "R" in inside or "E" in inside or "N" in inside
        has_e, has_o = (has_r, has_l) if embedding == "R" else (has_l, has_r)
        if has_e:
            new = embedding
        elif has_o:
            before = "".join(out[:open_at])
            last = max(before.rfind("L"), before.rfind("R"), before.rfind("E"), before.rfind("N"))
            context = _STRONG_DIR[before[last]] if last >= 0 else embedding  # sos == embedding here
            new = opposite if context == opposite else embedding
        else:
            continue
        for at in (open_at, close_at):
            out[at] = new
            follow = at + 1
            while follow < len(out) and original[follow] == "M":
                out[follow] = new
                follow += 1
    return "".join(out)


def resolve_levels(text: str, rtl: bool, classes: str | None = None) -> bytes:
    """Return the resolved embedding level of every character (rules X9-I2) as bytes."""
    if classes is None:
        classes = bidi_classes(text)
    n = len(classes)
    if n == 0:
        return b""
    sos = "R" if rtl else "L"
    kept: list[int] | None = None
    if "B" in classes:  # X9: remove ignored characters
        kept = [i for i, c in enumerate(classes) if c != "B"]
        s = classes.replace("B", "")
        chars = "".join([text[i] for i in kept])
    else:
        s = classes
        chars = text
    original = s
    if s:
        if "M" in s:  # W1
            if s[0] == "M":
                s = sos + s[1:]
            s = _W1.sub(_w1, s)
        if "A" in s:
            if "E" in s:  # W2
                s = _W2.sub(_w2, s)
            s = s.replace("A", "R")  # W3
        if "+" in s or "," in s:  # W4
            if "E" in s:
                s = _W4_EN.sub("E", s)
            if "N" in s:
                s = _W4_AN.sub("N", s)
        if "$" in s and "E" in s:  # W5
            s = _W5.sub(_w5, s)
        s = s.translate(_W6)  # W6
        if "E" in s:  # W7
            s = _W7.sub(_w7, sos + s)[1:]
        if "O" in s and _BRACKETS.search(chars):  # N0
            s = _n0(chars, original, s, sos)

        def n1(match: re.Match[str]) -> str:
            start, end = match.span()
            before = _STRONG_DIR[s[start - 1]] if start else sos
            after = _STRONG_DIR[s[end]] if end < len(s) else sos
            return (before if before == after else sos) * (end - start)

        s = _NEUTRALS.sub(n1, s)  # N1, N2
    compact = s.translate(_LEVELS[rtl]).encode("latin-1")  # I1, I2
    if kept is None:
        return compact
    levels = bytearray(n)
    previous = 1 if rtl else 0
    j = 0
    for i in range(n):
        if j < len(kept) and kept[j] == i:
            previous = compact[j]
            j += 1
        levels[i] = previous
    return bytes(levels)


# -- reordering -------------------------------------------------------------

@lru_cache(maxsize=None)
def _runs_at_least(level: int) -> re.Pattern[str]:
    """Runs of levels >= level in a latin-1 string of levels (compiled on first use: 64 at import cost 4 ms)."""
    return re.compile(f"[{re.escape(chr(level))}-\\xff]+")


def visual_order(levels: Sequence[int]) -> list[int]:
    """L2: return logical indices in visual order (left to right) for one line's levels."""
    n = len(levels)
    order = list(range(n))
    if n == 0:
        return order
    highest = max(levels)
    lowest = min(levels)
    if highest == lowest:
        return order[::-1] if highest & 1 else order
    lowest_odd = lowest | 1
    current = bytes(levels).decode("latin-1")
    for level in range(highest, lowest_odd - 1, -1):
        spans = [match.span() for match in _runs_at_least(level).finditer(current)]
        if not spans:
            continue
        chars = list(current)
        for start, end in spans:
            order[start:end] = order[start:end][::-1]
            chars[start:end] = chars[start:end][::-1]
        current = "".join(chars)
    return order


def line_levels(levels: Sequence[int], classes: str, base_level: int) -> list[int]:
    """L1: reset trailing whitespace (and ignored characters) of a line to the base level."""
    out = list(levels)
    i = len(out) - 1
    while i >= 0 and classes[i] in "WBTP":
        out[i] = base_level
        i -= 1
    if "T" not in classes and "P" not in classes:
        return out
    for i, c in enumerate(classes):  # segment/paragraph separators and whitespace before them
        if c in "TP":
            out[i] = base_level
            j = i - 1
            while j >= 0 and classes[j] in "WB":
                out[j] = base_level
                j -= 1
    return out


def mirror(ch: str) -> str:
    """L4: return the mirrored glyph of a character (itself if it has none)."""
    return MIRROR.get(ch, ch)
