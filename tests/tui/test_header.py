"""The header keeps an Arabic title's first words: it is cut at the end of its reading order, never at the edge."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from annotator.model import Document
from annotator.store import Store
from annotator.text.display import display_line
from annotator.tui.run import build_app

TITLE = "أعاد مقتل 15 من عناصر داعش في الأنبار طرح أسئلة عن قدرات التنظيم في غرب العراق وشرق سوريا"


@pytest.mark.parametrize("width", [80, 100, 140])
async def test_an_arabic_title_longer_than_the_header_keeps_its_first_word_at_the_right(
    tmp_path: Path, width: int
) -> None:
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
                shown = header[header.index("…") + 1 :]
                assert len(shown) > 10 and whole.endswith(shown), header
    finally:
        store.close()


@pytest.mark.parametrize("width", [80, 100])
async def test_the_articles_screen_keeps_an_arabic_titles_first_word_on_screen(tmp_path: Path, width: int) -> None:
    store = Store(tmp_path / "h.db")
    try:
        store.import_batch([Document("03-coalition-presence-debate", TITLE, "نص المقال هنا")], [], user="lead")
        app = build_app(store, user="ali")
        async with app.run_test(size=(width, 24)) as pilot:
            await pilot.press("o")
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            # every column on screen: nothing runs off the right edge, where an Arabic title starts
            assert table.virtual_size.width <= table.scrollable_content_region.width
            title = str(table.get_row("03-coalition-presence-debate")[-1])
            assert title.endswith(display_line("أعاد", 10)) and title.startswith("…"), title
    finally:
        store.close()


@pytest.mark.parametrize("width", [80, 100, 120])
async def test_the_articles_screen_fits_the_bundled_corpus(tmp_path: Path, width: int) -> None:
    from annotator.importer import expand_paths, parse_files
    from annotator.resources import corpus_dir

    store = Store(tmp_path / "c.db")
    try:
        files, _ = expand_paths([corpus_dir()])
        parsed = parse_files(files, store.labels())
        store.import_batch(parsed.documents, parsed.spans, user="lead")
        store.set_status(parsed.documents[1].id, "ali", "in_progress", user="ali")  # the widest status word
        store.set_status(parsed.documents[2].id, "ali", "adjudicated", user="ali")
        app = build_app(store, user="ali")
        async with app.run_test(size=(width, 24)) as pilot:
            await pilot.press("o")
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            assert table.virtual_size.width <= table.scrollable_content_region.width
            for document in parsed.documents:
                first_word = document.title.split()[0]
                shown = str(table.get_row(document.id)[-1])
                assert shown.endswith(display_line(first_word, 20)), (document.id, shown)
    finally:
        store.close()
