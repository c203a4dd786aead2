"""Every single-key command also works with the keyboard switched to Arabic (the standard 101 layout)."""

from __future__ import annotations

from textual.binding import Binding
from textual.keys import _character_to_key  # Textual's own rule, as the oracle for ours

from annotator.store import Store
from annotator.tui.annotate_screen import AnnotateScreen
from annotator.tui.arabic_keys import ARABIC_LAYOUT, key_name
from annotator.tui.help_screen import key_rows
from annotator.tui.review_screen import ReviewScreen

from .conftest import TEXT


def test_key_names_are_textuals() -> None:
    for character in ARABIC_LAYOUT.values():
        assert key_name(character) == _character_to_key(character), character


def test_every_single_key_command_has_its_arabic_twin_and_help_shows_both() -> None:
    for screen in (AnnotateScreen, ReviewScreen):
        for binding in screen.BINDINGS:
            assert isinstance(binding, Binding)
            keys = binding.key.split(",")
            for key in keys:
                if key in ARABIC_LAYOUT:
                    assert key_name(ARABIC_LAYOUT[key]) in keys, (screen.__name__, binding.action, key)
    rows = dict((description.split(":")[0], keys) for keys, description in key_rows(AnnotateScreen.BINDINGS))
    assert rows["Actor"] == "1 / a / ١ / ش"  # the Arabic-Indic digit too: an Arabic keyboard's 1 types ١
    assert rows["Find"] == "/ / ظ"
    assert rows["Help"] == "? / ؟"
    assert rows["Next article"] == "] / د"


async def test_the_issues_arabic_keys_tag_undo_and_find(make_app, small_store: Store) -> None:
    """ش ب ح ض tag, ء removes, ع undoes, ظ opens find, ى finds the next match, ج د change article."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        for word, key in (("داعش", "ش"), ("15", "ب"), ("الأنبار", "ح")):
            screen.view.move_to(TEXT.index(word))
            await pilot.press(key)
        await pilot.pause()
        assert sorted(s.label for s in small_store.spans("a1", "ali")) == ["actor", "figure", "place"]
        screen.view.move_to(TEXT.index("الأنبار"))
        await pilot.press("ء")  # x: remove
        await pilot.pause()
        assert "place" not in [s.label for s in small_store.spans("a1", "ali")]
        await pilot.press("ع")  # u: undo
        await pilot.pause()
        assert "place" in [s.label for s in small_store.spans("a1", "ali")]
        await pilot.press("د")  # ]: next article
        await pilot.pause()
        assert screen.session.document.id == "a2"
        await pilot.press("ج")  # [: back
        await pilot.pause()
        assert screen.session.document.id == "a1"
        await pilot.press("arabic_question_mark")  # ?: help
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("arabic_question_mark")
        await pilot.pause()
        assert app.screen is screen
