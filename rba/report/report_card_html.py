"""The annual report card written as one self-contained HTML page (pure: words in, text
out): styles inline, charts as inline SVG, the font embedded as a subset of the characters
the page uses, so it works offline, from a file or a USB stick, and prints as it shows.

The same page is what the PDF is printed from (rba.services.report_card): its print
styles set the page size, number the pages and keep every chart on one page.
"""

from __future__ import annotations

import base64
import functools
import io
import logging
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from rba.i18n import translator
from rba.report.report_card import ReportCard, better_count_words

FILES = "report_card_files"
FONTS = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
#: Characters always in the embedded font, whatever the page says (digits, punctuation).
BASE_CHARACTERS = "".join(chr(c) for c in range(0x20, 0x7F)) + "áéíóúüñÁÉÍÓÚÜÑ¿¡·–—…“”‘’▲▼≈○↑↓→✓✗"


def _file(name: str) -> str:
    return resources.files("rba.report").joinpath(FILES, name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=32)
def font_subset(name: str, characters: str) -> str:
    """The font file ``name`` cut down to ``characters``, as a WOFF data URI."""
    from fontTools import subset  # only when a report card is written
    from fontTools.ttLib import TTFont

    # Tables the subsetter cannot cut are dropped, as they should be: no need to say so.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

    raw = resources.files("rba.report").joinpath(FILES, name).read_bytes()
    font = TTFont(io.BytesIO(raw))
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    # The font's own modification time, not now: the same card is the same bytes.
    font.recalcTimestamp = False
    font.save(out)
    return "data:font/woff;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def methods(card: ReportCard) -> list[tuple[str, str]]:
    """How every figure is computed, heading and paragraph (README "How the numbers are
    computed", in brief)."""
    _ = translator(card.lang)
    year = card.year
    return [
        (_("Which figures"), _(
            "Only final figures of published indicators, for periods that end by 31 December "
            "{year}: a school year (July to June) counts in the year it ends, as 2023-24 "
            "counts in 2024. Groups smaller than an indicator's minimum size are withheld, "
            "and so is any figure that would let a reader work one out by subtraction. A "
            "total missing from the data is added up from its groups: percentages and rates "
            "from their numerators and denominators, never by averaging percentages."
            ).format(year=year)),
        (_("Baseline"), _(
            "History plus a forecast of where the indicator was headed on its current course. "
            "The forecast method is chosen for each series by testing exponential smoothing, "
            "Theta and their mean on the series' own history and keeping the one with the "
            "least error on figures it had not seen; a history shorter than eight figures "
            "uses a straight-line (least-squares) trend. The shaded band is the 95% "
            "prediction interval. Once a result team agrees a baseline it is frozen: later "
            "figures are judged against the forecast made at the time.")),
        (_("Verdict"), _(
            "The latest figure against the baseline: better than its baseline when it lies "
            "beyond the prediction interval on the good side (above it where up is good, "
            "below it where down is good), worse beyond it on the bad side, on its baseline "
            "within it. Where no baseline is agreed yet, a forecast is fitted on the figures "
            "before the latest one, and the report card says so. With fewer than four figures "
            "there is no baseline yet. The cover counts the headline indicators (their "
            "totals) doing better than their baseline.")),
        (_("Latest change"), _(
            "The latest figure against the one before it (a missing period is skipped), "
            "improving or worsening after whether up or down is good, and how many changes "
            "in a row went the same way.")),
        (_("Since the first figure"), _(
            "(latest figure − first figure) ÷ |first figure| × 100, or against a baseline "
            "value the team set by hand.")),
        (_("Progress towards the target"), _(
            "The growth rate since the first figure (compound, per year) against the rate "
            "needed to reach the target on time: 95% of it or more is on track, 60% to 95% "
            "needs acceleration, 0 to 60% limited progress, below 0 deterioration; target "
            "achieved once the latest figure is at or better than the target. Without a "
            "target, the pace since the first figure: on track at 1.5% a year or more, needs "
            "acceleration at 0.5% or more, limited progress at 0 or more. Off track means "
            "limited progress or deterioration.")),
        (_("Target colour"), _(
            "Green at or better than the target, yellow within 10% of it on the bad side, "
            "red further away.")),
        (_("Equity gaps"), _(
            "For each group compared with the total (a city, a student group), how far it is "
            "behind the best group, in the indicator's unit. The gap is narrowing when the "
            "least-squares slope of that distance over the group's last five periods is below "
            "zero, widening when above.")),
        (_("Overdue figures"), _(
            "The next period's figures are overdue when the report card's date (31 December "
            "{year}, or today if earlier) is more than 120 days past the end of that "
            "period.").format(year=year)),
        (_("Story behind the curve and programs"), _(
            "The story is the opening of the result team's latest turn-the-curve record. "
            "The programs' measures are those of the kind \"Is anyone better off?\" of the "
            "programs aligned with each result: the latest final figure for the year and its "
            "latest change.")),
    ]


def _environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def _words(card: ReportCard) -> dict[str, str]:
    _ = translator(card.lang)
    return {
        "title": _("Annual report card {year}").format(year=card.year),
        "subtitle": _("Results for children and families in Pasadena, Altadena and Sierra "
                      "Madre"),
        "better": better_count_words(card),
        "as_of": _("Figures as of {date}").format(date=card.as_of) if card.as_of else "",
        "contents": _("The seven results"),
        "result": _("Result {n}"),
        "team": _("{team}: its headline indicators, what went well and what needs more "
                  "work"),
        "headline_count": _("{n} of {m} doing better than their baseline"),
        "no_headline": _("No headline indicators with final figures for this year."),
        "accomplishments": _("Accomplishments"),
        "more_work": _("Where more work is needed"),
        "none_good": _("None this year."),
        "none_work": _("Nothing flagged this year."),
        "story": _("The story behind the curve"),
        "better_off": _("Is anyone better off? Programs aligned with this result"),
        "program": _("Program"), "measure": _("Measure"),
        "figure": _("Latest figure and change"),
        "no_programs": _("No aligned program reports an \"Is anyone better off?\" measure "
                         "yet."),
        "methods": _("How the figures are computed"),
        "page": _("Page"), "of": _("of"),
        "final_only": _("Final figures only; small groups withheld to protect privacy."),
    }


def report_card_html(card: ReportCard) -> str:
    """The report card as one self-contained HTML page."""
    template = _environment().from_string(_file("report_card.html"))
    words = _words(card)
    sections = [{"section": s, "indicators": [
        {**vars(i), "chart": Markup(i.chart)} for i in s.indicators]} for s in card.results]
    context: dict[str, Any] = {"card": card, "w": words, "sections": sections,
                               "methods": methods(card), "css": Markup(_file("report_card.css"))}
    draft = template.render(**context, fonts={k: "" for k in FONTS})
    characters = "".join(sorted(set(draft) | set(BASE_CHARACTERS)))
    fonts = {k: font_subset(v, characters) for k, v in FONTS.items()}
    return template.render(**context, fonts=fonts)
