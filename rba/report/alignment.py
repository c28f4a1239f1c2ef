"""Alignment: which programs and partners work on which results, and where the gaps are.

A program *contributes to* a result when it names the result (program_results) or names
one of the result's indicators (program_indicators). From that:

- **links**: one row per result and contributing program, with its partners and funding;
- **result gaps**: results no program contributes to;
- **indicator gaps**: published headline and secondary indicators no program names (a
  program naming only the result does not fill an indicator gap);
- **possible duplication**: an indicator named by two or more programs whose populations
  overlap (see `population_overlap`), one row per pair of programs;
- **funding** per result: the annual funding of each contributing program, counted once
  per result it serves; `shared_funding` says how much of that also counts under other
  results, and the "overall" row counts every program once (no double counting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rba.i18n import format_currency, translator

OVERALL = "overall"
CITIES = ("pasadena", "altadena", "sierra madre")
_GRADE = r"(tk|k|\d{1,2})(?:st|nd|rd|th)?"
_RANGE = re.compile(rf"\b{_GRADE}\s*(?:-|–|to|through)\s*{_GRADE}\b")
_SINGLE_GRADE = re.compile(r"\bgrade\s+(\d{1,2})\b|\b(\d{1,2})(?:st|nd|rd|th)\s+grade")
_AGE_WORD = re.compile(r"\b(?:age|aged|ages)\s*$")


@dataclass(frozen=True)
class Population:
    """What a program's population text says: its normalised words, grades, ages, cities."""

    text: str
    grades: frozenset[int]
    ages: frozenset[int]
    cities: frozenset[str]


def _grade(token: str) -> int:
    return {"tk": -1, "k": 0}.get(token, int(token) if token.isdigit() else -2)


def parse_population(text: object) -> Population:
    """Read grades (TK = -1, K = 0, 1-12), ages and cities out of a population description.

    "Students in grades K-8" -> grades 0..8; "Youth aged 12-18" -> ages 12..18; a range
    right after "age(s)/aged" is ages, one with TK or K or after "grade(s)" is grades,
    any other bare range is ignored. Cities: Pasadena, Altadena, Sierra Madre ("Northwest
    Pasadena" counts as Pasadena).
    """
    raw = str(text or "").lower()
    normal = " ".join(re.sub(r"[^\w\s-]", " ", raw).split())
    grades: set[int] = set()
    ages: set[int] = set()
    for match in _RANGE.finditer(raw):
        low, high = match.group(1), match.group(2)
        before = raw[:match.start()]
        if _AGE_WORD.search(before):
            ages.update(range(int(low), int(high) + 1) if low.isdigit() and high.isdigit()
                        else ())
        elif low in ("tk", "k") or re.search(r"grades?\s*$", before):
            grades.update(range(_grade(low), _grade(high) + 1))
    for match in _SINGLE_GRADE.finditer(raw):
        grades.add(int(match.group(1) or match.group(2)))
    cities = frozenset(c for c in CITIES if c in normal)
    return Population(normal, frozenset(grades), frozenset(ages), cities)


def population_overlap(a: Population, b: Population) -> tuple[str | None, str]:
    """Whether two programs serve the same people: (reason code or None, what is shared).

    Same normalised text: "same_population". Otherwise populations in different cities
    (both name cities, none in common) do not overlap; else shared grades give
    "shared_grades", shared ages "shared_ages". Ages are not compared with grades, and a
    blank population overlaps nothing.
    """
    if not a.text or not b.text:
        return None, ""
    if a.text == b.text:
        return "same_population", ""
    if a.cities and b.cities and not a.cities & b.cities:
        return None, ""
    if a.grades & b.grades:
        shared = sorted(a.grades & b.grades)
        return "shared_grades", f"{_grade_name(shared[0])}-{_grade_name(shared[-1])}"
    if a.ages & b.ages:
        shared = sorted(a.ages & b.ages)
        return "shared_ages", f"{shared[0]}-{shared[-1]}"
    return None, ""


def _grade_name(grade: int) -> str:
    return {-1: "TK", 0: "K"}.get(grade, str(grade))


@dataclass(frozen=True)
class Alignment:
    """Results x programs x partners, with gaps, possible duplication and funding."""

    #: result, program, name, name_es, lead_partner, partners ("; "-joined, lead first),
    #: indicators (tuple of codes in this result), declared (names the result itself),
    #: annual_funding, results_served, shared (serves more than one result).
    links: pd.DataFrame
    #: result, name, name_es: results no program contributes to.
    result_gaps: pd.DataFrame
    #: result, indicator, name, name_es, kind: headline/secondary indicators with no program.
    indicator_gaps: pd.DataFrame
    #: result, indicator, name, name_es, program_a, program_b, population_a, population_b,
    #: overlap (code), shared (grades or ages in common), combined_funding.
    duplications: pd.DataFrame
    #: result, programs, funded_programs, funding, shared_funding; last row "overall".
    funding: pd.DataFrame


def contributions(program_results: pd.DataFrame, program_indicators: pd.DataFrame
                  ) -> pd.DataFrame:
    """One row per program and result it contributes to: program, result, declared, indicators."""
    declared = program_results[["program", "result"]].assign(declared=True)
    by_indicator = (program_indicators.groupby(["program", "result"], sort=True)["indicator"]
                    .agg(lambda s: tuple(sorted(s))).rename("indicators").reset_index())
    links = declared.merge(by_indicator, on=["program", "result"], how="outer")
    links["declared"] = links["declared"].astype("boolean").fillna(False).astype(bool)
    links["indicators"] = links["indicators"].map(lambda v: v if isinstance(v, tuple) else ())
    return links


def _partner_lists(program_partners: pd.DataFrame) -> pd.Series:
    ordered = program_partners.sort_values(["program", "lead", "partner"],
                                           ascending=[True, False, True], kind="stable")
    return ordered.groupby("program")["partner"].agg("; ".join)


def alignment_tables(results: pd.DataFrame, indicators: pd.DataFrame, programs: pd.DataFrame,
                     program_results: pd.DataFrame, program_indicators: pd.DataFrame,
                     program_partners: pd.DataFrame) -> Alignment:
    """The alignment tables from the store's frames (see rba.store.programs)."""
    links = contributions(program_results, program_indicators)
    served = links.groupby("program")["result"].nunique()
    links = links.merge(programs[["program", "name", "name_es", "lead_partner",
                                  "annual_funding"]], on="program", how="left")
    links["partners"] = links["program"].map(_partner_lists(program_partners)).fillna("")
    links["results_served"] = links["program"].map(served).astype(np.int64)
    links["shared"] = links["results_served"] > 1
    order = results.set_index("result")["display_order"]
    links = links.assign(_order=links["result"].map(order)).sort_values(
        ["_order", "result", "program"], kind="stable")
    links = links[["result", "program", "name", "name_es", "lead_partner", "partners",
                   "indicators", "declared", "annual_funding", "results_served", "shared"]]
    result_gaps = results[~results["result"].isin(links["result"])][
        ["result", "name", "name_es"]]
    measured = indicators[indicators["kind"].isin(["headline", "secondary"])]
    indicator_gaps = measured[~measured["indicator"].isin(program_indicators["indicator"])][
        ["result", "indicator", "name", "name_es", "kind"]]
    return Alignment(
        links=links.reset_index(drop=True), result_gaps=result_gaps.reset_index(drop=True),
        indicator_gaps=indicator_gaps.reset_index(drop=True),
        duplications=duplications(indicators, programs, program_indicators),
        funding=funding_by_result(results, links))


DUPLICATION_COLUMNS = ["result", "indicator", "name", "name_es", "program_a", "program_b",
                       "population_a", "population_b", "overlap", "shared",
                       "combined_funding"]


def duplications(indicators: pd.DataFrame, programs: pd.DataFrame,
                 program_indicators: pd.DataFrame) -> pd.DataFrame:
    """Pairs of programs naming the same indicator whose populations overlap."""
    named = program_indicators[program_indicators["indicator"].isin(indicators["indicator"])][
        ["program", "indicator"]]
    pairs = named.merge(named, on="indicator", suffixes=("_a", "_b"))
    pairs = pairs[pairs["program_a"] < pairs["program_b"]]
    info = programs.set_index("program")
    parsed = info["population"].map(parse_population)
    verdicts = [population_overlap(parsed[a], parsed[b])
                for a, b in zip(pairs["program_a"], pairs["program_b"], strict=True)]
    pairs = pairs.assign(overlap=[v[0] for v in verdicts], shared=[v[1] for v in verdicts])
    pairs = pairs[pairs["overlap"].notna()]
    if pairs.empty:
        return pd.DataFrame(columns=DUPLICATION_COLUMNS)
    pairs["population_a"] = pairs["program_a"].map(info["population"])
    pairs["population_b"] = pairs["program_b"].map(info["population"])
    funding = info["annual_funding"]
    pairs["combined_funding"] = pd.concat(
        [pairs["program_a"].map(funding), pairs["program_b"].map(funding)], axis=1
    ).sum(axis=1, min_count=1)
    names = indicators.set_index("indicator")
    pairs = pairs.join(names[["result", "name", "name_es"]], on="indicator")
    return pairs[DUPLICATION_COLUMNS].sort_values(
        ["result", "indicator", "program_a", "program_b"]).reset_index(drop=True)


def funding_by_result(results: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Annual funding per result (each program once per result) and overall (once in all).

    Columns: result, programs, funded_programs, funding, shared_funding (the part of
    funding from programs that also count under other results). Results without programs
    show 0 programs and blank funding.
    """
    frame = links.assign(_shared=links["annual_funding"].where(links["shared"]))
    per = frame.groupby("result").agg(
        programs=("program", "nunique"), funded_programs=("annual_funding", "count"),
        funding=("annual_funding", lambda s: s.sum(min_count=1)),
        shared_funding=("_shared", lambda s: s.sum(min_count=1)))
    per = per.reindex(results["result"])
    per[["programs", "funded_programs"]] = per[["programs", "funded_programs"]].fillna(0)
    distinct = links.drop_duplicates("program")
    overall = pd.DataFrame({
        "programs": [distinct["program"].nunique()],
        "funded_programs": [int(distinct["annual_funding"].count())],
        "funding": [distinct["annual_funding"].sum(min_count=1)],
        "shared_funding": [np.nan]}, index=pd.Index([OVERALL], name="result"))
    out = pd.concat([per, overall]).rename_axis("result").reset_index()
    out[["programs", "funded_programs"]] = out[["programs", "funded_programs"]].astype(np.int64)
    return out


def funding_note(row: pd.Series, lang: str = "en") -> str:
    """A funding row's footnote in a language: how much also counts under other results."""
    _ = translator(lang)
    if row["result"] == OVERALL:
        return _("Each program counted once, however many results it serves.")
    shared = row["shared_funding"]
    if shared is None or shared != shared or shared == 0:
        return ""
    return _("Includes {amount} from programs that also serve other results.").format(
        amount=format_currency(shared, lang))
