"""Unicode's own bidi conformance data (BidiTest.txt, BidiCharacterTest.txt) through annotator.text.bidi.

Both files come from Debian's unicode-data package (/usr/share/unicode/); a missing file fails the
test, it is never skipped. Every case runs, except those holding an explicit embedding, override or
isolate (LRE RLE LRO RLO PDF LRI RLI FSI PDI): the engine ignores those by design, treating them as
removed by rule X9, so that text cannot disguise its own order ("Trojan Source"). For the cases that
run, the resolved levels (after rule L1, the whole case on one line) and the visual order (L2) must be
exactly the file's: zero failures. Paragraph direction is what the case says; "auto" cases use UAX #9's
first strong letter (P2-P3, bidi.first_strong_rtl), which the conformance data tests, not the engine's
own majority rule.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import pytest

from annotator.text.bidi import (
    bidi_classes,
    first_strong_rtl,
    line_levels,
    resolve_levels,
    ucd_class,
    visual_order,
)

UCD = Path("/usr/share/unicode")
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "gen_unicode_tables.py"
EXPLICIT_CLASSES = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
EXPLICIT_LETTERS = frozenset("eofpdijkq")  # their letters in the generated table


def generator() -> ModuleType:
    """scripts/gen_unicode_tables.py as a module (it is not part of the package)."""
    spec = importlib.util.spec_from_file_location("gen_unicode_tables", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def data_file(name: str) -> list[str]:
    """Lines of a conformance file; fail, never skip, when Debian's unicode-data is missing."""
    path = UCD / name
    if not path.is_file():
        pytest.fail(
            f"{path} not found: install Debian's unicode-data package (apt-get install unicode-data); CI installs it"
        )
    return path.read_text(encoding="utf-8").split("\n")


class Outcome(NamedTuple):
    """Counts of one conformance file."""

    run: int
    excluded: int
    failures: list[str]


def check(classes: str, text: str, rtl: bool, expected_levels: list[str], expected_order: list[int]) -> bool:
    """Resolve, apply L1 and L2, and compare with the file's levels ('x': removed by X9) and order."""
    base = 1 if rtl else 0
    levels = line_levels(resolve_levels(text, rtl, classes), classes, base)
    kept = [i for i, level in enumerate(expected_levels) if level != "x"]
    if any(levels[i] != int(expected_levels[i]) for i in kept):
        return False
    return [kept[j] for j in visual_order([levels[i] for i in kept])] == expected_order


def bidi_test_cases(lines: list[str]) -> Iterator[tuple[str, list[str], list[str], list[int]]]:
    """(line, class names, expected levels, expected order) per data line of BidiTest.txt."""
    levels: list[str] = []
    order: list[int] = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("@Levels:"):
            levels = line.split(":", 1)[1].split()
        elif line.startswith("@Reorder:"):
            order = [int(n) for n in line.split(":", 1)[1].split()]
        elif not line.startswith("@"):
            yield line, line.split(";")[0].split(), levels, order


def run_bidi_test() -> Outcome:
    """Every case of BidiTest.txt: one class sequence at each paragraph level its bitset names."""
    codes = generator().BIDI_CODES
    run = excluded = 0
    failures: list[str] = []
    for line, names, levels, order in bidi_test_cases(data_file("BidiTest.txt")):
        bitset = int(line.split(";")[1], 16)
        directions = [bit for bit in (1, 2, 4) if bitset & bit]
        if EXPLICIT_CLASSES.intersection(names):
            excluded += len(directions)
            continue
        classes = "".join(codes[name] for name in names)
        text = "a" * len(classes)  # no brackets: BidiTest.txt assumes none (BidiCharacterTest has them)
        for bit in directions:
            rtl = first_strong_rtl(classes) if bit == 1 else bit == 4
            run += 1
            if not check(classes, text, rtl, levels, order):
                failures.append(f"{line} (paragraph {'auto' if bit == 1 else 'LTR' if bit == 2 else 'RTL'})")
    return Outcome(run, excluded, failures)


def run_bidi_character_test() -> Outcome:
    """Every case of BidiCharacterTest.txt, with the classes the engine looks up for the characters."""
    run = excluded = 0
    failures: list[str] = []
    for line in data_file("BidiCharacterTest.txt"):
        if not line or line.startswith("#"):
            continue
        fields = line.split(";")
        codes = [int(code, 16) for code in fields[0].split()]
        if any(ucd_class(code) in EXPLICIT_LETTERS for code in codes):
            excluded += 1
            continue
        text = "".join(map(chr, codes))
        classes = bidi_classes(text)
        rtl = first_strong_rtl(classes) if fields[1] == "2" else fields[1] == "1"
        run += 1
        if rtl != (fields[2] == "1") or not check(
            classes, text, rtl, fields[3].split(), [int(n) for n in fields[4].split()]
        ):
            failures.append(line)
    return Outcome(run, excluded, failures)


def test_bidi_test_txt() -> None:
    """BidiTest.txt: zero failures outside explicit embeddings, overrides and isolates."""
    outcome = run_bidi_test()
    assert outcome.failures[:20] == [] and len(outcome.failures) == 0
    assert outcome.run > 80_000  # the file's cases without explicit formatting characters, all paragraph levels
    assert outcome.excluded > 0


def test_bidi_character_test_txt() -> None:
    """BidiCharacterTest.txt (brackets, numbers, marks): zero failures outside explicit formatting."""
    outcome = run_bidi_character_test()
    assert outcome.failures[:20] == [] and len(outcome.failures) == 0
    assert outcome.run > 50_000
    assert outcome.excluded > 0
