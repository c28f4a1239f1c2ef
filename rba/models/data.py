"""Figures: observations with their revision history, targets and frozen baselines.

An observation or target belongs to exactly one indicator (population accountability) or
one performance measure (performance accountability), so both kinds of figure share one
import path, one revision history and one set of calculations.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rba.dimensions import TOTAL_KEY
from rba.models.base import Base, ObservationStatus, choice, utcnow

ONE_OWNER = "(indicator_id IS NULL) <> (measure_id IS NULL)"


def owner_index(table: str, owner: str, *columns: str, unique: bool = False) -> sa.Index:
    """An index on an owner column and more, over only the rows that owner column names.

    A figure has exactly one owner, so each row needs an entry in one of the two owner
    indexes only. Uniqueness is unchanged: rows with a null owner never conflicted.
    """
    where = sa.text(f"{owner} IS NOT NULL")
    prefix = "uq" if unique else "ix"
    return sa.Index(f"{prefix}_{table}_{'_'.join((owner, *columns))}", owner, *columns,
                    unique=unique, sqlite_where=where, postgresql_where=where)


def _indicator_fk(index: bool = True) -> Mapped[int | None]:
    return mapped_column(sa.ForeignKey("indicators.id", ondelete="CASCADE"), index=index)


def _measure_fk(index: bool = True) -> Mapped[int | None]:
    return mapped_column(
        sa.ForeignKey("performance_measures.id", ondelete="CASCADE"), index=index
    )


class Observation(Base):
    """The current value of one indicator or measure for one period and group."""

    __tablename__ = "observations"
    __table_args__ = (
        owner_index("observations", "indicator_id", "period", "dimensions", unique=True),
        owner_index("observations", "measure_id", "period", "dimensions", unique=True),
        sa.CheckConstraint(ONE_OWNER, name="one_owner"),
        sa.CheckConstraint("denominator IS NULL OR denominator >= 0", name="denominator"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No separate index: the unique indexes above lead with these columns.
    indicator_id: Mapped[int | None] = _indicator_fk(index=False)
    measure_id: Mapped[int | None] = _measure_fk(index=False)
    #: Canonical period label, e.g. 2024, 2023-24, FY2024, 2024-Q3, 2024-03.
    period: Mapped[str] = mapped_column(sa.String(16))
    #: Canonical JSON of the dimension values; "{}" is the total (see rba.dimensions).
    dimensions: Mapped[str] = mapped_column(sa.String(400), default=TOTAL_KEY)
    value: Mapped[float | None] = mapped_column(sa.Float)
    numerator: Mapped[float | None] = mapped_column(sa.Float)
    denominator: Mapped[float | None] = mapped_column(sa.Float)
    status: Mapped[ObservationStatus] = mapped_column(
        choice(ObservationStatus, "status"), default=ObservationStatus.provisional
    )
    note: Mapped[str | None] = mapped_column(sa.Text)
    #: Far from the series' history when entered (robust z-score); accepted with a note.
    outlier: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    revision: Mapped[int] = mapped_column(default=1)
    entered_by: Mapped[str] = mapped_column(sa.String(200))
    entered_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    batch_id: Mapped[str | None] = mapped_column(sa.ForeignKey("batches.id"), index=True)

    revisions: Mapped[list[ObservationRevision]] = relationship(
        back_populates="observation", order_by="ObservationRevision.revision"
    )


class ObservationRevision(Base):
    """Every value a figure has ever had; the latest equals the current observation."""

    __tablename__ = "observation_revisions"
    __table_args__ = (
        sa.UniqueConstraint("observation_id", "revision"),
        owner_index("observation_revisions", "indicator_id"),
        owner_index("observation_revisions", "measure_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Null once the observation itself was withdrawn (an undone import): history stays.
    observation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("observations.id", ondelete="SET NULL"), index=False
    )  # indexed by the unique constraint (observation_id, revision)
    # The revision names its figure itself, so it outlives the observation row.
    indicator_id: Mapped[int | None] = _indicator_fk(index=False)
    measure_id: Mapped[int | None] = _measure_fk(index=False)
    period: Mapped[str] = mapped_column(sa.String(16))
    dimensions: Mapped[str] = mapped_column(sa.String(400), default=TOTAL_KEY)
    revision: Mapped[int] = mapped_column()
    value: Mapped[float | None] = mapped_column(sa.Float)
    numerator: Mapped[float | None] = mapped_column(sa.Float)
    denominator: Mapped[float | None] = mapped_column(sa.Float)
    status: Mapped[ObservationStatus] = mapped_column(choice(ObservationStatus, "status"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    entered_by: Mapped[str] = mapped_column(sa.String(200))
    entered_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    batch_id: Mapped[str | None] = mapped_column(sa.ForeignKey("batches.id"), index=True)

    observation: Mapped[Observation | None] = relationship(back_populates="revisions")


class Target(Base):
    """A value wanted by a period; never part of the indicator's definition."""

    __tablename__ = "targets"
    __table_args__ = (
        sa.UniqueConstraint("indicator_id", "period", "dimensions"),
        sa.UniqueConstraint("measure_id", "period", "dimensions"),
        sa.CheckConstraint(ONE_OWNER, name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int | None] = _indicator_fk()
    measure_id: Mapped[int | None] = _measure_fk()
    period: Mapped[str] = mapped_column(sa.String(16))
    dimensions: Mapped[str] = mapped_column(sa.String(400), default=TOTAL_KEY)
    value: Mapped[float] = mapped_column(sa.Float)
    rationale: Mapped[str | None] = mapped_column(sa.Text)
    set_by: Mapped[str] = mapped_column(sa.String(200))
    set_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Baseline(Base):
    """A forecast agreed by partners and frozen: later actuals are judged against it."""

    __tablename__ = "baselines"
    __table_args__ = (sa.CheckConstraint("level > 0 AND level < 1", name="level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicators.id", ondelete="CASCADE"), index=True
    )
    dimensions: Mapped[str] = mapped_column(sa.String(400), default=TOTAL_KEY)
    #: The last period of history the forecast was fitted on.
    history_through: Mapped[str] = mapped_column(sa.String(16))
    method: Mapped[str] = mapped_column(sa.String(20))
    level: Mapped[float] = mapped_column(sa.Float, default=0.95)
    #: A hand-set baseline value for baseline % change (default: the first actual).
    baseline_value: Mapped[float | None] = mapped_column(sa.Float)
    note: Mapped[str | None] = mapped_column(sa.Text)
    agreed_by: Mapped[str] = mapped_column(sa.String(200))
    agreed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    points: Mapped[list[BaselinePoint]] = relationship(
        back_populates="baseline", cascade="all, delete-orphan"
    )


class BaselinePoint(Base):
    """One period of a frozen baseline's forecast, with its prediction interval if any."""

    __tablename__ = "baseline_points"
    __table_args__ = (sa.UniqueConstraint("baseline_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    baseline_id: Mapped[int] = mapped_column(
        sa.ForeignKey("baselines.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(sa.String(16))
    forecast: Mapped[float] = mapped_column(sa.Float)
    lower: Mapped[float | None] = mapped_column(sa.Float)
    upper: Mapped[float | None] = mapped_column(sa.Float)
    #: The inner (80%) band from the same fit (None: frozen before it was kept).
    lower_80: Mapped[float | None] = mapped_column(sa.Float)
    upper_80: Mapped[float | None] = mapped_column(sa.Float)

    baseline: Mapped[Baseline] = relationship(back_populates="points")


class PeriodLock(Base):
    """A period whose values are final for one indicator or measure: nothing may change them."""

    __tablename__ = "period_locks"
    __table_args__ = (
        sa.UniqueConstraint("indicator_id", "period"),
        sa.UniqueConstraint("measure_id", "period"),
        sa.CheckConstraint(ONE_OWNER, name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int | None] = _indicator_fk()
    measure_id: Mapped[int | None] = _measure_fk()
    period: Mapped[str] = mapped_column(sa.String(16))
    locked_by: Mapped[str] = mapped_column(sa.String(200))
    locked_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class TargetProposal(Base):
    """A target a result team proposes; a coordinator or admin accepts or declines it."""

    __tablename__ = "target_proposals"
    __table_args__ = (
        sa.CheckConstraint("status IN ('proposed', 'accepted', 'declined')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(sa.String(16))
    dimensions: Mapped[str] = mapped_column(sa.String(400), default=TOTAL_KEY)
    value: Mapped[float] = mapped_column(sa.Float)
    rationale: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(10), default="proposed")
    proposed_by: Mapped[str] = mapped_column(sa.String(200))
    proposed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(sa.String(200))
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: Why the coordinator or admin accepted or declined it.
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
