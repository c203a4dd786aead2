"""`docs` and `agreement` print Arabic titles in logical order into a pipe or a file, visual order on a
terminal, and `--bidi app|terminal` overrides either (one option, shared with the screens)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.commands.options import resolve_bidi
from annotator.model import Document, Span
from annotator.store import Store
from annotator.text.display import display_line

TITLE = "أعلنت القوات العراقية مقتل 15 عنصراً"  # fits agreement's 40-cell title column
TEXT = "قال السوداني إن داعش هاجم الأنبار"


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """Two annotators who both did two documents with Arabic titles."""
    db = tmp_path / "team.db"
    with Store(db) as store:
        docs = [Document(f"d{n}", f"{TITLE} {n}", TEXT) for n in range(2)]
        spans = [Span(doc.id, name, 16, 20, "actor") for doc in docs for name in ("ali", "mona")]
        spans.append(Span("d0", "mona", 4, 12, "actor"))
        store.import_batch(docs, spans, user="lead")
    return db


def visual(title: str) -> str:
    """The app's visual row of a title that fits on one line."""
    return display_line(title, 200, "app")


def invoke(*args: str) -> str:
    """Run the command through click's runner (stdout is not a terminal there)."""
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": "160"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", [["docs"], ["agreement", "--by-document"]])
def test_runner_output_is_logical_unless_app_is_asked(team: Path, command: list[str]) -> None:
    assert visual(TITLE) != TITLE  # the title does change when shaped and reordered
    for options, logical in (([], True), (["--bidi", "terminal"], True), (["--bidi", "app"], False)):
        out = invoke(*command, "--db", str(team), *options)
        for n in range(2):
            title = f"{TITLE} {n}"
            assert (title in out) is logical, (options, out)
            assert (visual(title) in out) is not logical, (options, out)


@pytest.mark.parametrize("command", [["docs"], ["agreement", "--by-document"]])
def test_a_real_pipe_gets_the_stored_titles(team: Path, command: list[str]) -> None:
    env = {**os.environ, "COLUMNS": "160"}
    piped = subprocess.run(
        [sys.executable, "-m", "annotator", *command, "--db", str(team)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert piped.returncode == 0, piped.stderr
    with Store(team) as store:
        stored = [doc.title for n in range(2) if (doc := store.document(f"d{n}")) is not None]
    assert len(stored) == 2
    for title in stored:
        assert title in piped.stdout
        assert visual(title) not in piped.stdout
    forced = subprocess.run(
        [sys.executable, "-m", "annotator", *command, "--db", str(team), "--bidi", "app"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert forced.returncode == 0, forced.stderr
    assert all(visual(title) in forced.stdout and title not in forced.stdout for title in stored)


def test_a_cut_logical_title_ends_with_the_ellipsis_at_its_logical_end() -> None:
    cut = display_line(TITLE, 20, "terminal")
    assert cut == "أعلنت القوات …"  # cut between words, the ellipsis where the reading stops


def test_default_follows_whether_stdout_is_a_terminal(tmp_path: Path) -> None:
    with open(tmp_path / "out.txt", "w") as file:
        assert resolve_bidi(None, file) == "terminal"
        assert resolve_bidi("app", file) == "app"
    master, slave = os.openpty()
    try:
        with os.fdopen(slave, "w", closefd=False) as tty:
            assert resolve_bidi(None, tty) == "app"
            assert resolve_bidi("terminal", tty) == "terminal"
    finally:
        os.close(master)
        os.close(slave)


def test_one_bidi_option_everywhere() -> None:
    """Every command with --bidi takes the same choices and says the same thing about them."""
    from annotator.commands.options import bidi_option

    @bidi_option
    def reference(bidi: str | None) -> None: ...

    expected = click.command()(reference).params[0]
    having = {
        name: next(p for p in command.params if p.name == "bidi")
        for name, command in cli.commands.items()
        if any(p.name == "bidi" for p in command.params)
    }
    assert set(having) == {"annotate", "review", "dashboard", "docs", "agreement", "stats", "flags", "labels"}
    for option in having.values():
        assert isinstance(option, click.Option) and isinstance(expected, click.Option)
        assert isinstance(option.type, click.Choice) and isinstance(expected.type, click.Choice)
        assert option.type.choices == expected.type.choices and option.help == expected.help
        assert option.default is None


ARABIC_NAME = "أحمد"


@pytest.fixture
def arabic_team(tmp_path: Path) -> Path:
    """An annotator with an Arabic name and one with a Latin name, both done with one document."""
    db = tmp_path / "arabic.db"
    with Store(db) as store:
        store.import_batch(
            [Document("d0", TITLE, TEXT)],
            [Span("d0", name, 16, 20, "actor") for name in (ARABIC_NAME, "mona")],
            user="lead",
        )
    return db


@pytest.mark.parametrize("command", [["stats"], ["agreement"], ["docs"]])
def test_arabic_annotator_names_follow_the_mode_too(arabic_team: Path, command: list[str]) -> None:
    assert visual(ARABIC_NAME) != ARABIC_NAME
    logical = invoke(*command, "--db", str(arabic_team))
    assert ARABIC_NAME in logical and visual(ARABIC_NAME) not in logical
    drawn = invoke(*command, "--db", str(arabic_team), "--bidi", "app")
    assert visual(ARABIC_NAME) in drawn
