"""Every label's highlight reads in 16 colours, 256 colours and truecolor: WCAG contrast ≥ 4.5 as xterm's
default palette draws the colours a terminal of each system receives."""

from __future__ import annotations

import pytest
from rich.color import Color, ColorSystem
from rich.style import Style

from annotator.model import DEFAULT_LABELS, QUOTE_LAYER
from annotator.tui.contrast import GROUND, XTERM_16, ratio, shown
from annotator.tui.text_view import TextView, label_styles

SYSTEMS = {"16": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT, "truecolor": ColorSystem.TRUECOLOR}


def contrast_of(style: Style, system: ColorSystem) -> float:
    """The contrast of a label's style as a terminal of that colour system draws it."""
    assert style.color is not None and style.color.triplet is not None
    ink = f"#{style.color.triplet.hex[1:]}"
    ground = GROUND if style.bgcolor is None else style.bgcolor.triplet.hex  # type: ignore[union-attr]  # set by label_styles
    return ratio(shown(ink, system, bool(style.bold)), shown(ground, system))


class _Session:
    labels = DEFAULT_LABELS


@pytest.mark.parametrize("mode", SYSTEMS)
@pytest.mark.parametrize("label", [label.name for label in DEFAULT_LABELS])
def test_each_label_reads_in_each_colour_mode(label: str, mode: str) -> None:
    style = label_styles(_Session())[label]  # type: ignore[arg-type]  # label_styles reads only .labels
    assert contrast_of(style, SYSTEMS[mode]) >= 4.5, (label, mode, style)


def test_the_old_figure_was_white_on_yellow_in_16_colours() -> None:
    """What the issue saw: figure's colour sent to a 16-colour terminal is yellow, and white on it is ~1.7."""
    figure = next(label for label in DEFAULT_LABELS if label.name == "figure")
    sent = Color.parse(figure.colour).downgrade(ColorSystem.STANDARD)
    assert sent.number == 3 and XTERM_16[3] == (0xCD, 0xCD, 0x00)
    assert ratio(shown("#ffffff", ColorSystem.STANDARD, True), shown(figure.colour, ColorSystem.STANDARD)) < 2


def test_label_colours_move_only_when_they_must() -> None:
    """Actor's blue already reads everywhere with white: it is kept as it is."""
    actor = label_styles(_Session())["actor"]  # type: ignore[arg-type]  # label_styles reads only .labels
    assert actor.bgcolor == Color.parse("#1f6feb") and actor.color == Color.parse("#ffffff")


async def test_the_article_ground_is_the_one_quotes_are_checked_on(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(TextView)
        assert view.background_colors[1].hex.lower() == GROUND
        assert all(label.layer != QUOTE_LAYER or label.name in view.styles_by_label for label in DEFAULT_LABELS)
