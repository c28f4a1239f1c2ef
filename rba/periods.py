"""Reporting periods: parse labels like 2024, 2023-24, FY2024, 2024-Q3 and 2024-03; order them.

Every period has a canonical label and an integer ordinal. Periods of one frequency have
consecutive ordinals, so the number of steps between two periods is the difference of their
ordinals. ``2011-12`` is both the school year 2011-12 and the month December 2011, so such a
label is only read when its frequency is given.
"""

from __future__ import annotations

import datetime as dt
import functools
import numbers
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rba.messages import N_, Message, joined
from rba.refusals import Refusal

FREQUENCIES: tuple[str, ...] = ("year", "school_year", "fiscal_year", "quarter", "month")
PERIODS_PER_YEAR = {"year": 1, "school_year": 1, "fiscal_year": 1, "quarter": 4, "month": 12}
ACCEPTED_FORMS = (
    "2024 (calendar year), 2023-24 (school year), FY2024 (fiscal year), "
    "2024-Q3 or 2024Q3 (quarter), 2024-03 (month)"
)
# The same list in messages written in the reader's language.
_ACCEPTED = Message(N_("2024 (calendar year), 2023-24 (school year), FY2024 (fiscal year), "
                       "2024-Q3 or 2024Q3 (quarter), 2024-03 (month)"))
FIRST_YEAR, LAST_YEAR = 1000, 2999  # a wider range lets typos such as 3024 through

# Each frequency's name in messages, and an example of its canonical label.
_KINDS = {"year": ("calendar year", "2024"), "school_year": ("school year", "2023-24"),
          "fiscal_year": ("fiscal year", "FY2024"), "quarter": ("quarter", "2024-Q3"),
          "month": ("month", "2024-03")}
# The same names in messages that are written in the reader's language.
_KIND_WORDS = {"year": N_("calendar year"), "school_year": N_("school year"),
               "fiscal_year": N_("fiscal year"), "quarter": N_("quarter"), "month": N_("month")}
_MONTHS_PER_STEP = {f: 12 // n for f, n in PERIODS_PER_YEAR.items()}
# Month (counted from January of year 0) in which ordinal 0 starts: school years start in July
# of their first year; a fiscal year is named for the year it ends in, so FY2024 starts July 2023.
_START_MONTH_OFFSET = {"year": 0, "school_year": 6, "fiscal_year": -6, "quarter": 0, "month": 0}
_MONTH_NAMES = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
}
_DISPLAY = {
    "en": {"year": "{year}", "school_year": "School year {label}", "fiscal_year": "FY {year}",
           "quarter": "Q{step} {year}", "month": "{month} {year}"},
    "es": {"year": "{year}", "school_year": "Año escolar {label}",
           "fiscal_year": "Año fiscal {year}", "quarter": "T{step} {year}",
           "month": "{month} {year}"},
}


class PeriodError(Refusal):
    """A value that is not a reporting period, or not one of the frequency asked for.

    ``detail`` says why as a `Message`, to be written in the reader's language. Plain text
    is accepted only for the checks of a label or ordinal the code itself made (a bug,
    not a reader's input), which need no translation.
    """

    def __init__(self, message: str | Message) -> None:
        super().__init__(message if isinstance(message, Message) else Message(message))


@functools.total_ordering
@dataclass(frozen=True)
class Period:
    """One reporting period: its frequency, canonical label and ordinal within the frequency.

    Periods of one frequency order by ordinal; comparing frequencies raises TypeError.
    """

    frequency: str
    label: str
    ordinal: int

    def __post_init__(self) -> None:
        frequency = _check_frequency(self.frequency)
        object.__setattr__(self, "frequency", frequency)  # a plain str, even from a StrEnum
        if self.label != _label(frequency, _checked_ordinal(frequency, self.ordinal)):
            raise PeriodError(f"{self.label!r} is not the label of {_KINDS[frequency][0]} "
                              f"ordinal {self.ordinal}; use parse_period or period_from_ordinal")

    def __str__(self) -> str:
        return self.label

    def __lt__(self, other: Period) -> bool:
        if not isinstance(other, Period) or other.frequency != self.frequency:
            raise TypeError(f"cannot compare the {_KINDS[self.frequency][0]} {self} with {other!r}")
        return self.ordinal < other.ordinal

    @property
    def start(self) -> dt.date:
        """First day of the period."""
        return _month_start(_start_month(self.frequency, self.ordinal))

    @property
    def end(self) -> dt.date:
        """Last day of the period (inclusive)."""
        return _month_start(_start_month(self.frequency, self.ordinal + 1)) - dt.timedelta(1)

    @property
    def years_per_step(self) -> float:
        """Length of the period in years: 1.0 for the yearly kinds, 0.25 quarter, 1/12 month."""
        return 1 / PERIODS_PER_YEAR[self.frequency]

    @property
    def mid_year(self) -> float:
        """Decimal year at the middle of the period, counting months as twelfths of a year."""
        months = _start_month(self.frequency, self.ordinal) + _MONTHS_PER_STEP[self.frequency] / 2
        return months / 12

    def display(self, lang: str = "en") -> str:
        """The period as written in prose, in English ("en") or Spanish ("es")."""
        if lang not in _DISPLAY:
            raise ValueError(f"unknown language {lang!r}: expected 'en' or 'es'")
        year, step = divmod(self.ordinal, PERIODS_PER_YEAR[self.frequency])
        return _DISPLAY[lang][self.frequency].format(
            year=year, step=step + 1, label=self.label, month=_MONTH_NAMES[lang][step % 12]
        )


def _start_month(frequency: str, ordinal: int) -> int:
    """Months from January of year 0 to the first month of the period."""
    return ordinal * _MONTHS_PER_STEP[frequency] + _START_MONTH_OFFSET[frequency]


def _month_start(month: int) -> dt.date:
    """First day of the month counted from January of year 0."""
    return dt.date(month // 12, month % 12 + 1, 1)


def _check_frequency(frequency: object) -> str:
    """The frequency as a plain string, if it is one of FREQUENCIES."""
    if frequency not in FREQUENCIES:
        raise PeriodError(Message(N_("unknown frequency {frequency!r}: expected one of "
                                     "{frequencies}"), frequency=frequency,
                                  frequencies=", ".join(FREQUENCIES)))
    return str(frequency)


def _checked_ordinal(frequency: str, ordinal: object) -> int:
    """The ordinal as an int, if it is whole and falls within FIRST_YEAR to LAST_YEAR."""
    name = _KINDS[frequency][0]
    if isinstance(ordinal, bool) or not isinstance(ordinal, numbers.Integral):
        raise PeriodError(f"{ordinal!r} is not a whole-number ordinal for a {name}")
    if not FIRST_YEAR <= int(ordinal) // PERIODS_PER_YEAR[frequency] <= LAST_YEAR:
        raise PeriodError(f"{name} ordinal {ordinal} is outside the years {FIRST_YEAR} to "
                          f"{LAST_YEAR}")
    return int(ordinal)


def _label(frequency: str, ordinal: int) -> str:
    """Canonical label of the period with this ordinal."""
    year, step = divmod(ordinal, PERIODS_PER_YEAR[frequency])
    return {"year": f"{year}", "school_year": f"{year}-{(year + 1) % 100:02d}",
            "fiscal_year": f"FY{year}", "quarter": f"{year}-Q{step + 1}",
            "month": f"{year}-{step + 1:02d}"}[frequency]


def period_from_ordinal(frequency: str, ordinal: int) -> Period:
    """The period of this frequency with this ordinal (the inverse of ``Period.ordinal``)."""
    frequency = _check_frequency(frequency)
    ordinal = _checked_ordinal(frequency, ordinal)
    return Period(frequency, _label(frequency, ordinal), ordinal)


def next_period(period: Period, steps: int = 1) -> Period:
    """The period ``steps`` periods after this one (before it, if steps is negative)."""
    return period_from_ordinal(period.frequency, period.ordinal + steps)


def period_range(first: Period, last: Period) -> list[Period]:
    """Every period from first to last, both included; empty if last comes before first."""
    _ = first < last  # raises TypeError for periods of different frequencies
    return [period_from_ordinal(first.frequency, o) for o in range(first.ordinal, last.ordinal + 1)]


# How text of each frequency's shape is read: a regex on the normalised text, and a function
# of its groups giving the ordinal, or a message saying why text of that shape is not valid.
_Y = r"([12]\d{3})"
_NOT_FOLLOWING = Message(N_("the second year must follow the first, as in 2023-24"))
_SHORT_FISCAL = Message(N_("write the four-digit year it ends in, as in FY2024"))
_BAD_QUARTER = Message(N_("quarters run from Q1 to Q4"))
_BAD_MONTH = Message(N_("months run from 01 to 12"))
_READERS: dict[str, tuple[re.Pattern[str], Callable[..., int | Message]]] = {
    "year": (re.compile(_Y), int),
    "school_year": (re.compile(_Y + r"\s*[-/]\s*(\d{2}|\d{4})"), lambda y, nxt: (
        int(y) if int(nxt) == (int(y) + 1) % 10 ** len(nxt) else _NOT_FOLLOWING)),
    "fiscal_year": (re.compile(r"FY\s*(?:" + _Y + r"|(\d{2}))"), lambda y, short: (
        int(y) if y else _SHORT_FISCAL)),
    "quarter": (re.compile(_Y + r"\s*-?\s*Q(\d)|Q(\d)\s*-?\s*" + _Y), lambda y, q, q2, y2: (
        int(y or y2) * 4 + int(q or q2) - 1 if 0 < int(q or q2) < 5 else _BAD_QUARTER)),
    "month": (re.compile(_Y + r"-(\d{2})"), lambda y, m: (
        int(y) * 12 + int(m) - 1 if 0 < int(m) < 13 else _BAD_MONTH)),
}


def _normalised(value: object) -> str:
    """The value as upper-case text with dashes as hyphens; whole numbers as calendar years."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return str(int(float(value)))  # Excel gives years as 2024.0
    return re.sub("[\u2013\u2014]", "-", str(value).strip().upper())


def _readings(value: object) -> dict[str, int | Message]:
    """Each frequency whose shape the value has: its ordinal, or why it is not valid."""
    text = _normalised(value)
    matches = {f: (regex.fullmatch(text), read) for f, (regex, read) in _READERS.items()}
    return {f: read(*match.groups()) for f, (match, read) in matches.items() if match}


def _quoted(value: object) -> str:
    return repr(value if isinstance(value, str) else str(value))


def _described(frequency: str, ordinal: int) -> Message:
    period = period_from_ordinal(frequency, ordinal)
    return Message(N_("the {kind} {period} ({start} to {end})"),
                   kind=Message(_KIND_WORDS[frequency]), period=period.label,
                   start=period.start.isoformat(), end=period.end.isoformat())


def _read_as(value: object, frequency: str, readings: dict[str, int | Message]) -> Period:
    """The period the value names as this frequency, or an error saying what was expected."""
    reading = readings.pop(frequency, Message(N_("expected a form like {example}"),
                                              example=_KINDS[frequency][1]))
    if isinstance(reading, int):
        return period_from_ordinal(frequency, reading)
    others = [_described(f, o) for f, o in readings.items() if isinstance(o, int)]
    words = {"value": _quoted(value), "kind": Message(_KIND_WORDS[frequency]),
             "reason": reading}
    if others:
        raise PeriodError(Message(N_("{value} is not a {kind}: {reason}; it reads as {other}"),
                                  **words, other=others[0]))
    raise PeriodError(Message(N_("{value} is not a {kind}: {reason}"), **words))


def parse_period(text: object, frequency: str | None = None) -> Period:
    """The period a label names, read as the given frequency or, if None, the only one it fits.

    The label is text or a whole number (a calendar year, as Excel gives 2024 or 2024.0).
    Raises PeriodError quoting the text if it is not a period, does not fit the frequency, or
    (without a frequency) fits more than one, as ``2011-12`` does.
    """
    readings = _readings(text)
    if frequency is not None:
        return _read_as(text, _check_frequency(frequency), readings)
    valid = {f: ordinal for f, ordinal in readings.items() if isinstance(ordinal, int)}
    if len(valid) == 1:
        return period_from_ordinal(*next(iter(valid.items())))
    either = N_("{first} or {rest}")
    if valid:
        raise PeriodError(Message(
            N_("{value} is ambiguous: it could be {periods}; give the frequency "
               "({frequencies}) to say which"), value=_quoted(text),
            periods=joined(either, [_described(f, o) for f, o in valid.items()]),
            frequencies=joined(either, list(valid))))
    if not readings:
        raise PeriodError(Message(N_("{value} is not a period; accepted forms are {forms}"),
                                  value=_quoted(text), forms=_ACCEPTED))
    reasons = [Message(N_("not a {kind}: {reason};"), kind=Message(_KIND_WORDS[f]), reason=why)
               for f, why in readings.items()]
    raise PeriodError(Message(N_("{value} is {reasons} accepted forms are {forms}"),
                              value=_quoted(text), reasons=joined(N_("{first} {rest}"), reasons),
                              forms=_ACCEPTED))


def check_period(text: object) -> None:
    """Raise PeriodError saying why when ``text`` names a period of no frequency at all (as
    2026-Q5 or 2024-13 do); an ambiguous label such as 2011-12 is a period."""
    readings = _readings(text)
    if any(isinstance(ordinal, int) for ordinal in readings.values()):
        return
    reasons = [r for r in readings.values() if isinstance(r, Message)]
    why = reasons[0] if len(reasons) == 1 else Message(N_("accepted forms are {forms}"),
                                                       forms=_ACCEPTED)
    raise PeriodError(Message(N_("{value} is not a valid period: {reason}"),
                              value=_quoted(text), reason=why))


def detect_frequency(text: object) -> str:
    """The frequency of an unambiguous period label, such as "quarter" for 2024Q3."""
    return parse_period(text).frequency


def _per_unique(
    values: pd.Series, frequency: str | pd.Series, compute: Callable[[Any, str], object]
) -> np.ndarray:
    """compute(value, frequency) for each row, computed once per distinct pair.

    Raises PeriodError naming the first bad value and the index of its first row.
    """
    value_codes, value_uniques = pd.factorize(values, use_na_sentinel=False)
    if isinstance(frequency, pd.Series):
        if len(frequency) != len(values):
            raise ValueError(f"{len(values)} values but {len(frequency)} frequencies")
        freq_codes, freq_uniques = pd.factorize(frequency, use_na_sentinel=False)
    else:
        freq_codes, freq_uniques = np.zeros(len(values), dtype=np.int64), [frequency]
    width = len(freq_uniques)
    codes, pairs = pd.factorize(value_codes.astype(np.int64) * width + freq_codes)
    results = []
    for code, pair in enumerate(pairs):
        try:
            results.append(compute(value_uniques[pair // width], freq_uniques[pair % width]))
        except PeriodError as error:
            row = values.index[int(np.argmax(codes == code))]
            raise PeriodError(Message(N_("{error} (first at row {row!r})"),
                                      error=error.detail, row=row)) from None
    return np.asarray(results)[codes]


def period_ordinals(labels: pd.Series, frequency: str | pd.Series) -> pd.Series:
    """Ordinal of each row's period label, read as its frequency (one, or one per row)."""
    ordinals = _per_unique(labels, frequency, lambda v, f: parse_period(v, f).ordinal)
    return pd.Series(ordinals, index=labels.index, name=labels.name, dtype=np.int64)


def labels_from_ordinals(ordinals: pd.Series, frequency: str | pd.Series) -> pd.Series:
    """Canonical label of each row's period, from its ordinal and frequency."""
    labels = _per_unique(ordinals, frequency, lambda o, f: period_from_ordinal(f, o).label)
    return pd.Series(labels, index=ordinals.index, name=ordinals.name, dtype="str")


def labels_by_frequency(ordinals: pd.Series, frequencies: pd.Series) -> pd.Series:
    """Canonical labels of period ordinals, each read with its own frequency (None where the
    ordinal is missing)."""
    out = pd.Series(None, index=ordinals.index, dtype=object)
    known = ordinals.notna().to_numpy()
    for frequency in pd.unique(frequencies[known].astype(str)):
        these = known & (frequencies.astype(str) == frequency).to_numpy()
        out[these] = labels_from_ordinals(ordinals[these].astype("int64"),
                                          frequency).to_numpy()
    return out


def period_end_dates(labels: pd.Series, frequency: str | pd.Series) -> pd.Series:
    """Last day (inclusive) of each row's period, read from its label and frequency."""
    ends = _per_unique(labels, frequency, lambda v, f: np.datetime64(parse_period(v, f).end))
    return pd.Series(ends.astype("datetime64[s]"), index=labels.index, name=labels.name)
