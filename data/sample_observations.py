"""The simulated observations of one indicator: the all-up figure, its cities and groups."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sample_cells import number_text, ratio_cell, ratio_row
from sample_model import IndicatorModel, Simulation
from sample_sheets import Cell, Figure, Row

#: A city whose denominator is below this is a small group: its figure jumps about more.
SMALL_DENOMINATOR = 200


@dataclass
class Series:
    """One indicator being simulated: its periods, its model and its own random numbers."""

    code: str
    periods: list[str]
    quarterly: bool
    model: IndicatorModel
    pandemic_quarters: dict[str, float]
    rng: np.random.Generator
    levels: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.levels = self.model.level(len(self.periods))
        if len(self.levels) != len(self.periods):
            raise ValueError(
                f"simulation.toml: [indicator.{self.code}] levels: {len(self.levels)} values "
                f"for the {len(self.periods)} periods {self.periods[0]} to {self.periods[-1]}")

    def level_at(self, t: int, period: str) -> float:
        """The all-up level of period number t, with its season and any pandemic dip."""
        x = float(self.levels[t])
        if self.quarterly:
            if self.model.season:
                x *= self.model.season[int(period[-1]) - 1]
            if self.model.pandemic:
                x *= self.pandemic_quarters.get(period, 1.0)
        return x

    def row(self, period: str, value: str, num: Cell = "", den: Cell = "", note: str = "",
            student_group: str = "", city: str = "") -> Figure:
        """One observation; the latest period of a series is still provisional."""
        status = "provisional" if period == self.periods[-1] else "final"
        return dict(indicator=self.code, period=period, value=value, numerator=num,
                    denominator=den, status=status, note=note, student_group=student_group,
                    city=city)


def observations_for(indicator: Row, model: IndicatorModel, sim: Simulation) -> list[Figure]:
    """Every observation row of one indicator (none on the data development agenda)."""
    if indicator["kind"] == "development":
        return []
    frequency = indicator["frequency"]
    series = Series(indicator["code"], sim.periods[frequency], frequency == "quarter", model,
                    sim.pandemic_quarters, sim.rng_for(indicator["code"]))
    if indicator["unit"] in ("percent", "rate"):
        scale = 100 if indicator["unit"] == "percent" else int(indicator["per"])
        return ratio_observations(series, scale)
    if indicator["unit"] == "count":
        return count_observations(series)
    return plain_observations(series)


def ratio_observations(s: Series, scale: int) -> list[Figure]:
    """Percents and rates: whole numerators and denominators, the value their ratio."""
    m = s.model
    if m.den is None:
        raise ValueError(f"simulation.toml: [indicator.{s.code}] is a percent or rate, so it "
                         "needs den = [first, last]")
    n = len(s.periods)
    den_path = np.linspace(m.den[0], m.den[1], n)
    cities = centred_gaps(m.cities, m.multiply_gaps)
    rows: list[Figure] = []
    for t, p in enumerate(s.periods):
        if p in m.missing:
            rows.append(s.row(p, "", note=m.missing[p]))
            continue
        r = s.level_at(t, p) + m.shock.get(p, 0.0) + s.rng.normal(0, m.sd)
        den_total = den_path[t] * m.den_shock.get(p, 1.0)
        note = m.notes.get(p, "")
        if cities:
            rows += city_ratio_rows(s, p, r, den_total, cities, scale, note)
        else:
            d = int(round(den_total))
            k, d, cell = ratio_row(int(round(r / scale * d)), d, scale)
            rows.append(s.row(p, cell, k, d, note=note))
        if m.groups:
            rows += group_ratio_rows(s, p, r, den_total, t / (n - 1), scale)
    return rows


def centred_gaps(cities: dict[str, list[float]], multiply: bool) -> dict[str, tuple[float, float]]:
    """Each city's (share, gap), the gaps moved so the cities together follow the all-up level."""
    mean = sum(share * gap for share, gap in cities.values())
    if multiply:
        return {c: (share, gap / mean) for c, (share, gap) in cities.items()}
    return {c: (share, gap - mean) for c, (share, gap) in cities.items()}


def city_ratio_rows(s: Series, p: str, r: float, den_total: float,
                    cities: dict[str, tuple[float, float]], scale: int,
                    note: str) -> list[Figure]:
    """The total row and one row per city; the total adds up the cities' counts."""
    m = s.model
    names, nums, dens = [], [], []
    for c, (share, gap) in cities.items():
        d = m.den_override.get(c, {}).get(p)
        if d is None:
            shock = m.city_den_shock.get(c, {}).get(p, 1.0)
            noise = 1 + s.rng.normal(0, m.den_sd)
            d = int(round(den_total * share * shock * noise))
        rc = r * gap if m.multiply_gaps else r + gap
        rc *= m.city_shock.get(c, {}).get(p, 1.0)
        rc += s.rng.normal(0, m.sd * (3 if d < SMALL_DENOMINATOR else 1.2))
        rc = float(np.clip(rc, 0.05 * scale / 100, 0.99 * scale))
        names.append(c)
        nums.append(int(round(rc / scale * d)))
        dens.append(d)
    # A value that is a rounding tie reads differently in different tools: nudge the city's
    # denominator (the first city when only the total is a tie) until none is.
    while True:
        cells = [ratio_cell(k, d, scale) for k, d in zip(nums, dens, strict=True)]
        total = ratio_cell(sum(nums), sum(dens), scale)
        if None not in cells and total is not None:
            break
        bad = next((i for i, cell in enumerate(cells) if cell is None), 0)
        if p in m.den_override.get(names[bad], {}):
            raise ValueError(f"simulation.toml: [indicator.{s.code}] den_override of "
                             f"{names[bad]} in {p} makes the value a rounding tie")
        dens[bad] += 1
    rows = [s.row(p, total, sum(nums), sum(dens), note=note)]
    for c, k, d, cell in zip(names, nums, dens, cells, strict=True):
        rows.append(s.row(p, cell or "", k, d, city=c))
    return rows


def group_ratio_rows(s: Series, p: str, r: float, den_total: float, frac: float,
                     scale: int) -> list[Figure]:
    """One row per student group; groups overlap, so they need not add up to the total."""
    m = s.model
    rows = []
    for g, (share, gap) in m.groups.items():
        d = int(round(den_total * share * (1 + s.rng.normal(0, 0.02))))
        if m.multiply_gaps:
            rg = r * gap
            rg += s.rng.normal(0, m.sd * gap ** 0.5 * 1.3)
        else:
            rg = r + gap * (1 - m.narrow * frac)
            damp = min(1.0, max(rg, 1.0) / 15)  # less noise near zero
            # smaller groups jump about more from year to year
            rg += s.rng.normal(0, m.sd * (1.2 + 0.3 / share ** 0.5) * damp)
        rg = float(np.clip(rg, 0.05 if m.multiply_gaps else 1.0, 99.0))
        k, d, cell = ratio_row(int(round(rg / scale * d)), d, scale)
        rows.append(s.row(p, cell, k, d, student_group=g))
    return rows


def count_observations(s: Series) -> list[Figure]:
    """Counts: whole numbers; with cities, the total is the sum of the cities."""
    m = s.model
    rows: list[Figure] = []
    for t, p in enumerate(s.periods):
        if p in m.missing:
            rows.append(s.row(p, "", note=m.missing[p]))
            continue
        x = s.level_at(t, p)
        x *= m.shock.get(p, 1.0) * (1 + s.rng.normal(0, m.sd))
        note = m.notes.get(p, "")
        if not m.cities:
            rows.append(s.row(p, str(int(round(x))), note=note))
            continue
        parts = []
        for c, (share, _gap) in m.cities.items():
            k = x * share * m.city_shock.get(c, {}).get(p, 1.0)
            parts.append((c, int(round(k * (1 + s.rng.normal(0, 0.03))))))
        parts += [(c, by_period[p]) for c, by_period in m.count_override.items()
                  if p in by_period]
        rows.append(s.row(p, str(sum(k for _, k in parts)), note=note))
        rows += [s.row(p, str(k), city=c) for c, k in parts]
    return rows


def plain_observations(s: Series) -> list[Figure]:
    """Scores, amounts and other plain values: no numerator or denominator."""
    m = s.model
    rows: list[Figure] = []
    for t, p in enumerate(s.periods):
        if p in m.missing:
            rows.append(s.row(p, "", note=m.missing[p]))
            continue
        x = s.level_at(t, p) + m.shock.get(p, 0.0) + s.rng.normal(0, m.sd)
        rows.append(s.row(p, number_text(x, m.decimals), note=m.notes.get(p, "")))
    return rows
