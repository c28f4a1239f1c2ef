#!/usr/bin/env python
"""Simulate the figures of the bundled sample workbook from its hand-edited content.

Every figure written here is ILLUSTRATIVE: plausible levels and trends for Pasadena,
Altadena and Sierra Madre, made up with a seeded random number generator. None of it is
official data from the Pasadena Unified School District, the City of Pasadena, the
California Department of Education or anyone else.

The words are edited by hand, not here: the descriptive sheets in data/sample/ (teams,
results, dimensions, indicators, partners, programs, measures, measure targets, stories)
and data/simulation.toml, which says how each indicator's and measure's figures are drawn.
This script reads indicators.csv, measures.csv and simulation.toml and writes the
simulated sheets: observations.csv, targets.csv and measure_observations.csv. Run it from
the repository root with the project installed (it reads the workbook's columns from it)::

    .venv/bin/python data/generate_sample.py      # or: make sample

The output is deterministic (same seed, same files) and needs no network.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sample_measures import measure_observations
from sample_model import load_simulation
from sample_observations import observations_for
from sample_sheets import SAMPLE, Figure, read_sheet, write_sheet
from sample_targets import targets_for


def simulate(sample: Path) -> dict[str, list[Figure]]:
    """The simulated sheets, by name, from the hand-edited sheets in ``sample``."""
    indicators = read_sheet(sample, "indicators")
    measures = read_sheet(sample, "measures")
    sim = load_simulation({i["code"] for i in indicators}, {m["code"] for m in measures})
    observations: list[Figure] = []
    targets: list[Figure] = []
    for indicator in indicators:
        model = sim.indicators.get(indicator["code"])
        if model is not None:
            rows = observations_for(indicator, model, sim)
            observations += rows
            targets += targets_for(indicator, model, rows, sim)
    measure_rows = [
        row for measure in measures if measure["code"] in sim.measures
        for row in measure_observations(measure, sim.measures[measure["code"]], sim)
    ]
    return {"observations": observations, "targets": targets,
            "measure_observations": measure_rows}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE,
                        help="folder to write the simulated sheets to (default: data/sample)")
    args = parser.parse_args(argv)
    try:
        sheets = simulate(SAMPLE)
    except ValueError as error:  # a mistake in a hand-edited file: say which, no traceback
        sys.exit(f"generate_sample.py: {error}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        print(f"{name + '.csv':28s} {write_sheet(args.out, name, rows):5d} rows")


if __name__ == "__main__":
    main()
