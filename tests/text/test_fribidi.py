"""The layout engine against GNU FriBidi (the ``fribidi`` CLI from libfribidi-bin).

Visual rows: every paragraph of the bundled corpus at every width from 20
to 120 is wrapped by our wrapper; each logical row is run through
``fribidi --rtl --nobreak`` and must equal our visual row after NFKC
(FriBidi shapes too, with a different table: NFKC folds both to base
letters) and removing U+FEFF (FriBidi pads after a LAM-ALEF ligature).
No whitespace is trimmed: the space that ends a row stays in the row on
both sides and both apply rule L1 to it, so it must land at the same
(left) end; ``--nopad`` only stops FriBidi from right-aligning.

Maps: ``--vtol`` of the same rows laid out with shaping off must equal the
offsets our cells show, left to right.  All rows of a file go through ONE
FriBidi process, so the whole check takes a few seconds.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.text.layout import ParagraphLayout, _build

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
FILES = sorted(CORPUS.glob("*.txt"))
WIDTHS = range(20, 121)
EXPLICIT = re.compile("[\u202a-\u202e\u2066-\u2069]")


def fribidi(args: list[str], lines: list[str]) -> list[str]:
    """Run the FriBidi CLI once over many lines; fail (never skip) when it is missing."""
    exe = shutil.which("fribidi")
    if exe is None:
        pytest.fail(
            "GNU FriBidi CLI `fribidi` not found: install libfribidi-bin "
            "(apt-get install libfribidi-bin); CI installs it"
        )
    assert all("\n" not in line for line in lines)
    done = subprocess.run(
        [exe, *args],
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    )
    return done.stdout.split("\n")


def fold(text: str) -> str:
    """Compare presentation forms as base letters: NFKC, without FriBidi's U+FEFF padding."""
    return unicodedata.normalize("NFKC", text).replace("\ufeff", "")


def flat_offsets(layout: ParagraphLayout, row: int) -> list[int]:
    """Offsets shown by a row's cells left to right, relative to the row start."""
    line = layout.rows[row]
    return [offset - line.start for k in range(len(line)) for offset in range(line.cell_start(k), line.cell_end(k))]


def test_fribidi_is_installed() -> None:
    """The reference must be present: a missing FriBidi fails the suite, it is never skipped."""
    assert fribidi(["--version"], [])[0].startswith("fribidi (GNU FriBidi)")


def test_corpus_files_exist() -> None:
    """The corpus comparison below runs over the five bundled articles."""
    assert len(FILES) == 5


def majority_is_arabic(paragraph: str) -> bool:
    """The paragraph direction rule restated for letters of the corpus: more Arabic letters than Latin ones."""
    return len(re.findall("[\u0621-\u064a\u0671-\u06d3]", paragraph)) > len(re.findall("[A-Za-z]", paragraph))


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_corpus_rows_match_fribidi_at_every_width(path: Path) -> None:
    """Visual rows equal FriBidi's per logical row; unshaped maps equal its --vtol.

    FriBidi picks a paragraph's direction by its first strong letter, we by the majority of strong
    letters, so each row goes to FriBidi with its paragraph's direction given (--rtl or --ltr).
    """
    paragraphs = [line for line in path.read_text(encoding="utf-8").split("\n") if line]
    shaped_rows: dict[bool, list[tuple[str, str]]] = {True: [], False: []}  # (logical row, our visual row)
    unshaped_rows: dict[bool, list[tuple[str, list[int]]]] = {True: [], False: []}  # (row, visual-to-logical)
    for paragraph in paragraphs:
        for width in WIDTHS:
            shaped = _build(paragraph, width, "app")
            assert shaped.rtl == majority_is_arabic(paragraph)
            for row in shaped.rows:
                assert row.x0 + row.cell_width <= width
                shaped_rows[shaped.rtl].append((paragraph[row.start : row.end], row.text))
            plain = _build(paragraph, width, "app", shaped=False)
            for r, row in enumerate(plain.rows):
                unshaped_rows[plain.rtl].append((paragraph[row.start : row.end], flat_offsets(plain, r)))
    compared = 0
    for rtl in (True, False):
        logical = [row for row, _ in shaped_rows[rtl]] + [row for row, _ in unshaped_rows[rtl]]
        if not logical:
            continue
        out = fribidi(["--rtl" if rtl else "--ltr", "--nobreak", "--nopad", "--vtol"], logical)
        assert len(out) >= 2 * len(logical)
        visual_mismatches = [
            (row, ours, out[2 * i]) for i, (row, ours) in enumerate(shaped_rows[rtl]) if fold(ours) != fold(out[2 * i])
        ]
        assert visual_mismatches == []
        base = 2 * len(shaped_rows[rtl])
        map_mismatches = [
            (row, ours, out[base + 2 * i + 1])
            for i, (row, ours) in enumerate(unshaped_rows[rtl])
            if [int(n) for n in out[base + 2 * i + 1].split()] != ours
        ]
        assert map_mismatches == []
        compared += len(shaped_rows[rtl])
    assert compared > 1000


# -- random text, one row, both directions ------------------------------------

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويةأإآءئؤى"
PIECES = st.one_of(
    st.sampled_from(list(ARABIC)),
    st.sampled_from(["لا", "لأ", "لإ", "لآ", "ال", "ـ"]),
    st.sampled_from(list("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652")),
    st.sampled_from(list("0123456789٠١٢٣٤٥٦٧٨٩")),
    st.sampled_from(list("abcXYZ") + ["NBC", "News", "2500"]),
    st.sampled_from([" ", " ", " ", "\u00a0"]),
    st.sampled_from(list(".,:;!?-/%+$#،؛؟=\"'“”")),
    st.sampled_from(list("()[]{}<>«»")),
    st.sampled_from(list("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")),
)
TEXT = st.lists(PIECES, min_size=1, max_size=40).map("".join)
LAM_MARK_ALEF = re.compile("(ل)[\u064b-\u0652]+(?=[اأإآ])")
# A mark right after a format character takes, per W1, the format character's
# direction; we keep every mark in its base letter's cell (a terminal cannot
# draw a mark anywhere else), so such marks are left out of the comparison.
MARK_AFTER_FORMAT = re.compile("([\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069])[\u064b-\u0652]+")


def single_row(text: str, shaped: bool = True) -> ParagraphLayout:
    """Lay out text wide enough to stay on one row."""
    layout = _build(text, 2 * len(text) + 2, "app", shaped=shaped)
    assert len(layout.rows) == 1
    return layout


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, min_size=1, max_size=25))
def test_random_text_matches_fribidi(texts: list[str]) -> None:
    """Random bidi mixes: visual text and (without format characters) --vtol equal FriBidi's.

    Explicit embeddings/overrides/isolates are removed before FriBidi sees
    them: our policy ignores them, which UAX #9 X9 defines as removal.
    Marks between LAM and ALEF are dropped first: we form the ligature
    across them (mandatory in Arabic), FriBidi does not.  So are marks
    right after a format character (see MARK_AFTER_FORMAT).
    """
    texts = [MARK_AFTER_FORMAT.sub(r"\1", LAM_MARK_ALEF.sub(r"\1", text)) for text in texts]
    layouts = [single_row(text) for text in texts]
    by_direction: dict[bool, list[int]] = {True: [], False: []}
    for i, layout in enumerate(layouts):
        by_direction[layout.rtl].append(i)
    for rtl, indices in by_direction.items():
        if not indices:
            continue
        direction = "--rtl" if rtl else "--ltr"
        out = fribidi([direction, "--nobreak", "--nopad", "--clean"], [EXPLICIT.sub("", texts[i]) for i in indices])
        for n, i in enumerate(indices):
            if all(unicodedata.category(ch) == "Cf" for ch in texts[i]):
                # nothing visible: we keep one blank cell so the offsets have a home
                assert layouts[i].rows[0].text == " " and out[n].replace("\u061c", "") == ""
            else:  # a mark with no base letter is drawn on a dotted circle, FriBidi draws it bare
                # FriBidi 1.0.8's --clean keeps ALM (U+061C), which no terminal should get
                ours = layouts[i].rows[0].text.replace("\u25cc", "")
                assert fold(ours) == fold(out[n].replace("\u061c", "")), texts[i]
        plain = [i for i in indices if not any(unicodedata.category(ch) == "Cf" for ch in texts[i])]
        if plain:
            maps = fribidi([direction, "--nobreak", "--novisual", "--vtol"], [texts[i] for i in plain])
            for n, i in enumerate(plain):
                ours = flat_offsets(single_row(texts[i], shaped=False), 0)
                assert [int(k) for k in maps[n].split()] == ours, texts[i]
