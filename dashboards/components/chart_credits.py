"""What a chart carries with it when it is downloaded or shown on another site: its source,
how current its figures are ("as of") and the partnership's name, in the figure itself (a
line under the title), so a PNG or SVG saved from the modebar still says where it is from.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

from dashboards.components.shell import PARTNERSHIP
from dashboards.i18n import _
from rba.i18n import format_date, localized

#: Extra room above the plot per line of credit (px), and the characters in a line: charts
#: are saved 1,100 px wide, where a line of 110 characters at 12 px fits.
CREDIT_LINE_HEIGHT = 19
CREDIT_WIDTH = 110
#: The title at the top of the image, so the lines under it push the plot down (plotly
#: centres a title in the top margin by default, which put the credit over the plot), a
#: little in from the edges.
TOP_TITLE = {"xref": "container", "x": 0.012, "xanchor": "left", "yref": "container",
             "y": 0.975, "yanchor": "top"}


def as_of_words(as_of: dt.date | None, lang: str) -> str:
    """"Figures as of 3 December 2026" in the reader's language ("" when there are none)."""
    if as_of is None:
        return ""
    return _("Figures as of {date}").format(date=format_date(as_of, lang))


def credit_line(indicator: dict[str, Any], as_of: dt.date | None, lang: str) -> str:
    """Source, "as of" date and partnership: "Source: CDE · Figures as of … · Collaborate
    PASadena"."""
    source = localized(indicator, "source", lang) or _("Not recorded")
    parts = [_("Source: {source}").format(source=source), as_of_words(as_of, lang),
             PARTNERSHIP]
    return " · ".join(part for part in parts if part)


def credit_lines(credit: str) -> list[str]:
    """The credit as lines that fit a saved chart's width, as plotly label markup."""
    return [f"<span style='font-size:12px;color:#495057'>{escaped(part)}</span>"
            for part in textwrap.wrap(credit, CREDIT_WIDTH) or [""]]


def credited(figure: dict[str, Any], credit: str) -> dict[str, Any]:
    """The figure (plotly JSON) with ``credit`` as small lines under its title (what the
    indicator page's downloads do in the browser, from `credit_lines`)."""
    layout = dict(figure.get("layout") or {})
    title = dict(layout.get("title") or {})
    subtitle = dict(title.get("subtitle") or {})
    lines = credit_lines(credit)
    line = "<br>".join(lines)
    text = str(subtitle.get("text") or "")
    subtitle["text"] = f"{text}<br>{line}" if text else line
    title.update(subtitle=subtitle, **TOP_TITLE)
    margin = dict(layout.get("margin") or {})
    margin["t"] = int(margin.get("t", 60)) + CREDIT_LINE_HEIGHT * len(lines) + 6
    layout.update(title=title, margin=margin)
    return {**figure, "layout": layout}


def escaped(text: str) -> str:
    """Text safe inside plotly's HTML-like labels (which read <, > and & as markup)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
