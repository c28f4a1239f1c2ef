"""Entry templates: a workbook pre-filled with the rows a coordinator fills in for a period.

One row per indicator and group to enter, the previous period's value alongside (in columns
headed "... (for reference)", which import ignores), and drop-down lists in the cells.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import Session

from rba.dimensions import TOTAL_KEY, dimension_key, parse_dimension_key, split_dimension_names
from rba.messages import N_, Message
from rba.models import (
    Dimension,
    DimensionValue,
    Indicator,
    Observation,
    PerformanceMeasure,
    Program,
)
from rba.periods import PeriodError, next_period, parse_period
from rba.store.queries import measured_indicators

REFERENCE = "(for reference)"
ENTRY_COLUMNS = ["indicator", "period", "value", "numerator", "denominator", "status", "note"]


class TemplateError(ValueError):
    """No template can be made for what was asked; the message says why.

    ``detail`` is why as a `Message`, to be written in the reader's language; str() is the
    English.
    """

    def __init__(self, detail: Message) -> None:
        super().__init__(str(detail))
        self.detail = detail


def entry_rows(*, session: Session, period: str | None = None,
               team: str | None = None) -> pd.DataFrame:
    """The observation rows to enter: each indicator's groups for the period, with last values.

    Without ``period``, each indicator's next period after its latest value.
    """
    indicators = list(session.scalars(measured_indicators(Indicator, team=team)))
    if not indicators:
        raise TemplateError(Message(N_("no indicators for team {team!r}"), team=team)
                            if team else Message(N_("no indicators yet")))
    observed = pd.DataFrame(session.execute(sa.select(
        Observation.indicator_id, Observation.period, Observation.dimensions, Observation.value
    ).where(Observation.indicator_id.in_([i.id for i in indicators]))).all(),
        columns=["indicator_id", "period", "dimensions", "value"])
    groups = _registered_groups(session)
    rows = []
    for indicator in indicators:
        target = _period_for(indicator, period, observed)
        if target is None:
            continue
        previous = next_period(target, -1).label
        mine = observed[observed["indicator_id"] == indicator.id]
        last = mine[mine["period"] == previous].set_index("dimensions")["value"]
        keys = list(dict.fromkeys([TOTAL_KEY, *last.index])) if len(last) else [
            TOTAL_KEY, *[dimension_key({d: v}) for d in split_dimension_names(
                indicator.dimensions) for v in groups.get(d, [])]]
        for key in keys:
            rows.append({"indicator": indicator.code, "period": target.label,
                         **parse_dimension_key(key),
                         f"name {REFERENCE}": indicator.name,
                         f"unit {REFERENCE}": indicator.unit.value,
                         f"previous period {REFERENCE}": previous,
                         f"previous value {REFERENCE}": last.get(key)})
    if not rows:
        raise TemplateError(Message(N_("no indicator has periods like {period!r}"),
                                    period=period))
    frame = pd.DataFrame(rows)
    dims = [c for c in frame.columns if c not in ENTRY_COLUMNS and REFERENCE not in c]
    for column in ENTRY_COLUMNS:
        if column not in frame:
            frame[column] = None
    references = [c for c in frame.columns if REFERENCE in c]
    return frame[ENTRY_COLUMNS + dims + references]


def measure_rows(*, session: Session, program: str, period: str | None = None
                 ) -> pd.DataFrame:
    """The performance measure rows to enter for one program, with last period's values."""
    measures = list(session.scalars(sa.select(PerformanceMeasure).join(Program).where(
        Program.code == program).order_by(PerformanceMeasure.display_order,
                                         PerformanceMeasure.code)))
    if not measures:
        raise TemplateError(Message(N_("no performance measures for program {program!r}"),
                                    program=program))
    observed = pd.DataFrame(session.execute(sa.select(
        Observation.measure_id, Observation.period, Observation.value
    ).where(Observation.measure_id.in_([m.id for m in measures]))).all(),
        columns=["indicator_id", "period", "value"])
    rows = []
    for measure in measures:
        target = _period_for(measure, period, observed)
        if target is None:
            continue
        previous = next_period(target, -1).label
        last = observed[(observed["indicator_id"] == measure.id)
                        & (observed["period"] == previous)]["value"]
        rows.append({"measure": measure.code, "period": target.label,
                     f"name {REFERENCE}": measure.name,
                     f"kind {REFERENCE}": measure.kind.value,
                     f"unit {REFERENCE}": measure.unit.value,
                     f"previous period {REFERENCE}": previous,
                     f"previous value {REFERENCE}": last.iloc[0] if len(last) else None})
    if not rows:
        raise TemplateError(Message(N_("no measure of {program} has periods like {period!r}"),
                                    program=program, period=period))
    frame = pd.DataFrame(rows)
    columns = ["measure", *ENTRY_COLUMNS[1:]]
    for column in columns:
        if column not in frame:
            frame[column] = None
    return frame[columns + [c for c in frame.columns if REFERENCE in c]]


def _period_for(indicator: Indicator | PerformanceMeasure, period: str | None,  # type: ignore[no-untyped-def]
                observed: pd.DataFrame):
    frequency = indicator.frequency.value
    if period is not None:
        try:
            return parse_period(period, frequency)
        except PeriodError:
            return None  # another frequency: this indicator is not due in that period
    mine = observed.loc[observed["indicator_id"] == indicator.id, "period"]
    if mine.empty:
        return None
    return next_period(max(parse_period(p, frequency) for p in mine.unique()))


def _registered_groups(session: Session) -> dict[str, list[str]]:
    rows = session.execute(sa.select(Dimension.name, DimensionValue.value).join(
        DimensionValue).order_by(Dimension.name, DimensionValue.display_order,
                                 DimensionValue.value))
    groups: dict[str, list[str]] = {}
    for name, value in rows:
        groups.setdefault(name, []).append(value)
    return groups


def write_template(session: Session, path: Path | io.BytesIO, *, period: str | None = None,
                   team: str | None = None, program: str | None = None) -> int:
    """Write the entry workbook (a program's measures, or indicators); return its rows."""
    if program is not None:
        frame = measure_rows(session=session, program=program, period=period)
    else:
        frame = entry_rows(session=session, period=period, team=team)
    book = Workbook()
    sheet = book.active
    sheet.title = "measure_observations" if program is not None else "observations"
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if pd.isna(v) else v for v in row])
    _style(sheet, frame)
    _validations(book, sheet, frame, _registered_groups(session))
    about = book.create_sheet("_about")
    about.append(["Fill in value (or numerator and denominator), then import this file with "
                  "`rba import` or the upload page. Columns marked (for reference) are not "
                  "imported. Leave a row's value blank to skip it."])
    book.save(path)
    return len(frame)


def _style(sheet, frame: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    grey = PatternFill("solid", fgColor="EEEEEE")
    for index, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(12, min(40, len(name) + 2))
        if REFERENCE in name:
            for cell in sheet[letter][1:]:
                cell.fill = grey
    sheet.freeze_panes = "C2"


def _validations(book: Workbook, sheet, frame: pd.DataFrame,  # type: ignore[no-untyped-def]
                 groups: dict[str, list[str]]) -> None:
    lists = book.create_sheet("_lists")
    lists.sheet_state = "hidden"
    choices = {"status": ["provisional", "final"],
               **{d: groups.get(d, []) for d in frame.columns if d in groups}}
    last = len(frame) + 1
    for index, (column, values) in enumerate(choices.items(), start=1):
        if not values or column not in frame.columns:
            continue
        letter = get_column_letter(index)
        for row, value in enumerate(values, start=1):
            lists[f"{letter}{row}"] = value
        rule = DataValidation(type="list", allow_blank=True,
                              formula1=f"_lists!${letter}$1:${letter}${len(values)}")
        rule.error = f"Choose one of: {', '.join(values)}"
        target = get_column_letter(list(frame.columns).index(column) + 1)
        rule.add(f"{target}2:{target}{last}")
        sheet.add_data_validation(rule)
    number = DataValidation(type="decimal", allow_blank=True, operator="between",
                            formula1="-1000000000000", formula2="1000000000000")
    number.error = "Enter a number (45, 45.5 or 1234)"
    for column in ("value", "numerator", "denominator"):
        letter = get_column_letter(list(frame.columns).index(column) + 1)
        number.add(f"{letter}2:{letter}{last}")
    sheet.add_data_validation(number)
