"""Performance accountability: partners, programs and their performance measures."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rba.models.base import Base, Frequency, MeasureKind, PartnerType, Polarity, Unit, choice

program_partners = sa.Table(
    "program_partners",
    Base.metadata,
    sa.Column("program_id", sa.ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("partner_id", sa.ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
)

program_results = sa.Table(
    "program_results",
    Base.metadata,
    sa.Column("program_id", sa.ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("result_id", sa.ForeignKey("results.id", ondelete="CASCADE"), primary_key=True),
)

program_indicators = sa.Table(
    "program_indicators",
    Base.metadata,
    sa.Column("program_id", sa.ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "indicator_id", sa.ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Partner(Base):
    """An organisation with a role to play: district, city, county, nonprofit, business..."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    type: Mapped[PartnerType] = mapped_column(choice(PartnerType, "partner_type"))
    website: Mapped[str | None] = mapped_column(sa.String(300))


class Program(Base):
    """A program or strategy that contributes to results."""

    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    name_es: Mapped[str | None] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    description_es: Mapped[str | None] = mapped_column(sa.Text)
    lead_partner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("partners.id", ondelete="SET NULL"), index=True
    )
    #: Who the program serves, in words (e.g. "Grades 9-12, Northwest Pasadena").
    population: Mapped[str | None] = mapped_column(sa.Text)
    #: Annual funding in dollars, where known.
    annual_funding: Mapped[float | None] = mapped_column(sa.Float)

    lead_partner: Mapped[Partner | None] = relationship(foreign_keys=[lead_partner_id])
    partners: Mapped[list[Partner]] = relationship(
        secondary=program_partners, order_by="Partner.name"
    )
    results: Mapped[list["Result"]] = relationship(  # noqa: UP037
        secondary=program_results, order_by="Result.display_order"
    )
    indicators: Mapped[list["Indicator"]] = relationship(  # noqa: UP037
        secondary=program_indicators, order_by="Indicator.code"
    )
    measures: Mapped[list[PerformanceMeasure]] = relationship(
        back_populates="program", order_by="PerformanceMeasure.display_order"
    )


class PerformanceMeasure(Base):
    """How much did we do? How well did we do it? Is anyone better off?"""

    __tablename__ = "performance_measures"
    __table_args__ = (sa.CheckConstraint("per IS NULL OR per > 0", name="per_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(300))
    name_es: Mapped[str | None] = mapped_column(sa.String(300))
    kind: Mapped[MeasureKind] = mapped_column(choice(MeasureKind, "measure_kind"))
    unit: Mapped[Unit] = mapped_column(choice(Unit, "unit"))
    per: Mapped[float | None] = mapped_column(sa.Float)
    polarity: Mapped[Polarity] = mapped_column(choice(Polarity, "polarity"))
    frequency: Mapped[Frequency] = mapped_column(choice(Frequency, "frequency"))
    display_order: Mapped[int] = mapped_column(default=0)

    program: Mapped[Program] = relationship(back_populates="measures")


from rba.models.population import Indicator, Result  # noqa: E402,F401  (for the annotations)
