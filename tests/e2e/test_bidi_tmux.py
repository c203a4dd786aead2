"""What a terminal without bidi shows, checked against GNU FriBidi in tmux: the annotation screen's
header (the article's title) and status line at 80 and 100 columns, and `annotator docs` at 80."""

from __future__ import annotations

import subprocess
import time
import unicodedata
from pathlib import Path

import pytest

from annotator.store import Store

from .tmux import ANNOTATOR, Pane

pytestmark = pytest.mark.tmux

FIRST = "01-anbar-raid-nyt"
PHRASE = "القوات الأميركية"


def fold(text: str) -> str:
    """Presentation forms as base letters, without FriBidi's U+FEFF padding."""
    return unicodedata.normalize("NFKC", text).replace("\ufeff", "").strip()


def fribidi(line: str) -> str:
    """GNU FriBidi's visual order of one right-to-left line, shaped."""
    return subprocess.run(
        ["fribidi", "--rtl", "--nobreak", "--nopad"], input=line + "\n", capture_output=True, text=True, check=True
    ).stdout.split("\n")[0]


def shown_words(cell: str, title: str) -> int:
    """How many of title's first words the on-screen cell shows, as FriBidi orders them (0: none matches).

    A cut title shows its first words with … at the left, where a right-to-left reading stops.
    """
    visible = cell.strip()
    cut = visible.startswith("…")
    words = title.split()
    for count in range(len(words), 0, -1):
        if fold(fribidi(" ".join(words[:count]))) == fold(visible.removeprefix("…")):
            return count if cut or count == len(words) else 0
    return 0


def wait_until(pane: Pane, test, what: str, timeout: float = 15.0) -> list[str]:
    """The screen once test(screen) holds."""
    deadline = time.monotonic() + timeout
    while True:
        screen = pane.screen()
        if test(screen):
            return screen
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not appear; screen:\n" + "\n".join(screen))
        time.sleep(0.1)


@pytest.mark.parametrize("width", [80, 100])
def test_header_and_status_line_match_fribidi(tmp_path: Path, width: int) -> None:
    db = tmp_path / "team.db"
    pane = Pane([*ANNOTATOR, "--db", str(db), "--user", "ali"], width=width, height=30, cwd=tmp_path)
    try:
        pane.wait_for("offset 0/")
        with Store(db) as store:
            doc = store.document(FIRST)
        assert doc is not None
        title = " ".join(doc.title.split())
        header = pane.settled()[0]
        assert len(header) <= width
        prefix = header.index("·  new  ") + len("·  new  ")  # the header's fields, then the title
        count = shown_words(header[prefix:], title)
        assert count >= 2, header  # the title's first words, at the right, in FriBidi's order
        assert count < len(title.split())  # the title is longer than the header: cut, and the test says where

        pane.send("/")
        pane.wait_for("find whole words")  # the find box's placeholder: it is open and has the focus
        pane.send(PHRASE, literal=True)
        pane.send("Enter")
        pane.wait_for(f"selection {len(PHRASE)}")
        pane.send("a")
        screen = wait_until(pane, lambda rows: any("saved" in row for row in rows), "the saved message")
        status = next(row for row in screen if "saved" in row)
        quoted = status[status.index("«") + 1 : status.index("»")]
        assert fold(quoted) == fold(fribidi(PHRASE)), status
        assert fold(quoted) != fold(PHRASE)  # visual order, not the stored one
        pane.send("C-q")
        pane.wait_dead()
    finally:
        pane.close()


def test_docs_on_a_terminal_draws_titles_as_fribidi_does(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    subprocess.run(
        [*ANNOTATOR, "import", str(Path(__file__).resolve().parents[2] / "corpus"), "--db", str(db)],
        check=True,
        capture_output=True,
    )
    with Store(db) as store:
        titles = {doc_id: " ".join(title.split()) for doc_id, title, _ in store.document_list()}
    pane = Pane([*ANNOTATOR, "docs", "--db", str(db)], width=80, height=30, cwd=tmp_path)
    try:
        pane.wait_dead()
        screen = pane.screen()
        rows = {cells[2].strip(): cells[3] for row in screen if (cells := row.split("│")) and len(cells) > 5}
        for doc_id, title in titles.items():
            assert shown_words(rows[doc_id], title) >= 1, (doc_id, rows[doc_id])
    finally:
        pane.close()
