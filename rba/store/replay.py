"""Replay the audit trail: the content it describes, to check against the store itself.

Every write records its entity, id, action and new value; replaying the events in order
from nothing must give exactly the store's current content. A difference means some write
went unaudited.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from rba.dimensions import TOTAL_KEY
from rba.sheets import record_key
from rba.store import content
from rba.store.audit import audit_events
from rba.store.baselines import baseline_records
from rba.store.locks import locked
from rba.store.people import list_users
from rba.store.proposals import proposal_records
from rba.store.stories import story_reviews

State = dict[str, dict[str, dict[str, Any]]]
FIGURES = {"observation": ("observations", ["value", "numerator", "denominator", "status",
                                            "note"]),
           "measure_observation": ("measure_observations", ["value", "numerator",
                                                            "denominator", "status", "note"]),
           "target": ("targets", ["value", "rationale"]),
           "measure_target": ("measure_targets", ["value", "rationale"])}
RECORDS = {"team": "teams", "result": "results", "indicator": "indicators",
           "partner": "partners", "program": "programs", "measure": "measures"}


def _clean(record: dict[str, Any] | None) -> dict[str, Any]:
    """A record without its empty fields, numbers compared as floats."""
    return {k: float(v) if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in (record or {}).items() if v is not None}


def replay(events: Iterable[dict[str, Any]]) -> State:
    """The content the audit events describe, by entity and entity id."""
    state: State = {}
    for event in events:
        records = state.setdefault(event["entity"], {})
        if event["action"] == "delete":
            records.pop(event["entity_id"], None)
        else:
            records[event["entity_id"]] = _clean(json.loads(event["new"]))
    return {entity: records for entity, records in state.items() if records}


def current_state(*, session: Session) -> State:
    """The store's content in the same shape as :func:`replay` gives."""
    state: State = {}
    for entity, sheet in RECORDS.items():
        state[entity] = {str(record_key(sheet, r)): _clean(r)
                         for r in content.READERS[sheet](session=session)}
    state["dimension"] = {f"{r['dimension']}={r['value'] or ''}": _clean(r)
                          for r in content.dimensions(session=session)}
    state["story"] = {f"{r['indicator']}#{r.pop('version')}": _clean(r)
                      for r in content.stories(session=session)}
    state["story_review"] = {k: _clean(v) for k, v in story_reviews(session=session).items()}
    for entity, (sheet, fields) in FIGURES.items():
        frame = content.figures(session=session, sheet=sheet)
        state[entity] = {
            f"{r['owner']}|{r['period']}|{r['dimensions'] or TOTAL_KEY}": _clean(
                {f: (None if r[f] != r[f] else r[f]) for f in fields})
            for r in frame.to_dict("records")}
    state["period_lock"] = {f"{r.owner}|{r.period}": _clean(
        {"indicator": r.owner, "period": r.period, "locked_by": r.locked_by})
        for r in locked(session=session).itertuples()}
    state["measure_period_lock"] = {f"{r.owner}|{r.period}": _clean(
        {"measure": r.owner, "period": r.period, "locked_by": r.locked_by})
        for r in locked(session=session, kind="measure").itertuples()}
    state["user"] = {u["email"]: _clean(u) for u in list_users(session=session)}
    state["baseline"] = {k: _clean(v) for k, v in baseline_records(session=session).items()}
    state["target_proposal"] = {k: _clean(v) for k, v in proposal_records(session=session).items()}
    return {entity: records for entity, records in state.items() if records}


def replayed(*, session: Session) -> State:
    """The content replayed from this store's own audit trail."""
    return replay(audit_events(session=session))
