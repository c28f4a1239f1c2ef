"""Open data: what the /api/v1 routes serve and `rba publish` writes, read-only.

Only published indicators and their final figures, small groups and the cells that would
reveal them withheld (rba.report.suppression), no person's name or e-mail address. The
tables are shaped in rba.report.open_data; the Data Package in rba.report.datapackage.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from rba.calc import CurveInputs
from rba.report import datapackage
from rba.report import open_data as shape
from rba.report.curves import CurveError, compute_indicator_curve
from rba.report.documents import curve_document
from rba.report.scorecard import published_inputs
from rba.services.exports import neutralised
from rba.services.scorecard import one_unit
from rba.store import published

__all__ = ["RESOURCES", "TITLE", "OpenData", "data_version", "indicator", "indicator_curve",
           "indicator_observations", "indicator_records", "indicators", "json_records",
           "open_data", "package_descriptor", "resource_csv", "result_records", "results",
           "write_package"]

RESOURCES = datapackage.RESOURCES
TITLE = "Collaborate PASadena: results, indicators and figures (open data)"
json_records = shape.json_records


def _published(session: Session, codes: list[str] | None = None
               ) -> tuple[CurveInputs, pd.DataFrame]:
    """The final figures of published indicators (``codes``: only these) and the table of
    those indicators (indicator, unit, min_n, dimensions...), in display order: read
    through the published view (rba.store.published), as every public read is."""
    table = published.indicator_table(session=session)
    if codes is not None:
        table = table[table["indicator"].isin(codes).to_numpy()]
    inputs = published.curve_inputs(session=session, codes=table["indicator"].tolist())
    return inputs, table.reset_index(drop=True)


def results(*, session: Session) -> pd.DataFrame:
    """The results in display order: RESULT_COLUMNS (names and descriptions in both
    languages, the owning team's short name and names)."""
    frame = published.result_descriptions(session=session).rename(columns={
        "team_slug": "team"})
    return frame[shape.RESULT_COLUMNS].reset_index(drop=True)


def indicators(*, session: Session) -> pd.DataFrame:
    """The published indicators in display order: INDICATOR_COLUMNS (names, definitions
    and sources in both languages, unit, polarity, frequency, dimensions, min_n)."""
    return shape.indicator_table(published.indicator_fields(session=session))


def indicator(*, session: Session, code: str) -> dict[str, Any] | None:
    """One published indicator as a record (its dimensions as a list), with its result's
    names; None when there is no such published indicator."""
    table = indicators(session=session)
    found = table[(table["indicator"] == code).to_numpy()]
    if found.empty:
        return None
    record = json_records(found)[0]
    record["dimensions"] = shape.declared(record["dimensions"])
    result = results(session=session).set_index("result").loc[record["result"]]
    record["result_name"], record["result_name_es"] = result["name"], result["name_es"]
    return record


def indicator_observations(*, session: Session, code: str) -> pd.DataFrame | None:
    """One published indicator's figures as a tidy table: period, one column per dimension
    it declares, value, numerator, denominator, withheld; None when there is no such
    published indicator."""
    inputs, table = _published(session, [code])
    if table.empty:
        return None
    names = shape.declared(str(table["dimensions"].iloc[0]))
    tidy = shape.tidy_observations(shape.published_cells(inputs, table), names)
    return shape.one_indicator(tidy, names)


def indicator_curve(*, session: Session, code: str) -> dict[str, Any] | None:
    """One published indicator's turn-the-curve document (as `rba curve --format json`
    prints it) computed from published figures only; None when there is no such published
    indicator. An indicator with no figures has no series."""
    inputs, table = _published(session, [code])
    if table.empty:
        return None
    public = one_unit(published_inputs(inputs, table))
    try:
        curve = compute_indicator_curve(
            public, code=code, declared=shape.declared(str(table["dimensions"].iloc[0])))
    except CurveError:
        return {"indicator": code, "series": []}
    return curve_document(curve)


def result_records(data: OpenData) -> list[dict[str, Any]]:
    """The results as JSON records, each with the codes of its published indicators."""
    indicators = data.tables["indicators"]
    records = json_records(data.tables["results"])
    for record in records:  # seven results
        record["indicators"] = indicators.loc[
            (indicators["result"] == record["result"]).to_numpy(), "indicator"].tolist()
    return records


def indicator_records(data: OpenData) -> list[dict[str, Any]]:
    """The published indicators as JSON records, dimensions as a list."""
    records = json_records(data.tables["indicators"])
    for record in records:
        record["dimensions"] = shape.declared(record["dimensions"])
    return records


@dataclass(frozen=True)
class OpenData:
    """Everything published, as the package's tables."""

    tables: dict[str, pd.DataFrame]  # resource name -> table, in RESOURCES order
    dimensions: list[str]  # every dimension column, in order
    data_version: int
    modified: dt.datetime | None  # when the data last changed (UTC)


def open_data(*, session: Session) -> OpenData:
    """Read and shape everything published: results, indicators, dimension labels,
    observations, targets and agreed baselines."""
    inputs, table = _published(session)
    order = table["indicator"].tolist()
    names = shape.all_dimensions(table)
    public = one_unit(published_inputs(inputs, table))
    labels = published.dimension_labels(session=session)
    labels = labels[labels["dimension"].isin(names).to_numpy()]
    tables = {
        "results": results(session=session),
        "indicators": indicators(session=session),
        "dimensions": labels[shape.DIMENSION_COLUMNS].astype(object).reset_index(drop=True),
        "observations": shape.tidy_observations(shape.published_cells(inputs, table), names,
                                                order),
        "targets": shape.targets_table(public, names, order),
        "baselines": shape.baselines_table(public, names, order),
    }
    version, modified = data_version(session=session)
    return OpenData(tables, names, version, modified)


def data_version(*, session: Session) -> tuple[int, dt.datetime | None]:
    """The data version of what is published, and when the data last changed (UTC; None
    for an empty store): what responses' ETag and Last-Modified are made of."""
    return (published.data_version(session=session),
            published.data_changed_at(session=session))


def package_descriptor(data: OpenData, paths: dict[str, str] | None = None
                       ) -> dict[str, Any]:
    """The datapackage.json descriptor (``paths``: where each resource is; default
    ``NAME.csv`` beside it)."""
    paths = paths or {name: f"{name}.csv" for name in RESOURCES}
    modified = None if data.modified is None else data.modified.isoformat()
    return datapackage.descriptor(data.tables, data.dimensions, paths=paths, title=TITLE,
                                  modified=modified, data_version=data.data_version)


def resource_csv(frame: pd.DataFrame) -> str:
    """A table as the CSV text of its resource (text a spreadsheet would run as a formula
    neutralised, as every written file has it)."""
    return datapackage.csv_text(neutralised(frame))


def write_package(*, session: Session, folder: Path) -> dict[str, int]:
    """Write the Data Package to ``folder`` (made if missing): datapackage.json and one
    CSV per resource. Returns the rows written per resource."""
    data = open_data(session=session)
    folder.mkdir(parents=True, exist_ok=True)
    for name in RESOURCES:
        (folder / f"{name}.csv").write_text(resource_csv(data.tables[name]), encoding="utf-8")
    (folder / "datapackage.json").write_text(
        json.dumps(package_descriptor(data), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")
    return {name: len(data.tables[name]) for name in RESOURCES}
