"""Declarative base with a naming convention so Alembic names every constraint the same way."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time in UTC (timezone-aware)."""
    return datetime.now(UTC)


def choice(enum_class: type[enum.Enum], name: str) -> sa.Enum:
    """A string column limited to an enum's values, enforced by a CHECK constraint."""
    return sa.Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
    )


class Unit(enum.StrEnum):
    percent = "percent"
    rate = "rate"
    count = "count"  # type: ignore[assignment]  # the users' word; shadows str.count
    number = "number"
    currency = "currency"
    score = "score"


class Polarity(enum.StrEnum):
    up = "up"
    down = "down"


class Frequency(enum.StrEnum):
    year = "year"
    school_year = "school_year"
    fiscal_year = "fiscal_year"
    quarter = "quarter"
    month = "month"


class IndicatorKind(enum.StrEnum):
    headline = "headline"
    secondary = "secondary"
    development = "development"


class ObservationStatus(enum.StrEnum):
    provisional = "provisional"
    final = "final"


class PartnerType(enum.StrEnum):
    school_district = "school_district"
    city = "city"
    county = "county"
    nonprofit = "nonprofit"
    business = "business"
    faith = "faith"
    other = "other"


class MeasureKind(enum.StrEnum):
    how_much = "how_much"
    how_well = "how_well"
    better_off = "better_off"


class Role(enum.StrEnum):
    admin = "admin"
    coordinator = "coordinator"
    team_member = "team_member"
    viewer = "viewer"


class AuditSource(enum.StrEnum):
    """How a batch came in: a form on a page, an uploaded file, the entry grid, an undo
    (from a page), an import or a command on the CLI, or the API."""

    form = "form"
    import_ = "import"
    cli = "cli"
    api = "api"
    upload = "upload"
    grid = "grid"
    undo = "undo"
