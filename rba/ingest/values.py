"""Vectorised parsing of the cells coordinators type: "45%", "1,234", "n/a", "−3", "yes".

Each parser takes a Series of stripped text and returns the parsed Series plus a Series of
errors (a Message where a cell is wrong, the empty string where it is fine), so a whole
column is checked at once and every problem can be reported together.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from rba.messages import N_, Message

#: Cells that mean "not available": stored as missing, never as zero.
MISSING_TOKENS = frozenset({"", "na", "n/a", "#n/a", "nan", "null", "none", "-", "--", "—"})

# ASCII digits only: Python's \d also matches full-width and other scripts' digits, which
# pandas cannot read (they became "not available" without a word).
_PLAIN = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_THOUSANDS_DOT_DECIMAL = r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
_THOUSANDS_COMMA_DECIMAL = r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?"
_COMMA_DECIMAL = r"[+-]?[0-9]+,[0-9]+"

_PLAIN_RE = re.compile(_PLAIN)

NOT_A_NUMBER = Message(N_("expected a number such as 1234, 1,234.5 or 45%"))
AMBIGUOUS = Message(N_("ambiguous number: write 1.5 for one and a half or 1,500 for fifteen "
                       "hundred, or declare a decimal-comma locale"))
AMBIGUOUS_DECIMAL_COMMA = Message(N_("ambiguous number: write 1.5 for one and a half or 1,500 "
                                     "for fifteen hundred"))
PERCENT_SIGN = Message(N_("a % sign is only allowed for percent indicators"))
NOT_FINITE = Message(N_("expected a finite number"))
NOT_WHOLE = Message(N_("expected a whole number"))
NOT_YES_NO = Message(N_("expected yes or no"))


def as_text(values: pd.Series) -> pd.Series:
    """Cells as Python strings in an object Series: "" where blank (None, NaN), else str()."""
    items = values.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(items, skipna=False) != "string":
        items = np.array(["" if v is None or v is pd.NA or v != v else str(v)
                          for v in items.tolist()], dtype=object)
    return pd.Series(items, index=values.index, dtype=object, copy=False)


def by_value(values: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """``func`` of each cell, called once per distinct value; missing cells give None."""
    codes, uniques = pd.factorize(values)
    results = np.empty(len(uniques) + 1, dtype=object)
    for i, value in enumerate(uniques):
        results[i] = func(value)
    return pd.Series(results[codes], index=values.index, dtype=object)


def by_values(columns: list[pd.Series], func: Callable[..., Any]) -> pd.Series:
    """``func(*cells)`` of each row, called once per distinct combination (blank cells: None)."""
    index = columns[0].index
    key = np.zeros(len(index), dtype=np.int64)
    coded = []
    for column in columns:
        codes, uniques = pd.factorize(column)
        # Renumber after each column, so the combined key stays below the row count.
        key = np.unique(key * (len(uniques) + 1) + (codes + 1), return_inverse=True)[1]
        coded.append((codes, uniques))
    distinct, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    results = np.empty(len(distinct), dtype=object)
    for j, row in enumerate(first.tolist()):
        results[j] = func(*[None if codes[row] < 0 else uniques[codes[row]]
                            for codes, uniques in coded])
    return pd.Series(results[inverse.reshape(-1)], index=index, dtype=object)


def is_missing(text: pd.Series) -> pd.Series:
    """True where a cell means 'not available'."""
    return by_value(as_text(text), _is_missing_token).astype(bool)


def _is_missing_token(text: str) -> bool:
    return len(text) < 5 and text.lower() in MISSING_TOKENS


def parse_numbers(
    text: pd.Series, *, percent_allowed: pd.Series | bool = True, decimal_comma: bool = False
) -> tuple[pd.Series, pd.Series]:
    """Numbers from text cells, and an error message per cell ("" where fine).

    Accepts ``1234``, ``1,234.5`` (or ``1.234,5`` with ``decimal_comma``), ``45%`` and
    ``45 %`` where ``percent_allowed``, a Unicode minus, and a leading ``$``. A lone comma
    such as ``1,5`` is ambiguous without a declared locale and is rejected, not guessed.
    """
    if isinstance(percent_allowed, pd.Series):
        return _parse_numbers(text, percent_allowed, decimal_comma)
    # Each distinct cell text is read once (a column of figures repeats itself a lot).
    codes, uniques = pd.factorize(as_text(text))
    numbers, errors = _parse_numbers(pd.Series(np.asarray(uniques, dtype=object), dtype=object),
                                     percent_allowed, decimal_comma)
    return (pd.Series(numbers.to_numpy()[codes], index=text.index, dtype="float64"),
            pd.Series(errors.to_numpy()[codes], index=text.index, dtype=object))


def _parse_numbers(
    text: pd.Series, percent_allowed: pd.Series | bool, decimal_comma: bool
) -> tuple[pd.Series, pd.Series]:
    text = pd.Series([t.strip() for t in as_text(text).tolist()], index=text.index,
                     dtype=object)
    plain = pd.to_numeric(text, errors="coerce").astype("float64")
    finite = np.isfinite(plain.to_numpy()) & text.map(_is_plain_ascii).to_numpy(dtype=bool)
    if finite.sum() + is_missing(text).sum() == len(text):
        # Fast path: every cell is a plain number or missing (most files).
        return plain.where(finite), pd.Series("", index=text.index, dtype="object")
    cleaned = (
        text.str.replace("\u2212", "-", regex=False)
        .str.replace("\u00a0", "", regex=False)
        .str.replace(r"^([+-]?)\$\s*", r"\1", regex=True)
    )
    has_percent = cleaned.str.endswith("%")
    body = cleaned.str.replace(r"\s*%$", "", regex=True).str.strip()
    if decimal_comma:
        grouped = body.str.fullmatch(_THOUSANDS_COMMA_DECIMAL) | body.str.fullmatch(_COMMA_DECIMAL)
        normal = body.where(~grouped, body.str.replace(".", "", regex=False).str.replace(
            ",", ".", regex=False))
        ambiguous = body.str.fullmatch(_THOUSANDS_DOT_DECIMAL) & ~grouped
    else:
        grouped = body.str.fullmatch(_THOUSANDS_DOT_DECIMAL)
        normal = body.where(~grouped, body.str.replace(",", "", regex=False))
        ambiguous = body.str.fullmatch(r"[+-]?[0-9.,]*,[0-9.,]*") & ~grouped
    valid = normal.str.fullmatch(_PLAIN).fillna(False).astype(bool)
    numbers = pd.to_numeric(normal.where(valid), errors="coerce").astype("float64")
    missing = is_missing(text)
    allowed = percent_allowed if isinstance(percent_allowed, pd.Series) else pd.Series(
        percent_allowed, index=text.index)
    errors = pd.Series("", index=text.index, dtype="object")
    errors[~valid & ~missing] = NOT_A_NUMBER
    errors[ambiguous.fillna(False) & ~missing] = (
        AMBIGUOUS_DECIMAL_COMMA if decimal_comma else AMBIGUOUS)
    errors[has_percent & ~allowed.astype(bool) & valid] = PERCENT_SIGN
    errors[valid & ~np.isfinite(numbers.fillna(0))] = NOT_FINITE
    # Whatever is neither a number read nor a "not available" token is refused, never
    # stored as missing without a word.
    errors[numbers.isna() & ~missing & (errors == "")] = NOT_A_NUMBER
    numbers[missing | (errors != "")] = np.nan
    return numbers, errors


def _is_plain_ascii(text: str) -> bool:
    return text.isascii() and _PLAIN_RE.fullmatch(text) is not None


def parse_integers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole numbers from text cells (``12``, ``12.0``, ``1,200``), and errors."""
    numbers, errors = parse_numbers(text, percent_allowed=False)
    fractional = numbers.notna() & (numbers != numbers.round())
    errors = errors.where(~fractional, NOT_WHOLE)
    return numbers.where(~fractional), errors


def parse_yes_no(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """True / False / missing from yes, no, true, false, 1, 0, sí (and blank), and errors."""
    lowered = text.astype("string").fillna("").str.strip().str.lower()
    truthy = lowered.isin({"yes", "y", "true", "1", "si", "sí", "x"})
    falsy = lowered.isin({"no", "n", "false", "0"})
    result = pd.Series(pd.NA, index=text.index, dtype="boolean")
    result[truthy] = True
    result[falsy] = False
    errors = pd.Series("", index=text.index, dtype="object")
    errors[~truthy & ~falsy & (lowered != "")] = NOT_YES_NO
    return result, errors


def parse_choices(text: pd.Series, choices: tuple[str, ...]) -> tuple[pd.Series, pd.Series]:
    """A value from a fixed list, case-insensitively (blank stays blank), and errors."""
    lowered = by_value(as_text(text), lambda t: t.strip().lower().replace(" ", "_"))
    errors = pd.Series("", index=text.index, dtype="object")
    errors[~lowered.isin(choices) & (lowered != "")] = Message(
        N_("expected one of: {choices}"), choices=", ".join(choices))
    return lowered.where(lowered.isin(choices), ""), errors
