"""Load the bundled sample data (data/sample/*.csv) through the ordinary import path."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from rba.ingest import ImportPlan, InputRejected, plan_sheets
from rba.store.writes import apply_plan
from rba.workbook.read import read_csv
from rba.workbook.spec import SHEETS


def plan_sample(session: Session, sample_dir: Path) -> ImportPlan:
    """The plan for loading every sheet's CSV found in ``sample_dir``."""
    sheets = [
        read_csv((sample_dir / f"{spec.name}.csv").read_bytes(), f"{spec.name}.csv", spec.name)
        for spec in SHEETS
        if (sample_dir / f"{spec.name}.csv").exists()
    ]
    if not sheets:
        raise FileNotFoundError(f"no sample CSVs in {sample_dir}")
    return plan_sheets(session, sheets, file=str(sample_dir))


def load_sample(session: Session, sample_dir: Path, *, actor: str) -> tuple[ImportPlan, str | None]:
    """Load the sample; a second load changes nothing and writes no batch."""
    plan = plan_sample(session, sample_dir)
    if plan.problems:
        raise InputRejected(plan.problems)
    if not plan.has_changes:
        return plan, None
    return plan, apply_plan(session, plan, actor=actor, source="cli",
                            description="rba demo: bundled sample data")


#: One demo user per role: (email, role, team slug). Passwords: "rba-demo-<role>" unless
#: RBA_DEMO_PASSWORD is set. For trying the dashboard only; never on a real deployment.
DEMO_USERS = [
    ("admin@demo.rba", "admin", None),
    ("coordinator@demo.rba", "coordinator", None),
    ("team@demo.rba", "team_member", "academic-success"),
    ("viewer@demo.rba", "viewer", None),
]


def demo_password(role: str, override: str | None = None) -> str:
    """The demo password of a role (the override, when given, for every role)."""
    return override or f"rba-demo-{role.replace('_', '-')}"


def ensure_demo_users(session: Session, *, actor: str,
                      password: str | None = None) -> list[tuple[str, str, str]]:
    """Create the demo users that do not exist yet; return (email, role, password) of new ones."""
    import sqlalchemy as sa

    from rba.models import ResultTeam, User
    from rba.store.users import add_user

    made = []
    teams = list(session.scalars(sa.select(ResultTeam.slug).order_by(ResultTeam.slug)))
    for email, role, team in DEMO_USERS:
        if session.scalar(sa.select(User.id).where(User.email == email)):
            continue
        team_slug = team if team in teams else (teams[0] if teams and team else None)
        secret = demo_password(role, password)
        add_user(session=session, email=email, role=role, team=team_slug, password=secret,
                 actor=actor, name=f"Demo {role.replace('_', ' ')}")
        made.append((email, role, secret))
    return made


#: The sample's agreed baselines: headline indicators' history through 2020-21, frozen as
#: the partnership would have agreed them in 2021 (illustrative).
DEMO_BASELINE_THROUGH = {"year": "2020", "school_year": "2020-21", "quarter": "2020-Q4",
                         "fiscal_year": "FY2021", "month": "2020-12"}


def freeze_demo_baselines(session: Session, *, actor: str) -> int:
    """Freeze the sample's headline totals' baselines once; return how many were frozen now.

    One read and one group-wise fit for every headline indicator (rba.calc), then one
    audited freeze per indicator.
    """
    import sqlalchemy as sa

    from rba.calc import frozen_baseline
    from rba.models import Baseline, Indicator, IndicatorKind
    from rba.periods import parse_period
    from rba.report.curves import indicator_curves
    from rba.store.baselines import freeze
    from rba.store.queries import curve_inputs

    if session.scalar(sa.select(sa.func.count()).select_from(Baseline)):
        return 0
    codes = list(session.scalars(sa.select(Indicator.code).where(
        Indicator.kind == IndicatorKind.headline).order_by(Indicator.code)))
    inputs = curve_inputs(session=session, indicators=codes)
    if inputs.observations.empty:
        return 0
    frequency = inputs.indicators.set_index("indicator")["frequency"].astype(str)
    label = {code: DEMO_BASELINE_THROUGH[f] for code, f in frequency.items()}
    through = {f"{code}:{{}}": parse_period(label[code], frequency[code]).ordinal
               for code in frequency.index}  # the totals, given or rolled up
    rows, summary = indicator_curves(inputs, history_through=through, use_frozen=False)
    totals = summary[(summary["dimensions"].astype(str) == "{}")
                     & summary["series"].astype(str).isin(through)].copy()
    points = frozen_baseline(rows, totals)
    totals["history_through"] = totals["indicator"].astype(str).map(label)
    frozen = 0
    for code, agreed in totals.groupby(totals["indicator"].astype(str), sort=True):
        mine = points[points["series"].isin(agreed["series"].astype(str))]
        if mine.empty:
            continue
        frozen += len(freeze(session=session, code=code, points=mine, summary=agreed,
                             actor=actor, note="Illustrative: agreed in 2021"))
    return frozen
