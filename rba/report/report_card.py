"""The annual report card: what the partnership publishes each year for the council, the
board and the community (pure: frames in, a document of words out).

For one year: only final figures of published indicators whose period ends by 31 December
of that year (`figures_of_year`), small groups suppressed as on every public page. For each
result, its headline indicators (total series) with the turn-the-curve chart, the verdict,
the latest change, the change since the first figure and the target in the scorecard's
words (rba.i18n.figures), a summary of the story behind the curve (naming the result team,
never a person), then accomplishments (better than the baseline, targets met, equity gaps
narrowing) and areas where more work is needed (worse than the baseline, off track, gaps
widening, figures overdue or missing for the year), and the "Is anyone better off?"
measures of the programs aligned with it. `rba.report.report_card_html` writes it as HTML.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rba.calc import CurveInputs
from rba.dimensions import parse_dimension_key
from rba.i18n import (
    format_date,
    format_number,
    format_period,
    format_value,
    is_missing,
    label,
    label_map,
    localized,
    plural_translator,
    translator,
)
from rba.i18n.figures import (
    BASELINE_SYMBOLS,
    band_words,
    change_words,
    progress_words,
    target_words,
    trend_words,
    verdict_code,
    verdict_detail,
    verdict_words,
)
from rba.messages import N_, Message
from rba.periods import period_end_dates
from rba.refusals import Refusal
from rba.report.svg_chart import turn_the_curve_svg

PARTNERSHIP = "Collaborate PASadena"
#: Words of a story's summary: its first paragraph, cut at a sentence end past this many.
SUMMARY_WORDS = 60
OFF_TRACK = ("limited_progress", "deterioration")
#: The charts' drawing size: beside the figures, about 10 cm wide on a page.
CHART_WIDTH, CHART_HEIGHT = 470, 250


class ReportCardError(Refusal):
    """No report card can be made (a year without final figures); the message says why."""


def year_end(year: int) -> dt.date:
    """The last day a report card's figures may belong to: 31 December of the year."""
    return dt.date(year, 12, 31)


def figures_of_year(inputs: CurveInputs, status: pd.DataFrame, year: int) -> CurveInputs:
    """The inputs with only final figures of periods ending by 31 December ``year``.

    ``status``: rba.store.figures.figure_status rows (indicator, dimensions, period,
    status). A figure without a status row, or provisional, is left out; so are targets
    and frozen baselines of series left without figures.
    """
    obs = inputs.observations
    final = status[(status["status"] == "final").to_numpy()]
    keys = pd.MultiIndex.from_frame(final[["indicator", "dimensions", "period"]].astype(str))
    is_final = pd.MultiIndex.from_frame(
        obs[["indicator", "dimensions", "period"]].astype(str)).isin(keys)
    frequency = obs["indicator"].map(inputs.indicators.set_index("indicator")["frequency"])
    ends = period_end_dates(obs["period"].astype(str), frequency.astype(str)) if len(obs) \
        else pd.Series(dtype="datetime64[s]")
    kept = obs[is_final & (ends <= pd.Timestamp(year_end(year))).to_numpy()]
    shown = kept["series"].unique()
    frozen, targets = inputs.frozen, inputs.targets
    return dataclasses.replace(
        inputs, observations=kept.reset_index(drop=True),
        frozen=frozen[frozen["series"].isin(shown).to_numpy()].reset_index(drop=True),
        targets=targets[targets["series"].isin(shown).to_numpy()].reset_index(drop=True))


def _final(inputs: CurveInputs, status: pd.DataFrame) -> pd.DataFrame:
    """The status rows of the final figures among the inputs' observations."""
    final = status[(status["status"] == "final").to_numpy()]
    keys = pd.MultiIndex.from_frame(inputs.observations[["indicator", "dimensions",
                                                         "period"]].astype(str))
    return final[pd.MultiIndex.from_frame(final[["indicator", "dimensions", "period"]]
                                          .astype(str)).isin(keys)]


def final_years(inputs: CurveInputs, status: pd.DataFrame) -> list[int]:
    """The years some final figure of the inputs ends in (the years a report card can be
    made for), in order."""
    final = _final(inputs, status)
    if final.empty:
        return []
    frequency = final["indicator"].map(inputs.indicators.set_index("indicator")["frequency"])
    ends = period_end_dates(final["period"].astype(str), frequency.astype(str))
    return sorted({int(y) for y in ends.dt.year.dropna()})


def fullest_year(inputs: CurveInputs, status: pd.DataFrame) -> int | None:
    """The latest year in which the most headline indicators have a final figure of their
    total (the report card to offer first); None without any."""
    obs = inputs.observations
    kinds = inputs.indicators.set_index("indicator")
    totals = obs[(obs["dimensions"] == "{}").to_numpy()
                 & (obs["indicator"].map(kinds["kind"]) == "headline").to_numpy()]
    final = _final(dataclasses.replace(inputs, observations=totals), status)
    if final.empty:
        return None
    ends = period_end_dates(final["period"].astype(str),
                            final["indicator"].map(kinds["frequency"]).astype(str))
    counts = final.assign(year=ends.dt.year.to_numpy()).groupby("year")["indicator"].nunique()
    return int(counts[counts == counts.max()].index.max())


def latest_entry(inputs: CurveInputs, status: pd.DataFrame) -> dt.date | None:
    """The latest day a figure among the inputs' observations was entered or changed."""
    final = _final(inputs, status)
    if final.empty:
        return None
    return pd.Timestamp(final["entered_at"].max()).date()


def in_year(periods: pd.Series, frequencies: pd.Series, year: int) -> np.ndarray:
    """Whether each period ends within ``year`` (its figures are that year's)."""
    if not len(periods):
        return np.zeros(0, dtype=bool)
    ends = period_end_dates(periods.astype(str), frequencies.astype(str))
    return (ends.dt.year == year).to_numpy()


def no_figures(year: int, years: list[int]) -> ReportCardError:
    """The refusal for a year without final figures, naming the years that have some."""
    if not years:
        return ReportCardError(Message(N_(
            "No final figures for {year}: the store has no final figures of published "
            "indicators yet."), year=year))
    return ReportCardError(Message(N_(
        "No final figures for {year}. Report cards can be made for {first} to {last}."),
        year=year, first=min(years), last=max(years)))


@dataclass(frozen=True)
class IndicatorCard:
    """One headline indicator as the report card shows it, in words."""

    code: str
    name: str
    definition: str
    latest: str  # "45.0% in School year 2023-24", or that there is no figure for the year
    verdict: str  # "▲ Better than its baseline"
    verdict_code: str
    verdict_detail: str
    facts: list[tuple[str, str]]  # (what, words): latest change, since first, progress...
    chart: str  # inline SVG
    story: str  # the summary of the story behind the curve ("" if none)
    story_source: str  # "From the Early Childhood result team, October 15, 2025"


@dataclass(frozen=True)
class ResultSection:
    """One result: its headline indicators, what went well, what needs work, programs."""

    number: int
    code: str
    name: str
    team: str
    better: int
    headline: int
    indicators: list[IndicatorCard]
    accomplishments: list[str]
    more_work: list[str]
    better_off: list[tuple[str, str, str]]  # (program, measure, figure and trend)


@dataclass(frozen=True)
class ReportCard:
    """The whole document in one language."""

    year: int
    lang: str
    partnership: str
    as_of: str
    better: int
    headline: int
    results: list[ResultSection] = field(default_factory=list)


@dataclass(frozen=True)
class ReportCardFrames:
    """What a report card is built from (the service reads and computes these)."""

    year: int
    summary: pd.DataFrame  # scorecard rows of the year's public figures, with name, name_es
    rows: pd.DataFrame  # curve rows of the headline totals
    results: pd.DataFrame  # result_descriptions
    definitions: pd.DataFrame  # indicator, lay_definition, lay_definition_es
    stories: pd.DataFrame  # latest_stories
    gaps: pd.DataFrame  # equity trends (rba.report.equity) of the year's figures
    labels: pd.DataFrame  # dimension labels
    better_off: pd.DataFrame  # result, program names, measure names, summary figures
    as_of: dt.date | None  # the latest date a figure shown was entered or changed


def story_summary(text: Any, words: int = SUMMARY_WORDS) -> str:
    """A story's first paragraph, cut after the first sentence that passes ``words``."""
    if is_missing(text) or not str(text).strip():
        return ""
    first = re.split(r"\n\s*\n", str(text).strip())[0]
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(first.split()))
    out: list[str] = []
    for sentence in sentences:
        out.append(sentence)
        if len(" ".join(out).split()) >= words:
            break
    summary = " ".join(out)
    if len(summary.split()) > words * 2:  # one very long sentence
        summary = " ".join(summary.split()[:words]) + " …"
    return summary


def _story(frames: ReportCardFrames, code: str, team: str, lang: str) -> tuple[str, str]:
    _ = translator(lang)
    found = frames.stories[(frames.stories["indicator"] == code).to_numpy()]
    if found.empty:
        return "", ""
    record = found.iloc[0]
    summary = story_summary(localized(record, "story_behind_the_curve", lang))
    if not summary:
        return "", ""
    when = format_date(record["saved_at"], lang)
    # Credited to the result team, never to the person who saved it.
    source = (_("Saved by the {team}, {date}").format(team=team, date=when) if team
              else _("Saved by the result team, {date}").format(date=when))
    return summary, source


def _card(frames: ReportCardFrames, row: pd.Series, team: str, lang: str) -> IndicatorCard:
    _ = translator(lang)
    code, name = str(row["indicator"]), str(localized(row, "name", lang))
    about = frames.definitions[(frames.definitions["indicator"] == code).to_numpy()]
    definition = localized(about.iloc[0], "lay_definition", lang) if len(about) else ""
    unit, per, frequency = row["unit"], row.get("per"), row["frequency"]
    if is_missing(row["latest_value"]):
        latest = _("No final figure yet")
    else:
        latest = _("{value} in {period}").format(
            value=format_value(row["latest_value"], unit, per, lang),
            period=format_period(row["latest_period"], frequency, lang))
    code_v = verdict_code(row)
    rows = frames.rows[(frames.rows["series"] == row["series"]).to_numpy()] \
        if "series" in row else frames.rows.iloc[0:0]
    chart = turn_the_curve_svg(rows, title=name, unit=unit, per=per, frequency=frequency,
                               lang=lang, width=CHART_WIDTH, height=CHART_HEIGHT)
    story, source = _story(frames, code, team, lang)
    # The change and the progress say what they compare themselves.
    facts = [(_("Latest change:"), trend_words(row, lang)), ("", change_words(row, lang)),
             ("", progress_words(row, lang)),
             (target_words(row, lang), band_words(row.get("target_band"), lang))]
    return IndicatorCard(code, name, "" if is_missing(definition) else str(definition),
                         latest, f"{BASELINE_SYMBOLS[code_v]} {verdict_words(row, lang)}",
                         code_v, verdict_detail(row, lang), facts, chart, story, source)


def group_words(keys: list[str], mapping: dict[tuple[str, str | None], str]) -> list[str]:
    """Groups of one dimension each named once per kind: "City: Altadena, Pasadena"."""
    by_dimension: dict[str, list[str]] = {}
    for key in keys:
        for dimension, value in parse_dimension_key(key).items():
            by_dimension.setdefault(dimension, []).append(mapping.get((dimension, value),
                                                                      value))
    return [f"{mapping.get((d, None), d)}: {', '.join(dict.fromkeys(values))}"
            for d, values in by_dimension.items()]


def _gap_groups(frames: ReportCardFrames, code: str, verdict: str, lang: str) -> list[str]:
    """The groups (compared with the total) whose gap to the best group is ``verdict``."""
    gaps = frames.gaps
    if gaps.empty:
        return []
    mine = gaps[(gaps["indicator"] == code).to_numpy() & (gaps["within"] == "{}").to_numpy()
                & (gaps["verdict"] == verdict).to_numpy()
                & ~gaps["is_best"].fillna(False).astype(bool).to_numpy()]
    return group_words([str(k) for k in mine["dimensions"]], label_map(frames.labels, lang))


def _judgements(frames: ReportCardFrames, row: pd.Series, lang: str
                ) -> tuple[list[str], list[str]]:
    """What went well and what needs more work for one headline indicator, in words."""
    _ = translator(lang)
    name, code = str(localized(row, "name", lang)), str(row["indicator"])
    good: list[str] = []
    work: list[str] = []
    period = format_period(row.get("verdict_period"), row["frequency"], lang)
    if row.get("verdict") == "better_than_baseline":
        good.append(_("{name}: better than its baseline in {period}.").format(
            name=name, period=period))
    if row.get("verdict") == "worse_than_baseline":
        work.append(_("{name}: worse than its baseline in {period}.").format(
            name=name, period=period))
    has_target = not is_missing(row.get("target"))
    target_period = format_period(row.get("target_period"), row["frequency"], lang)
    if has_target and (row.get("target_band") == "green"
                       or row.get("progress_status") == "target_achieved"):
        good.append(_("{name}: target of {target} met.").format(
            name=name, target=format_value(row["target"], row["unit"], row.get("per"), lang)))
    elif has_target and row.get("progress_status") in OFF_TRACK:
        work.append(_("{name}: off track for its {period} target ({progress}).").format(
            name=name, period=target_period,
            progress=label("progress", row["progress_status"], lang)))
    narrowing = _gap_groups(frames, code, "narrowing", lang)
    widening = _gap_groups(frames, code, "widening", lang)
    if narrowing:
        good.append(_("{name}: the gap to the best group is narrowing for {groups}.").format(
            name=name, groups="; ".join(narrowing)))
    if widening:
        work.append(_("{name}: the gap to the best group is widening for {groups}.").format(
            name=name, groups="; ".join(widening)))
    if is_missing(row["latest_value"]) or not in_year(
            pd.Series([row["latest_period"]]), pd.Series([row["frequency"]]), frames.year)[0]:
        work.append(_("{name}: no final figure for {year}.").format(name=name,
                                                                    year=frames.year))
    elif bool(row.get("overdue")) and not is_missing(row.get("overdue")):
        work.append(_("{name}: figures for {period} are overdue.").format(
            name=name, period=format_period(row["next_expected_period"], row["frequency"],
                                            lang)))
    return good, work


def _better_off(frames: ReportCardFrames, result: str, lang: str
                ) -> list[tuple[str, str, str]]:
    """The "Is anyone better off?" measures of the programs aligned with a result."""
    mine = frames.better_off[(frames.better_off["result"] == result).to_numpy()]
    out = []
    for _i, m in mine.iterrows():
        program = str(localized(m, "program_name", lang))
        measure = str(localized(m, "name", lang))
        if is_missing(m["latest_value"]):
            out.append((program, measure, translator(lang)("No final figure yet")))
            continue
        figure = "{value} ({period}) · {trend}".format(
            value=format_value(m["latest_value"], m["unit"], m.get("per"), lang),
            period=format_period(m["latest_period"], m["frequency"], lang),
            trend=trend_words(m, lang))
        out.append((program, measure, figure))
    return out


def report_card(frames: ReportCardFrames, lang: str = "en") -> ReportCard:
    """The report card of ``frames.year`` in a language."""
    totals = frames.summary[(frames.summary["dimensions"] == "{}").to_numpy()
                            & (frames.summary["kind"] == "headline").to_numpy()]
    sections = []
    for number, (_i, result) in enumerate(frames.results.iterrows(), start=1):
        code = result["result"]
        team = localized(result, "team_name", lang)
        team = "" if is_missing(team) else str(team)
        mine = totals[(totals["result"] == code).to_numpy()]
        cards, good, work = [], [], []
        for _j, row in mine.iterrows():
            cards.append(_card(frames, row, team, lang))
            g, w = _judgements(frames, row, lang)
            good.extend(g)
            work.extend(w)
        sections.append(ResultSection(
            number, str(code), str(localized(result, "name", lang)), team,
            int((mine["verdict"] == "better_than_baseline").sum()), len(mine), cards, good,
            work, _better_off(frames, str(code), lang)))
    return ReportCard(
        frames.year, lang, PARTNERSHIP,
        format_date(frames.as_of, lang) if frames.as_of is not None else "",
        sum(s.better for s in sections), sum(s.headline for s in sections), sections)


def better_count_words(card: ReportCard) -> str:
    """ "12 of 25 headline indicators doing better than their baseline"."""
    ngettext = plural_translator(card.lang)
    return ngettext("{n} of {m} headline indicator doing better than its baseline",
                    "{n} of {m} headline indicators doing better than their baseline",
                    card.headline).format(n=format_number(card.better, card.lang, 0),
                                          m=format_number(card.headline, card.lang, 0))
