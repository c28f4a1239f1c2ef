"""A program with one performance measure of each kind, for the program entry grid's tests."""

from __future__ import annotations

from typing import Any

from rba.models import Observation, PerformanceMeasure, Program

PROGRAM = "summer_bridge"
#: (code, kind, unit, display order, last quarter's value, numerator, denominator)
MEASURES = [
    ("bridge_better", "better_off", "percent", 1, 61.0, 61.0, 100.0),
    ("bridge_served", "how_much", "count", 2, 120.0, None, None),
    ("bridge_on_time", "how_well", "percent", 3, 92.0, 46.0, 50.0),
]
NAMES = {"bridge_better": "Students who finish ready for ninth grade",
         "bridge_served": "Students served", "bridge_on_time": "Sessions that start on time"}
NAMES_ES = {"bridge_served": "Estudiantes atendidos"}


def seed_program(session: Any) -> None:
    """Summer Bridge: three quarterly measures, each with a value in 2024-Q4."""
    program = Program(code=PROGRAM, name="Summer Bridge", name_es="Puente de verano")
    session.add(program)
    session.flush()
    for code, kind, unit, order, value, numerator, denominator in MEASURES:
        measure = PerformanceMeasure(code=code, program_id=program.id, name=NAMES[code],
                                     name_es=NAMES_ES.get(code), kind=kind, unit=unit,
                                     polarity="up", frequency="quarter", display_order=order)
        session.add(measure)
        session.flush()
        session.add(Observation(measure_id=measure.id, period="2024-Q4", value=value,
                                numerator=numerator, denominator=denominator,
                                entered_by="test"))
