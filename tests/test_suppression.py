"""Small-group and complementary suppression of student data before it is published."""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rba.dimensions import dimension_key, parse_dimension_key
from rba.report.suppression import any_small, blanked, published, suppress

TOTAL = "{}"
PAS, ALT, SM = (dimension_key({"city": c}) for c in ("Pasadena", "Altadena", "Sierra Madre"))
LATINO, WHITE = (dimension_key({"student_group": g}) for g in ("Latino", "White"))
INDICATORS = pd.DataFrame({"indicator": ["engage", "homeless", "open"],
                           "unit": ["percent", "count", "percent"], "min_n": [11, 11, None]})


def rows(*cells: tuple) -> pd.DataFrame:
    """(indicator, period, dimensions, numerator, denominator) -> rows with percent values."""
    frame = pd.DataFrame(cells, columns=["indicator", "period", "dimensions", "numerator",
                                         "denominator"])
    frame["value"] = 100 * frame["numerator"] / frame["denominator"]
    return frame


def counts(*cells: tuple) -> pd.DataFrame:
    """(period, dimensions, count) -> rows of the count indicator "homeless"."""
    frame = pd.DataFrame(cells, columns=["period", "dimensions", "value"])
    frame.insert(0, "indicator", "homeless")
    frame["numerator"] = frame["denominator"] = np.nan
    return frame


def reasons(out: pd.DataFrame) -> dict[tuple[str, str], str | None]:
    return {(p, d): r for p, d, r in zip(out["period"], out["dimensions"],
                                          out["suppression"], strict=True)}


def test_small_group_and_its_complement() -> None:
    # The sample's family engagement survey: Sierra Madre had 9 respondents in 2020-21.
    out = suppress(rows(("engage", "2020-21", TOTAL, 586, 944),
                        ("engage", "2020-21", PAS, 467, 751),
                        ("engage", "2020-21", ALT, 113, 184),
                        ("engage", "2020-21", SM, 6, 9)), INDICATORS)
    assert reasons(out) == {("2020-21", TOTAL): None, ("2020-21", PAS): None,
                            ("2020-21", ALT): "complementary", ("2020-21", SM): "small_group"}
    assert out["suppressed"].tolist() == [False, False, True, True]
    hidden = out[out["suppressed"]]
    assert hidden[["value", "numerator", "denominator"]].isna().all().all()
    # Published figures are untouched.
    assert out.loc[1, ["numerator", "denominator"]].tolist() == [467, 751]


def test_exactly_min_n_is_published_and_other_periods_are_independent() -> None:
    out = suppress(rows(("engage", "2021-22", TOTAL, 875, 1304),
                        ("engage", "2021-22", PAS, 696, 1022),
                        ("engage", "2021-22", ALT, 172, 271),
                        ("engage", "2021-22", SM, 7, 11),
                        ("engage", "2022-23", TOTAL, 875, 1304),
                        ("engage", "2022-23", PAS, 696, 1022),
                        ("engage", "2022-23", ALT, 172, 272),
                        ("engage", "2022-23", SM, 7, 10)), INDICATORS)
    assert out["suppression"].tolist() == [None] * 4 + [None, None, "complementary",
                                                        "small_group"]


def test_two_small_groups_need_no_complement() -> None:
    out = suppress(rows(("engage", "2024", TOTAL, 500, 1000), ("engage", "2024", PAS, 480, 980),
                        ("engage", "2024", ALT, 5, 10), ("engage", "2024", SM, 5, 10)),
                   INDICATORS)
    assert out["suppression"].tolist() == [None, None, "small_group", "small_group"]


def test_without_a_published_total_nothing_can_be_subtracted() -> None:
    out = suppress(rows(("engage", "2024", PAS, 480, 980), ("engage", "2024", SM, 5, 9)),
                   INDICATORS)
    assert out["suppression"].tolist() == [None, "small_group"]


def test_a_lone_suppressed_part_hides_its_total() -> None:
    # Parts are taken to add up to their total: with one part, the total would give it away.
    out = suppress(rows(("engage", "2024", TOTAL, 15, 30), ("engage", "2024", SM, 5, 9)),
                   INDICATORS)
    assert out["suppression"].tolist() == ["complementary", "small_group"]


def test_each_dimension_is_its_own_table() -> None:
    out = suppress(rows(("engage", "2024", TOTAL, 500, 1000),
                        ("engage", "2024", PAS, 400, 800), ("engage", "2024", ALT, 95, 191),
                        ("engage", "2024", SM, 5, 9),
                        ("engage", "2024", LATINO, 300, 600), ("engage", "2024", WHITE, 200, 400)),
                   INDICATORS)
    assert out["suppression"].tolist() == [None, None, "complementary", "small_group", None,
                                           None]


def test_ties_are_broken_by_group_key() -> None:
    out = suppress(rows(("engage", "2024", TOTAL, 120, 240), ("engage", "2024", PAS, 50, 100),
                        ("engage", "2024", ALT, 68, 135), ("engage", "2024", SM, 2, 5),
                        ("engage", "2024", dimension_key({"city": "Unincorporated"}), 50, 100)),
                   INDICATORS)
    # Pasadena and Unincorporated both have 100: "Pasadena" sorts first.
    assert reasons(out)[("2024", PAS)] == "complementary"
    assert out["suppressed"].sum() == 2


def test_counts_are_sized_by_their_value() -> None:
    out = suppress(counts(("2024-25", TOTAL, 1075), ("2024-25", PAS, 654),
                          ("2024-25", ALT, 406), ("2024-25", SM, 15),
                          ("2016-17", TOTAL, 700), ("2016-17", PAS, 500),
                          ("2016-17", ALT, 192), ("2016-17", SM, 8)), INDICATORS)
    assert out["suppression"].tolist() == [None] * 4 + [None, None, "complementary",
                                                        "small_group"]
    assert out.loc[7, "value"] != out.loc[7, "value"]  # NaN


def test_indicator_without_min_n_is_not_suppressed() -> None:
    out = suppress(rows(("open", "2024", TOTAL, 5, 9), ("open", "2024", SM, 1, 2)), INDICATORS)
    assert not out["suppressed"].any()


def test_unknown_size_is_not_suppressed_and_a_blank_part_already_hides() -> None:
    frame = rows(("engage", "2024", TOTAL, 500, 1000), ("engage", "2024", PAS, 480, 980),
                 ("engage", "2024", ALT, np.nan, np.nan), ("engage", "2024", SM, 5, 9))
    frame.loc[2, "value"] = np.nan  # Altadena not reported: it already hides Sierra Madre
    out = suppress(frame, INDICATORS)
    assert out["suppression"].tolist() == [None, None, None, "small_group"]
    frame.loc[2, "value"] = 60.0  # a percent with no denominator: size unknown, published
    out = suppress(frame, INDICATORS)
    # Unknown sizes are chosen last: Pasadena (980) is the smallest known part.
    assert out["suppression"].tolist() == [None, "complementary", None, "small_group"]


def test_nested_groups_protect_every_level() -> None:
    alt_latino = dimension_key({"city": "Altadena", "student_group": "Latino"})
    alt_white = dimension_key({"city": "Altadena", "student_group": "White"})
    alt_other = dimension_key({"city": "Altadena", "student_group": "Other"})
    out = suppress(rows(("engage", "2024", TOTAL, 600, 1000), ("engage", "2024", PAS, 450, 750),
                        ("engage", "2024", ALT, 100, 200), ("engage", "2024", SM, 40, 50),
                        ("engage", "2024", alt_latino, 50, 120),
                        ("engage", "2024", alt_white, 45, 75),
                        ("engage", "2024", alt_other, 5, 5)), INDICATORS)
    got = reasons(out)
    # Altadena-Other is small; Altadena-White (75) is its complement within Altadena.
    assert got[("2024", alt_other)] == "small_group"
    assert got[("2024", alt_white)] == "complementary"
    assert got[("2024", ALT)] is None and got[("2024", SM)] is None


def test_a_hidden_parent_is_not_left_as_the_sum_of_its_parts() -> None:
    alt_latino = dimension_key({"city": "Altadena", "student_group": "Latino"})
    alt_white = dimension_key({"city": "Altadena", "student_group": "White"})
    out = suppress(rows(("engage", "2024", TOTAL, 600, 1000), ("engage", "2024", PAS, 450, 790),
                        ("engage", "2024", ALT, 100, 200), ("engage", "2024", SM, 5, 10),
                        ("engage", "2024", alt_latino, 50, 120),
                        ("engage", "2024", alt_white, 50, 80)), INDICATORS)
    got = reasons(out)
    # Sierra Madre is small, so Altadena (200 < 790) is its complement; Altadena's own
    # parts would add back up to it, so the smaller (White, 80) is hidden too.
    assert got[("2024", SM)] == "small_group"
    assert got[("2024", ALT)] == "complementary"
    assert got[("2024", alt_white)] == "complementary"
    assert got[("2024", alt_latino)] is None


def test_rows_keep_their_order_and_index_and_published_drops_hidden() -> None:
    frame = rows(("engage", "2024", SM, 5, 9), ("engage", "2024", TOTAL, 500, 1000),
                 ("engage", "2024", PAS, 480, 980), ("engage", "2024", ALT, 15, 11))
    frame.index = [10, 20, 30, 40]
    out = suppress(frame, INDICATORS)
    assert out.index.tolist() == [10, 20, 30, 40]
    assert out["dimensions"].tolist() == frame["dimensions"].tolist()
    assert published(frame, INDICATORS)["dimensions"].tolist() == [TOTAL, PAS]


def test_min_n_and_unit_may_come_on_the_rows() -> None:
    frame = rows(("x", "2024", TOTAL, 500, 1000), ("x", "2024", PAS, 480, 980),
                 ("x", "2024", SM, 5, 9), ("x", "2024", ALT, 15, 11))
    out = suppress(frame.assign(unit="percent", min_n=11))
    assert out["suppression"].tolist() == [None, None, "small_group", "complementary"]


def with_values(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Cells of sizes and hits as figures: a count of the size, or hits out of size (%)."""
    if unit == "count":
        return frame.assign(value=frame["size"].astype(float), numerator=np.nan,
                            denominator=np.nan)
    frame = frame.assign(numerator=frame["hits"].astype(float),
                         denominator=frame["size"].astype(float))
    frame["value"] = np.where(frame["size"] > 0, 100 * frame["hits"] / frame["size"].clip(
        lower=1), 0.0)
    return frame


@st.composite
def tables(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One indicator, 1-3 periods, a total and 1-6 parts that add up to it exactly."""
    unit = draw(st.sampled_from(["percent", "count"]))
    min_n = draw(st.integers(1, 20))
    frames = []
    for period in range(draw(st.integers(1, 3))):
        sizes = draw(st.lists(st.integers(0, 60), min_size=1, max_size=6))
        hits = [draw(st.integers(0, s)) for s in sizes]
        keys = [dimension_key({"group": f"g{i}"}) for i in range(len(sizes))]
        part = pd.DataFrame({"dimensions": keys, "size": sizes, "hits": hits})
        total = pd.DataFrame({"dimensions": [TOTAL], "size": [sum(sizes)], "hits": [sum(hits)]})
        frames.append(pd.concat([total, part]).assign(period=period))
    frame = pd.concat(frames, ignore_index=True).assign(indicator="i")
    frame = with_values(frame, unit)
    indicators = pd.DataFrame({"indicator": ["i"], "unit": [unit], "min_n": [min_n]})
    return frame, indicators


@settings(max_examples=200, deadline=None)
@given(tables())
def test_no_suppressed_cell_can_be_worked_out_by_subtraction(
        case: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    frame, indicators = case
    out = suppress(frame, indicators)
    min_n = int(indicators["min_n"].iloc[0])
    size_column = "value" if indicators["unit"].iloc[0] == "count" else "denominator"
    # Nothing small is published.
    shown = out[~out["suppressed"]]
    assert (shown[size_column] >= min_n).all()
    # Nothing is withheld where no cell is small (the indicator page skips the work then).
    small = any_small(frame, str(indicators["unit"].iloc[0]), min_n)
    assert small == bool((frame[size_column] < min_n).any())
    if not small:
        assert not out["suppressed"].any()
    for _, cells in out.groupby("period"):
        total = cells[cells["dimensions"] == TOTAL].iloc[0]
        parts = cells[cells["dimensions"] != TOTAL]
        hidden = parts[parts["suppressed"]]
        if not total["suppressed"]:
            # total - sum(published parts) is the sum of the hidden parts: it pins one
            # down only if it is the only one hidden.
            assert len(hidden) != 1
            residual = total[size_column] - parts.loc[~parts["suppressed"], size_column].sum()
            original = frame.loc[hidden.index, "size"].sum()
            assert math.isclose(residual, original)
        else:
            # A hidden total must not be the sum of fully published parts.
            assert len(hidden) >= 1


@pytest.mark.parametrize("min_n", [None, 0, 1])
def test_no_threshold_suppresses_nothing(min_n: int | None) -> None:
    frame = rows(("engage", "2024", TOTAL, 1, 2), ("engage", "2024", SM, 1, 2),
                 ("engage", "2024", PAS, 0, 0))
    out = suppress(frame, INDICATORS.assign(min_n=[min_n, 11, None]))
    # With min_n 1 only the empty group is small, and Sierra Madre is its complement.
    assert out["suppressed"].tolist() == [False, min_n == 1, min_n == 1]


def test_blanked_keeps_withheld_rows_so_a_roll_up_over_them_is_missing() -> None:
    from rba.calc import rolled_up_totals

    cells = counts(("2023", PAS, 120), ("2023", ALT, 40), ("2023", SM, 6),
                   ("2022", PAS, 110), ("2022", ALT, 35), ("2022", SM, 13))
    cells["ordinal"] = cells["period"].astype(int)
    cells["series"] = "homeless:" + cells["dimensions"]
    meta = pd.DataFrame({"indicator": ["homeless"], "unit": ["count"], "per": [np.nan],
                         "polarity": ["down"], "frequency": ["year"],
                         "periods_per_year": [1.0], "kind": ["headline"], "result": ["R5"],
                         "min_n": [11]})
    kept = blanked(cells, meta)
    assert len(kept) == len(cells) and "suppressed" not in kept
    assert kept["value"].isna().tolist() == [False, False, True, False, False, False]
    totals = rolled_up_totals(kept, meta).set_index("period")["value"]
    # 2023's total would be 166 = 120 + 40 + 6, giving Sierra Madre's 6 away: it is missing.
    assert math.isnan(totals.get("2023", math.nan)) and totals["2022"] == 158


@st.composite
def cubes(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One indicator by two or three crossed dimensions, 1-2 periods: the finest cells and
    every level above them (each the sum of its parts, as rba.calc rolls them up)."""
    unit = draw(st.sampled_from(["percent", "count"]))
    min_n = draw(st.integers(1, 20))
    names = ["a", "b", "c"][:draw(st.integers(2, 3))]
    levels = [[f"{n}{i}" for i in range(draw(st.integers(1, 3)))] for n in names]
    finest = pd.MultiIndex.from_product(levels, names=names).to_frame(index=False)
    frames = []
    for period in range(draw(st.integers(1, 2))):
        sizes = draw(st.lists(st.integers(0, 40), min_size=len(finest),
                              max_size=len(finest)))
        hits = [draw(st.integers(0, s)) for s in sizes]
        cells = finest.assign(size=sizes, hits=hits)
        for depth in range(len(names) + 1):  # every subset of the dimensions
            for kept in combinations(names, depth):
                level = (cells.groupby(list(kept))[["size", "hits"]].sum().reset_index()
                         if kept else cells[["size", "hits"]].sum().to_frame().T)
                keys = [dimension_key({k: r[k] for k in kept}) for _, r in level.iterrows()]
                frames.append(pd.DataFrame({"dimensions": keys, "size": level["size"],
                                            "hits": level["hits"], "period": period}))
    frame = pd.concat(frames, ignore_index=True).assign(indicator="i")
    frame = with_values(frame, unit)
    return frame, pd.DataFrame({"indicator": ["i"], "unit": [unit], "min_n": [min_n]})


def worked_out(cells: pd.DataFrame, known: set[int]) -> set[int]:
    """Every cell a reader can work out from the `known` ones by repeated subtraction: each
    parent is the sum of its parts along each dimension, at every level of one period."""
    keys = {i: parse_dimension_key(k) for i, k in cells["dimensions"].items()}
    by_key = {cells.loc[i, "dimensions"]: i for i in cells.index}
    groups: dict[tuple[int, str], list[int]] = {}  # (parent, dimension) -> its parts
    for part, values in keys.items():
        for name in values:
            parent = by_key[dimension_key({k: v for k, v in values.items() if k != name})]
            groups.setdefault((parent, name), []).append(part)
    known = set(known)
    changed = True
    while changed:
        changed = False
        for (parent, _), parts in groups.items():
            unknown = [c for c in [parent, *parts] if c not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                changed = True
    return known


@settings(max_examples=150, deadline=None)
@given(cubes())
def test_no_withheld_cell_of_any_level_can_be_worked_out(
        case: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    frame, indicators = case
    out = suppress(frame, indicators)
    min_n = int(indicators["min_n"].iloc[0])
    size_column = "value" if indicators["unit"].iloc[0] == "count" else "denominator"
    shown = out[~out["suppressed"]]
    assert (shown[size_column] >= min_n).all()  # nothing small is published, at any level
    for _, cells in out.groupby("period"):
        published_cells = set(cells.index[~cells["suppressed"].to_numpy()])
        recovered = worked_out(cells, published_cells) - published_cells
        assert not recovered, cells.loc[sorted(recovered), ["dimensions", "suppression"]]


def test_the_reader_in_the_property_test_does_work_cells_out() -> None:
    """The check above can fail: with only the small cell withheld (no complement), the
    reader recovers it, and from a subtotal two levels up as well."""
    frame = pd.DataFrame({"dimensions": [
        TOTAL, dimension_key({"a": "x"}), dimension_key({"a": "y"}),
        dimension_key({"b": "u"}), dimension_key({"a": "x", "b": "u"}),
        dimension_key({"a": "y", "b": "u"})]})
    assert worked_out(frame, {0, 2, 4, 5}) == set(range(6))  # {"a":"x"}, then {"b":"u"}
    assert worked_out(frame, {0, 3}) == {0, 3}  # two unknowns everywhere: nothing
