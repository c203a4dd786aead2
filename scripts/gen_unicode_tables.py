#!/usr/bin/env python3
"""Generate the Unicode tables of annotator/text/ from the Unicode Character Database files.

Reads Debian's `unicode-data` files (default directory /usr/share/unicode) and writes three modules of
literals, so that importing them parses nothing:

* annotator/text/_ucd_bidi.py    -- Bidi_Class per code point range (extracted/DerivedBidiClass.txt,
  which holds the defaults of unassigned code points), Bidi_Paired_Bracket (BidiBrackets.txt),
  Bidi_Mirroring_Glyph (BidiMirroring.txt);
* annotator/text/_ucd_joining.py -- Joining_Type (ArabicShaping.txt; code points it does not list are
  T when their General_Category is Mn, Me or Cf, else U, as its header says);
* annotator/text/_ucd_cells.py   -- how each code point is displayed in a terminal cell (below), and the
  emoji properties that group emoji sequences into one cell (emoji/emoji-data.txt).

Display kinds (one letter per range), from UnicodeData.txt, DerivedCoreProperties.txt, PropList.txt and
EastAsianWidth.txt:

* ``c`` control: General_Category Cc or Cs, U+2028, U+2029; a format character (Cf) that is neither
  default-ignorable nor a prepended concatenation mark (it has no glyph of its own); a regional
  indicator or emoji modifier (terminals disagree on their width: drawn as a placeholder unless they
  follow the character they belong to, see annotator/text/sanitize.py);
* ``h`` hidden: Default_Ignorable_Code_Point (bidi controls, ZWJ/ZWNJ, variation selectors, tags,
  soft hyphen, fillers): never sent to the terminal;
* ``c`` also: an unassigned code point (no glyph in this Unicode version; a newer terminal may draw
  one of another width), and the symbols East_Asian_Width made wide after Unicode 15 (WIDENED_LATER:
  older terminals draw them in one cell, newer ones and Rich in two);
* ``m`` mark: General_Category Mn, Me or Mc, and the conjoining Hangul vowels and finals, zero cells
  (Rich counts spacing marks as zero cells too, and Rich lays out the screen);
* ``w`` wide: East_Asian_Width W or F, two cells;
* ``b`` base: everything else, one cell (visible format characters such as U+0600..U+0605, U+06DD and
  U+08E2, the prepended concatenation marks, are bases).

Usage: python scripts/gen_unicode_tables.py [--ucd DIR] [--check]
(--check exits 1 when a committed module differs from what the files give).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "annotator" / "text"
DEFAULT_UCD = Path("/usr/share/unicode")
MAX = 0x110000

#: UCD Bidi_Class -> the engine's one-letter code (annotator/text/bidi.py). The explicit embeddings,
#: overrides and isolates get their own letters; the engine's policy decides what they do.
BIDI_CODES = {
    "L": "L",
    "R": "R",
    "AL": "A",
    "EN": "E",
    "ES": "+",
    "ET": "$",
    "AN": "N",
    "CS": ",",
    "NSM": "M",
    "BN": "B",
    "B": "P",
    "S": "T",
    "WS": "W",
    "ON": "O",
    "LRE": "e",
    "LRO": "o",
    "RLE": "f",
    "RLO": "p",
    "PDF": "d",
    "LRI": "i",
    "RLI": "j",
    "FSI": "k",
    "PDI": "q",
}
SOURCES = {
    "_ucd_bidi.py": ["extracted/DerivedBidiClass.txt", "BidiBrackets.txt", "BidiMirroring.txt", "UnicodeData.txt"],
    "_ucd_joining.py": ["ArabicShaping.txt", "UnicodeData.txt"],
    "_ucd_cells.py": [
        "UnicodeData.txt",
        "DerivedCoreProperties.txt",
        "PropList.txt",
        "EastAsianWidth.txt",
        "emoji/emoji-data.txt",
    ],
}


#: Symbols that Unicode 16.0 made East_Asian_Width W (yijing trigrams and hexagrams, monograms and
#: digrams, Tai Xuan Jing symbols, counting rods): terminals built on earlier tables draw them in one cell.
WIDENED_LATER = ((0x2630, 0x2637), (0x268A, 0x268F), (0x4DC0, 0x4DFF), (0x1D300, 0x1D356), (0x1D360, 0x1D376))


class MissingData(Exception):
    """A Unicode data file the generator needs is not there."""


def read(ucd: Path, name: str) -> str:
    """The text of one UCD file, or a clear error naming the Debian package."""
    path = ucd / name
    if not path.is_file():
        raise MissingData(f"{path} not found: install Debian's unicode-data package (apt-get install unicode-data)")
    return path.read_text(encoding="utf-8")


def version(ucd: Path) -> str:
    """The Unicode version of the files, from the first line of DerivedCoreProperties.txt."""
    found = re.search(r"-(\d+\.\d+\.\d+)\.txt", read(ucd, "DerivedCoreProperties.txt").split("\n", 1)[0])
    if found is None:
        raise MissingData(f"{ucd / 'DerivedCoreProperties.txt'}: no version on its first line")
    return found.group(1)


def records(text: str) -> Iterator[list[str]]:
    """Fields of each data line (comments and blank lines dropped, fields stripped)."""
    for line in text.split("\n"):
        line = line.split("#", 1)[0].strip()
        if line:
            yield [field.strip() for field in line.split(";")]


def code_range(field: str) -> range:
    """'0600..0605' or '06DD' as a range of code points."""
    first, _, last = field.partition("..")
    return range(int(first, 16), int(last or first, 16) + 1)


def property_ranges(text: str, value: str | None = None) -> Iterator[tuple[range, str]]:
    """(range, value) of a 'range ; value' file, only the lines with ``value`` when given."""
    for fields in records(text):
        if value is None or fields[1] == value:
            yield code_range(fields[0]), fields[1]


def general_categories(ucd: Path) -> list[str]:
    """General_Category of every code point ('Cn' when unassigned), from UnicodeData.txt."""
    categories = ["Cn"] * MAX
    first: int | None = None
    for fields in records(read(ucd, "UnicodeData.txt")):
        code, name, category = int(fields[0], 16), fields[1], fields[2]
        if name.endswith(", First>"):
            first = code
            continue
        start = first if first is not None and name.endswith(", Last>") else code
        categories[start : code + 1] = [category] * (code + 1 - start)
        first = None
    return categories


def compact(values: list[str]) -> tuple[list[int], str]:
    """Run-length form of one letter per code point: range starts and one letter per range."""
    starts: list[int] = []
    letters: list[str] = []
    previous = None
    for code, value in enumerate(values):
        if value != previous:
            starts.append(code)
            letters.append(value)
            previous = value
    return starts, "".join(letters)


def py_char(code: int) -> str:
    """A code point as a Python string-literal escape."""
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def int_rows(name: str, numbers: list[int], per_line: int = 12) -> list[str]:
    """A tuple literal of hex integers, wrapped."""
    rows = [f"{name}: tuple[int, ...] = ("]
    for i in range(0, len(numbers), per_line):
        rows.append("    " + " ".join(f"0x{n:x}," for n in numbers[i : i + per_line]))
    return [*rows, ")"]


def str_rows(name: str, text: str, per_line: int = 96) -> list[str]:
    """A string literal of plain ASCII letters, wrapped."""
    return [f"{name}: str = (", *(f'    "{text[i : i + per_line]}"' for i in range(0, len(text), per_line)), ")"]


def char_dict(name: str, pairs: dict[int, int], per_line: int = 4) -> list[str]:
    """A dict literal from character to character."""
    items = [f'"{py_char(a)}": "{py_char(b)}",' for a, b in sorted(pairs.items())]
    rows = [f"{name}: dict[str, str] = {{"]
    for i in range(0, len(items), per_line):
        rows.append("    " + " ".join(items[i : i + per_line]))
    return [*rows, "}"]


def pair_rows(name: str, ranges: list[tuple[int, int]]) -> list[str]:
    """A tuple literal of (first, last) code point pairs."""
    rows = [f"{name}: tuple[tuple[int, int], ...] = ("]
    for i in range(0, len(ranges), 6):
        rows.append("    " + " ".join(f"(0x{a:x}, 0x{b:x})," for a, b in ranges[i : i + 6]))
    return [*rows, ")"]


def merged(codes: set[int]) -> list[tuple[int, int]]:
    """Sorted code points as (first, last) ranges."""
    ranges: list[tuple[int, int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ranges


def header(module: str, ucd: Path, what: str) -> list[str]:
    """The docstring of a generated module."""
    files = ", ".join(SOURCES[module])
    return [
        f'"""{what}',
        "",
        f"Generated by scripts/gen_unicode_tables.py from Unicode {version(ucd)} ({files}); do not edit.",
        "tests/text/test_unicode_tables.py regenerates it from /usr/share/unicode and compares.",
        '"""',
        "",
        f'UNICODE_VERSION = "{version(ucd)}"',
        "",
    ]


def render_bidi(ucd: Path) -> str:
    """Source of _ucd_bidi.py."""
    classes = ["L"] * MAX  # DerivedBidiClass.txt lists every code point, defaults included
    for span, value in property_ranges(read(ucd, "extracted/DerivedBidiClass.txt")):
        classes[span.start : span.stop] = [BIDI_CODES[value]] * len(span)
    starts, letters = compact(classes)
    brackets: dict[int, int] = {}
    for fields in records(read(ucd, "BidiBrackets.txt")):
        if fields[2] == "o":
            brackets[int(fields[0], 16)] = int(fields[1], 16)
    mirroring = {int(a, 16): int(b, 16) for a, b in records(read(ucd, "BidiMirroring.txt"))}
    canonical: dict[int, int] = {}
    bracket_codes = set(brackets) | set(brackets.values())
    for fields in records(read(ucd, "UnicodeData.txt")):
        code, decomposition = int(fields[0], 16), fields[5]
        if code in bracket_codes and decomposition and not decomposition.startswith("<"):
            canonical[code] = int(decomposition.split()[0], 16)
    lines = header("_ucd_bidi.py", ucd, "Bidi_Class, paired brackets and mirrored glyphs of every code point.")
    lines += [
        "# Bidi_Class as range starts and one letter per range (the class of code points from that start",
        "# up to the next one): L R A(L) E(N) +(ES) $(ET) N(AN) ,(CS) M(NSM) B(N) P(aragraph separator, B)",
        "# T(ab: segment separator, S) W(S) O(N), and the explicit formatting characters e(LRE) o(LRO) f(RLE)",
        "# p(RLO) d(PDF) i(LRI) j(RLI) k(FSI) q(PDI).",
        *int_rows("BIDI_STARTS", starts),
        "",
        *str_rows("BIDI_CLASSES", letters),
        "",
        "# Bidi_Paired_Bracket of the opening brackets (Bidi_Paired_Bracket_Type o): opening -> closing.",
        *char_dict("OPENING_BRACKETS", brackets),
        "",
        "# Brackets whose canonical decomposition is another bracket (BD16 matches them as that one).",
        *char_dict("CANONICAL_BRACKETS", canonical),
        "",
        "# Bidi_Mirroring_Glyph: every pair of BidiMirroring.txt.",
        *char_dict("MIRRORING", mirroring),
    ]
    return "\n".join(lines) + "\n"


def render_joining(ucd: Path) -> str:
    """Source of _ucd_joining.py."""
    categories = general_categories(ucd)
    types = ["T" if category in ("Mn", "Me", "Cf") else "U" for category in categories]
    for fields in records(read(ucd, "ArabicShaping.txt")):
        types[int(fields[0], 16)] = fields[2]
    starts, letters = compact(types)
    lines = header("_ucd_joining.py", ucd, "Arabic Joining_Type of every code point.")
    lines += [
        "# Range starts and one letter per range: D(ual) R(ight) L(eft) C (join causing) U (non joining)",
        "# T(ransparent).",
        *int_rows("JOINING_STARTS", starts),
        "",
        *str_rows("JOINING_TYPES", letters),
    ]
    return "\n".join(lines) + "\n"


def render_cells(ucd: Path) -> str:
    """Source of _ucd_cells.py."""
    categories = general_categories(ucd)
    wide = [False] * MAX
    for span, value in property_ranges(read(ucd, "EastAsianWidth.txt")):
        if value in ("W", "F"):
            wide[span.start : span.stop] = [True] * len(span)
    ignorable = [False] * MAX
    for span, _ in property_ranges(read(ucd, "DerivedCoreProperties.txt"), "Default_Ignorable_Code_Point"):
        ignorable[span.start : span.stop] = [True] * len(span)
    prepended = {
        code for span, _ in property_ranges(read(ucd, "PropList.txt"), "Prepended_Concatenation_Mark") for code in span
    }
    emoji = read(ucd, "emoji/emoji-data.txt")
    pictographic = {code for span, _ in property_ranges(emoji, "Extended_Pictographic") for code in span}
    modifiers = {code for span, _ in property_ranges(emoji, "Emoji_Modifier") for code in span}
    regional = {
        code for span, value in property_ranges(read(ucd, "PropList.txt"), "Regional_Indicator") for code in span
    }
    widened = {code for first, last in WIDENED_LATER for code in range(first, last + 1)}
    kinds: list[str] = []
    for code, category in enumerate(categories):
        if category in ("Cc", "Cs") or code in (0x2028, 0x2029):
            kind = "c"
        elif ignorable[code]:
            kind = "h"
        elif category == "Cf":
            kind = "b" if code in prepended else "c"
        elif code in modifiers or code in regional or category == "Cn" or code in widened:
            kind = "c"
        elif category in ("Mn", "Me", "Mc") or 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF:
            kind = "m"  # conjoining Hangul vowels and finals sit in their syllable's cells
        elif wide[code]:
            kind = "w"
        else:
            kind = "b"
        kinds.append(kind)
    starts, letters = compact(kinds)
    lines = header("_ucd_cells.py", ucd, "How each code point is displayed in a terminal cell, and emoji properties.")
    lines += [
        "# Display kind as range starts and one letter per range: b(ase, one cell) w(ide, two cells)",
        "# m(ark, zero cells, drawn in the previous cell) h(idden, default-ignorable, never drawn)",
        "# c(ontrol or no glyph of its own: drawn as a one-cell placeholder).",
        *int_rows("CELL_STARTS", starts),
        "",
        *str_rows("CELL_KINDS", letters),
        "",
        "# Extended_Pictographic (emoji-data.txt): what an emoji ZWJ sequence joins.",
        *pair_rows("EXTENDED_PICTOGRAPHIC", merged(pictographic)),
        "",
        "# Emoji_Modifier (skin tones) and Regional_Indicator (flag letters).",
        *pair_rows("EMOJI_MODIFIERS", merged(modifiers)),
        *pair_rows("REGIONAL_INDICATORS", merged(regional)),
    ]
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[[Path], str]] = {
    "_ucd_bidi.py": render_bidi,
    "_ucd_joining.py": render_joining,
    "_ucd_cells.py": render_cells,
}


def render_all(ucd: Path = DEFAULT_UCD) -> dict[str, str]:
    """Module file name -> generated source, for every table module."""
    return {name: render(ucd) for name, render in RENDERERS.items()}


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check compare) the generated modules."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ucd", type=Path, default=DEFAULT_UCD, help="directory of the UCD files")
    parser.add_argument("--check", action="store_true", help="only compare with the committed modules")
    args = parser.parse_args(argv)
    try:
        sources = render_all(args.ucd)
    except MissingData as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    stale = [
        name
        for name, source in sources.items()
        if not (TARGET / name).is_file() or (TARGET / name).read_text(encoding="utf-8") != source
    ]
    if args.check:
        for name in stale:
            print(f"{TARGET / name} differs from the Unicode data files: regenerate it", file=sys.stderr)
        return 1 if stale else 0
    for name in stale:
        (TARGET / name).write_text(sources[name], encoding="utf-8")
        print(f"wrote {TARGET / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
