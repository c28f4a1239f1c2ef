"""The open data as a Frictionless Data Package: a descriptor (datapackage.json) with a
Table Schema per resource, and each resource as CSV text (pure).

`rba publish DIR` writes the descriptor and the CSV files side by side (relative paths);
/api/v1/datapackage.json serves the same descriptor with each path the URL of its CSV.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from rba.report.open_data import WITHHELD_WORDS

#: The package's resources, in the order they are listed.
RESOURCES = ("results", "indicators", "dimensions", "observations", "targets", "baselines")
TITLES = {
    "results": "Results: conditions of well-being for children and families",
    "indicators": "Indicators: what each one measures, how and from which source",
    "dimensions": "Labels of the groups figures are broken down by",
    "observations": "Figures of each indicator by period and group (final figures only; "
                    "small groups withheld)",
    "targets": "Targets: the value wanted by a period",
    "baselines": "Agreed baselines: the forecast each figure is judged against",
}
#: What a blank dimension cell means.
ALL_GROUPS = "blank: all groups of this dimension (the total over it)"
FIELDS: dict[str, tuple[str, str]] = {  # name -> (type, description)
    "result": ("string", "the result's code"),
    "indicator": ("string", "the indicator's code"),
    "name": ("string", "name in English"),
    "name_es": ("string", "name in Spanish"),
    "description": ("string", "description in English"),
    "description_es": ("string", "description in Spanish"),
    "team": ("string", "the result team's short name"),
    "team_name": ("string", "the result team's name in English"),
    "team_name_es": ("string", "the result team's name in Spanish"),
    "definition": ("string", "lay definition in English"),
    "definition_es": ("string", "lay definition in Spanish"),
    "technical_definition": ("string", "technical definition in English"),
    "technical_definition_es": ("string", "technical definition in Spanish"),
    "unit": ("string", "percent, rate (per `per`), count, number, currency or score"),
    "per": ("number", "for rates: per how many (e.g. 1000)"),
    "polarity": ("string", "up: a higher value is better; down: a lower value is better"),
    "frequency": ("string", "year, school_year (July-June, 2023-24), fiscal_year, quarter "
                            "or month"),
    "kind": ("string", "headline, secondary or development (data development agenda)"),
    "source": ("string", "where the figures come from, in English"),
    "source_es": ("string", "where the figures come from, in Spanish"),
    "dimensions": ("string", "the dimensions figures are broken down by, comma-separated"),
    "min_n": ("integer", "the smallest group whose figures are published"),
    "dimension": ("string", "the dimension (e.g. city, student_group)"),
    "value": ("number", "the figure, in the indicator's unit"),
    "label": ("string", "label in English"),
    "label_es": ("string", "label in Spanish"),
    "period": ("string", "the period, in the indicator's frequency (2024, 2023-24, "
                         "FY2024, 2024-Q1, 2024-01)"),
    "numerator": ("number", "for a percent or rate: how many counted"),
    "denominator": ("number", "for a percent or rate: out of how many"),
    "withheld": ("string", "why the figures are blank: " + "; ".join(
        f"'{w}'" for w in WITHHELD_WORDS.values()) + " (blank: published)"),
    "target": ("number", "the target value for the period"),
    "forecast": ("number", "the baseline forecast for the period"),
    "lower": ("number", "lower end of the forecast's prediction interval"),
    "upper": ("number", "upper end of the forecast's prediction interval"),
    "method": ("string", "the forecast method agreed"),
    "level": ("number", "the prediction interval's level (e.g. 0.95)"),
    "history_through": ("string", "the last period of history the forecast was fitted on"),
    "baseline_value": ("number", "the value baseline % change is measured from"),
}
#: Fields that mean something else in one resource.
OVERRIDES: dict[tuple[str, str], tuple[str, str]] = {
    ("dimensions", "value"): ("string", "a group of the dimension (blank: the dimension's "
                                        "own label)"),
}
KEYS = {"results": ["result"], "indicators": ["indicator"]}
#: Which resource's key a column refers to.
REFERENCES = {"result": "results", "indicator": "indicators"}


def field(resource: str, name: str, dimensions: list[str]) -> dict[str, Any]:
    """A Table Schema field descriptor for a column of a resource."""
    if name in dimensions and resource != "dimensions":
        return {"name": name, "type": "string", "description": f"{name}; {ALL_GROUPS}"}
    kind, description = OVERRIDES.get((resource, name), FIELDS[name])
    out: dict[str, Any] = {"name": name, "type": kind, "description": description}
    if name == "withheld":
        out["constraints"] = {"enum": list(WITHHELD_WORDS.values())}
    return out


def table_schema(resource: str, columns: list[str], dimensions: list[str]) -> dict[str, Any]:
    """The Table Schema of one resource with these columns."""
    schema: dict[str, Any] = {"fields": [field(resource, c, dimensions) for c in columns],
                              "missingValues": [""]}
    if resource in KEYS:
        schema["primaryKey"] = KEYS[resource]
    references = [{"fields": [c], "reference": {"resource": REFERENCES[c], "fields": [c]}}
                  for c in columns if c in REFERENCES and REFERENCES[c] != resource]
    if references:
        schema["foreignKeys"] = references
    return schema


def descriptor(tables: Mapping[str, pd.DataFrame], dimensions: list[str], *,
               paths: Mapping[str, str], title: str, modified: str | None,
               data_version: int) -> dict[str, Any]:
    """The datapackage.json descriptor of ``tables`` (resource name -> frame), each at its
    path in ``paths``; ``modified``: when the data last changed (ISO 8601)."""
    resources = [{
        "name": name, "path": paths[name], "title": TITLES[name],
        "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": table_schema(name, list(tables[name].columns), dimensions),
    } for name in RESOURCES]
    package: dict[str, Any] = {
        "profile": "tabular-data-package", "name": "rba-open-data", "title": title,
        "description": "Results, indicators, final figures, targets and agreed baselines "
                       "published by the partnership; groups under an indicator's min_n "
                       "(and cells that would reveal them) are withheld.",
        "data_version": data_version, "resources": resources,
    }
    if modified is not None:
        package["created"] = modified
    return package


def csv_text(frame: pd.DataFrame) -> str:
    """A resource as CSV: UTF-8 text, a header row, blank cells for missing values, and
    numbers as written (no trailing .0 on whole numbers)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_float_dtype(values):
            whole = values.notna() & (values == values.round())
            text = values.astype(object).map(lambda v: repr(float(v)))
            text[whole.to_numpy()] = values[whole].astype("int64").astype(str)
            out[column] = text.where(values.notna(), None)
    return out.to_csv(index=False, lineterminator="\n")
