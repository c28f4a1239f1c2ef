"""Validate and plan figure sheets (observations and targets) column-wise, at any size.

Checks, each reported at its cell: the indicator or measure exists; the period has the
indicator's frequency; dimension columns are ones the indicator declares and hold known
groups; numbers parse; a % sign only on percent indicators; numerator and denominator come
together, the denominator is positive and, for percents, at least the numerator; a given
value agrees with numerator / denominator to the precision it was written with; percents
lie in 0..100, counts and rates are not negative; no row repeats another.
"""

from __future__ import annotations

import difflib
import re
from functools import partial

import numpy as np
import pandas as pd

from rba.dimensions import dimension_key, split_dimension_names
from rba.ingest.metadata import Catalog
from rba.ingest.records import ProblemList
from rba.ingest.values import PERCENT_SIGN, as_text, by_value, by_values
from rba.messages import N_, Message
from rba.periods import PeriodError, parse_period
from rba.plan import SheetPlan
from rba.sheets import Sheet

FIELDS = {"observations": ["value", "numerator", "denominator", "status", "note"],
          "targets": ["value", "rationale"]}


def owner_meta(sheet: Sheet, catalog: Catalog) -> pd.DataFrame:
    """Unit, per, frequency and declared dimensions of every indicator or measure by code."""
    owners = catalog.get("measures" if sheet.name.startswith("measure") else "indicators", {})
    return pd.DataFrame(
        [{"owner": code, "unit": r["unit"], "per": r.get("per"), "frequency": r["frequency"],
          "declared": tuple(split_dimension_names(r.get("dimensions")))}
         for code, r in owners.items()],
        columns=["owner", "unit", "per", "frequency", "declared"],
    ).set_index("owner")


def validate_figures(
    sheet: Sheet, typed: pd.DataFrame, catalog: Catalog, problems: ProblemList,
    plan_dimensions: SheetPlan,
) -> pd.DataFrame:
    """Checked rows with owner, canonical period, dimension key and figures; bad rows dropped."""
    owner_column = sheet.key[0]
    kind = "targets" if sheet.name.endswith("targets") else "observations"
    frame = typed.copy()
    raw = problems.raw.cells
    frame["owner"] = frame.get(owner_column)
    meta = owner_meta(sheet, catalog)
    known = frame["owner"].isin(meta.index)
    _unknown_owner(frame, known, meta, owner_column, problems)
    frame = frame.join(meta, on="owner")
    bad = ~known | frame.index.isin(_bad_indexes(problems))
    frame["period"] = periods(frame, raw, problems, known)
    dims = [c for c in frame.columns if c not in sheet.column_names and c not in (
        "owner", "unit", "per", "frequency", "declared")]
    frame["dimensions"] = dimension_keys(frame, dims, catalog, problems, known,
                                          plan_dimensions)
    frame = _check_numbers(frame, raw, problems, kind)
    blank = frame["value"].isna() & frame.get("numerator", pd.Series(index=frame.index)).isna()
    if kind == "observations":
        frame["_blank"] = blank & frame.get("note", pd.Series(index=frame.index)).isna()
    else:
        frame["_blank"] = False
    bad = bad | frame.index.isin(_bad_indexes(problems))
    _duplicates(frame[~bad & ~frame["_blank"]], problems, owner_column)
    bad = bad | frame.index.isin(_bad_indexes(problems))
    frame["_bad"] = bad
    return frame


def _bad_indexes(problems: ProblemList) -> set[int]:
    rows = problems.raw.rows
    bad_numbers = {p.row for p in problems if p.row is not None}
    return set(rows.index[rows.isin(bad_numbers)])


def _unknown_owner(frame: pd.DataFrame, known: pd.Series, meta: pd.DataFrame,
                   column: str, problems: ProblemList) -> None:
    missing = frame["owner"].notna() & ~known
    codes = [str(c) for c in meta.index]
    messages = frame.loc[missing, "owner"].map(partial(unknown_code, column, codes))
    problems.cell(missing, column, messages)


#: What an unknown code says, by the column holding it: without and with a close match.
UNKNOWN_CODE = {
    "indicator": (N_("unknown indicator code"),
                  N_("unknown indicator code (did you mean {code!r}?)")),
    "measure": (N_("unknown measure code"), N_("unknown measure code (did you mean {code!r}?)")),
}


def unknown_code(column: str, codes: list[str], code: object) -> Message:
    """Unknown indicator (or measure) code, naming the closest known one if any is close."""
    plain, with_hint = UNKNOWN_CODE[column]
    close = difflib.get_close_matches(str(code), codes, 1)
    return Message(with_hint, code=close[0]) if close else Message(plain)


def periods(frame: pd.DataFrame, raw: pd.DataFrame, problems: ProblemList,
             known: pd.Series) -> pd.Series:
    """Canonical period labels (None where missing or wrong); each distinct text read once."""
    canonical = by_values([frame["period"], frame["frequency"].where(known)], lambda text, freq:
                          "" if text is None or freq is None else _read_period(text, freq))
    errors = by_value(canonical, lambda label: isinstance(label, Message)).astype(bool)
    problems.cell(errors & known, "period", canonical[errors])
    return canonical.where(~errors & (canonical != ""), None)


def _read_period(text: str, frequency: str) -> str | Message:
    """The canonical label of the period, or why the text is not one of that frequency."""
    try:
        return parse_period(text, frequency).label
    except PeriodError as exc:
        # Excel turns a typed month into a date; the first of a month means that month.
        if frequency == "month" and len(text) == 10 and text.endswith("-01"):
            return _read_period(text[:7], frequency)
        return exc.detail


def dimension_keys(frame: pd.DataFrame, dims: list[str], catalog: Catalog,
                    problems: ProblemList, known: pd.Series, plan: SheetPlan) -> pd.Series:
    """Each row's canonical dimension key; groups are matched case-insensitively."""
    if not dims:
        return pd.Series("{}", index=frame.index, dtype="object")
    registry = catalog.setdefault("dimensions", {})
    combos = frame[dims].copy()
    for name in dims:
        filled = combos[name].notna() & known
        declares = by_value(frame["declared"], partial(_declares, name))
        undeclared = filled & ~declares.eq(True)
        problems.cell(undeclared, name, Message(
            N_("this indicator is not disaggregated by {dimension}"), dimension=name))
        values = {k[1] for k in registry if k[0] == name and k[1] is not None}
        by_lower = {v.lower(): v for v in values}
        given = combos.loc[filled & ~undeclared, name]
        if values:
            matched = by_value(given, partial(_group, by_lower))
            unknown = matched.isna()
            choices = ", ".join(sorted(values))
            problems.cell(unknown.reindex(frame.index, fill_value=False), name, Message(
                N_("unknown {dimension} group; expected one of: {choices} (add new groups on "
                   "the dimensions sheet)"), dimension=name, choices=choices))
            combos.loc[matched.index, name] = matched
        else:
            for value in sorted(set(given)):
                record = {"dimension": name, "value": value, "label": None,
                          "label_es": None, "order": None}
                registry[(name, value)] = record
                plan.added.append(record)
    return by_values([combos[name] for name in dims],
                     lambda *cells: dimension_key(dict(zip(dims, cells, strict=True))))


def _declares(name: str, declared: object) -> bool:
    return isinstance(declared, tuple) and name in declared


def _group(by_lower: dict[str, str], given: str) -> str | None:
    """The registered group a cell names, whatever its case (None if unknown)."""
    return by_lower.get(given.lower())


def _check_numbers(frame: pd.DataFrame, raw: pd.DataFrame, problems: ProblemList,
                   kind: str) -> pd.DataFrame:
    known = frame["unit"].notna()

    def flag(mask: pd.Series, column: str, message: pd.Series | Message) -> None:
        problems.cell(mask.fillna(False).astype(bool) & known, column, message)

    unit = frame["unit"]
    scale = np.where(unit == "percent", 100.0,
                     np.where(unit == "rate", frame["per"].astype(float), 1.0))
    value_text = as_text(raw["value"]) if "value" in raw else pd.Series(
        "", index=frame.index, dtype=object)
    flag(by_value(value_text, lambda t: t.strip().endswith("%")).eq(True) & (unit != "percent"),
         "value", PERCENT_SIGN)
    value = frame["value"].astype(float) if "value" in frame else pd.Series(np.nan, frame.index)
    if kind == "observations":
        num = frame.get("numerator", pd.Series(np.nan, frame.index)).astype(float)
        den = frame.get("denominator", pd.Series(np.nan, frame.index)).astype(float)
        flag(num.notna() & den.isna(), "denominator",
             Message(N_("a numerator needs its denominator")))
        flag(num.isna() & den.notna(), "numerator",
             Message(N_("a denominator needs its numerator")))
        flag(den <= 0, "denominator", Message(N_("expected a positive number")))
        flag((unit == "count") & num.notna(), "numerator",
             Message(N_("a count has no numerator or denominator: give the value")))
        flag((unit == "percent") & (num > den), "numerator",
             Message(N_("the numerator is larger than the denominator")))
        computed = num / den * scale
        decimals = by_value(value_text, _decimals).to_numpy(dtype=float)
        tolerance = 0.5 * 10.0 ** (-decimals) + 1e-9 * np.abs(computed)
        disagree = value.notna() & computed.notna() & (np.abs(value - computed) > tolerance)
        flag(disagree, "value", computed[disagree].map(lambda c: Message(
            N_("disagrees with numerator / denominator, which gives {computed:.6g}"),
            computed=float(c))))
        frame["value"] = value.where(value.notna(), computed)
        frame["numerator"], frame["denominator"] = num, den
        flag((unit == "count") & value.notna() & (value != np.round(value)), "value",
             Message(N_("a count is a whole number")))
    value = frame["value"].astype(float)
    flag((unit == "percent") & ((value < 0) | (value > 100)), "value",
         Message(N_("a percent lies between 0 and 100")))
    flag(unit.isin(["count", "rate"]) & (value < 0), "value",
         Message(N_("a count or rate cannot be negative")))
    return frame


_DECIMALS = re.compile(r"\.([0-9]+)")


def _decimals(text: str) -> int:
    """How many decimals a number was written with (to judge it against a computed one)."""
    found = _DECIMALS.search(text)
    return len(found.group(1)) if found else 0


def _duplicates(frame: pd.DataFrame, problems: ProblemList, owner_column: str) -> None:
    key = ["owner", "period", "dimensions"]
    repeated = frame.duplicated(key, keep=False)
    if not repeated.any():
        return
    rows = problems.raw.rows
    first = frame[repeated].groupby(key, sort=False).apply(
        lambda g: int(rows.loc[g.index].min()), include_groups=False)
    firsts = frame[repeated].join(first.rename("first"), on=key)["first"]
    later = frame.index.isin(firsts.index) & frame.duplicated(key, keep="first")
    mask = pd.Series(later, index=frame.index)
    problems.cell(mask, owner_column, firsts.reindex(frame.index).map(lambda n: Message(
        N_("repeats row {row} (same {column}, period and groups)"), row=n,
        column=owner_column)))


#: A spreadsheet keeps 15 to 17 significant digits (openpyxl writes 16): values equal to
#: that precision are the same value, so re-importing an export changes nothing.
SPREADSHEET_RTOL = 1e-15


def same_values(a: pd.Series, b: pd.Series) -> pd.Series:
    """True where two columns hold the same value (numbers to spreadsheet precision)."""
    both_missing = a.isna() & b.isna()
    if pd.api.types.is_numeric_dtype(a.dtype) and pd.api.types.is_numeric_dtype(b.dtype):
        x, y = a.astype(float).to_numpy(), b.astype(float).to_numpy()
        close = np.isclose(x, y, rtol=SPREADSHEET_RTOL, atol=0) & ~np.isnan(x)
        return pd.Series(close, index=a.index) | both_missing
    return ((a == b) & a.notna()) | both_missing


def plan_figures(sheet: Sheet, frame: pd.DataFrame, existing: pd.DataFrame) -> SheetPlan:
    """Compare checked rows with the stored figures of the same owner, period and groups.

    Blank status, note and rationale cells keep what is stored; a row with no value at all
    is skipped, so an import never erases a figure.
    """
    kind = "targets" if sheet.name.endswith("targets") else "observations"
    plan = SheetPlan(sheet.name, rejected=int(frame["_bad"].sum()))
    rows = frame[~frame["_bad"]]
    plan.skipped = int(rows["_blank"].sum())
    rows = rows[~rows["_blank"]]
    fields = [f for f in FIELDS[kind] if f in rows.columns]
    key = ["owner", "period", "dimensions"]
    new = rows[[*key, *fields]].copy()
    new["_row"] = rows.index
    merged = new.merge(existing, on=key, how="left", suffixes=("", "_old"), indicator=True)
    is_new = merged["_merge"] == "left_only"
    for keep in ("status", "note", "rationale"):
        if keep in merged:
            old = merged.get(keep + "_old")
            merged[keep] = merged[keep].where(merged[keep].notna(), old)
    if kind == "observations":
        merged["status"] = merged["status"].fillna("provisional")
    compare = [f for f in FIELDS[kind] if f in merged.columns and f + "_old" in merged.columns]
    differs = pd.Series(False, index=merged.index)
    for f in compare:
        differs |= ~same_values(merged[f], merged[f + "_old"])
    plan.added_frame = merged[is_new].drop(columns="_merge")
    plan.changed_frame = merged[~is_new & differs].drop(columns="_merge")
    plan.unchanged = int((~is_new & ~differs).sum())
    return plan
