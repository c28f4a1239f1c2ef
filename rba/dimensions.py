"""Dimension keys: how one combination of dimension values is named in the store.

A disaggregated observation carries values for some of its indicator's dimensions, e.g.
``{"city": "Altadena", "student_group": "Latino"}``; a dimension left out means the total
over it. The store keeps the combination as canonical JSON (sorted keys, no spaces), so the
same combination always has the same key and ``"{}"`` is the all-up total.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

TOTAL_KEY = "{}"


def dimension_key(values: Mapping[str, object]) -> str:
    """Canonical key of a combination of dimension values; blanks mean 'total' and are dropped."""
    clean = {
        str(name): str(value).strip()
        for name, value in values.items()
        if value is not None and str(value).strip() != "" and str(value) != "nan"
    }
    return json.dumps(dict(sorted(clean.items())), ensure_ascii=False, separators=(",", ":"))


def parse_dimension_key(key: str) -> dict[str, str]:
    """The combination of dimension values a key names (``{}`` for the total)."""
    if not key:
        return {}
    value = json.loads(key)
    if not isinstance(value, dict):
        raise ValueError(f"not a dimension key: {key!r}")
    return {str(k): str(v) for k, v in value.items()}


def split_dimension_names(text: str | None) -> list[str]:
    """Dimension names from a comma-separated cell such as ``"student_group, city"``."""
    if not text:
        return []
    names = [part.strip() for part in str(text).split(",")]
    return [name for name in names if name]


def where_key(pairs: Iterable[str]) -> str:
    """The dimension key of ``DIM=VALUE`` pairs, the form of the CLI's ``--where`` and of
    shared addresses (``?where=city=Altadena``); no pairs: the total.

    Raises ValueError naming the pair when one is not ``DIM=VALUE`` or names a dimension
    twice.
    """
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = str(pair).partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise ValueError(f"{pair!r}: expected DIM=VALUE, e.g. city=Altadena")
        if name in values:
            raise ValueError(f"{pair!r}: the dimension {name!r} is named twice")
        values[name] = value
    return dimension_key(values)
