"""How numbers, units, periods and groups are written for readers (English and Spanish)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rba.dimensions import parse_dimension_key
from rba.i18n.formatting import format_value as i18n_format_value
from rba.i18n.formatting import is_missing  # noqa: F401  (re-exported)

MISSING = "–"
_WORDS = {
    "en": {"per": "per", "total": "Total",
           "percent": "Percent", "rate": "Rate", "count": "Count", "number": "Number",
           "currency": "Dollars", "score": "Score"},
    "es": {"per": "por", "total": "Total",
           "percent": "Porcentaje", "rate": "Tasa", "count": "Número", "number": "Número",
           "currency": "Dólares", "score": "Puntuación"},
}


def _words(lang: str) -> dict[str, str]:
    if lang not in _WORDS:
        raise ValueError(f"unknown language {lang!r}: expected 'en' or 'es'")
    return _WORDS[lang]


def format_number(value: Any, decimals: int = 1) -> str:
    """A number with thousands separators; whole numbers without decimals ("1,234")."""
    if is_missing(value):
        return MISSING
    number = float(value)
    if number.is_integer() and abs(number) >= 1 or number == 0:
        return f"{number:,.0f}"
    return f"{number:,.{decimals}f}"


def format_per(per: Any) -> str:
    """The base of a rate, such as "1,000"."""
    return format_number(per, 0) if not is_missing(per) else ""


def format_value(value: Any, unit: str, per: Any = None, lang: str = "en",
                 with_base: bool = True) -> str:
    """A figure in its unit: "82.1%", "4.2 per 1,000", "1,234", "$1,250", "3.4".

    rba.i18n's `format_value` (the one way figures are written); ``with_base=False`` leaves
    out a rate's "per 1,000", for tables whose header says it.
    """
    return i18n_format_value(value, unit, per if with_base else None, lang)


def unit_words(unit: str, per: Any = None, lang: str = "en") -> str:
    """The unit as an axis title or label: "Percent", "Rate per 1,000", "Count"."""
    words = _words(lang)
    text = words.get(unit, unit)
    if unit == "rate" and not is_missing(per):
        text += f" {words['per']} {format_per(per)}"
    return text


LabelMap = Mapping[tuple[str, str | None], str]


def series_label(dimensions: str, labels: LabelMap, order: Sequence[str] = (),
                 lang: str = "en") -> str:
    """A group in words: "Total", "City: Altadena", "Student group: Latino · City: Altadena".

    ``labels`` maps (dimension, None) to the dimension's label and (dimension, value) to the
    value's; names and values without a label are shown as they are. Dimensions come in
    ``order`` (the indicator's), then any others alphabetically.
    """
    values = parse_dimension_key(dimensions)
    if not values:
        return _words(lang)["total"]
    rank = {name: i for i, name in enumerate(order)}
    names = sorted(values, key=lambda n: (rank.get(n, len(rank)), n))
    return " · ".join(
        f"{labels.get((name, None), name.replace('_', ' ').capitalize())}: "
        f"{labels.get((name, values[name]), values[name])}"
        for name in names
    )
