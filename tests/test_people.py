"""Users, period locks and the audit trail through the CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from factories import basic_workbook, write_csv

from rba.cli import main
from rba.models import AuditEvent, Observation, User
from rba.store import connect

PASSWORD = "correct horse battery"


def run(*args: str, env: dict | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def loaded(cli_env: str, tmp_path: Path) -> str:
    assert run("import", str(basic_workbook(tmp_path / "b.xlsx")))[0] == 0
    return cli_env


def test_users_add_list_set_role_disable(loaded: str) -> None:
    env = {"RBA_PASSWORD": PASSWORD}
    assert run("users", "add", "Ana@PUSD.example", "--role", "team_member", "--team",
               "academics", env=env)[0] == 0
    code, out = run("users", "list")
    assert "ana@pusd.example" in out and "team_member" in out and "academics" in out
    assert run("users", "set-role", "ana@pusd.example", "coordinator")[0] == 0
    assert run("users", "disable", "ana@pusd.example")[0] == 0
    with connect(loaded)() as session:
        user = session.scalars(sa.select(User)).one()
        assert user.role.value == "coordinator" and not user.active
        assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash
        events = session.scalars(sa.select(AuditEvent).where(AuditEvent.entity == "user")).all()
        assert [e.action for e in events] == ["create", "update", "update"]
        assert all("password" not in (e.new or "") for e in events)


@pytest.mark.parametrize(("args", "message"), [
    (["not-an-email", "--role", "viewer"], "is not an email address"),
    (["x@y.org", "--role", "team_member"], "a team member needs --team"),
    (["x@y.org", "--role", "team_member", "--team", "nope"], "no result team 'nope'"),
])
def test_users_add_explains_what_is_wrong(loaded: str, args: list[str], message: str) -> None:
    code, out = run("users", "add", *args, env={"RBA_PASSWORD": PASSWORD})
    assert code == 1 and message in out


def test_short_password_is_refused(loaded: str) -> None:
    code, out = run("users", "add", "x@y.org", "--role", "viewer", env={"RBA_PASSWORD": "short"})
    assert code == 1 and "too short" in out


def test_a_locked_period_refuses_changes_but_not_unchanged_rows(
        loaded: str, tmp_path: Path) -> None:
    code, out = run("lock", "absence", "2022-23")
    assert code == 0 and "locked 2022-23 for 1 indicator" in out
    with connect(loaded)() as session:
        status = session.scalar(sa.select(Observation.status).where(
            Observation.period == "2022-23", Observation.value == 12.5))
    assert status.value == "final"
    same = write_csv(tmp_path / "observations.csv",
                     [{"indicator": "absence", "period": "2022-23", "value": "12.5"}])
    code, out = run("import", str(same))
    assert code == 0, out
    changed = write_csv(tmp_path / "observations.csv",
                        [{"indicator": "absence", "period": "2022-23", "value": "13"}])
    code, out = run("import", str(changed))
    assert code == 1
    assert "row 2, column period: value '2022-23': absence 2022-23 is locked" in out
    assert "an admin must unlock it before it can change" in out
    assert "rba unlock" not in out  # the same words on the upload page, where no CLI is


def test_unlock_needs_an_admin_and_a_reason(loaded: str, tmp_path: Path) -> None:
    env = {"RBA_PASSWORD": PASSWORD}
    run("users", "add", "boss@city.example", "--role", "admin", env=env)
    run("users", "add", "coord@city.example", "--role", "coordinator", env=env)
    run("lock", "--all", "2022-23")
    code, out = run("unlock", "absence", "2022-23", "--reason", "fix", "--admin",
                    "coord@city.example", env=env)
    assert code == 1 and "not an admin" in out
    code, out = run("unlock", "absence", "2022-23", "--reason", "fix", "--admin",
                    "boss@city.example", env={"RBA_PASSWORD": "wrong password!"})
    assert code == 1 and "wrong email or password" in out
    code, out = run("unlock", "absence", "2022-23", "--reason", "state revised", "--admin",
                    "boss@city.example", env=env)
    assert code == 0, out
    changed = write_csv(tmp_path / "observations.csv",
                        [{"indicator": "absence", "period": "2022-23", "value": "13"}])
    assert run("import", str(changed))[0] == 0
    code, out = run("audit", "--entity", "period_lock", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["action"] for r in rows] == ["create", "create", "delete"]
    assert "state revised" in rows[-1]["new"] and rows[-1]["actor"] == "boss@city.example"


def test_lock_all_locks_only_indicators_of_that_frequency(loaded: str) -> None:
    code, out = run("lock", "--all", "2023")
    assert code == 0 and "for 1 indicator(s): arrests" in out
    code, out = run("lock", "--all", "2023")
    assert out.strip() == "2023 is already locked for arrests: nothing changed"


def test_audit_lists_the_import(loaded: str) -> None:
    code, out = run("audit", "--entity", "observation")
    assert code == 0
    assert "create  observation grad_rate|2022-23|{\"city\":\"Pasadena\"}" in out
