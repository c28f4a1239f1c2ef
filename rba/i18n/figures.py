"""The words beside a series' figures, in a language: the verdict, the latest change, the
change since the first figure, progress towards the target and the target colour.

One wording for the scorecard cards (dashboards/components) and the annual report card
(rba.report.report_card), so a council member reads the same sentence in both. Each
function takes a scorecard row (rba.report.scorecard: verdict, trend_direction, ...,
plus unit, per, polarity and frequency) and a language.
"""

from __future__ import annotations

from typing import Any

from rba.i18n import (
    format_percent,
    format_period,
    format_value,
    is_missing,
    label,
    plural_translator,
    translator,
)
from rba.messages import N_

#: The turn-the-curve verdict's symbols (rba.calc.verdict), beside its words.
BASELINE_SYMBOLS = {"better_than_baseline": "▲", "on_baseline": "≈",
                    "worse_than_baseline": "▼", "no_baseline": "○", "not_enough_data": "…"}
#: Which way the figure moves, by (trend direction, polarity sign).
TREND_ARROWS = {("improving", 1): "↑", ("improving", -1): "↓", ("worsening", 1): "↓",
                ("worsening", -1): "↑", ("flat", 1): "→", ("flat", -1): "→"}
BAND_SYMBOLS = {"green": "✓", "yellow": "≈", "red": "✗"}
BAND_NAMES = {"green": N_("Green"), "yellow": N_("Yellow"), "red": N_("Red")}
JUDGED = ("better_than_baseline", "on_baseline", "worse_than_baseline")


def verdict_code(row: Any) -> str:
    """The row's verdict code (not_enough_data where blank)."""
    code = row.get("verdict")
    return "not_enough_data" if is_missing(code) else str(code)


def verdict_words(row: Any, lang: str) -> str:
    """The verdict in words: "Better than its baseline"."""
    return label("verdict", verdict_code(row), lang)


def verdict_detail(row: Any, lang: str) -> str:
    """What the verdict judged against what (the agreed baseline or a forecast fitted now)
    and for how long; "" where there is nothing to add."""
    _, ngettext = translator(lang), plural_translator(lang)
    code = verdict_code(row)
    if code in JUDGED:
        when = format_period(row.get("verdict_period"), row.get("frequency"), lang)
        n = 0 if is_missing(row.get("verdict_periods")) else int(row["verdict_periods"])
        if row.get("verdict_basis") == "agreed":
            return ngettext(
                "{period} against the agreed baseline",
                "{period} against the agreed baseline · {n} periods in a row", n).format(
                period=when, n=n)
        return _("{period} against a forecast fitted now on the figures before it "
                 "(no baseline agreed yet)").format(period=when)
    if code == "not_enough_data" and row.get("verdict_basis") == "agreed":
        return _("No figure yet after the agreed baseline's history")
    if code == "no_baseline":
        return _("Fewer than four figures: too few to fit a forecast")
    return ""


def trend_words(row: Any, lang: str) -> str:
    """The latest change: an arrow for which way the figure moves, then good or bad and for
    how many periods ("↑ Improving · 3 periods")."""
    ngettext = plural_translator(lang)
    direction = row.get("trend_direction")
    if is_missing(direction) or direction == "none":
        return label("trend", "none", lang)
    sign = -1 if row.get("polarity") == "down" else 1
    arrow = TREND_ARROWS.get((str(direction), sign), "")
    n = 0 if is_missing(row.get("trend_periods")) else int(row["trend_periods"])
    count = ngettext("{n} period", "{n} periods", n).format(n=n)
    return f"{arrow} {label('trend', direction, lang)} · {count}".strip()


def change_words(row: Any, lang: str) -> str:
    """The change since the baseline value, saying which value that is, and good or bad."""
    _ = translator(lang)
    change = row["baseline_pct_change"]
    if is_missing(change):
        return _("No change to measure yet")
    text = ("+" if change > 0 else "") + format_percent(change, lang)
    better = (change >= 0) == (row["polarity"] != "down") or change == 0
    if row.get("baseline_value_from") == "set_by_hand":
        words = (_("{change} against the baseline value set by hand (better)") if better
                 else _("{change} against the baseline value set by hand (worse)"))
        return words.format(change=text)
    words = (_("{change} since {period} (first figure), better") if better
             else _("{change} since {period} (first figure), worse"))
    return words.format(change=text,
                        period=format_period(row.get("first_period"), row["frequency"], lang))


def progress_words(row: Any, lang: str) -> str:
    """Progress towards the target (or, without one, the pace since the first figure)."""
    _ = translator(lang)
    progress = row["progress_status"]
    if is_missing(progress):
        return _("No progress measure yet")
    words = label("progress", progress, lang)
    if is_missing(row.get("target")):
        return _("Pace since the first figure: {words}").format(words=words)
    return _("Progress towards the {period} target: {words}").format(
        period=format_period(row.get("target_period"), row["frequency"], lang), words=words)


def target_words(row: Any, lang: str) -> str:
    """What the target colour compares: the latest figure with the target."""
    _ = translator(lang)
    if is_missing(row.get("target")):
        return _("Target:")
    return _("Latest figure against the target of {target}:").format(
        target=format_value(row["target"], row["unit"], row.get("per"), lang))


def band_words(band: Any, lang: str) -> str:
    """The target colour named and explained: "✓ Green: At or better than target"."""
    _ = translator(lang)
    if is_missing(band) or band not in BAND_NAMES:
        return _("No target")
    meaning = label("band", band, lang)
    return f"{BAND_SYMBOLS[band]} {_(BAND_NAMES[str(band)])}: {meaning}"
