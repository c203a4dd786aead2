"""Show what the layout engine does: ``python -m annotator.text.demo [file] [line] [width]``.

Prints a corpus paragraph as the engine lays it out (shaped, reordered,
right-aligned) above what a terminal without bidi support shows when the
logical string is simply wrapped.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from .layout import layout_paragraph
from .sanitize import sanitize

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
DEFAULT_FILE = "01-anbar-raid-nyt.txt"
DEFAULT_LINE = 28  # 1-based: "وكانت شبكة NBC News قد أفادت ..."


def render(text: str, width: int) -> str:
    """Return the paragraph as the engine draws it, framed, one row per line."""
    layout = layout_paragraph(text, width)
    return "\n".join(f"|{row.line(width)}|" for row in layout.rows)


def render_plain(text: str, width: int) -> str:
    """Return the logical string wrapped at width, as a terminal without bidi shows it."""
    rows = textwrap.wrap(sanitize(text), width) or [""]
    return "\n".join(f"|{row.ljust(width)}|" for row in rows)


def main(argv: list[str] | None = None) -> int:
    """Print one paragraph rendered by the engine and without it."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else CORPUS / DEFAULT_FILE
    number = int(args[1]) if len(args) > 1 else DEFAULT_LINE
    width = int(args[2]) if len(args) > 2 else 60
    text = path.read_text(encoding="utf-8").split("\n")[number - 1]
    print(f"{path.name}, line {number}, width {width}")
    print("\nWith the layout engine (shaped, bidi-reordered, right-aligned):")
    print(render(text, width))
    print("\nPlain terminal (logical order, no shaping, no bidi):")
    print(render_plain(text, width))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
