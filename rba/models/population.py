"""Population accountability: results, their teams, indicators, dimensions and stories."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rba.models.base import (
    Base,
    Frequency,
    IndicatorKind,
    Polarity,
    Unit,
    choice,
    utcnow,
)


class ResultTeam(Base):
    """The people who own one or more results and meet to turn their curves."""

    __tablename__ = "result_teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_es: Mapped[str | None] = mapped_column(sa.String(200))
    facilitator: Mapped[str | None] = mapped_column(sa.String(200))
    #: Member names, one per line (stakeholders need not have a sign-in).
    members: Mapped[str | None] = mapped_column(sa.Text)

    results: Mapped[list[Result]] = relationship(back_populates="team")


class Result(Base):
    """A condition of well-being for children and families, in plain language."""

    __tablename__ = "results"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    name_es: Mapped[str | None] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    description_es: Mapped[str | None] = mapped_column(sa.Text)
    display_order: Mapped[int] = mapped_column(default=0)
    team_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("result_teams.id", ondelete="SET NULL"), index=True
    )

    team: Mapped[ResultTeam | None] = relationship(back_populates="results")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="result", order_by="Indicator.display_order"
    )


class Dimension(Base):
    """A way an indicator is disaggregated, such as student_group or city."""

    __tablename__ = "dimensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60), unique=True)
    label: Mapped[str | None] = mapped_column(sa.String(200))
    label_es: Mapped[str | None] = mapped_column(sa.String(200))

    values: Mapped[list[DimensionValue]] = relationship(
        back_populates="dimension", order_by="DimensionValue.display_order"
    )


class DimensionValue(Base):
    """One group of a dimension, such as city = Altadena."""

    __tablename__ = "dimension_values"
    __table_args__ = (sa.UniqueConstraint("dimension_id", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dimension_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dimensions.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(sa.String(200))
    label: Mapped[str | None] = mapped_column(sa.String(200))
    label_es: Mapped[str | None] = mapped_column(sa.String(200))
    display_order: Mapped[int] = mapped_column(default=0)

    dimension: Mapped[Dimension] = relationship(back_populates="values")


class Indicator(Base):
    """A measure that quantifies whether a result is being achieved."""

    __tablename__ = "indicators"
    __table_args__ = (
        sa.CheckConstraint("per IS NULL OR per > 0", name="per_positive"),
        sa.CheckConstraint("min_n IS NULL OR min_n >= 0", name="min_n_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    result_id: Mapped[int] = mapped_column(
        sa.ForeignKey("results.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(300))
    name_es: Mapped[str | None] = mapped_column(sa.String(300))
    lay_definition: Mapped[str | None] = mapped_column(sa.Text)
    lay_definition_es: Mapped[str | None] = mapped_column(sa.Text)
    technical_definition: Mapped[str | None] = mapped_column(sa.Text)
    technical_definition_es: Mapped[str | None] = mapped_column(sa.Text)
    unit: Mapped[Unit] = mapped_column(choice(Unit, "unit"))
    #: For rates: the value is per this many (e.g. 1000); null otherwise.
    per: Mapped[float | None] = mapped_column(sa.Float)
    polarity: Mapped[Polarity] = mapped_column(choice(Polarity, "polarity"))
    frequency: Mapped[Frequency] = mapped_column(choice(Frequency, "frequency"))
    kind: Mapped[IndicatorKind] = mapped_column(
        choice(IndicatorKind, "kind"), default=IndicatorKind.headline
    )
    source: Mapped[str | None] = mapped_column(sa.Text)
    source_es: Mapped[str | None] = mapped_column(sa.Text)
    #: Dimension names the indicator is disaggregated by, comma-separated, in display order.
    dimensions: Mapped[str] = mapped_column(sa.String(300), default="")
    published: Mapped[bool] = mapped_column(default=True)
    #: Smallest group size that may be published (suppression threshold); null: no limit.
    min_n: Mapped[int | None] = mapped_column()
    display_order: Mapped[int] = mapped_column(default=0)

    result: Mapped[Result] = relationship(back_populates="indicators")


class TurnTheCurveRecord(Base):
    """One saved version of an indicator's turn-the-curve exercise; every save adds a version."""

    __tablename__ = "turn_the_curve_records"
    __table_args__ = (sa.UniqueConstraint("indicator_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicators.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column()
    story_behind_the_curve: Mapped[str | None] = mapped_column(sa.Text)
    story_behind_the_curve_es: Mapped[str | None] = mapped_column(sa.Text)
    partners: Mapped[str | None] = mapped_column(sa.Text)
    partners_es: Mapped[str | None] = mapped_column(sa.Text)
    what_works: Mapped[str | None] = mapped_column(sa.Text)
    what_works_es: Mapped[str | None] = mapped_column(sa.Text)
    action_plan: Mapped[str | None] = mapped_column(sa.Text)
    action_plan_es: Mapped[str | None] = mapped_column(sa.Text)
    saved_by: Mapped[str] = mapped_column(sa.String(200))
    saved_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: "draft" (seen by the indicator's team, coordinators and admins only) or "published".
    status: Mapped[str] = mapped_column(sa.String(20), default="published",
                                        server_default="published")
    #: Who published the version (a coordinator or admin reviewing a draft, or saving it
    #: published), and when; None for a draft and for versions imported from a workbook.
    reviewed_by: Mapped[str | None] = mapped_column(sa.String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
