"""python-bidi (a second bidi engine nobody here wrote) as a test oracle for visual order.

python-bidi's `get_display` skips rule L3 (it puts harakat before their letter) and L4 (it does not
mirror brackets), and it has no index map, so the engine cannot use it at run time. On what it does
implement — the order of letters, digits and Latin words — every corpus row must agree with it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from bidi import get_display

from annotator.text.layout import _build

CORPUS = sorted((Path(__file__).resolve().parents[2] / "corpus").glob("*.txt"))
BRACKETS = re.compile(r"[()\[\]{}<>«»]")


def _comparable(paragraph: str) -> str:
    """The paragraph without what python-bidi does not implement: harakat (L3) and brackets (L4)."""
    return BRACKETS.sub("", "".join(c for c in paragraph if unicodedata.category(c) != "Mn"))


@pytest.mark.parametrize("width", [30, 60, 100])
def test_corpus_rows_match_python_bidi(width: int) -> None:
    compared = 0
    for path in CORPUS:
        for paragraph in path.read_text(encoding="utf-8").split("\n"):
            text = _comparable(paragraph)
            if not text.strip():
                continue
            layout = _build(text, width, "app", shaped=False)
            for row in layout.rows:
                logical = text[row.start : row.end]
                theirs = get_display(logical, base_dir="R" if layout.rtl else "L")
                assert row.text.strip() == theirs.strip(), (path.name, logical)
                compared += 1
    assert compared > 300
