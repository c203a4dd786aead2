"""Help lays each description out with the engine at its column's width: a long Arabic guideline wraps into rows
that each read right (as FriBidi draws that row), its first words on the first row, never Rich's wrap of a
visual line (which put the guideline's end first)."""

from __future__ import annotations

import subprocess
import unicodedata

from textual.geometry import Region
from textual.widgets import Static

from annotator.labels import LabelSchema
from annotator.model import DEFAULT_LABELS
from annotator.store import Store
from annotator.text.layout import layout_paragraph
from annotator.tui.help_screen import HelpScreen

from .test_help_arabic import fribidi

GUIDELINE = (
    "شخص أو جماعة أو قوة أو دولة أو مؤسسة تفعل أو تتكلم في الخبر، مثل داعش والجيش العراقي "
    "والقوات الأميركية وقيادة التحالف الدولي في المنطقة"
)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\ufeff", "").strip()  # FriBidi pads lam-alef with U+FEFF


async def test_an_arabic_guideline_wraps_into_rows_that_each_read_right(make_app, small_store: Store) -> None:
    labels = tuple(
        label._replace(description=GUIDELINE) if label.name == "actor" else label for label in DEFAULT_LABELS
    )
    small_store.set_label_schema(LabelSchema(labels), user="lead")
    app = make_app()
    async with app.run_test(size=(80, 60)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        static = app.screen.query_one("#help Static", Static)
        lines = [s.text for s in static.render_lines(Region(0, 0, static.size.width, static.size.height))]
        first = next(
            i for i, line in enumerate(lines) if line.count("│") >= 3 and line.split("│")[1].strip().startswith("1 / a")
        )
        drawn = [lines[first].split("│")[2]]
        for line in lines[first + 1 :]:
            cells = line.split("│")
            if len(cells) < 4 or cells[1].strip():
                break
            drawn.append(cells[2])
        column = len(drawn[0]) - 2  # the cell less its padding
        description = f"Actor: {GUIDELINE}"
        logical = [description[r.start : r.end] for r in layout_paragraph(description, column).rows]
        assert len(logical) >= 3, logical  # it does wrap at 80 columns
        assert "".join(logical).split() == description.split()
        assert [_normal(row) for row in drawn] == [_normal(fribidi_rtl(row)) for row in logical]
        assert all(len(row.rstrip()) <= column + 1 for row in drawn)


def fribidi_rtl(line: str) -> str:
    """GNU FriBidi's visual order of one right-to-left row (the guideline's direction: most letters are Arabic)."""
    fribidi("")  # fails (never skips) when the CLI is missing
    return subprocess.run(
        ["fribidi", "--rtl", "--nopad", "--nobreak"], input=line + "\n", capture_output=True, text=True, check=True
    ).stdout.split("\n")[0]
