"""Every key of the annotation screen, driven through Textual's Pilot, checked on screen state and in the database."""

from __future__ import annotations

import pytest

from annotator.store import Store
from annotator.tui.annotate_screen import AnnotateScreen

from .conftest import TEXT

SIZE = (100, 30)


def screen_of(app) -> AnnotateScreen:
    screen = app.screen
    assert isinstance(screen, AnnotateScreen)
    return screen


def spans_in_db(store: Store, doc: str = "a1", who: str = "ali") -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in store.spans(doc, who)]


async def test_opens_first_not_done_and_shows_title_progress(make_app, small_store: Store) -> None:
    small_store.set_status("a1", "ali", "done", user="ali")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        assert screen.session.document.id == "a2"
        title = str(screen.query_one("#title").render())
        assert "article 2/3" in title and "1 of 3 done" in title


async def test_left_moves_forward_in_arabic_and_right_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("left", "left", "left")
        assert screen.session.cursor == 3
        await pilot.press("right")
        assert screen.session.cursor == 2
        await pilot.press("right", "right", "right")  # stops at the document start
        assert screen.session.cursor == 0


async def test_left_crosses_into_next_paragraph(make_app) -> None:
    app = make_app()
    first_line_end = TEXT.index("\n")
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(first_line_end - 1)
        await pilot.press("left")
        assert screen.session.cursor == first_line_end + 1


async def test_up_down_home_end_page(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(40, 20)) as pilot:  # narrow: the first paragraph wraps
        screen = screen_of(app)
        layout = screen.view.document_layout()
        assert len(layout.paragraph(0).rows) >= 2
        await pilot.press("down")
        assert layout.place(screen.session.cursor).row == 1
        await pilot.press("up")
        assert layout.place(screen.session.cursor).row == 0
        await pilot.press("end")
        row0 = layout.paragraph(0).rows[0]
        assert screen.session.cursor == layout.paragraph(0).row_end(0)
        await pilot.press("home")
        assert screen.session.cursor == row0.start
        await pilot.press("pagedown")
        assert screen.session.cursor > row0.end
        await pilot.press("pageup")
        assert layout.place(screen.session.cursor).paragraph == 0 and layout.place(screen.session.cursor).row == 0


async def test_ctrl_left_right_words(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("ctrl+left")
        assert screen.session.cursor == TEXT.index("السوداني")
        await pilot.press("ctrl+left")
        assert screen.session.cursor == TEXT.index("إن")
        await pilot.press("ctrl+right")
        assert screen.session.cursor == TEXT.index("السوداني")


@pytest.mark.parametrize(
    "key, expected_len",
    [("shift+left", 2), ("shift+ctrl+left", None), ("shift+down", None), ("shift+end", None), ("shift+pagedown", None)],
)
async def test_shift_extends_selection(make_app, key: str, expected_len: int | None) -> None:
    app = make_app()
    async with app.run_test(size=(40, 20)) as pilot:
        screen = screen_of(app)
        await pilot.press(key)
        selection = screen.session.selection
        assert selection is not None and selection[0] == 0
        if expected_len is not None:
            assert selection[1] - selection[0] == expected_len
        else:
            assert selection[1] > 2
        status = str(screen.query_one("#status").render())
        assert f"selection {selection[1] - selection[0]}" in status
        await pilot.press("escape")
        assert screen.session.selection is None


async def test_shift_right_and_home(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(4)
        await pilot.press("shift+right")
        assert screen.session.selection == (3, 5)
        await pilot.press("shift+home")
        assert screen.session.selection == (0, 5)
        await pilot.press("shift+up")  # already on the first row: the cursor stays on row 0
        assert screen.session.selection == (0, 5)
        assert (screen.session.cursor, screen.session.anchor) == (0, 4)
        # The cursor is on the article's first character: a word right (back in Arabic) and a page up
        # have nowhere to go, and the selection keeps both its ends.
        await pilot.press("shift+ctrl+right", "shift+pageup")
        assert screen.session.selection == (0, 5)
        assert (screen.session.cursor, screen.session.anchor) == (0, 4)


async def test_space_selects_word_then_extends(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(TEXT.index("داعش") + 1)
        await pilot.press("space")
        assert screen.session.selection == (TEXT.index("داعش"), TEXT.index("داعش") + 4)
        await pilot.press("space")
        assert screen.session.selection == (TEXT.index("داعش"), TEXT.index("في ") + 2)


@pytest.mark.parametrize(
    "key, label",
    [
        ("1", "actor"),
        ("a", "actor"),
        ("2", "figure"),
        ("f", "figure"),
        ("3", "place"),
        ("p", "place"),
        ("4", "quote"),
        ("q", "quote"),
        ("١", "actor"),
        ("٢", "figure"),
        ("٣", "place"),
        ("٤", "quote"),
    ],
)
async def test_tag_keys_save_the_word_under_the_cursor(make_app, small_store: Store, key: str, label: str) -> None:
    app = make_app()
    start = TEXT.index("الأنبار")
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(start + 2)
        await pilot.press(key)
        assert spans_in_db(small_store) == [(start, start + len("الأنبار"), label)]
        assert [s.label for s in screen.session.spans_at(start)] == [label]
        assert f"span {label}" in str(screen.query_one("#status").render())


async def test_tag_selection_exactly_and_replace_overlap(make_app, small_store: Store) -> None:
    app = make_app()
    start = TEXT.index("15")
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(start)
        await pilot.press(
            "shift+left", "shift+left", "shift+left", "shift+left"
        )  # "15 ع" and on: LTR digits inside RTL
        selection = screen.session.selection
        await pilot.press("2")
        assert spans_in_db(small_store) == [(selection[0], selection[1], "figure")]
        await pilot.press("space", "space", "1")  # overlapping actor replaces the figure
        labels = [label for _, _, label in spans_in_db(small_store)]
        assert labels == ["actor"]


async def test_quote_holds_entities(make_app, small_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("shift+end", "q")
        screen.view.move_to(TEXT.index("داعش"))
        await pilot.press("a")
        labels = sorted(label for _, _, label in spans_in_db(small_store))
        assert labels == ["actor", "quote"]


@pytest.mark.parametrize("key", ["x", "delete", "backspace"])
async def test_remove_keys(make_app, small_store: Store, key: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(TEXT.index("داعش"))
        await pilot.press("a")
        assert len(spans_in_db(small_store)) == 1
        await pilot.press(key)
        assert spans_in_db(small_store) == []
        assert screen.session.spans == []


@pytest.mark.parametrize("undo_key, redo_key", [("u", "ctrl+y"), ("ctrl+z", "U")])
async def test_undo_redo_keys(make_app, small_store: Store, undo_key: str, redo_key: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(TEXT.index("داعش"))
        await pilot.press("a", undo_key)
        assert spans_in_db(small_store) == [] and screen.session.spans == []
        await pilot.press(redo_key)
        assert [label for _, _, label in spans_in_db(small_store)] == ["actor"]


async def test_undo_survives_restart(make_app, small_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen_of(app).view.move_to(TEXT.index("داعش"))
        await pilot.press("a", "ctrl+q")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        assert len(screen.session.spans) == 1
        await pilot.press("u")
        assert spans_in_db(small_store) == []


async def test_tab_and_shift_tab_walk_spans(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        for word in ("السوداني", "داعش", "الأنبار"):
            screen.view.move_to(TEXT.index(word))
            await pilot.press("a")
        screen.view.move_to(0)
        await pilot.press("tab")
        assert screen.session.cursor == TEXT.index("السوداني")
        await pilot.press("tab")
        assert screen.session.cursor == TEXT.index("داعش")
        await pilot.press("shift+tab")
        assert screen.session.cursor == TEXT.index("السوداني")


async def test_span_list_choice_moves_cursor(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(TEXT.index("الأنبار"))
        await pilot.press("p")
        screen.view.move_to(0)
        await pilot.press("l", "enter")
        assert screen.session.cursor == TEXT.index("الأنبار")
        assert screen.focused is screen.view


async def test_find_loosely_then_n_and_N(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("slash")
        for char in "الانبار":  # no hamza: matches الأنبار
            await pilot.press(char)
        await pilot.press("enter")
        start = TEXT.index("الأنبار")
        assert screen.session.selection == (start, start + len("الأنبار"))
        await pilot.press("a")
        await pilot.press("slash")  # the previous query is selected: typing replaces it
        for char in "ال*":  # a word start: «*» lets the match end inside the word
            await pilot.press(char)
        await pilot.press("enter")
        first = screen.session.selection
        await pilot.press("n")
        second = screen.session.selection
        assert second != first
        await pilot.press("N")
        assert screen.session.selection == first


async def test_done_opens_next_not_done_and_brackets_move(make_app, small_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("ctrl+d")
        assert small_store.status("a1", "ali") == "done"
        assert screen.session.document.id == "a2"
        await pilot.press("right_square_bracket")
        assert screen.session.document.id == "a3"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert screen.session.document.id == "a1"
        assert small_store.status("a2", "ali") != "done"


async def test_articles_screen_opens_chosen(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert type(app.screen).__name__ == "DocumentsScreen"
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert screen_of(app).session.document.id == "a3"


async def test_help_lists_every_key(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert type(help_screen).__name__ == "HelpScreen"
        keys = " ".join(k for k, _ in help_screen.rows)
        for key in (
            "left",
            "shift+left",
            "ctrl+left",
            "space",
            "1 / a",
            "x / delete / backspace",
            "u / ctrl+z",
            "ctrl+y / U",
            "tab",
            "/",
            "n",
            "N",
            "ctrl+d",
            "]",
            "[",
            "o",
            "ctrl+p",
            "ctrl+q",
            "١",
        ):
            assert key in keys, key
        await pilot.press("escape")
        assert isinstance(app.screen, AnnotateScreen)


async def test_command_palette_runs_actions(make_app, small_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(TEXT.index("داعش"))
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "Place":
            await pilot.press(char)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert [label for _, _, label in spans_in_db(small_store)] == ["place"]


async def test_ctrl_q_quits_and_saves_place(make_app, small_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("left", "left", "left", "ctrl+q")
    assert small_store.last_place("ali") == ("a1", 3)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert screen_of(app).session.cursor == 3


async def test_mouse_click_and_drag(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        view = screen.view
        layout = view.document_layout()
        start = TEXT.index("داعش")
        row, x = layout.paragraph(0).locate(start)
        await pilot.click(view, offset=(x + 1, row))
        assert screen.session.cursor == start
        _, x_end = layout.paragraph(0).locate(start + 3)
        await pilot.mouse_down(view, offset=(x + 1, row))
        await pilot.hover(view, offset=(x_end + 1, row))
        await pilot.mouse_up(view, offset=(x_end + 1, row))
        assert screen.session.selection == (start, start + 4)


async def test_failed_write_shows_error_and_no_span(make_app, small_store: Store) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        small_store.conn.execute("PRAGMA query_only = ON")
        screen.view.move_to(TEXT.index("داعش"))
        await pilot.press("a")
        assert screen.session.spans == []
        assert "not saved" in str(screen.query_one("#status").render())
        small_store.conn.execute("PRAGMA query_only = OFF")
        assert spans_in_db(small_store) == []


async def test_keys_move_the_cursor_in_a_long_article_not_the_scrollbar(tmp_path) -> None:
    """Regression: ScrollView's own up/down/page bindings used to scroll instead of moving the cursor."""
    from annotator.model import Document
    from annotator.tui.run import build_app

    store = Store(tmp_path / "long.db")
    store.import_batch([Document("long", "long", "\n".join([TEXT] * 200))], [], user="lead")
    app = build_app(store, user="ali")
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        layout = screen.view.document_layout()
        await pilot.press("down")
        assert layout.place(screen.session.cursor).row == 1 or layout.place(screen.session.cursor).paragraph == 1
        before = screen.session.cursor
        await pilot.press("pagedown")
        assert screen.session.cursor > before
        assert screen.view.scroll_offset.y > 0  # the view follows the cursor
        await pilot.press("end", "home", "pageup", "up")
        assert screen.session.cursor == 0
    store.close()


async def test_huge_article_paints_then_loads_every_span(tmp_path) -> None:
    from annotator.model import Document, Span
    from annotator.tui.run import build_app

    store = Store(tmp_path / "huge.db")
    text = "كلمة " * 30_000
    spans = [Span("huge", "ali", i * 5, i * 5 + 4, "place") for i in range(0, 30_000, 50)]
    store.import_batch([Document("huge", "huge", text)], spans, user="lead")
    app = build_app(store, user="ali")
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.session.complete
        assert len(screen.session.spans) == len(spans)
        assert "Spans (600)" in str(screen.query_one("#spans-title").render())
    store.close()


async def test_terminal_bidi_mode_draws_logical_order(make_app) -> None:
    """--bidi terminal: rows in logical order, unshaped, left-aligned, for terminals that reorder themselves."""
    app = make_app(bidi="terminal")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        layout = screen.view.document_layout()
        first = layout.paragraph(0).rows[0]
        assert first.text == TEXT.split("\n")[0][first.start : first.end]
        assert first.x0 == 0
        await pilot.press("right")  # in logical order Right moves forward
        assert screen.session.cursor == 1


def test_terminal_modes_escape_sequences() -> None:
    from annotator.text.layout import terminal_epilogue, terminal_prologue

    assert (terminal_prologue("app"), terminal_epilogue("app")) == ("\x1b[8l", "\x1b[8h")
    assert terminal_prologue("terminal") == "\x1b[8h"


async def test_trim_a_clitic_from_the_start_with_e(make_app, small_store: Store) -> None:
    """Space selects «بالأنبار»-style words whole; e then shift+Left moves the start edge past the clitic."""
    from annotator.model import Document
    from annotator.tui.run import build_app

    text = "هاجموا بالأنبار أمس"
    small_store.import_batch([Document("c1", "clitic", text)], [], user="lead")
    app = build_app(small_store, user="ali", doc_id="c1")
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(text.index("بالأنبار") + 3)
        await pilot.press("space", "e", "shift+left", "p")
    start = text.index("الأنبار")
    assert spans_in_db(small_store, "c1") == [(start, start + len("الأنبار"), "place")]


# -- issue 12: relabel, whole clusters, whole words, no stale message -----------------------------------------

NYT = "01-anbar-raid-nyt"


def status_of(screen: AnnotateScreen) -> str:
    return str(screen.query_one("#status").render())


def shows(screen: AnnotateScreen, message: str) -> bool:
    """Whether the status line shows message, its «quoted» Arabic shaped and in visual order as on screen."""
    from annotator.tui.annotate_screen import status_text

    return status_text(message, "app") in status_of(screen)


async def find_in(pilot, query: str) -> None:
    """/query Enter, typed key by key as a user would."""
    await pilot.press("slash")
    for char in query:
        await pilot.press(char)
    await pilot.press("enter")


async def test_label_key_on_a_span_relabels_it_whole(corpus_store: Store) -> None:
    """Tab to the actor «نيويورك تايمز», 3: the whole span becomes a place (it used to shrink to «نيويورك»)."""
    from annotator.tui.run import build_app

    text = corpus_store.document(NYT).text
    start = text.index("نيويورك تايمز")
    end = start + len("نيويورك تايمز")
    corpus_store.add_span(NYT, "ali", start, end, "actor", user="ali")
    app = build_app(corpus_store, user="ali", doc_id=NYT)
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("tab")
        assert screen.session.cursor == start
        await pilot.press("3")
        assert spans_in_db(corpus_store, NYT) == [(start, end, "place")]
        assert shows(screen, "actor → place: «نيويورك تايمز»")
        await pilot.press("3")
        assert shows(screen, "already place: «نيويورك تايمز»")
        await pilot.press("u")
        assert spans_in_db(corpus_store, NYT) == [(start, end, "actor")]


async def test_shift_arrows_keep_the_tanween_in_the_span(corpus_store: Store) -> None:
    """/15 Enter, Space, Space, shift+Right ×3, 2: the span ends after «عنصراً»'s tanween, as highlighted."""
    from annotator.export.records import LayerRecord
    from annotator.export.run import make_format
    from annotator.tui.run import build_app

    text = corpus_store.document(NYT).text
    start = text.index("15 عنصراً")
    tanween = text.index("\u064b", start)
    app = build_app(corpus_store, user="ali", doc_id=NYT)
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await find_in(pilot, "15")
        await pilot.press("space", "space")
        assert screen.session.cursor == text.index("من", tanween) + 1
        cursors = []
        for _ in range(3):
            await pilot.press("shift+right")
            cursors.append(screen.session.cursor)
        assert cursors == [tanween + 2, tanween + 1, tanween - 1]  # the tanween shares its alef's cell
        assert screen.session.selection == (start, tanween + 1)
        await pilot.press("2")
    assert spans_in_db(corpus_store, NYT) == [(start, tanween + 1, "figure")]
    span_text = text[start : tanween + 1]
    assert span_text == "15 عنصراً" and span_text.endswith("\u064b")
    record = LayerRecord(corpus_store.document(NYT), "ali", corpus_store.spans(NYT, "ali"))
    block = make_format("conll", corpus_store.labels(), None, None).render(record).text
    assert "\n15 B-figure O\nعنصراً I-figure O\nمن O O\n" in block  # no token `ً O O` of a lone tanween


async def test_find_and_tag_take_whole_words(corpus_store: Store) -> None:
    """/العراق Enter 3 tags the word «العراق», not its start inside «والعراقية» (which said nothing)."""
    from annotator.tui.run import build_app

    text = corpus_store.document(NYT).text
    word = text.index(" العراق ") + 1
    app = build_app(corpus_store, user="ali", doc_id=NYT)
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await find_in(pilot, "العراق")
        assert screen.session.selection == (word, word + len("العراق"))
        await pilot.press("3")
        assert spans_in_db(corpus_store, NYT) == [(word, word + len("العراق"), "place")]
        assert shows(screen, "place: «العراق» saved") and "note" not in status_of(screen)


async def test_a_span_that_cuts_a_word_says_so(corpus_store: Store) -> None:
    """Asked for with `*`, a part-word span is saved, and the status line notes the word it cuts."""
    from annotator.tui.run import build_app

    text = corpus_store.document(NYT).text
    start = text.index("والعراقية") + 1  # the «و» is a proclitic: leaving it out is no cut
    app = build_app(corpus_store, user="ali", doc_id=NYT)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = screen_of(app)
        await find_in(pilot, "العراق*")
        assert screen.session.selection == (start, start + len("العراق"))
        await pilot.press("3")
        assert spans_in_db(corpus_store, NYT) == [(start, start + len("العراق"), "place")]
        assert shows(screen, "place: «العراق» saved — note: ends inside the word «والعراقية»")
        await pilot.press("shift+left", "shift+left", "1")  # from the cursor on «ق» to the word's end
        assert shows(screen, "actor: «قية» saved, replacing 1 — note: starts inside the word «والعراقية»")


async def test_the_status_message_goes_when_the_cursor_moves(make_app, small_store: Store) -> None:
    """«saved» speaks of the word just tagged: once the cursor moves on, the status line stops saying it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        screen.view.move_to(TEXT.index("داعش"))
        await pilot.press("a")
        assert shows(screen, "actor: «داعش» saved")
        await pilot.press("left")
        await pilot.pause()
        assert "saved" not in status_of(screen)
        await pilot.press("tab")  # onto the span: its label shows, the old message does not
        await pilot.pause()
        assert "span actor" in status_of(screen) and "saved" not in status_of(screen)
        await find_in(pilot, "الأنبار")  # a message said after the cursor moved stays
        await pilot.pause()
        assert "found at" in status_of(screen)


async def test_a_note_cut_off_the_status_line_is_also_notified(corpus_store: Store) -> None:
    """At 50 columns the note does not fit even the whole status line, which ends in «…»; a notification holds it
    whole. (At 100 the message now takes the line's full width and fits.)"""
    from annotator.tui.annotate_screen import status_text
    from annotator.tui.run import build_app

    app = build_app(corpus_store, user="ali", doc_id=NYT)
    async with app.run_test(size=(50, 30)) as pilot:
        screen = screen_of(app)
        notified: list[str] = []
        screen.notify = lambda message, **_: notified.append(message)  # type: ignore[method-assign]
        await find_in(pilot, "العراق*")
        await pilot.press("3")
        status = status_of(screen).rstrip()
        assert status.endswith("…") and len(status) <= 50
        assert notified == [status_text("ends inside the word «والعراقية»", "app")]
