"""Figures written set-wise (staged once, then INSERT .. SELECT) keep every promise.

Each written value has its revision and exactly one audit event whose text is what
``to_json`` writes, in the order of the plan; nothing of the staging is left behind.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from factories import basic_workbook
from hypothesis import given, settings
from hypothesis import strategies as st

from rba.ingest import plan_import, plan_sheets
from rba.models import (
    AuditEvent,
    Indicator,
    Observation,
    ObservationRevision,
    PerformanceMeasure,
    Program,
)
from rba.store import session_scope
from rba.store.audit import audit_events, json_records, to_json
from rba.store.imports import apply_plan
from rba.store.imports.undo import undo_batch
from rba.store.replay import current_state, replayed
from rba.workbook.read import sheet_from_records

TEXTS = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(
    ['say "hi"', "back\\slash", "tab\there", "línea\nnueva", "100%", "%s %d", "\u2028"]))
NUMBERS = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=False))
MIXED = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([1.0, 0.0, -0.0]),
                  st.sampled_from(["1", "true", "x"]))


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(NUMBERS, NUMBERS, TEXTS, TEXTS, MIXED), min_size=1,
                     max_size=8))
def test_json_records_are_exactly_to_json_of_each_record(rows: list[tuple]) -> None:
    frame = pd.DataFrame(rows, columns=["value", "denominator", "note", "status", "flag"],
                         dtype=object)
    frame["value"] = frame["value"].astype(float)
    frame["denominator"] = frame["denominator"].astype(float)
    columns = {"value": "value", "denominator": "denominator", "note": "note",
               "status": "status", "flag": "flag", "numerator": "absent"}
    made = json_records(frame, columns)
    for text, (value, denominator, note, status, flag) in zip(made, rows, strict=True):
        record = {"value": value, "denominator": denominator, "note": note,
                  "status": status, "flag": flag, "numerator": None}
        assert text == to_json(record)
        assert json.loads(text) == json.loads(to_json(record))


def _setup(factory, folder: Path) -> None:
    with session_scope(factory) as session:
        apply_plan(session=session, plan=plan_import(session, basic_workbook(folder / "b.xlsx")),
                   actor="setup")


def _write(factory, records: list[dict], actor: str = "tester") -> str:
    with session_scope(factory) as session:
        plan = plan_sheets(session, [sheet_from_records("grid", "observations", records)],
                           file="grid")
        assert not plan.problems, plan.problems
        return apply_plan(session=session, plan=plan, actor=actor, source="form")


def _leftover_staging(session) -> list[str]:
    if session.bind.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_temp_master WHERE type = 'table'"
    else:
        query = "SELECT relname FROM pg_class WHERE relpersistence = 't' AND relkind = 'r'"
    return [r[0] for r in session.execute(sa.text(query))]


@pytest.mark.parametrize("shape", ["one changed", "one added", "added and changed"])
def test_staged_writes_keep_revisions_audit_and_order(factory, tmp_path: Path,
                                                      shape: str) -> None:
    _setup(factory, tmp_path)
    changed = [{"indicator": "absence", "period": "2022-23", "value": "13.25",
                "note": 'said "thirteen"\tthen\nmore'}]
    added = [{"indicator": "grad_rate", "period": "2023-24", "numerator": "1",
              "denominator": "3", "city": "Pasadena", "status": "final"},
             {"indicator": "arrests", "period": "2024", "value": "3.9"}]
    records = {"one changed": changed, "one added": added[1:],
               "added and changed": added + changed}[shape]
    batch = _write(factory, records)
    with session_scope(factory) as session:
        events = audit_events(session=session, batch=batch)
        figures = [e for e in events if e["entity"] == "observation"]
        assert [e["action"] for e in figures] == (
            ["create"] * (len(records) - ("changed" in shape)) + ["update"] * ("changed" in shape))
        assert {e["actor"] for e in events} == {"tester"}
        assert {e["source"] for e in events} == {"form"}
        for event in figures:
            new = json.loads(event["new"])
            if event["entity_id"].startswith("grad_rate"):
                # computed from numerator / denominator: the audit keeps every digit
                assert new["value"] == 1 / 3 * 100 and new["status"] == "final"
            if event["action"] == "update":
                assert json.loads(event["old"])["value"] == 12.5
                assert new["note"] == changed[0]["note"]
        revisions = session.execute(
            sa.select(Indicator.code, ObservationRevision.period, ObservationRevision.revision,
                      ObservationRevision.value).join(Indicator)
            .where(ObservationRevision.batch_id == batch)).all()
        assert len(revisions) == len(figures)
        current = session.execute(sa.select(Observation.batch_id, Observation.revision)
                                  .where(Observation.batch_id == batch)).all()
        assert sorted(r for _, r in current) == sorted(r.revision for r in revisions)
        assert _leftover_staging(session) == []
        assert replayed(session=session) == current_state(session=session)


def test_undo_of_a_staged_batch_restores_and_replays(factory, tmp_path: Path) -> None:
    _setup(factory, tmp_path)
    batch = _write(factory, [
        {"indicator": "absence", "period": "2022-23", "value": "14"},
        {"indicator": "arrests", "period": "2024", "value": "3.9"}])
    with session_scope(factory) as session:
        undo_batch(session=session, batch_id=batch, actor="tester")
    with session_scope(factory) as session:
        value = session.scalar(sa.select(Observation.value).join(Indicator).where(
            Indicator.code == "absence", Observation.period == "2022-23"))
        assert value == 12.5
        assert replayed(session=session) == current_state(session=session)
        count = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.batch_id == batch))
        assert count == 2


def test_float_values_survive_the_staging_exactly(factory, tmp_path: Path) -> None:
    _setup(factory, tmp_path)
    awkward = [0.1 + 0.2, 1 / 3, 2 / 3 * 100, 5e-324, 12.345678901234567]
    _write(factory, [{"indicator": "arrests", "period": str(2000 + i), "value": repr(v)}
                     for i, v in enumerate(awkward)])
    with session_scope(factory) as session:
        stored = session.scalars(sa.select(Observation.value).join(Indicator).where(
            Indicator.code == "arrests", Observation.period < "2010").order_by(
            Observation.period)).all()
        assert stored == awkward and not any(math.isnan(v) for v in stored)


@pytest.mark.parametrize("owner", ["indicator", "measure"])
def test_a_figure_key_is_still_unique_for_either_owner(factory, tmp_path: Path,
                                                       owner: str) -> None:
    """The owner keys are partial indexes (rows of that owner only) and still unique."""
    _setup(factory, tmp_path)
    with session_scope(factory) as session:
        program = Program(code="P1", name="Program")
        session.add(program)
        session.flush()
        measure = PerformanceMeasure(code="M1", program_id=program.id, name="Served",
                                     kind="how_much", unit="count", polarity="up",
                                     frequency="year")
        session.add(measure)
        session.flush()
        indicator_id = session.scalar(sa.select(Indicator.id).where(Indicator.code == "arrests"))
        owner_ids = {"indicator_id": indicator_id} if owner == "indicator" else {
            "measure_id": measure.id}
    row = {**owner_ids, "period": "2031", "dimensions": "{}", "value": 1.0,
           "status": "provisional", "revision": 1, "entered_by": "t"}
    with factory() as session:
        session.execute(sa.insert(Observation), [row])
        session.commit()
        with pytest.raises(sa.exc.IntegrityError):
            session.execute(sa.insert(Observation), [{**row, "value": 2.0}])
            session.flush()
        session.rollback()
        # The same period of the other owner kind is another figure.
        other = {"measure_id": measure.id} if owner == "indicator" else {
            "indicator_id": indicator_id}
        session.execute(sa.insert(Observation), [{**row, **other, **{
            k: None for k in owner_ids}}])
        session.commit()
