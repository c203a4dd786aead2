"""The header keeps an Arabic title's first words: it is cut at the end of its reading order, never at the edge."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.model import Document
from annotator.store import Store
from annotator.text.display import display_line
from annotator.tui.run import build_app

TITLE = "أعاد مقتل 15 من عناصر داعش في الأنبار طرح أسئلة عن قدرات التنظيم في غرب العراق وشرق سوريا"


@pytest.mark.parametrize("width", [80, 100, 140])
async def test_an_arabic_title_longer_than_the_header_keeps_its_first_word_at_the_right(tmp_path: Path, width: int) -> None:
    store = Store(tmp_path / "h.db")
    try:
        store.import_batch([Document("t1", TITLE, "نص المقال هنا")], [], user="lead")
        app = build_app(store, user="ali")
        async with app.run_test(size=(width, 24)) as pilot:
            await pilot.pause()
            header = str(app.screen.query_one("#title").render()).rstrip()
            assert len(header) <= width
            first_word = display_line("أعاد", 10)
            assert header.endswith(first_word), header  # the first word read is the rightmost
            whole = display_line(TITLE, 200)
            if whole in header:
                assert width >= 140  # room for all of it
            else:  # cut and marked at the left end, where this title's reading ends; its start is all there
                shown = header[header.index("…") + 1:]
                assert len(shown) > 10 and whole.endswith(shown), header
    finally:
        store.close()
