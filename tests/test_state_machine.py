"""Random sequences of import, grid edit, lock, unlock and undo keep two promises.

After every step: replaying the audit trail from nothing gives the store's content, and no
revision is lost (every value ever accepted is still in the revision history, and each
observation's current value is its latest revision). Refused steps write nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import hypothesis.strategies as st
import pandas as pd
import sqlalchemy as sa
from factories import basic_workbook
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from rba.ingest import plan_import, plan_sheets
from rba.models import Base, Indicator, Observation, ObservationRevision
from rba.store import connect, session_scope
from rba.store.imports import apply_plan
from rba.store.imports.deletes import StillInUse
from rba.store.imports.undo import UndoError, undo_batch
from rba.store.locks import LockError, lock, unlock
from rba.store.people import add_user
from rba.store.replay import current_state, replayed
from rba.workbook.read import sheet_from_records

KEYS = [("absence", p) for p in ("2021-22", "2022-23", "2023-24")] + [
    ("arrests", p) for p in ("2022", "2023", "2024")]
VALUES = st.floats(min_value=1, max_value=99, allow_nan=False).map(lambda v: round(v, 1))
ROWS = st.lists(st.tuples(st.sampled_from(KEYS), VALUES), min_size=1, max_size=4,
                unique_by=lambda r: r[0])
ADMIN = "admin@test.example"


class Store(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        self.folder = Path(tempfile.mkdtemp())
        url = f"sqlite:///{self.folder / 'rba.db'}"
        engine = sa.create_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        self.factory = connect(url)
        self.batches: list[str] = []
        self.accepted: set[tuple[str, str, float]] = set()
        with session_scope(self.factory) as session:
            apply_plan(session=session, plan=plan_import(session,
                                                         basic_workbook(self.folder / "b.xlsx")),
                       actor="setup")
            add_user(session=session, email=ADMIN, role="admin", password="x" * 12,
                     actor="setup")
        self._remember_values()

    def _remember_values(self) -> None:
        with self.factory() as session:
            for code, period, value in session.execute(
                    sa.select(Indicator.code, Observation.period, Observation.value)
                    .join(Indicator, Observation.indicator_id == Indicator.id)):
                if value is not None:
                    self.accepted.add((code, period, value))

    def _write(self, rows: list, source: str) -> None:
        records = [{"indicator": code, "period": period, "value": str(value),
                    "note": "checked"} for (code, period), value in rows]
        with session_scope(self.factory) as session:
            if source == "import":
                path = self.folder / "observations.csv"
                pd.DataFrame(records).to_csv(path, index=False)
                plan = plan_import(session, path)
            else:
                plan = plan_sheets(session, [sheet_from_records("grid", "observations",
                                                                records)], file="grid")
            if plan.problems or not plan.has_changes:
                return  # refused (e.g. a locked period): nothing is written
            self.batches.append(apply_plan(session=session, plan=plan, actor="tester",
                                           source=source))
        self._remember_values()

    @rule(rows=ROWS)
    def import_file(self, rows: list) -> None:
        self._write(rows, "import")

    @rule(rows=ROWS)
    def edit_grid(self, rows: list) -> None:
        self._write(rows, "form")

    @rule(key=st.sampled_from(KEYS))
    def lock_period(self, key: tuple[str, str]) -> None:
        with session_scope(self.factory) as session:
            lock(session=session, period=key[1], codes=[key[0]], actor="tester")

    @rule(key=st.sampled_from(KEYS))
    def unlock_period(self, key: tuple[str, str]) -> None:
        try:
            with session_scope(self.factory) as session:
                unlock(session=session, code=key[0], period=key[1], actor=ADMIN,
                       reason="correction")
        except LockError:
            pass  # not locked: refused, nothing written

    @precondition(lambda self: bool(self.batches))
    @rule(data=st.data())
    def undo(self, data: st.DataObject) -> None:
        batch = data.draw(st.sampled_from(self.batches))
        try:
            with session_scope(self.factory) as session:
                self.batches.append(undo_batch(session=session, batch_id=batch,
                                               actor="tester"))
        except (UndoError, LockError, StillInUse):
            return
        self._remember_values()

    @invariant()
    def replay_gives_the_store(self) -> None:
        if not hasattr(self, "factory"):
            return
        with self.factory() as session:
            assert replayed(session=session) == current_state(session=session)

    @invariant()
    def no_revision_is_lost(self) -> None:
        if not hasattr(self, "factory"):
            return
        with self.factory() as session:
            history = set(session.execute(
                sa.select(Indicator.code, ObservationRevision.period, ObservationRevision.value)
                .join(Indicator, ObservationRevision.indicator_id == Indicator.id)).all())
            assert self.accepted <= history
            stale = session.scalar(sa.select(sa.func.count()).select_from(Observation).where(
                Observation.revision != sa.select(sa.func.max(ObservationRevision.revision))
                .where(ObservationRevision.observation_id == Observation.id)
                .scalar_subquery()))
            assert stale == 0


Store.TestCase.settings = settings(max_examples=12, stateful_step_count=8, deadline=None,
                                   suppress_health_check=[HealthCheck.too_slow])
TestStore = Store.TestCase
