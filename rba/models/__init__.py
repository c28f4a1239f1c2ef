"""The store's tables as SQLAlchemy 2 declarative models."""

from rba.models.base import (
    AuditSource,
    Base,
    Frequency,
    IndicatorKind,
    MeasureKind,
    ObservationStatus,
    PartnerType,
    Polarity,
    Role,
    Unit,
)
from rba.models.data import (
    Baseline,
    BaselinePoint,
    Observation,
    ObservationRevision,
    PeriodLock,
    Target,
)
from rba.models.people import AuditEvent, Batch, SignInAttempt, User
from rba.models.performance import (
    Partner,
    PerformanceMeasure,
    Program,
    program_indicators,
    program_partners,
    program_results,
)
from rba.models.population import (
    Dimension,
    DimensionValue,
    Indicator,
    Result,
    ResultTeam,
    TurnTheCurveRecord,
)

__all__ = [
    "AuditEvent",
    "AuditSource",
    "Base",
    "Baseline",
    "BaselinePoint",
    "Batch",
    "Dimension",
    "DimensionValue",
    "Frequency",
    "Indicator",
    "IndicatorKind",
    "MeasureKind",
    "Observation",
    "ObservationRevision",
    "ObservationStatus",
    "Partner",
    "PartnerType",
    "PerformanceMeasure",
    "PeriodLock",
    "Polarity",
    "Program",
    "Result",
    "ResultTeam",
    "Role",
    "SignInAttempt",
    "Target",
    "TurnTheCurveRecord",
    "Unit",
    "User",
    "program_indicators",
    "program_partners",
    "program_results",
]
