"""Plan the descriptive sheets (teams, results, indicators, programs, ...) row by row.

These sheets are small, so each row is compared with the store's record of the same key.
A column missing from the sheet leaves that field as it is; a blank cell clears it.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from typing import Any

import pandas as pd

from rba.dimensions import split_dimension_names
from rba.ingest.records import ProblemList
from rba.messages import N_, Message
from rba.plan import Record, SheetPlan
from rba.sheets import Sheet, record_key

#: Defaults for fields a new record does not state.
DEFAULTS: dict[str, Record] = {
    "indicators": {"kind": "headline", "published": True, "order": 0},
    "results": {"order": 0},
    "measures": {"order": 0},
}
STORY_FIELDS = [
    f for name in ("story_behind_the_curve", "partners", "what_works", "action_plan")
    for f in (name, name + "_es")
]

#: Records by sheet and natural key; for stories, every version by indicator.
Catalog = dict[str, dict[Any, Any]]
#: Per indicator or measure code with stored figures: how many, and how many use each
#: dimension (rba.store.content.figure_usage).
Usage = dict[str, tuple[int, dict[str, int]]]
#: The column holding each sheet's code (or slug).
CODE_FIELDS = {"teams": "slug", "results": "code", "indicators": "code", "programs": "code",
               "measures": "code"}
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
#: Fields whose change would leave stored figures that the import itself would refuse.
GUARDED = ("frequency", "unit", "per")


def plan_sheet(
    spec: Sheet, typed: pd.DataFrame, catalog: Catalog, problems: ProblemList,
    usage: Usage | None = None,
) -> SheetPlan:
    """Compare each row with the catalog; add the planned records to the catalog.

    ``usage`` (indicators and measures): a change of frequency, unit or per, or dropping a
    dimension, under stored figures is refused, naming how many depend on it.
    """
    plan = SheetPlan(spec.name)
    existing = catalog.setdefault(spec.name, {})
    seen: dict[Any, int] = {}
    bad_rows = {p.row for p in problems}
    for index, row in typed.iterrows():
        number = int(problems.raw.rows.loc[index])
        fields = {k: _none(v) for k, v in row.items() if k in spec.column_names}
        if number in bad_rows:
            plan.rejected += 1
            continue
        key = record_key(spec.name, fields)
        if key in seen and spec.name != "stories":
            _problem(problems, index, spec.key[0], key,
                     Message(N_("repeats row {row}"), row=seen[key]))
            plan.rejected += 1
            continue
        seen[key] = number
        if not _references_ok(spec.name, fields, catalog, problems, index):
            plan.rejected += 1
            continue
        old = existing.get(key)
        if old is None and spec.name in CODE_FIELDS and not _code_ok(str(key)):
            # Codes and slugs go into addresses and file names: a new one must be plain.
            _problem(problems, index, CODE_FIELDS[spec.name], key, Message(N_(
                "a code is letters, digits, -, _ and . with no spaces, / or .. (e.g. R2 or "
                "grad_rate)")))
            plan.rejected += 1
            continue
        if spec.name == "stories":
            _plan_story(plan, fields, existing.setdefault(key, []))
            continue
        defaults = DEFAULTS.get(spec.name, {})
        # A blank cell clears a field, except one that cannot be empty: that keeps its value.
        stated = {k: v for k, v in fields.items() if v is not None or k not in defaults}
        new = {**defaults, **(old or {}), **stated}
        if old is not None and usage and key in usage and not _keeps_figures(
                old, new, usage[key], problems, index):
            plan.rejected += 1
            continue
        if old is None:
            plan.added.append(new)
        elif _differs(old, new):
            plan.changed.append((old, new))
        else:
            plan.unchanged += 1
        existing[key] = new
    return plan


def _code_ok(code: str) -> bool:
    return _CODE.fullmatch(code) is not None and ".." not in code


def _keeps_figures(old: Record, new: Record, usage: tuple[int, dict[str, int]],
                   problems: ProblemList, index: Any) -> bool:
    """Whether a change leaves every stored figure valid; else a problem per field."""
    count, used = usage
    ok = True
    for field in GUARDED:
        if _norm(old.get(field)) != _norm(new.get(field)):
            _problem(problems, index, field, new.get(field), Message(N_(
                "cannot change {column} from {old} to {new}: {count:,} stored figures "
                "(values, targets, baseline points) depend on it; give the new definition "
                "its own code"), column=field, old=_shown(old.get(field)),
                new=_shown(new.get(field)), count=count))
            ok = False
    kept = set(split_dimension_names(new.get("dimensions")))
    dropped = sorted(name for name in used if name not in kept)
    if "dimensions" in new and dropped:
        _problem(problems, index, "dimensions", new.get("dimensions"), Message(N_(
            "cannot change dimensions from {old} to {new}: {count:,} stored figures use "
            "{dropped}"), old=_shown(old.get("dimensions")), new=_shown(new.get("dimensions")),
            count=sum(used[n] for n in dropped), dropped=", ".join(dropped)))
        ok = False
    return ok


def _shown(value: Any) -> str | Message:
    """A field's value as a message shows it ("(blank)" when empty)."""
    value = _norm(value)
    return Message(N_("(blank)")) if value is None or value == "" else repr(str(value))


def _plan_story(plan: SheetPlan, fields: Record, versions: list[Record]) -> None:
    """A row is a new version unless it repeats the latest or the version saved that day."""
    def same(version: Record) -> bool:
        return all(version.get(f) == fields.get(f) for f in STORY_FIELDS)

    saved_on = str(fields.get("saved_at") or "")[:10]
    if (versions and same(versions[-1])) or any(
            saved_on and str(v.get("saved_at"))[:10] == saved_on and same(v) for v in versions):
        plan.unchanged += 1
        return
    plan.added.append(fields)
    versions.append(fields)


def _none(value: Any) -> Any:
    return None if value is None or value is pd.NA or value != value else value


def _differs(old: Record, new: Record) -> bool:
    return any(_norm(old.get(k)) != _norm(v) for k, v in new.items())


def _norm(value: Any) -> Any:
    if isinstance(value, float):  # to a spreadsheet's precision (see figures.SPREADSHEET_RTOL)
        return int(value) if value.is_integer() else float(f"{value:.15g}")
    return value


REFERENCES: dict[str, list[tuple[str, str]]] = {
    "results": [("team", "teams")],
    "indicators": [("result", "results")],
    "programs": [("lead_partner", "partners"), ("partners", "partners"),
                 ("results", "results"), ("indicators", "indicators")],
    "measures": [("program", "programs")],
    "stories": [("indicator", "indicators")],
}


def _references_ok(
    sheet: str, fields: Record, catalog: Catalog, problems: ProblemList, index: Any
) -> bool:
    ok = True
    for column, target in REFERENCES.get(sheet, []):
        if fields.get(column) is None:
            continue
        # A lead partner is one name, commas and all ("Boys & Girls Club of Pasadena, Inc.").
        names = [str(fields[column]).strip()] if column == "lead_partner" else [
            n.strip() for n in str(fields[column]).split(";" if column == "partners" else ",")]
        known = catalog.get(target, {})
        for name in names:
            if name not in known:
                hint = difflib.get_close_matches(name, [str(k) for k in known], n=1)
                _problem(problems, index, column, fields[column],
                         _unknown_reference(target, name, hint[0] if hint else None))
                ok = False
    if fields.get("annual_funding") is not None and fields["annual_funding"] < 0:
        _problem(problems, index, "annual_funding", fields["annual_funding"],
                 Message(N_("annual funding cannot be negative")))
        ok = False
    if fields.get("per") is not None and fields["per"] <= 0:
        _problem(problems, index, "per", fields["per"],
                 Message(N_("per is a positive number, e.g. 1000 for per 1,000")))
        ok = False
    if sheet == "indicators" and fields.get("unit") == "rate" and not fields.get("per"):
        _problem(problems, index, "per", None,
                 Message(N_("a rate needs per (e.g. 1000 for per 1,000)")))
        ok = False
    if sheet == "indicators" and fields.get("dimensions"):
        names = split_dimension_names(fields["dimensions"])
        bad = [n for n in names if not n.replace("_", "").isalnum()]
        if bad:
            _problem(problems, index, "dimensions", fields["dimensions"],
                     Message(N_("dimension names are words with letters, digits and "
                                "underscores, separated by commas, e.g. student_group, city")))
            ok = False
    return ok


#: What an unknown reference says, by the sheet that should define it (one whole sentence
#: each, so a translation can give each kind of record its own grammar).
UNKNOWN_REFERENCE = {
    "teams": (N_("unknown team {name!r}: add it on the teams sheet"),
              N_("unknown team {name!r} (did you mean {hint!r}?): add it on the teams sheet")),
    "results": (N_("unknown result {name!r}: add it on the results sheet"),
                N_("unknown result {name!r} (did you mean {hint!r}?): add it on the results "
                   "sheet")),
    "partners": (N_("unknown partner {name!r}: add it on the partners sheet"),
                 N_("unknown partner {name!r} (did you mean {hint!r}?): add it on the partners "
                    "sheet")),
    "programs": (N_("unknown program {name!r}: add it on the programs sheet"),
                 N_("unknown program {name!r} (did you mean {hint!r}?): add it on the programs "
                    "sheet")),
    "indicators": (N_("unknown indicator {name!r}: add it on the indicators sheet"),
                   N_("unknown indicator {name!r} (did you mean {hint!r}?): add it on the "
                      "indicators sheet")),
}


def _unknown_reference(target: str, name: str, hint: str | None) -> Message:
    plain, with_hint = UNKNOWN_REFERENCE[target]
    if hint is None:
        return Message(plain, name=name)
    return Message(with_hint, name=name, hint=hint)


def _problem(problems: ProblemList, index: Any, column: str, value: Any,
             message: Message) -> None:
    mask = pd.Series(False, index=problems.raw.cells.index)
    mask.loc[index] = True
    problems.cell(mask, column, message)
    if column not in problems.raw.cells and value is not None:
        problems[-1] = dataclasses.replace(problems[-1], value=str(value))
