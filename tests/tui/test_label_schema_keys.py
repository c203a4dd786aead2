"""The screens follow the database's label schema: keys 1–9 and their Arabic twins, key bar, help, palette, colours."""

from __future__ import annotations

from rich.color import Color
from rich.style import Style
from textual.binding import Binding

from annotator.labels import LabelSchema
from annotator.model import DEFAULT_LABELS, Label
from annotator.store import Store
from annotator.tui import contrast
from annotator.tui.annotate_screen import AnnotateScreen
from annotator.tui.help_screen import HelpScreen
from annotator.tui.key_bar import KeyBar
from annotator.tui.review_screen import ReviewScreen
from annotator.tui.run import build_app

from .conftest import TEXT
from .test_cells import cells_of, painted

GOLDEN = "#ffd700"  # white on it reads badly: the contrast adjustment must move it
EVENT = Label("event", "entity", "5", GOLDEN, "An event: a raid, a strike, a meeting.")
SIZE = (100, 24)


def with_event(store: Store) -> None:
    store.set_label_schema(LabelSchema((*DEFAULT_LABELS, EVENT)), user="lead")


def labels_on(store: Store) -> list[tuple[str, str]]:
    return [(TEXT[s.start : s.end], s.label) for s in store.spans("a1", "ali")]


async def test_key_5_tags_the_fifth_label_and_draws_its_colour(make_app, small_store: Store) -> None:
    with_event(small_store)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        start = TEXT.index("خسر")
        screen.view.move_to(start)
        await pilot.press("5")
        await pilot.pause()
        assert labels_on(small_store) == [("خسر", "event")]
        ink, ground, bold = contrast.highlight(GOLDEN)
        assert Color.parse(ground) != Color.parse(GOLDEN) or Color.parse(ink) != Color.parse("#ffffff")
        screen.view.move_to(TEXT.index("داعش"))  # the cursor off the span, so its cells show the label's colour
        await pilot.pause()
        cells = painted(screen.view)
        styles = {cells[xy][1] for xy in cells_of(screen.view, start, start + len("خسر"))}
        assert len(styles) == 1
        style = styles.pop()
        assert isinstance(style, Style) and style.bgcolor == Color.parse(ground) and style.color == Color.parse(ink)


async def test_arabic_indic_five_tags_it_and_a_key_the_schema_lacks_does_nothing(make_app, small_store: Store) -> None:
    with_event(small_store)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        screen.view.move_to(TEXT.index("خسر"))
        await pilot.press("٥")
        screen.view.move_to(TEXT.index("الأنبار"))
        await pilot.press("6")
        await pilot.pause()
        assert labels_on(small_store) == [("خسر", "event")]


async def test_key_bar_help_and_palette_list_the_schema(make_app, small_store: Store) -> None:
    with_event(small_store)
    app = make_app()
    async with app.run_test(size=(200, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        assert ("5", "Event") in bar.keys
        assert [entry for entry in bar.keys if entry[0] in "12345"][:5] == [
            ("1", "Actor"),
            ("2", "Figure"),
            ("3", "Place"),
            ("4", "Quote"),
            ("5", "Event"),
        ]
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict(app.screen.rows)
        assert rows["5 / v / ٥ / ر"] == "Event: An event: a raid, a strike, a meeting."  # e is the swap key: v
        assert rows["1 / a / ١ / ش"].startswith("Actor: A person, group")


async def test_a_schema_without_a_label_unbinds_its_keys(small_store: Store) -> None:
    small_store.set_label_schema(LabelSchema(DEFAULT_LABELS[:3]), user="lead")
    app = build_app(small_store, user="ali")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        assert not any(isinstance(b, Binding) and "quote" in b.action for b in screen.BINDINGS)
        screen.view.move_to(TEXT.index("الأنبار"))
        await pilot.press("4")
        await pilot.press("q")
        await pilot.pause()
        assert labels_on(small_store) == []
        # only this screen follows the database: the class keeps the default keys for the next database
        assert any(isinstance(b, Binding) and "quote" in b.action for b in AnnotateScreen.BINDINGS)


def test_review_binds_a_letter_per_label_and_never_a_digit() -> None:
    from annotator.tui.keys import label_keys
    from annotator.tui.schema_keys import is_label_binding

    taken = {
        k for b in ReviewScreen.BINDINGS if isinstance(b, Binding) and not is_label_binding(b) for k in b.key.split(",")
    }
    keys = [b.key for b in label_keys(False, LabelSchema((*DEFAULT_LABELS, EVENT)), taken) if isinstance(b, Binding)]
    assert keys == ["a", "f", "p", "q", "v"]
