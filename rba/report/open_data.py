"""Open data: what is published as tidy tables, shaped from published figures (pure).

The tables of the /api/v1 routes and of `rba publish`: results, indicators, dimension
labels, observations, targets and agreed baselines. An observation's dimensions become one
column each (blank: all groups of that dimension, as the import format reads it), and a
cell withheld to protect a small group keeps its row with its figures blank and the reason
in ``withheld``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rba.calc import CurveInputs
from rba.dimensions import parse_dimension_key, split_dimension_names
from rba.periods import labels_from_ordinals
from rba.report.curves import key_depth
from rba.report.scorecard import with_rolled_up_levels
from rba.report.suppression import COMPLEMENTARY, SMALL_GROUP, suppress

#: Why a cell is withheld, in the words of the ``withheld`` column.
WITHHELD_WORDS = {SMALL_GROUP: "small group",
                  COMPLEMENTARY: "would reveal a small group"}
FIGURES = ["value", "numerator", "denominator"]
#: Figures are published to this many decimals, so CSV and JSON carry the same numbers.
DECIMALS = 8
RESULT_COLUMNS = ["result", "name", "name_es", "description", "description_es", "team",
                  "team_name", "team_name_es"]
INDICATOR_COLUMNS = ["indicator", "result", "name", "name_es", "definition",
                     "definition_es", "technical_definition", "technical_definition_es",
                     "unit", "per", "polarity", "frequency", "kind", "source", "source_es",
                     "dimensions", "min_n"]
DIMENSION_COLUMNS = ["dimension", "value", "label", "label_es"]
BASELINE_FIGURES = ["forecast", "lower", "upper"]


def published_cells(inputs: CurveInputs, table: pd.DataFrame) -> pd.DataFrame:
    """Every cell of the published indicators, levels rolled up from all their parts
    included, as rba.report.suppression.suppress marks them (``suppressed``,
    ``suppression``): the same cells rba.report.scorecard.published_inputs keeps.

    ``table`` lists the published indicators (indicator, unit, min_n).
    """
    shown = inputs.observations["indicator"].isin(table["indicator"]).to_numpy()
    cells = with_rolled_up_levels(inputs.observations[shown], inputs.indicators)
    return suppress(cells, table[["indicator", "unit", "min_n"]])


def dimension_columns(keys: pd.Series, names: list[str]) -> pd.DataFrame:
    """One column per dimension name: each key's value of it, None where the key leaves it
    out (all its groups)."""
    uniques = pd.unique(keys.astype(str).to_numpy(dtype=object))
    parsed = [parse_dimension_key(str(k)) for k in uniques]  # few distinct keys
    position = pd.Index(uniques).get_indexer(keys.astype(str).to_numpy(dtype=object))
    return pd.DataFrame({name: pd.Series([p.get(name) for p in parsed], dtype=object)
                         .to_numpy()[position] if len(keys) else [] for name in names},
                        index=keys.index, columns=names, dtype=object)


def rounded(values: pd.Series) -> pd.Series:
    """Figures as published: floats rounded to DECIMALS places."""
    return pd.to_numeric(values, errors="coerce").astype(float).round(DECIMALS)


def tidy_observations(cells: pd.DataFrame, names: list[str],
                      order: list[str] | None = None) -> pd.DataFrame:
    """The cells as a tidy table: indicator, period, one column per dimension in ``names``,
    value, numerator, denominator, withheld (why, in WITHHELD_WORDS; None: published).

    Cells with no figure and nothing withheld (a period nobody reported) are left out.
    Rows in ``order`` of indicators (else by code), then period, the total before groups.
    """
    withheld = cells["suppression"].map(WITHHELD_WORDS).astype(object)
    kept = cells[(cells["value"].notna() | withheld.notna()).to_numpy()]
    indicators = order if order is not None else sorted(pd.unique(kept["indicator"]))
    rank = pd.Series(range(len(indicators)), index=indicators, dtype="int64")
    kept = kept.assign(_rank=kept["indicator"].map(rank).to_numpy(),
                       _depth=key_depth(kept["dimensions"]),
                       _key=kept["dimensions"].astype(str))
    kept = kept.sort_values(["_rank", "ordinal", "_depth", "_key"], kind="stable")
    out = pd.concat([kept[["indicator", "period"]].astype(object),
                     dimension_columns(kept["dimensions"], names)], axis=1)
    for column in FIGURES:
        out[column] = rounded(kept[column]).to_numpy()
    out["withheld"] = withheld.loc[kept.index].where(lambda w: w.notna(), None)
    return out.reset_index(drop=True)


def one_indicator(tidy: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """One indicator's rows of `tidy_observations`: period, its own dimensions, figures,
    withheld."""
    return tidy[["period", *names, *FIGURES, "withheld"]].reset_index(drop=True)


def indicator_table(details: pd.DataFrame) -> pd.DataFrame:
    """The indicators resource: INDICATOR_COLUMNS, from the store's indicator fields."""
    out = details.rename(columns={"code": "indicator", "lay_definition": "definition",
                                  "lay_definition_es": "definition_es"})
    out["min_n"] = pd.to_numeric(out["min_n"], errors="coerce").astype("Int64")
    out["per"] = pd.to_numeric(out["per"], errors="coerce").astype(float)
    return out[INDICATOR_COLUMNS].reset_index(drop=True)


def declared(dimensions: object) -> list[str]:
    """An indicator's dimension names from its comma-separated ``dimensions`` (none when
    blank)."""
    return split_dimension_names(dimensions if isinstance(dimensions, str) else None)


def all_dimensions(indicators: pd.DataFrame) -> list[str]:
    """Every dimension any indicator declares, in order of first appearance."""
    names: dict[str, None] = {}
    for text in indicators["dimensions"].dropna().unique():  # a handful of distinct lists
        names.update(dict.fromkeys(declared(str(text))))
    return list(names)


def series_frame(inputs: CurveInputs, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (with a ``series`` column, ``indicator:{dimensions}``) with each series'
    indicator, dimensions and frequency, for the indicators of ``inputs`` only."""
    parts = frame["series"].astype(str).str.split(":", n=1)
    out = frame.assign(indicator=parts.str[0].astype(object),
                       dimensions=parts.str[1].astype(object))
    frequency = inputs.indicators.set_index("indicator")["frequency"]
    out = out[out["indicator"].isin(frequency.index).to_numpy()]
    return out.assign(frequency=out["indicator"].map(frequency).astype(object))


def _sorted(frame: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    rank = pd.Series(range(len(order)), index=order, dtype="int64")
    frame = frame.assign(_rank=frame["indicator"].map(rank).fillna(len(order)).to_numpy(),
                         _depth=key_depth(frame["dimensions"]),
                         _key=frame["dimensions"].astype(str))
    return frame.sort_values(["_rank", "_depth", "_key", "ordinal"], kind="stable")


def targets_table(inputs: CurveInputs, names: list[str], order: list[str]) -> pd.DataFrame:
    """The targets resource: indicator, period, dimensions..., target."""
    targets = _sorted(series_frame(inputs, inputs.targets), order)
    out = pd.concat([targets[["indicator", "period"]].astype(object),
                     dimension_columns(targets["dimensions"], names)], axis=1)
    out["target"] = rounded(targets["value"]).to_numpy()
    return out.reset_index(drop=True)


def baselines_table(inputs: CurveInputs, names: list[str], order: list[str]) -> pd.DataFrame:
    """The baselines resource: each agreed (frozen) baseline's forecast per period:
    indicator, period, dimensions..., forecast, lower, upper, method, level,
    history_through, baseline_value."""
    frozen = _sorted(series_frame(inputs, inputs.frozen), order)
    out = pd.concat([frozen[["indicator", "period"]].astype(object),
                     dimension_columns(frozen["dimensions"], names)], axis=1)
    for column in BASELINE_FIGURES:
        out[column] = rounded(frozen[column]).to_numpy()
    out["method"] = frozen["method"].astype(object).to_numpy()
    out["level"] = frozen["level"].astype(float).to_numpy()
    through = frozen["history_through_ordinal"].astype("int64")
    out["history_through"] = (labels_from_ordinals(through, frozen["frequency"].astype(object))
                              .to_numpy(dtype=object) if len(frozen) else [])
    out["baseline_value"] = rounded(frozen["baseline_value"]).to_numpy()
    return out.reset_index(drop=True)


def json_records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """A table's rows as JSON-ready records: blanks as None, numbers as Python numbers."""
    clean = frame.astype(object).where(frame.notna(), None)
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}
            for row in clean.to_dict("records")]
