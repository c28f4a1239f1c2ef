"""The target form shows what a team weighs a target against: the latest figure, the
baseline's next periods and the targets already set, for the chosen indicator and group."""

from __future__ import annotations

from dash import Dash
from factories import as_user, by_id, text

from dashboards import ids
from dashboards.components import target_context
from rba.services.targets import target_context as context_of


def panel(app: Dash, code: str, group: str | None = None, role: str = "team_member",
          lang: str = "en") -> object:
    with as_user(app, role, f"/targets?lang={lang}"):
        return target_context.series_context(code, group)


def test_the_form_shows_the_latest_figure_forecast_and_targets(app: Dash) -> None:
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        found = context_of(session=session, code="grad_rate")
    assert found is not None
    shown = panel(app, "grad_rate")
    assert text(by_id(shown, ids.TARGETS_CONTEXT_LATEST)) == "82.1% (2023-24)"
    forecast = text(by_id(shown, ids.TARGETS_CONTEXT_FORECAST))
    first = found["forecast"][0]
    assert forecast.startswith(f"{first['period']}: ")
    assert [f["period"] for f in found["forecast"]] == ["2024-25", "2025-26", "2026-27"]
    targets = text(by_id(shown, ids.TARGETS_CONTEXT_TARGETS))
    assert targets == "; ".join(f"{t['period']}: {t['value']:.1f}%" for t in found["targets"])
    assert found["targets"], "the seeded store has a target for grad_rate"


def test_a_group_without_figures_says_so_and_spanish_is_spoken(app: Dash) -> None:
    words = text(panel(app, "grad_rate", '{"city":"Sierra Madre"}'))
    assert words == "No figures yet for this group: nothing to compare a target with."
    assert "Última cifra" in text(panel(app, "grad_rate", lang="es"))


def test_a_team_member_learns_nothing_of_another_teams_indicator(app: Dash) -> None:
    from sqlalchemy import select

    from rba.models import Indicator, Result, ResultTeam
    from rba.store import session_scope

    with session_scope(app.server.config["RBA_SESSION_FACTORY"]) as session:
        result = session.scalar(select(Result).where(Result.code == "R1"))
        result.team = ResultTeam(slug="early", name="Early Childhood Team")
        session.add(Indicator(code="ready_k", result=result, name="Ready for kindergarten",
                              unit="percent", polarity="up", frequency="school_year",
                              kind="headline"))
    assert panel(app, "ready_k") is None
    assert text(panel(app, "ready_k", role="coordinator")).startswith("No figures yet")
