"""How agreement figures are written for people: fixed decimals, a dash when undefined, never `-0.00`."""

from __future__ import annotations


def measure(value: float | None, digits: int = 2) -> str:
    """A figure with `digits` decimals, a dash when None; a tiny negative that rounds to zero reads 0.00."""
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    # A chance-corrected measure of perfect chance agreement comes out as -1e-17; `-0.00` reads as a real sign.
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text
