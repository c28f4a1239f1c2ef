"""The simulation's parameters, read from data/simulation.toml (whose comments explain them)."""

from __future__ import annotations

import tomllib
import zlib
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

SIMULATION = Path(__file__).resolve().parent / "simulation.toml"

T = TypeVar("T")


@dataclass(frozen=True)
class Target:
    """An indicator's interim and final change from its latest figure, and why."""

    interim: float
    final: float
    rationale: str


@dataclass(frozen=True)
class EquityTarget:
    """A final target for one city or student group: change from its latest figure, and why."""

    dimension: str
    group: str
    change: float
    rationale: str


@dataclass(frozen=True)
class IndicatorModel:
    """How one indicator's figures are drawn: level, noise, shocks, cities, groups, target."""

    sd: float
    path: list[float] | None = None
    levels: list[float] | None = None
    shock: dict[str, float] = field(default_factory=dict)
    season: list[float] | None = None
    pandemic: bool = False
    den: list[float] | None = None
    den_sd: float = 0.015
    den_shock: dict[str, float] = field(default_factory=dict)
    multiply_gaps: bool = False
    narrow: float = 0.0
    decimals: int = 1
    missing: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    cities: dict[str, list[float]] = field(default_factory=dict)
    city_shock: dict[str, dict[str, float]] = field(default_factory=dict)
    city_den_shock: dict[str, dict[str, float]] = field(default_factory=dict)
    den_override: dict[str, dict[str, int]] = field(default_factory=dict)
    count_override: dict[str, dict[str, int]] = field(default_factory=dict)
    groups: dict[str, list[float]] = field(default_factory=dict)
    target: Target | None = None
    equity_target: list[EquityTarget] = field(default_factory=list)

    def level(self, n: int) -> np.ndarray:
        """The all-up level of each of n periods, before season, shocks and noise."""
        if self.levels is not None:
            return np.array(self.levels, dtype=float)
        assert self.path is not None  # the loader requires one of the two
        return np.linspace(self.path[0], self.path[1], n)


@dataclass(frozen=True)
class MeasureModel:
    """How one performance measure's figures are drawn."""

    path: list[float]
    den: list[float] | None = None
    since: str | None = None
    season: list[float] | None = None


@dataclass(frozen=True)
class MeasurePandemic:
    """The year programs ran online, and what it did to their figures."""

    period: str
    percent_change: float
    multiplier: float
    note: str


@dataclass(frozen=True)
class Simulation:
    """Everything the simulation needs besides the descriptive sheets."""

    seed: int
    periods: dict[str, list[str]]
    pandemic_quarters: dict[str, float]
    target_periods: dict[str, list[str]]
    indicators: dict[str, IndicatorModel]
    measure_periods: dict[str, list[str]]
    measure_pandemic: MeasurePandemic
    measures: dict[str, MeasureModel]

    def rng_for(self, name: str) -> np.random.Generator:
        """A generator of its own for each series, so adding one series leaves the others alone."""
        return np.random.default_rng([self.seed, zlib.crc32(name.encode("utf-8"))])


def periods_between(first: str, last: str) -> list[str]:
    """Every period from first to last: years (2016), school years (2016-17) or quarters."""
    if "-Q" in first:
        start = int(first[:4]) * 4 + int(first[-1]) - 1
        end = int(last[:4]) * 4 + int(last[-1]) - 1
        return [f"{i // 4}-Q{i % 4 + 1}" for i in range(start, end + 1)]
    years = range(int(first[:4]), int(last[:4]) + 1)
    if "-" in first:
        return [f"{y}-{(y + 1) % 100:02d}" for y in years]
    return [str(y) for y in years]


def from_table(cls: type[T], table: dict[str, Any], where: str) -> T:
    """Build a dataclass from a TOML table, naming the table and the key in any error."""
    check_keys(table, {f.name: f.default is MISSING and f.default_factory is MISSING
                       for f in fields(cls)}, where)  # type: ignore[arg-type]
    return cls(**table)


def check_keys(table: dict[str, Any], keys: dict[str, bool], where: str) -> None:
    """Refuse a key the table may not have, or a missing one; keys: name -> required."""
    unknown = sorted(set(table) - set(keys))
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r}; the keys are {', '.join(keys)}")
    missing = [name for name, required in keys.items() if required and name not in table]
    if missing:
        raise ValueError(f"{where}: {missing[0]!r} is missing")


def indicator_model(table: dict[str, Any], where: str) -> IndicatorModel:
    """One [indicator.CODE] table, with its target and equity targets."""
    table = dict(table)
    if ("path" in table) == ("levels" in table):
        raise ValueError(f"{where}: give either path = [first, last] or levels = [...]")
    if "target" in table:
        table["target"] = from_table(Target, table["target"], f"{where} target")
    table["equity_target"] = [
        from_table(EquityTarget, t, f"{where} equity_target")
        for t in table.get("equity_target", [])
    ]
    return from_table(IndicatorModel, table, where)


def check_codes(codes: set[str], known: set[str], where: str, sheet: str) -> None:
    """Refuse a table for a code the sheet lacks: a misspelt code would silently do nothing."""
    unknown = sorted(codes - known)
    if unknown:
        raise ValueError(f"{where.format(unknown[0])}: {sheet} has no such code")


#: The top-level keys and tables of simulation.toml, all required.
TOP_LEVEL = ("seed", "periods", "pandemic_quarters", "target_periods", "indicator",
             "measure_periods", "measure_pandemic", "measure")


def load_simulation(indicator_codes: set[str], measure_codes: set[str],
                    path: Path = SIMULATION) -> Simulation:
    """The simulation's parameters; codes must be those of indicators.csv and measures.csv."""
    try:
        with path.open("rb") as f:
            raw = tomllib.load(f)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: {error}") from None
    check_keys(raw, dict.fromkeys(TOP_LEVEL, True), str(path))
    check_codes(set(raw["indicator"]), indicator_codes, f"{path}: [indicator.{{}}]",
                "indicators.csv")
    check_codes(set(raw["measure"]), measure_codes, f"{path}: [measure] {{}}", "measures.csv")
    return Simulation(
        seed=raw["seed"],
        periods={f: periods_between(*pair) for f, pair in raw["periods"].items()},
        pandemic_quarters=raw["pandemic_quarters"],
        target_periods=raw["target_periods"],
        indicators={code: indicator_model(table, f"{path}: [indicator.{code}]")
                    for code, table in raw["indicator"].items()},
        measure_periods={f: periods_between(*pair) for f, pair in raw["measure_periods"].items()},
        measure_pandemic=from_table(MeasurePandemic, raw["measure_pandemic"],
                                    f"{path}: [measure_pandemic]"),
        measures={code: from_table(MeasureModel, table, f"{path}: [measure] {code}")
                  for code, table in raw["measure"].items()},
    )
