"""Numbers, percents, money, dates and periods written the way each language's readers expect.

Both languages format with Babel's CLDR data for a US locale: ``en`` as ``en_US`` and
``es`` as ``es_US``. The partnership's Spanish-speaking readers live in Pasadena, Altadena
and Sierra Madre, and US Spanish (like Mexican Spanish) writes ``1,234.5`` and ``45.3%``:
Babel's plain ``es`` (Spain) would write ``1.234,5`` and ``45,3 %``, which these readers
would misread next to English figures and PUSD's own Spanish materials. Words still
change: ``5 de marzo de 2024``, ``Año escolar 2023-24``.

Rounding is half away from zero (as Excel rounds, where the coordinators check figures),
not Babel's default half-to-even: 82.25 is written 82.3. A missing value is an en dash.

Units and groups are written here too: ``unit_words`` ("Rate per 1,000") and
``series_label`` ("City: Altadena"), their words from the gettext catalogue.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from babel.dates import format_date as babel_format_date
from babel.numbers import (
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
    get_plus_sign_symbol,
)

from rba.dimensions import parse_dimension_key
from rba.i18n.catalogue import translations
from rba.i18n.labels import label
from rba.i18n.languages import language, locale_of
from rba.periods import PeriodError, parse_period

MISSING = "–"
#: (dimension, None) -> the dimension's label, (dimension, value) -> the value's label.
LabelMap = Mapping[tuple[str, str | None], str]


def is_missing(value: Any) -> bool:
    """True for None, NaN, pandas' missing markers and blank text: nothing to show."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False  # a list or other container: not a missing scalar


def _rounded(value: Any, decimals: int) -> Decimal:
    """The value as a Decimal rounded half away from zero to `decimals` places."""
    number = Decimal(repr(float(value)))
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded if rounded != 0 else abs(rounded)  # never "-0.0"


def _pattern(decimals: int, signed: bool = False) -> str:
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return f"+{body};-{body}" if signed else body


@functools.cache
def _plain_symbols(locale: str) -> bool:
    """True when the locale writes numbers as Python's "," format spec does: "," between
    thousands, "." before decimals, "-" and "+" signs (en_US and es_US both do)."""
    return (get_group_symbol(locale), get_decimal_symbol(locale),
            get_minus_sign_symbol(locale), get_plus_sign_symbol(locale)) == (",", ".", "-", "+")


def _written(rounded: Decimal, decimals: int, lang: str, signed: bool = False) -> str:
    """An already rounded number as the language writes it (Babel's CLDR pattern).

    Where the locale's symbols are Python's own, the "," format spec writes exactly what
    Babel writes (a test checks this over many values) at a fraction of the cost: a table
    of figures is written hundreds of numbers at a time.
    """
    locale = locale_of(lang)
    if _plain_symbols(locale):
        return format(rounded, f"{'+' if signed else ''},.{decimals}f")
    return format_decimal(rounded, format=_pattern(decimals, signed), locale=locale,
                          decimal_quantization=True)


def format_number(value: Any, lang: str = "en", decimals: int = 1) -> str:
    """A number with the language's separators and exactly `decimals` decimals: "1,234.5"."""
    if is_missing(value) or math.isinf(float(value)):
        return MISSING
    return _written(_rounded(value, decimals), decimals, lang)


def format_whole_or_decimal(value: Any, decimals: int = 1) -> str:
    """A number as a table of counts writes it: whole numbers without decimals ("1,234"),
    others with `decimals` decimals ("12.3"), the same in every language.

    Unlike `format_number`, the decimals are dropped when the number is whole, and the
    rounding is Python's (of the binary value, half to even), not half away from zero.
    """
    if is_missing(value):
        return MISSING
    number = float(value)
    if number.is_integer() and abs(number) >= 1 or number == 0:
        return f"{number:,.0f}"
    return f"{number:,.{decimals}f}"


def format_signed(value: Any, lang: str = "en", decimals: int = 1) -> str:
    """A change with its sign: "+1.2", "-0.8"; zero (after rounding) has none: "0.0"."""
    if is_missing(value) or math.isinf(float(value)):
        return MISSING
    rounded = _rounded(value, decimals)
    return _written(rounded, decimals, lang, signed=rounded != 0)


def format_percent(value: Any, lang: str = "en", decimals: int = 1) -> str:
    """A value already in percent (45.3 means 45.3%) as the language writes it: "45.3%"."""
    if is_missing(value) or math.isinf(float(value)):
        return MISSING
    number = _written(_rounded(value, decimals), decimals, lang)
    return f"{number}%"  # en_US and es_US both write the sign right after the number


def format_currency(value: Any, lang: str = "en", decimals: int = 0) -> str:
    """Dollars: "$1,250", "-$40.50" (US dollars in both languages)."""
    if is_missing(value) or math.isinf(float(value)):
        return MISSING
    rounded = _rounded(value, decimals)
    number = _written(abs(rounded), decimals, lang)
    return f"-${number}" if rounded < 0 else f"${number}"


def format_date(value: Any, lang: str = "en", length: str = "long") -> str:
    """A date as words: "March 5, 2024" / "5 de marzo de 2024" (length: short..full)."""
    if is_missing(value):
        return MISSING
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    elif hasattr(value, "date") and not isinstance(value, dt.date):
        value = value.date()  # a pandas Timestamp
    return babel_format_date(value, format=length, locale=locale_of(lang))


def format_period(label: Any, frequency: str, lang: str = "en") -> str:
    """A period label in prose: "School year 2023-24" / "Año escolar 2023-24"."""
    if is_missing(label):
        return MISSING
    try:
        return parse_period(str(label), frequency).display(language(lang))
    except PeriodError:
        return str(label)


def format_value(value: Any, unit: str, per: Any = None, lang: str = "en",
                 decimals: int | None = None) -> str:
    """A figure in its unit: "82.1%", "4.2 per 1,000" / "4.2 por 1,000", "1,234", "$1,250".

    Default decimals: 1 for percent, rate, number and score; 0 for counts; 0 for dollars
    of 100 or more, else 2.
    """
    if is_missing(value) or math.isinf(float(value)):
        return MISSING
    if unit == "percent":
        return format_percent(value, lang, 1 if decimals is None else decimals)
    if unit == "count":
        return format_number(value, lang, 0 if decimals is None else decimals)
    if unit == "currency":
        if decimals is None:
            decimals = 0 if abs(float(value)) >= 100 else 2
        return format_currency(value, lang, decimals)
    text = format_number(value, lang, 1 if decimals is None else decimals)
    if unit == "rate" and not is_missing(per):
        _ = translations(language(lang)).gettext
        return _("{value} per {base}").format(value=text, base=format_number(per, lang, 0))
    return text


def format_change(value: Any, unit: str, lang: str = "en", decimals: int | None = None) -> str:
    """A difference in a unit's terms, signed: "+1.2 pts" (percentage points), "+$500", "-3".

    Default decimals: 0 for counts and dollars, else 1.
    """
    if is_missing(value) or math.isinf(float(value)):
        return MISSING
    if decimals is None:
        decimals = 0 if unit in ("count", "currency") else 1
    text = format_signed(value, lang, decimals)
    if unit == "currency":
        return text[0] + "$" + text[1:] if text[0] in "+-" else "$" + text
    if unit == "percent":
        _ = translations(language(lang)).gettext
        # Translators: a change in percentage points, e.g. "+1.2 pts".
        return _("{change} pts").format(change=text)
    return text


def _unit_names(lang: str) -> dict[str, str]:
    """Each unit's name as it heads an axis or a caption, in a language."""
    t = translations(language(lang))
    # Translators: a unit as it heads a chart's axis or a table ("Count" may differ here
    # from its label elsewhere).
    return {"percent": t.pgettext("unit heading", "Percent"),
            "rate": t.pgettext("unit heading", "Rate"),
            "count": t.pgettext("unit heading", "Count"),
            "number": t.pgettext("unit heading", "Number"),
            "currency": t.pgettext("unit heading", "Dollars"),
            "score": t.pgettext("unit heading", "Score")}


def unit_words(unit: str, per: Any = None, lang: str = "en") -> str:
    """The unit as an axis title or a caption names it: "Percent", "Rate per 1,000", "Count"."""
    text = _unit_names(lang).get(unit, unit)
    if unit == "rate" and not is_missing(per):
        _ = translations(language(lang)).gettext
        return _("{value} per {base}").format(value=text, base=format_whole_or_decimal(per, 0))
    return text


def series_label(dimensions: str, labels: LabelMap, order: Sequence[str] = (),
                 lang: str = "en") -> str:
    """A group in words: "Total", "City: Altadena", "Student group: Latino · City: Altadena".

    ``labels`` maps (dimension, None) to the dimension's label and (dimension, value) to the
    value's; names and values without a label are shown as they are. Dimensions come in
    ``order`` (the indicator's), then any others alphabetically. A subtotal that leaves out
    some of the ``order`` dimensions says so: "City: Altadena · Student group: all".
    """
    values = parse_dimension_key(dimensions)
    if not values:
        return label("group", "total", lang)
    rank = {name: i for i, name in enumerate(order)}
    names = sorted(values, key=lambda n: (rank.get(n, len(rank)), n))

    def dimension(name: str) -> str:
        return labels.get((name, None), name.replace("_", " ").capitalize())

    # Translators: a subtotal over every group of one dimension, e.g. "Student group: all"
    # in "City: Altadena · Student group: all" (Altadena, all student groups together).
    every = translations(language(lang)).pgettext("series label", "{dimension}: all")
    return " · ".join(
        [f"{dimension(name)}: {labels.get((name, values[name]), values[name])}"
         for name in names]
        + [every.format(dimension=dimension(name)) for name in order if name not in values])
