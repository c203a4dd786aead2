"""One-line visual strings for tables and lists outside the text view."""

from __future__ import annotations

from annotator.text.layout import layout_paragraph


def display_line(text: str, width: int, mode: str = "app") -> str:
    """The first visual row of text laid out at width (shaped, reordered, sanitised), marked … when cut."""
    flat = " ".join(text.split())
    if not flat:
        return ""
    layout = layout_paragraph(flat, max(width, 2), mode)
    if len(layout.rows) == 1:
        return layout.rows[0].text
    first = layout_paragraph(flat, max(width - 1, 1), mode).rows[0]
    # the ellipsis goes at the end of the reading order: the left in app mode's visual RTL row, the
    # logical end in terminal mode (the terminal's bidi places it)
    return ("…" + first.text) if layout.rtl and mode == "app" else (first.text + "…")
