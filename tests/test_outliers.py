"""The import's outlier check judges a new figure against its own series' forecast."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from factories import write_csv

from rba.cli import main
from rba.models import Indicator, Observation
from rba.store import connect


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def sample_env(sample_copy: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("RBA_DATABASE_URL", sample_copy)
    return sample_copy


def enrollment(url: str, period: str) -> tuple[float, bool]:
    with connect(url)() as session:
        return tuple(session.execute(
            sa.select(Observation.value, Observation.outlier).join(Indicator)
            .where(Indicator.code == "youth_program_enroll", Observation.period == period,
                   Observation.dimensions == "{}")).one())


def test_a_summer_peak_in_line_with_the_seasonal_trend_is_accepted(
        sample_env: str, tmp_path: Path) -> None:
    # The sample's 2026-Q3 is 4,057 (provisional); the final figure 4,120 is far above the
    # series' median (2,471) but where its summer peaks and trend put it.
    rows = [{"indicator": "youth_program_enroll", "period": "2026-Q3", "value": "4120",
             "status": "final"}]
    code, out = run("import", str(write_csv(tmp_path / "observations.csv", rows)))
    assert code == 0, out
    assert enrollment(sample_env, "2026-Q3") == (4120.0, False)


def test_a_figure_far_from_the_seasonal_trend_is_refused_saying_what_was_expected(
        sample_env: str, tmp_path: Path) -> None:
    # 9,120 in the autumn quarter, whose figures have been 1,401-2,471 (a summer figure
    # mistyped in the wrong row, say).
    rows = [{"indicator": "youth_program_enroll", "period": "2026-Q4", "value": "9120"}]
    code, out = run("import", str(write_csv(tmp_path / "observations.csv", rows)))
    assert code == 1
    assert ("row 2, column value: value '9120': expected between " in out
            and " from this series' seasonal trend (99% forecast interval from its figures "
                "2018-Q1 to 2026-Q3); got 9120: check it, or explain it in the note column "
                "to accept it" in out), out
    rows[0]["note"] = "Summer camp moved to October"
    code, out = run("import", str(write_csv(tmp_path / "observations.csv", rows)))
    assert code == 0, out
    assert enrollment(sample_env, "2026-Q4") == (9120.0, True)
