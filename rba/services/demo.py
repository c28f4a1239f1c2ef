"""The bundled sample: its data (data/sample/*.csv) loaded through the ordinary import path,
one demo user per role, and the sample's agreed baselines."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from rba.calc import frozen_baseline
from rba.periods import parse_period
from rba.plan import ImportPlan
from rba.problems import InputRejected
from rba.report.curves import indicator_curves
from rba.services import imports, people
from rba.store import baselines, catalogue, figures


def load_sample(*, session: Session, sample_dir: Path, actor: str
                ) -> tuple[ImportPlan, str | None]:
    """Load the sample; a second load changes nothing and writes no batch."""
    plan = imports.plan_folder(session=session, folder=sample_dir)
    if plan.problems:
        raise InputRejected(plan.problems)
    if not plan.has_changes:
        return plan, None
    return plan, imports.apply(session=session, plan=plan, actor=actor, source="cli",
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


def ensure_demo_users(*, session: Session, actor: str,
                      password: str | None = None) -> list[tuple[str, str, str]]:
    """Create the demo users that do not exist yet; return (email, role, password) of new ones."""
    made = []
    teams = catalogue.result_teams_frame(session=session)["team"].tolist()
    existing = {u["email"] for u in people.list_users(session=session)}
    for email, role, team in DEMO_USERS:
        if email in existing:
            continue
        team_slug = team if team in teams else (teams[0] if teams and team else None)
        secret = demo_password(role, password)
        people.add_user(session=session, email=email, role=role, team=team_slug,
                        password=secret, actor=actor, name=f"Demo {role.replace('_', ' ')}")
        made.append((email, role, secret))
    return made


#: The sample's agreed baselines: headline indicators' history through 2022-23, frozen with
#: `auto` as the partnership would have agreed them in 2023 (illustrative). Agreed earlier,
#: through 2020-21, every history would end in the pandemic's shock, and some forecasts
#: fell to 0 (`rba baseline candidates` flags both).
DEMO_BASELINE_THROUGH = {"year": "2022", "school_year": "2022-23", "quarter": "2022-Q4",
                         "fiscal_year": "FY2023", "month": "2022-12"}


def freeze_demo_baselines(*, session: Session, actor: str) -> int:
    """Freeze the sample's headline totals' baselines once; return how many were frozen now.

    One read and one group-wise fit for every headline indicator (rba.calc), then one
    audited freeze per indicator.
    """
    if baselines.any_baseline(session=session):
        return 0
    table = catalogue.indicator_table(session=session, published_only=False)
    codes = sorted(table.loc[table["kind"] == "headline", "indicator"])
    inputs = figures.curve_inputs(session=session, codes=codes)
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
        frozen += len(baselines.freeze(session=session, code=code, points=mine,
                                       summary=agreed, actor=actor,
                                       note="Illustrative: agreed in 2023"))
    return frozen
