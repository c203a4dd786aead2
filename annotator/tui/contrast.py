"""Label colours made readable in every colour system a terminal may have: 16 colours, 256, truecolor.

Rich (and Textual through it) sends a truecolor style to a 16- or 256-colour terminal as the nearest
palette colour, and the terminal draws that index in its own palette. A colour pair that reads well in
truecolor can land on white over yellow. These functions check the WCAG contrast ratio of a pair as
xterm's default palette draws it in each system, and change the pair until every system reaches 4.5.
"""

from __future__ import annotations

from rich.color import Color, ColorSystem, ColorType

MINIMUM = 4.5
"""WCAG 2 AA contrast ratio for normal text."""

XTERM_16 = (
    (0x00, 0x00, 0x00),
    (0xCD, 0x00, 0x00),
    (0x00, 0xCD, 0x00),
    (0xCD, 0xCD, 0x00),
    (0x00, 0x00, 0xEE),
    (0xCD, 0x00, 0xCD),
    (0x00, 0xCD, 0xCD),
    (0xE5, 0xE5, 0xE5),
    (0x7F, 0x7F, 0x7F),
    (0xFF, 0x00, 0x00),
    (0x00, 0xFF, 0x00),
    (0xFF, 0xFF, 0x00),
    (0x5C, 0x5C, 0xFF),
    (0xFF, 0x00, 0xFF),
    (0x00, 0xFF, 0xFF),
    (0xFF, 0xFF, 0xFF),
)
"""xterm's default 16 colours (XTerm-col.ad): what a 16-colour terminal draws for indices 0–15."""

GROUND = "#121212"
"""The article's background (the default dark theme's), which quote colours are drawn on."""

SYSTEMS = (ColorSystem.STANDARD, ColorSystem.EIGHT_BIT, ColorSystem.TRUECOLOR)
WHITE, BLACK = "#ffffff", "#000000"
RGB = tuple[int, int, int]


def xterm_256(index: int) -> RGB:
    """The colour xterm draws for a 256-colour index."""
    if index < 16:
        return XTERM_16[index]
    if index < 232:
        levels = (0, 95, 135, 175, 215, 255)
        index -= 16
        return levels[index // 36], levels[index // 6 % 6], levels[index % 6]
    grey = 8 + 10 * (index - 232)
    return grey, grey, grey


def shown(colour: str, system: ColorSystem, bold: bool = False) -> RGB:
    """The colour a terminal of that system draws for colour (bold: xterm brightens indices 0–7)."""
    sent = Color.parse(colour).downgrade(system)
    if sent.type == ColorType.TRUECOLOR and sent.triplet is not None:
        return sent.triplet.red, sent.triplet.green, sent.triplet.blue
    assert sent.number is not None
    number = sent.number + 8 if bold and sent.number < 8 else sent.number
    return xterm_256(number)


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance."""

    def linear(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def worst_ratio(foreground: str, background: str, bold: bool = False) -> float:
    """The lowest contrast of the pair over 16 colours, 256 colours and truecolor."""
    return min(ratio(shown(foreground, s, bold), shown(background, s)) for s in SYSTEMS)


def mix(colour: str, toward: str, amount: float) -> str:
    """colour moved amount (0–1) of the way toward another, as #rrggbb."""
    a, b = Color.parse(colour).get_truecolor(), Color.parse(toward).get_truecolor()
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b))


def highlight(background: str) -> tuple[str, str, bool]:
    """(foreground, background, bold) for text on a label's colour, readable in every system.

    White text is bold; black text is not (xterm draws bold colour 0 as grey). When neither reads on
    the colour, it moves the least it must: darker under white text or lighter under black.
    """
    for step in range(21):
        darker, lighter = mix(background, BLACK, step / 20), mix(background, WHITE, step / 20)
        if worst_ratio(WHITE, darker, bold=True) >= MINIMUM:
            return WHITE, darker, True
        if worst_ratio(BLACK, lighter) >= MINIMUM:
            return BLACK, lighter, False
    return WHITE, BLACK, True


def foreground(colour: str, ground: str) -> str:
    """colour as a text colour on ground, lightened (or darkened on a light ground) until it reads everywhere."""
    target = WHITE if luminance(Color.parse(ground).get_truecolor()) < 0.2 else BLACK
    for step in range(21):
        candidate = mix(colour, target, step / 20)
        if worst_ratio(candidate, ground) >= MINIMUM:
            return candidate
    return target
