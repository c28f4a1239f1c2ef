"""Changes and audit records in the reader's words: an indicator's (or measure's) name, the
period in prose and the group's labels ("Graduation rate · School year 2023-24 · City:
Altadena"), never the stored keys (``grad_rate|2023-24|{"city":"Altadena"}``).

The upload page, the entry grid, the batch page and the undo preview all name records here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rba.dimensions import split_dimension_names
from rba.i18n import label_map, localized
from rba.i18n.formatting import format_period, series_label
from rba.i18n.labels import label
from rba.sheets import spanish_header
from rba.store import catalogue, names

__all__ = ["FIGURE_ENTITIES", "Namer", "action_words", "column_words", "field_words", "namer",
           "sheet_words", "source_words"]

#: Audit entities whose id is "owner|period|dimensions" (or "owner|period" for a lock).
FIGURE_ENTITIES = frozenset({"observation", "target", "measure_observation", "measure_target",
                             "period_lock", "measure_period_lock"})


@dataclass(frozen=True)
class Namer:
    """Names figures in one language, knowing the indicators, measures and group labels."""

    owners: dict[str, dict[str, Any]]
    labels: dict[tuple[str, str | None], str]
    lang: str

    def owner(self, code: str) -> str:
        """An indicator's or measure's name in the language (its code if unknown)."""
        row = self.owners.get(code)
        return str(localized(row, "name", self.lang) or code) if row else code

    def period(self, code: str, period: str) -> str:
        """The period in prose for that indicator's frequency: "School year 2023-24"."""
        row = self.owners.get(code)
        return format_period(period, row["frequency"], self.lang) if row else period

    def group(self, code: str, dimensions: str) -> str:
        """The group in words: "Total", "City: Altadena"."""
        row = self.owners.get(code) or {}
        order = split_dimension_names(row.get("dimensions"))
        try:
            return series_label(dimensions or "{}", self.labels, order, self.lang)
        except ValueError:
            return dimensions

    def figure(self, code: str, period: str, dimensions: str | None = None) -> str:
        """A figure: "Graduation rate · School year 2023-24 · Total" (no group: a lock)."""
        parts = [self.owner(code), self.period(code, period)]
        if dimensions is not None:
            parts.append(self.group(code, dimensions))
        return " · ".join(parts)

    def entity(self, entity: str, entity_id: str) -> str:
        """An audit event's record in words: a figure or lock by name, period and group; any
        other record by its key."""
        if entity not in FIGURE_ENTITIES or "|" not in entity_id:
            return entity_id
        code, period, *rest = entity_id.split("|", 2)
        return self.figure(code, period, rest[0] if rest else None)


def namer(*, session: Session, codes: Iterable[str], lang: str = "en") -> Namer:
    """A Namer for the indicators and measures with these codes, in ``lang``."""
    frame = names.owner_names(session=session, codes=codes)
    labels = label_map(catalogue.dimension_labels(session=session), lang)
    return Namer({r["owner"]: r for r in frame.to_dict("records")}, labels, lang)


def source_words(source: object, lang: str = "en") -> str:
    """How a batch came in, in words: "upload", "entry grid", "undo", "command line"."""
    return label("source", getattr(source, "value", source), lang)


def action_words(action: str, lang: str = "en") -> str:
    """What happened to a record: "added", "changed", "withdrawn", "deleted"."""
    return label("action", action, lang)


def field_words(field: str, lang: str = "en") -> str:
    """A field of a figure in words: "value", "numerator"... (others as they are)."""
    return label("field", field, lang)


def sheet_words(sheet: str, lang: str = "en") -> str:
    """A sheet's name as the reader's template names it ("observaciones" in Spanish)."""
    return spanish_header(sheet) if lang == "es" else sheet


def column_words(column: str | None, lang: str = "en") -> str:
    """A column's header as the reader's template heads it ("valor" in Spanish)."""
    if not column:
        return ""
    return spanish_header(column) if lang == "es" else column
