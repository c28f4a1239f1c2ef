"""Each result's colour and icon, by its position (the number and icon always go with the
colour)."""

from __future__ import annotations

import dash
from dash import html

#: One colour (Okabe-Ito, safe for colour-blind readers) and one icon per result, by its
#: position; the icon and the number always go with the colour.
RESULT_COLOURS = ("#0072B2", "#009E73", "#D55E00", "#CC79A7", "#E69F00", "#56B4E9",
                  "#6F5B00")


RESULT_ICONS = ("sprout", "book", "hands", "heart", "house", "family", "city")


def result_colour(number: int) -> str:
    """The colour of the result at this position (1-based), repeating after seven."""
    return RESULT_COLOURS[(number - 1) % len(RESULT_COLOURS)]


def result_icon(number: int, size: int = 32) -> html.Span:
    """The result's icon (an SVG in assets/icons) on its colour; decorative (alt="")."""
    name = RESULT_ICONS[(number - 1) % len(RESULT_ICONS)]
    return html.Span(html.Img(src=dash.get_asset_url(f"icons/{name}.svg"), alt="",
                              width=size * 0.62, height=size * 0.62),
                     className="result-icon", style={"backgroundColor": result_colour(number),
                                                     "width": size, "height": size})
