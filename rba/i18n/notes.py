"""Words for the notes of a curve's summary (the codes of rba.calc.notes), in two registers.

``note_words`` gives the terse wording `rba curve` and `rba scorecard` print (English there,
as they always have); ``chart_note_words`` the plain words a turn-the-curve chart shows its
reader, only for the notes about what the chart draws (the others are about the scorecard's
figures). Both are marked with ``N_`` and translated when asked for.
"""

from __future__ import annotations

from collections.abc import Iterable

from rba.i18n.catalogue import translations
from rba.i18n.languages import language
from rba.messages import N_

#: Each note code in words, as the CLI prints it.
NOTE_WORDS: dict[str, str] = {
    "no_history": N_("no actual in the history, so no forecast"),
    "one_point": N_("one point in the history: flat forecast, no interval"),
    "two_points": N_("two points in the history: the line through them, no interval"),
    "clipped_percent": N_("forecast or interval clipped to [0, 100] (percent)"),
    "clipped_zero": N_("forecast or interval clipped at 0 (counts and rates cannot be "
                       "negative)"),
    "zero_baseline": N_("baseline value is 0, so baseline % change is undefined"),
    "zero_target": N_("target is 0, so variance and percent of target are undefined; band by "
                      "direct comparison"),
    "log_fallback": N_("log_linear needs values above 0: used linear"),
    "holt_gaps": N_("holt needs a history without gaps: used linear"),
    "point_only_method": N_("this method gives no interval: status compares actuals with the "
                            "point forecast"),
    "frozen": N_("judged against a frozen baseline"),
    "rolled_up": N_("total rolled up from its parts in some periods"),
    "parts_disagree": N_("the parts of this count disagree with the given total in some "
                         "periods"),
    "progress_two_points": N_("progress needs actuals in two different periods"),
    "beyond_frozen": N_("actuals after the frozen baseline's last period have no status"),
    "zero_base_rate": N_("base value is 0, so the rate of progress without a target is "
                         "undefined"),
    "gaps_linear": N_("this method needs a history without gaps: used linear"),
    "auto_short": N_("too few points to choose a method by backtesting: used linear"),
    "auto_chose": N_("method chosen by backtesting on the history (least error among ETS, "
                     "Theta and their average)"),
}

#: What a reader of a turn-the-curve chart needs to know from a series' notes, in plain words.
CHART_NOTE_WORDS: dict[str, str] = {
    "no_history": N_("There are no figures before the baseline, so there is no forecast."),
    "one_point": N_("The forecast rests on a single figure: it stays flat and has no "
                    "prediction interval."),
    "two_points": N_("The forecast is the line through the only two figures, with no "
                     "prediction interval."),
    "clipped_percent": N_("The forecast or its interval is held between 0% and 100%."),
    "clipped_zero": N_("The forecast or its interval is held at 0: this figure cannot be "
                       "negative."),
    "log_fallback": N_("A log-linear trend needs figures above 0, so a linear trend is drawn "
                       "instead."),
    "holt_gaps": N_("Holt smoothing needs a figure for every period, so a linear trend is "
                    "drawn instead."),
    "point_only_method": N_("This method gives no prediction interval: each status compares "
                            "the actual with the forecast itself."),
    "rolled_up": N_("In some periods the total is the sum of its groups."),
    "parts_disagree": N_("In some periods the groups do not add up to the total given."),
    "beyond_frozen": N_("Figures after the agreed baseline's last period have no status."),
    "gaps_linear": N_("This method needs a figure for every period, so a linear trend is drawn "
                      "instead."),
    "auto_short": N_("There are too few figures to compare forecasting methods, so a linear "
                     "trend is drawn."),
    "auto_chose": N_("The forecast method was chosen by testing each candidate on this "
                     "series' own past: the one that missed by least."),
}


def note_words(codes: Iterable[str], lang: object = None) -> list[str]:
    """Each note in words, tersely ("one point in the history: flat forecast, no interval"),
    in a language (None: English); an unknown code is left as it is."""
    _ = translations(language(lang)).gettext
    return [_(NOTE_WORDS[code]) if code in NOTE_WORDS else str(code) for code in codes]


def chart_note_words(codes: Iterable[str], lang: object = None) -> list[str]:
    """The notes a reader of a series' chart needs, in plain words, in a language; notes
    about other figures than the chart's are left out."""
    _ = translations(language(lang)).gettext
    return [_(CHART_NOTE_WORDS[code]) for code in codes if code in CHART_NOTE_WORDS]
