"""Hostile corpus text on a real pty: no control sequence of the text reaches the terminal, markup shows as typed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ptyrun import run_on_pty

from annotator.store import Store

ESC = "\x1b"
HOSTILE_LINES = [
    f"قال المتحدث {ESC}[2J{ESC}[31;1;4;5mXYZ إن {ESC}]0;PWNED-TITLE\x07 الهجوم {ESC}Pq#HACK{ESC}\\ انتهى",
    "C1: \x9b33mC1CSI \x9d8;;http://evil\x9c NUL\x00 DEL\x7f BEL\x07 BS\x08 CR\r",
    "Trojan \u202eevil\u202c source \u202dlro\u202c \u2067iso\u2069 \u200fRLM داعش",
    "[b]bold[/b] [red]markup[/red] [link=http://x]l[/link]",
    "ب" * 3000,  # one very long word: hard-broken across rows
]
# Byte strings from the text that must never reach the terminal.
FORBIDDEN = [
    b"\x1b[31;1;4;5m",
    b"\x1b]0;PWNED",
    b"\x1bPq#HACK",
    "\x9b".encode(),
    "\x9d".encode(),
    "\x9c".encode(),
    b"\x00",
    b"\x7f",
    b"\x08",
    "\u202e".encode(),
    "\u202d".encode(),
    "\u2067".encode(),
    "\u200f".encode(),
]


def _hostile_db(tmp_path: Path) -> Path:
    source = tmp_path / "hostile.jsonl"
    text = "\n".join(HOSTILE_LINES)
    source.write_text(json.dumps({"id": "hostile", "title": HOSTILE_LINES[0], "text": text}) + "\n", encoding="utf-8")
    db = tmp_path / "hostile.db"
    out = subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(source), "--db", str(db)], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    with Store(db) as store:
        assert "\x1b[2J" in store.document("hostile").text  # stored exactly as given
    return db


def test_no_control_sequence_of_the_text_reaches_the_terminal(tmp_path: Path) -> None:
    db = _hostile_db(tmp_path)
    # Walk through every paragraph (down arrows) and open the articles screen, where the title is shown too.
    keys = [b"\x1b[B"] * 12 + [b"o", b"\x1b", b"\x11"]
    output, _ = run_on_pty(["--db", str(db), "--user", "eve", "--doc", "hostile"], keys)
    assert b"offset" in output and len(output) > 2000
    for forbidden in FORBIDDEN:
        assert forbidden not in output, forbidden
    assert b"XYZ" in output and b"PWNED-TITLE" in output  # shown as text, harmlessly
    assert b"[b]bold[/b] [red]markup[/red]" in output  # markup shows as typed (an LTR paragraph)
    assert "\u241b".encode() in output  # ESC drawn as a visible placeholder


def test_docs_table_is_sanitised_too(tmp_path: Path) -> None:
    db = _hostile_db(tmp_path)
    out = subprocess.run([sys.executable, "-m", "annotator", "docs", "--db", str(db)], capture_output=True)
    assert out.returncode == 0
    for forbidden in FORBIDDEN:
        assert forbidden not in out.stdout, forbidden
    assert b"\x1b" not in out.stdout


def test_app_mode_turns_terminal_bidi_off_and_back_on(tmp_path: Path) -> None:
    """CSI 8 l before the first frame (VTE/mintty must not reorder our visual order), CSI 8 h after the last."""
    db = _hostile_db(tmp_path)
    output, _ = run_on_pty(["--db", str(db), "--user", "eve"], [b"\x11"])
    assert output.startswith(b"\x1b[8l")
    assert output.rstrip().endswith(b"\x1b[8h")
    terminal, _ = run_on_pty(["--db", str(db), "--user", "eve", "--bidi", "terminal"], [b"\x11"])
    assert terminal.startswith(b"\x1b[8h") and b"\x1b[8l" not in terminal
