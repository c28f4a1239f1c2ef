"""The sheets of the workbook format and their columns (a public interface: keep it exact).

Sheets are imported in the order of :data:`SHEETS`, so a workbook may define a result and
its indicators and their observations at once. Observation and target sheets also take one
column per dimension their indicator declares; a blank dimension cell means the total.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any

from rba.calc.forecast import METHODS
from rba.messages import N_, Message
from rba.models import (
    Baseline,
    Dimension,
    DimensionValue,
    Frequency,
    Indicator,
    IndicatorKind,
    MeasureKind,
    Partner,
    PartnerType,
    PerformanceMeasure,
    Polarity,
    Program,
    Result,
    ResultTeam,
    TurnTheCurveRecord,
    Unit,
)


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, whether it must be filled, and what it holds."""

    name: str
    required: bool = False
    #: text | number | integer | yes_no | choice | period | list | date
    kind: str = "text"
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Sheet:
    """One sheet: its columns, the columns that identify a row, and whether it has dimensions."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    has_dimensions: bool = False
    help: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


#: The methods a frozen baseline may record: every method but auto, which records the method
#: it chose.
FROZEN_METHODS = tuple(m for m in METHODS if m != "auto")
#: Columns an entry template (and the entry grid) carries beside the ones to fill in end
#: with this; import ignores them (rba.workbook.read drops headers ending "(for_reference)").
REFERENCE = "(for reference)"
#: The columns of an observation row a coordinator fills in, in template order.
ENTRY_COLUMNS = ["indicator", "period", "value", "numerator", "denominator", "status", "note"]


def _values(enum_class: type[enum.Enum]) -> tuple[str, ...]:
    return tuple(m.value for m in enum_class)


def _figure_columns(owner: str) -> tuple[Column, ...]:
    return (
        Column(owner, True, help=f"{owner} code"),
        Column("period", True, "period", help="2024, 2023-24, FY2024, 2024-Q3 or 2024-03"),
        Column("value", kind="number", help="blank, NA or n/a: not available (never zero)"),
        Column("numerator", kind="number"),
        Column("denominator", kind="number"),
        Column("status", kind="choice", choices=("provisional", "final")),
        Column("note"),
    )


def _target_columns(owner: str) -> tuple[Column, ...]:
    return (
        Column(owner, True, help=f"{owner} code"),
        Column("period", True, "period"),
        Column("value", True, "number"),
        Column("rationale"),
    )


SHEETS: tuple[Sheet, ...] = (
    Sheet("teams", (
        Column("slug", True, help="short name used in addresses, e.g. early-childhood"),
        Column("name", True), Column("name_es"), Column("facilitator"),
        Column("members", help="names separated by semicolons"),
    ), key=("slug",), help="Result teams"),
    Sheet("results", (
        Column("code", True), Column("name", True), Column("name_es"),
        Column("description"), Column("description_es"),
        Column("team", help="slug of the result team that owns the result"),
        Column("order", kind="integer"),
    ), key=("code",), help="The shared results"),
    Sheet("dimensions", (
        Column("dimension", True, help="e.g. city or student_group"),
        Column("value", help="a group; blank to label the dimension itself"),
        Column("label"), Column("label_es"), Column("order", kind="integer"),
    ), key=("dimension", "value"), help="Labels and order of dimension values"),
    Sheet("indicators", (
        Column("code", True), Column("result", True, help="result code"),
        Column("name", True), Column("name_es"),
        Column("unit", True, "choice", _values(Unit)),
        Column("per", kind="number", help="for rates: per how many, e.g. 1000"),
        Column("polarity", True, "choice", _values(Polarity), help="up: up is good"),
        Column("frequency", True, "choice", _values(Frequency)),
        Column("kind", kind="choice", choices=_values(IndicatorKind)),
        Column("dimensions", kind="list", help="comma-separated, e.g. student_group, city"),
        Column("source"), Column("source_es"),
        Column("definition", help="lay definition"), Column("definition_es"),
        Column("technical_definition"), Column("technical_definition_es"),
        Column("published", kind="yes_no"), Column("min_n", kind="integer"),
        Column("order", kind="integer"),
    ), key=("code",), help="Indicators of each result"),
    Sheet("partners", (
        Column("name", True), Column("type", True, "choice", _values(PartnerType)),
        Column("website"),
    ), key=("name",), help="Partners with a role to play"),
    Sheet("programs", (
        Column("code", True), Column("name", True), Column("name_es"),
        Column("description"), Column("description_es"),
        Column("lead_partner", help="partner name"),
        Column("partners", kind="list", help="partner names separated by semicolons"),
        Column("results", kind="list", help="result codes, comma-separated"),
        Column("indicators", kind="list", help="indicator codes, comma-separated"),
        Column("population", help="who the program serves"),
        Column("annual_funding", kind="number", help="dollars a year"),
    ), key=("code",), help="Programs and strategies"),
    Sheet("measures", (
        Column("code", True), Column("program", True, help="program code"),
        Column("name", True), Column("name_es"),
        Column("kind", True, "choice", _values(MeasureKind)),
        Column("unit", True, "choice", _values(Unit)), Column("per", kind="number"),
        Column("polarity", True, "choice", _values(Polarity)),
        Column("frequency", True, "choice", _values(Frequency)),
        Column("order", kind="integer"),
    ), key=("code",), help="Performance measures of each program"),
    Sheet("observations", _figure_columns("indicator"),
          key=("indicator", "period"), has_dimensions=True, help="Indicator values"),
    Sheet("targets", _target_columns("indicator"),
          key=("indicator", "period"), has_dimensions=True, help="Indicator targets"),
    Sheet("measure_observations", _figure_columns("measure"),
          key=("measure", "period"), help="Performance measure values"),
    Sheet("measure_targets", _target_columns("measure"),
          key=("measure", "period"), help="Performance measure targets"),
    Sheet("baselines", (
        Column("indicator", True),
        Column("period", True, "period", help="a forecast period"),
        Column("forecast", True, "number"),
        Column("lower", kind="number"), Column("upper", kind="number"),
        Column("lower_80", kind="number", help="the inner (80%) band, from the same fit"),
        Column("upper_80", kind="number", help="the inner (80%) band, from the same fit"),
        Column("history_through", True, "period",
               help="last period of history the forecast was fitted on"),
        Column("method", True, "choice", FROZEN_METHODS),
        Column("level", kind="number", help="prediction interval level, e.g. 0.95"),
        Column("baseline_value", kind="number", help="hand-set value for baseline % change"),
        Column("agreed_by"),
        Column("agreed_at", kind="date", help="date and time agreed (UTC)"),
        Column("note"),
    ), key=("indicator", "period"), has_dimensions=True,
        help="Frozen baselines, one row per forecast period"),
    Sheet("stories", (
        Column("indicator", True),
        Column("story_behind_the_curve"), Column("story_behind_the_curve_es"),
        Column("partners"), Column("partners_es"),
        Column("what_works"), Column("what_works_es"),
        Column("action_plan"), Column("action_plan_es"),
        Column("saved_by"), Column("saved_at", kind="date", help="e.g. 2025-10-15"),
    ), key=("indicator",), help="Turn-the-curve records; each row that differs adds a version"),
)

SHEETS_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}

#: Separator of list cells: partner names may hold commas, codes never do.
LIST_SEPARATORS = {"partners": ";", "members": ";"}


#: The entry template's sheet names and headers in Spanish (``rba template --lang es``, the
#: Spanish upload page): import reads either language's (see `english_name`).
SPANISH_SHEETS = {"observations": "observaciones",
                  "measure_observations": "observaciones_de_medidas",
                  "targets": "metas", "measure_targets": "metas_de_medidas"}
SPANISH_HEADERS = {"indicator": "indicador", "measure": "medida", "period": "periodo",
                   "value": "valor", "numerator": "numerador", "denominator": "denominador",
                   "status": "estado", "note": "nota", "rationale": "justificación",
                   "name": "nombre", "unit": "unidad", "kind": "tipo",
                   "previous period": "periodo anterior", "previous value": "valor anterior"}
SPANISH_REFERENCE = "(para referencia)"


def _normalised(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


_ENGLISH = {_normalised(es): _normalised(en)
            for en, es in (*SPANISH_SHEETS.items(), *SPANISH_HEADERS.items())}


def spanish_header(header: str) -> str:
    """A template header in Spanish: "valor", "valor anterior (para referencia)"."""
    if header.endswith(REFERENCE):
        base = header[:-len(REFERENCE)].strip()
        return f"{SPANISH_HEADERS.get(base, base)} {SPANISH_REFERENCE}"
    return SPANISH_HEADERS.get(header, SPANISH_SHEETS.get(header, header))


def english_name(name: str) -> str:
    """A normalised header or sheet name (lower case, underscores) in English, whichever
    language it was written in: "valor" -> "value", "observaciones" -> "observations"."""
    return _ENGLISH.get(name, name)


def sheet_for_filename(filename: str) -> Sheet | None:
    """The sheet a CSV holds, from its name: observations.csv, observations-2025-Q1.csv, ..."""
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    for english, spanish in sorted(SPANISH_SHEETS.items(), key=lambda p: -len(p[1])):
        if stem == spanish or stem.startswith((spanish + "-", spanish + "_")):
            stem = english + stem[len(spanish):]
            break
    for sheet in sorted(SHEETS, key=lambda s: -len(s.name)):
        if stem == sheet.name or stem.startswith(sheet.name + "-") or stem.startswith(
            sheet.name + "_"
        ):
            return sheet
    return None


def record_key(sheet: str, record: dict[str, Any]) -> Any:
    """The natural key of a record of ``sheet``."""
    if sheet == "dimensions":
        return (record["dimension"], record.get("value"))
    if sheet == "baselines":
        return (record["owner"], record["dimensions"], record["history_through"],
                record["method"], record.get("agreed_at") or "")
    field = {"teams": "slug", "partners": "name", "stories": "indicator"}.get(sheet, "code")
    return record[field]


#: The longest text any cell may hold where its column has no length of its own (Excel's
#: own limit for a cell), so every database stores what one accepts.
MAX_TEXT_CHARS = 32_767
#: Where each sheet's cells are stored (a column of the same name holds its length).
_MODELS: dict[str, tuple[type, ...]] = {
    "teams": (ResultTeam,), "results": (Result,), "dimensions": (DimensionValue,),
    "indicators": (Indicator,), "partners": (Partner,), "programs": (Program,),
    "measures": (PerformanceMeasure,), "baselines": (Baseline,),
    "stories": (TurnTheCurveRecord,),
}
#: Columns that name another record, stored where that record's key is.
_REFERENCES: dict[str, Any] = {
    "team": ResultTeam.__table__.c.slug, "result": Result.__table__.c.code,
    "indicator": Indicator.__table__.c.code, "measure": PerformanceMeasure.__table__.c.code,
    "program": Program.__table__.c.code, "lead_partner": Partner.__table__.c.name,
    "dimension": Dimension.__table__.c.name,
}


def text_limit(sheet: str, column: str) -> int:
    """The most characters a cell of ``column`` on ``sheet`` may hold: its database column's
    length (PostgreSQL refuses longer text where SQLite would keep it), else MAX_TEXT_CHARS.
    A dimension column's cells are groups, stored as dimension values."""
    spec = SHEETS_BY_NAME[sheet]
    if column not in spec.column_names:
        stored = DimensionValue.__table__.c.value if spec.has_dimensions else None
    else:
        tables = [m.__table__ for m in _MODELS.get(sheet, ())]  # type: ignore[attr-defined]
        stored = next((t.c[column] for t in tables if column in t.c),
                      _REFERENCES.get(column))
    length = getattr(getattr(stored, "type", None), "length", None)
    return int(length) if length else MAX_TEXT_CHARS


#: Characters no cell may hold: C0 controls but tab, line feed and carriage return, and
#: DEL. PostgreSQL refuses a NUL byte that SQLite would keep; the others are never meant.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_problem(text: str, limit: int = MAX_TEXT_CHARS) -> Message | None:
    """Why a text cannot be stored as it is on every database (too long for its column, or
    holding a control character), or None when it can."""
    if len(text) > limit:
        return Message(N_("{length:,} characters; the limit is {limit:,}"), length=len(text),
                       limit=limit)
    found = CONTROL_CHARACTER.search(text)
    if found is not None:
        return Message(N_("holds a control character ({code}) that text may not hold"),
                       code=f"U+{ord(found.group()):04X}")
    return None
