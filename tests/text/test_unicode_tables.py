"""The generated Unicode tables (annotator/text/_ucd_*.py) against the files they come from, and against Rich.

The tables are regenerated in memory from /usr/share/unicode (Debian's unicode-data package; missing
files fail the test, they are never skipped) and must equal the committed modules. Rich measures every
cell the screen draws, so every character the engine draws must be exactly as wide for Rich as for the
engine's own table.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from rich.cells import get_character_cell_size

from annotator.text import _ucd_bidi, _ucd_cells, _ucd_joining
from annotator.text.bidi import MIRROR, OPENING
from annotator.text.sanitize import table_kind
from annotator.text.shaping import joining_type

UCD = Path("/usr/share/unicode")
ROOT = Path(__file__).resolve().parents[2]
TEXT = ROOT / "annotator" / "text"


def generator() -> ModuleType:
    """scripts/gen_unicode_tables.py as a module (it is not part of the package)."""
    spec = importlib.util.spec_from_file_location("gen_unicode_tables", ROOT / "scripts" / "gen_unicode_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_modules_equal_the_generator_output() -> None:
    """Each committed _ucd_*.py is what scripts/gen_unicode_tables.py makes of the data files (regenerate if not)."""
    gen = generator()
    try:
        sources = gen.render_all(UCD)
    except gen.MissingData as error:
        pytest.fail(f"{error}; CI installs it")
    assert set(sources) == {"_ucd_bidi.py", "_ucd_joining.py", "_ucd_cells.py"}
    for name, source in sources.items():
        assert (TEXT / name).read_text(encoding="utf-8") == source, (
            f"{name} is stale: run scripts/gen_unicode_tables.py"
        )
    assert _ucd_bidi.UNICODE_VERSION == _ucd_cells.UNICODE_VERSION == _ucd_joining.UNICODE_VERSION
    assert gen.main(["--check"]) == 0


def test_generator_reports_missing_files_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without the data files the script says which package to install and exits 1, no traceback."""
    assert generator().main(["--ucd", str(tmp_path), "--check"]) == 1
    error = capsys.readouterr().err.strip()
    assert "unicode-data" in error and "\n" not in error and "Traceback" not in error


def records(name: str) -> list[list[str]]:
    """Data fields of one UCD file (fail, never skip, when it is missing)."""
    if not (UCD / name).is_file():
        pytest.fail(f"{UCD / name} not found: install Debian's unicode-data package; CI installs it")
    return [
        [field.strip() for field in line.split("#", 1)[0].split(";")]
        for line in (UCD / name).read_text(encoding="utf-8").split("\n")
        if line.split("#", 1)[0].strip()
    ]


def test_mirroring_and_brackets_are_the_files() -> None:
    """Every pair of BidiMirroring.txt and every opening bracket of BidiBrackets.txt."""
    mirroring = {chr(int(a, 16)): chr(int(b, 16)) for a, b in records("BidiMirroring.txt")}
    assert MIRROR == mirroring and len(MIRROR) == 428
    opening = {chr(int(a, 16)): chr(int(b, 16)) for a, b, kind in records("BidiBrackets.txt") if kind == "o"}
    assert OPENING == opening and len(OPENING) == 64


def test_joining_types_are_the_files() -> None:
    """Every entry of ArabicShaping.txt, and the derived types of the rest (extracted/DerivedJoiningType.txt)."""
    listed = records("ArabicShaping.txt")
    assert len(listed) > 800
    assert [joining_type(chr(int(code, 16))) for code, _, _, _ in listed] == [kind for _, _, kind, _ in listed]
    derived = {
        code: kind for fields in records("extracted/DerivedJoiningType.txt") for code, kind in [(fields[0], fields[1])]
    }
    for spec, kind in derived.items():
        first, _, last = spec.partition("..")
        for code in range(int(first, 16), int(last or first, 16) + 1):
            assert joining_type(chr(code)) == kind, hex(code)
    # findings of issue 19: dotless noon is dual-joining, the number signs and end of ayah do not join
    assert joining_type("\u06ba") == "D"
    assert [joining_type(chr(code)) for code in (*range(0x0600, 0x0606), 0x06DD)] == ["U"] * 7


def test_every_drawn_character_is_as_wide_for_rich_as_for_the_engine() -> None:
    """All 1.1 million code points: what the engine draws as itself (b, w, m) has Rich's width (1, 2, 0)."""
    widths = {"b": 1, "w": 2, "m": 0}
    starts, kinds = _ucd_cells.CELL_STARTS, _ucd_cells.CELL_KINDS
    disagreements = []
    drawn = 0
    for k, kind in enumerate(kinds):
        if kind not in widths:
            continue
        stop = starts[k + 1] if k + 1 < len(starts) else 0x110000
        for code in range(starts[k], stop):
            drawn += 1
            if get_character_cell_size(chr(code)) != widths[kind]:
                disagreements.append((hex(code), kind))
    assert disagreements == []
    assert drawn > 280_000


def test_kinds_of_the_findings() -> None:
    """Visible format characters are bases; default-ignorables hidden; TAB a control; emoji parts placeholders."""
    assert [table_kind(code) for code in (*range(0x0600, 0x0606), 0x06DD, 0x08E2)] == ["b"] * 8
    assert [table_kind(code) for code in (0x200E, 0x202E, 0x2066, 0x200D, 0xFE0F, 0xFEFF, 0xAD, 0xE0067)] == ["h"] * 8
    assert table_kind(0x09) == "c" and table_kind(0xFFF9) == "c"  # INTERLINEAR ANNOTATION ANCHOR: no glyph
    assert table_kind(0x1F3FD) == "c" and table_kind(0x1F1F8) == "c"  # on their own; in context, see test_hard_text.py
    assert table_kind(0x1F44D) == "w" and table_kind(0x2764) == "b" and table_kind(0x064E) == "m"
