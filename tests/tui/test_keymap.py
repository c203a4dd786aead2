"""Textual's own mechanisms: keys remapped from ~/.config/annotator/keymap.toml (App.set_keymap), and the theme
picker of the command palette, with the labels still readable after a theme change."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import Color
from rich.style import Style

from annotator.keymap import KeymapError, keymap_path, parse_keymap
from annotator.store import Store
from annotator.tui import contrast
from annotator.tui.annotate_screen import AnnotateScreen
from annotator.tui.help_screen import HelpScreen
from annotator.tui.key_bar import KeyBar

from .conftest import TEXT
from .test_cells import cells_of, painted

SIZE = (100, 24)


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private XDG_CONFIG_HOME; returns the keymap file's path (not written yet)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("ANNOTATOR_KEYMAP", raising=False)
    path = tmp_path / "xdg" / "annotator" / "keymap.toml"
    path.parent.mkdir(parents=True)
    return path


def spans(store: Store) -> list[tuple[str, str]]:
    return [(TEXT[s.start : s.end], s.label) for s in store.spans("a1", "ali")]


async def test_a_keymap_file_remaps_tag_and_remove_and_help_shows_the_new_keys(
    config: Path, make_app, small_store: Store
) -> None:
    config.write_text('remove = "d"\ntag.actor = "z"\n', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        bar = screen.query_one(KeyBar)
        assert ("d", "Remove") in bar.keys and ("z", "Actor") in bar.keys
        screen.view.move_to(TEXT.index("داعش"))
        await pilot.press("space")
        await pilot.press("a")  # actor's old letter: no longer bound
        await pilot.pause()
        assert spans(small_store) == []
        await pilot.press("z")
        await pilot.pause()
        assert spans(small_store) == [("داعش", "actor")]
        await pilot.press("x")  # remove's old key: no longer bound
        await pilot.pause()
        assert spans(small_store) == [("داعش", "actor")]
        await pilot.press("ي")  # d's twin on the Arabic layout, as every default key has one
        await pilot.pause()
        assert spans(small_store) == []
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = dict((desc, keys) for keys, desc in help_screen.rows)
        assert rows["Remove"] == "d / ي"
        assert next(keys for desc, keys in rows.items() if desc.startswith("Actor")) == "z / ئ"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('remov = "d"', ("keymap.toml: remov: no key has this id",)),
        ('remove = "ctrl k"', ("remove:", "'ctrl k' is not a key")),
        ("remove = 5", ("remove: give a key",)),
        ("remove = [", ("not valid TOML",)),
    ],
)
def test_a_bad_keymap_is_one_line_naming_the_key_before_the_screen_opens(
    config: Path, small_store: Store, capsysbinary: pytest.CaptureFixture[bytes], text: str, words: tuple[str, ...]
) -> None:
    from annotator.cli import main

    config.write_text(text + "\n", encoding="utf-8")
    db = small_store.path
    with pytest.raises(SystemExit) as exited:
        main(["annotate", "--db", str(db), "--user", "ali"])
    err = capsysbinary.readouterr().err.decode("utf-8")
    assert exited.value.code == 1 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: error: "), err
    for word in words:
        assert word in lines[0], lines[0]


def test_keymap_path_follows_xdg_then_home_and_the_env_override() -> None:
    assert keymap_path({"HOME": "/h"}) == (Path("/h/.config/annotator/keymap.toml"), False)
    assert keymap_path({"HOME": "/h", "XDG_CONFIG_HOME": "/x"}) == (Path("/x/annotator/keymap.toml"), False)
    assert keymap_path({"HOME": "/h", "ANNOTATOR_KEYMAP": "/k.toml"}) == (Path("/k.toml"), True)
    assert parse_keymap('undo = ["u", "ctrl+z"]\n"tag.date" = "t,?"') == {"undo": "u,ctrl+z", "tag.date": "t,?"}
    with pytest.raises(KeymapError, match="no such keymap file"):
        from annotator.keymap import read_keymap

        read_keymap({"ANNOTATOR_KEYMAP": "/nonexistent/k.toml"})


async def test_the_palette_offers_textuals_theme_picker_and_labels_stay_readable_in_every_theme(
    config: Path, make_app, small_store: Store
) -> None:
    start = TEXT.index("الأنبار")
    small_store.add_span("a1", "ali", start, start + len("الأنبار"), "place", user="ali")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        titles = [command.title for command in app.get_system_commands(screen)]
        assert "Theme" in titles
        screen.view.move_to(TEXT.index("داعش"))
        colour = small_store.label_schema().colours()["place"]
        ink, ground, _bold = contrast.highlight(colour)
        for theme in ("textual-light", "textual-dark", "nord", "solarized-light"):
            app.theme = theme
            await pilot.pause()
            cells = painted(screen.view)
            styles = {cells[xy][1] for xy in cells_of(screen.view, start, start + len("الأنبار"))}
            assert len(styles) == 1, theme
            style = styles.pop()
            # the span keeps its own ink on its own ground, whatever the theme's background
            assert isinstance(style, Style) and style.bgcolor == Color.parse(ground), theme
            assert style.color == Color.parse(ink), theme
            assert contrast.worst_ratio(ink, ground) >= contrast.MINIMUM, theme


async def test_a_remapped_key_another_binding_had_takes_it_over_and_a_notice_says_so(
    config: Path, make_app, small_store: Store
) -> None:
    config.write_text('remove = "a"\n', encoding="utf-8")  # a tags an actor by default
    small_store.add_span("a1", "ali", 0, 3, "place", user="ali")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        screen.view.move_to(1)
        await pilot.press("a")
        await pilot.pause()
        assert spans(small_store) == []  # removed, not relabelled
        assert any("tag.actor" in n.message for n in app._notifications), [n.message for n in app._notifications]
