"""Equity: for every disaggregated indicator, how far each group is from its parent (the
total, or e.g. Altadena for the student groups within Altadena) and from the best group
beside it, period by period, and whether that gap is narrowing or widening. Every level is
compared (rba.calc.equity_gaps): a group of two dimensions along each of them.

Only what may be published is used: every level missing from the data (totals,
subtotals) is first rolled up from all its parts
(rba.report.scorecard.with_rolled_up_levels), then small and complementary cells are
suppressed (rba.report.suppression), and the gaps are computed from the published cells
alone, so neither a gap nor "the best group" can reveal a suppressed figure. Suppressed
cells are listed without their figures.

A group that is the only one of its kind published in a period has no gap to the best
there: compared with nothing, it is not "the best group".

Verdicts (from rba.calc.gap_trends, the OLS slope of |gap to best| over a group's last
`last_n` periods with a gap): narrowing (slope < 0), widening (> 0), steady (= 0, e.g. a
group that is always the best) and unknown (fewer than two periods).

A store can hold thousands of disaggregated indicators, too many to draw at once:
`equity_results` lists the results that have any (cheaply, computing nothing) and
`equity_report(result=..., indicators=...)` computes one result's, or some of its
indicators'. Suppression and gaps are per indicator, so those figures and verdicts are the
same as the whole report's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rba.calc import CurveInputs, equity_gaps, gap_trends
from rba.dimensions import TOTAL_KEY, split_dimension_names
from rba.i18n import (
    MISSING,
    format_currency,
    format_number,
    format_period,
    format_value,
    is_missing,
    label,
    label_map,
    language,
    localized_column,
    series_label,
    translator,
)
from rba.report.scorecard import with_rolled_up_levels
from rba.report.suppression import suppress

OBSERVED = ["series", "indicator", "dimensions", "period", "ordinal", "value", "numerator",
            "denominator"]
GAP_COLUMNS = ["indicator", "series", "dimensions", "group_set", "along", "within", "period",
               "ordinal", "value", "total", "gap_to_total", "best_dimensions", "best_value",
               "gap_to_best", "behind_total", "behind_best"]
TREND_COLUMNS = ["indicator", "series", "dimensions", "group_set", "along", "within",
                 "latest_period", "latest_value", "latest_total", "gap_to_total", "gap_to_best",
                 "behind_total", "behind_best", "is_best", "periods_used", "gap_slope_per_year",
                 "verdict"]
WITHHELD_COLUMNS = ["indicator", "period", "dimensions", "suppression"]
RESULT_COLUMNS = ["result", "name", "name_es", "number", "indicators"]


@dataclass(frozen=True)
class EquityReport:
    """Published gaps per group and period, a verdict per group, and what was withheld."""

    #: One row per published group, dimension compared along and period: GAP_COLUMNS (gaps
    #: in the unit: percentage points for percents; behind_* positive where the group is
    #: worse, after polarity). total (the parent's value, the parent named by ``within``) is
    #: blank where the parent itself is withheld.
    gaps: pd.DataFrame
    #: One row per group series and dimension compared along: TREND_COLUMNS, the latest
    #: published period's figures and the verdict (narrowing, widening, steady, unknown).
    trends: pd.DataFrame
    #: Cells withheld from publication, without figures: WITHHELD_COLUMNS.
    withheld: pd.DataFrame
    #: The disaggregated indicators: calc's indicator columns plus name, name_es,
    #: dimension_names and min_n, in display order.
    indicators: pd.DataFrame


def verdicts(slope: pd.Series) -> np.ndarray:
    """narrowing / widening / steady / unknown from the slope of |gap to best| per year."""
    value = pd.to_numeric(slope, errors="coerce").to_numpy(dtype=float)
    return np.select([np.isnan(value), value < 0, value > 0],
                     ["unknown", "narrowing", "widening"], "steady").astype(object)


def without_lone_groups(gaps: pd.DataFrame) -> pd.DataFrame:
    """The gaps with no best group where a group is the only one of its kind published that
    period (the others withheld or not reported): compared with nothing, it is not "the
    best", so its gap to the best is blank there (and left out of its verdict)."""
    alone = (gaps.groupby(["indicator", "group_set", "ordinal"], sort=False)["series"]
             .transform("size").to_numpy() < 2)
    if not alone.any():
        return gaps
    out = gaps.copy()
    for column in ("best_value", "gap_to_best", "behind_best"):
        out[column] = out[column].where(~alone, np.nan)
    for column in ("best_series", "best_dimensions"):
        out[column] = out[column].astype(object).where(~alone, None)
    return out


def group_set_rank(indicator: pd.Series, group_set: pd.Series, indicators: pd.DataFrame
                   ) -> np.ndarray:
    """Where each kind of group comes in its indicator's declared dimensions ("student_group,
    city": student groups first, then cities, then any combination of them); 0 for all where
    the indicators carry no dimension_names."""
    if "dimension_names" not in indicators:
        return np.zeros(len(group_set), dtype=int)
    declared = {code: {n.strip(): i for i, n in enumerate(str(names or "").split(","))}
                for code, names in zip(indicators["indicator"], indicators["dimension_names"],
                                       strict=True)}
    ranks = []
    for code, kind in zip(indicator, group_set.astype(str), strict=True):
        rank, parts = declared.get(code, {}), kind.split(",")
        first = min(rank.get(d, len(rank)) for d in parts)
        ranks.append(first if len(parts) == 1 else len(rank) * len(parts) + first)
    return np.array(ranks, dtype=int)


def equity_tables(observations: pd.DataFrame, indicators: pd.DataFrame, last_n: int = 5
                  ) -> EquityReport:
    """The equity report from calc-contract frames.

    `observations`: series, indicator, dimensions, period, ordinal, value, numerator,
    denominator. `indicators`: calc's indicator columns plus min_n (and, for the page,
    name, name_es, dimensions). Only indicators with group rows are reported.
    """
    grouped = observations["dimensions"].astype(str) != TOTAL_KEY
    codes = pd.unique(observations.loc[grouped.to_numpy(), "indicator"])
    ind = indicators[indicators["indicator"].isin(codes)].reset_index(drop=True)
    calc_ind = ind.drop(columns=[c for c in ("dimensions", "name", "name_es") if c in ind])
    obs = observations[observations["indicator"].isin(codes)][OBSERVED]
    if obs.empty:
        empty = EquityReport(pd.DataFrame(columns=GAP_COLUMNS),
                             pd.DataFrame(columns=TREND_COLUMNS),
                             pd.DataFrame(columns=WITHHELD_COLUMNS), ind)
        return empty
    # As the scorecard does, so the pages agree on what is withheld.
    combined = with_rolled_up_levels(obs, calc_ind)
    checked = suppress(combined, ind[["indicator", "unit", "min_n"]])
    order = {code: i for i, code in enumerate(ind["indicator"])}
    withheld = checked[checked["suppressed"].to_numpy()]
    withheld = withheld.assign(_o=withheld["indicator"].map(order)).sort_values(
        ["_o", "ordinal", "dimensions"], kind="stable")[WITHHELD_COLUMNS]
    shown = checked[~checked["suppressed"].to_numpy() & checked["value"].notna().to_numpy()]
    shown = shown.sort_values(["series", "ordinal"], kind="stable").reset_index(drop=True)
    gaps = equity_gaps(shown[OBSERVED], calc_ind)
    for column in ("indicator", "dimensions", "group_set", "along", "within",
                   "best_dimensions"):
        gaps[column] = gaps[column].astype(object)
    gaps = without_lone_groups(gaps)
    trends = gap_trends(gaps, calc_ind, last_n=last_n)
    latest = gaps.sort_values(["series", "along", "ordinal"]).drop_duplicates(
        ["series", "along"], keep="last")
    latest = latest.set_index(["series", "along"])
    out = pd.DataFrame({"series": trends["series"].to_numpy(dtype=object),
                        "along": trends["along"].to_numpy(dtype=object)})
    out["indicator"] = trends["indicator"].astype(object).to_numpy()
    out["dimensions"] = trends["dimensions"].astype(object).to_numpy()
    out["within"] = trends["within"].astype(object).to_numpy()
    mine = pd.MultiIndex.from_frame(out[["series", "along"]])
    for column, source in (("group_set", "group_set"), ("latest_period", "period"),
                           ("latest_value", "value"), ("latest_total", "total"),
                           ("gap_to_total", "gap_to_total"), ("gap_to_best", "gap_to_best"),
                           ("behind_total", "behind_total"), ("behind_best", "behind_best"),
                           ("_best", "best_series")):
        out[column] = latest[source].astype(object).reindex(mine).to_numpy()
    out["is_best"] = (out["_best"] == out["series"]).to_numpy()
    out["periods_used"] = trends["periods_used"].to_numpy()
    out["gap_slope_per_year"] = trends["gap_slope_per_year"].to_numpy(dtype=float)
    out["verdict"] = verdicts(out["gap_slope_per_year"])
    out = out.assign(_o=out["indicator"].map(order),
                     _k=group_set_rank(out["indicator"], out["group_set"], ind)).sort_values(
        ["_o", "_k", "group_set", "within", "dimensions", "along"], kind="stable")
    return EquityReport(gaps[GAP_COLUMNS].reset_index(drop=True),
                        out[TREND_COLUMNS].reset_index(drop=True),
                        withheld.reset_index(drop=True), ind)


def disaggregated_indicators(table: pd.DataFrame, grouped: list[str]) -> pd.DataFrame:
    """Published indicators declared by group that have figures by group, in display order.

    ``table``: indicator_table rows (published indicators); ``grouped``: the codes of the
    indicators with figures of a group. Columns: indicator_table's.
    """
    declared = table[table["dimensions"].fillna("").str.strip() != ""]
    return declared[declared["indicator"].isin(set(grouped))].reset_index(drop=True)


def equity_results(disaggregated: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """The results that have indicators reported by group, in display order.

    ``disaggregated``: disaggregated_indicators' frame; ``results``: result_table rows.
    Columns: result, name, name_es, number (the result's place among all results, from 1)
    and indicators (how many of its indicators are reported by group). Cheap: nothing is
    computed, so a page can offer the choice before drawing any result.
    """
    counts = disaggregated.groupby("result", sort=False).size()
    results = results.assign(number=range(1, len(results) + 1))
    out = results[results["result"].isin(counts.index)].copy()
    out["indicators"] = out["result"].map(counts).astype(int)
    return out[RESULT_COLUMNS].reset_index(drop=True)


def equity_report(inputs: CurveInputs, disaggregated: pd.DataFrame, last_n: int = 5
                  ) -> EquityReport:
    """The equity report of these disaggregated indicators (rows of
    disaggregated_indicators) from their curve inputs: the same figures and verdicts as
    the whole report has for them, whichever others are left out."""
    codes = disaggregated["indicator"].tolist()
    meta = inputs.indicators.merge(
        disaggregated[["indicator", "name", "name_es", "dimensions", "min_n"]].rename(
            columns={"dimensions": "dimension_names"}), on="indicator")
    meta = meta.set_index("indicator").loc[
        [c for c in codes if c in set(meta["indicator"])]].reset_index()
    return equity_tables(inputs.observations, meta, last_n=last_n)


def gap_size(value: Any, unit: str, lang: str = "en") -> str:
    """A gap's size without a sign, in the unit's numbers: "15.0" (points), "$500", "3"."""
    if is_missing(value):
        return MISSING
    size = abs(float(value))
    if unit == "currency":
        return format_currency(size, lang)
    return format_number(size, lang, 0 if unit == "count" else 1)


def behind_total_words(value: Any, unit: str, lang: str = "en") -> str:
    """Where a group stands against the total, after polarity: "4.0 behind", "2.0 ahead"."""
    _ = translator(lang)
    size = gap_size(value, unit, lang)
    if size == MISSING:
        return MISSING
    if size == gap_size(0, unit, lang):
        # Translators: a group's figure equals the total's (a cell under "Against the total").
        return _("the same")
    # Translators: {gap} is a distance in the indicator's unit, e.g. "4.0 behind" (worse).
    words = _("{gap} behind") if float(value) > 0 else _("{gap} ahead")
    return words.format(gap=size)


def behind_best_words(value: Any, is_best: bool, unit: str, lang: str = "en") -> str:
    """How far a group is behind the best group: "15.0", or "Best group" for the best."""
    _ = translator(lang)
    return _("Best group") if is_best else gap_size(value, unit, lang)


def display_trends(report: EquityReport, labels: pd.DataFrame, lang: str = "en"
                   ) -> pd.DataFrame:
    """The verdict table as text in a language: indicator, group, latest figures, verdict.

    Both gaps read the same way for every indicator, whichever way is good: how far the
    group is *behind* (the total, the best group), never a signed difference of values.
    `labels` is rba.store.queries.dimension_labels.
    """
    _ = translator(lang)
    names = report.indicators.set_index("indicator")
    mapping = label_map(labels, lang)
    trends = report.trends
    unit = trends["indicator"].map(names["unit"])
    per = trends["indicator"].map(names["per"])
    freq = trends["indicator"].map(names["frequency"])
    indicator_names = localized_column(names.reset_index(), "name", lang)
    indicator_names.index = names.index
    out = pd.DataFrame(index=trends.index)
    out[_("Indicator")] = trends["indicator"].map(indicator_names)
    declared = trends["indicator"].map(names["dimension_names"]).map(split_dimension_names) \
        if "dimension_names" in names else pd.Series([[]] * len(trends), index=trends.index)
    out[_("Group")] = [series_label(d, mapping, order, lang=language(lang))
                       for d, order in zip(trends["dimensions"], declared, strict=True)]
    out[_("Period")] = [format_period(p, f, lang) for p, f in zip(
        trends["latest_period"], freq, strict=True)]
    out[_("Value")] = [format_value(v, u, p, lang) for v, u, p in zip(
        trends["latest_value"], unit, per, strict=True)]
    # Compared within the group this one is compared with: the total, or e.g. Altadena for
    # the student groups within Altadena.
    out[_("Compared within")] = [series_label(w, mapping, order, lang=language(lang))
                                 for w, order in zip(trends["within"], declared, strict=True)]
    out[_("Against the total")] = [behind_total_words(v, u, lang) for v, u in zip(
        trends["behind_total"], unit, strict=True)]
    out[_("Behind the best group")] = [behind_best_words(v, b, u, lang) for v, b, u in zip(
        trends["behind_best"], trends["is_best"], unit, strict=True)]
    out[_("Over time")] = [label("gap_trend", v, lang) for v in trends["verdict"]]
    return out
