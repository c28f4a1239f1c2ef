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

#: Extra room above the plot per line of credit (px), and the characters in a line: short
#: enough to fit a phone-wide chart (at 12 px), where a longer line was cut off.
CREDIT_LINE_HEIGHT = 16
CREDIT_WIDTH = 56


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


def credited(figure: dict[str, Any], credit: str) -> dict[str, Any]:
    """The figure (plotly JSON) with ``credit`` as a small line under its title."""
    layout = dict(figure.get("layout") or {})
    title = dict(layout.get("title") or {})
    subtitle = dict(title.get("subtitle") or {})
    lines = textwrap.wrap(credit, CREDIT_WIDTH) or [""]
    line = "<br>".join(f"<span style='font-size:12px;color:#495057'>{escaped(part)}</span>"
                       for part in lines)
    text = str(subtitle.get("text") or "")
    subtitle["text"] = f"{text}<br>{line}" if text else line
    title["subtitle"] = subtitle
    margin = dict(layout.get("margin") or {})
    margin["t"] = int(margin.get("t", 60)) + CREDIT_LINE_HEIGHT * len(lines) + 6
    layout.update(title=title, margin=margin)
    return {**figure, "layout": layout}


def escaped(text: str) -> str:
    """Text safe inside plotly's HTML-like labels (which read <, > and & as markup)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
