"""Shareable views: the choices a page shows (a group, filters, the forecast method and
level) live in its address, so any view can be shared as a link.

Opening the address restores the view: a page's layout reads the query (`chosen_series`,
`chosen_filters`, `chosen_method`) and falls back to the default for anything it cannot
use, never an error. Changing a choice rewrites the address in the browser
(assets/shared-views.js, called by a clientside callback: no server round trip and
nothing to authorise, and no reload, since Dash's router would redraw the page if its
own location changed). Groups are written as the CLI's ``--where`` pairs:
``?where=city=Altadena&where=student_group=Latino``.
"""

from __future__ import annotations

from typing import Any

from rba.dimensions import TOTAL_KEY, parse_dimension_key, where_key

#: The query names a shared view uses.
WHERE, GROUPS, METHOD, LEVEL = "where", "groups", "method", "level"
ALL_GROUPS = "all"

#: Clientside: the indicator page's group, "all groups", method and level into the address.
INDICATOR_SCRIPT = """function(series, together, method, level) {
    var where = [];
    var at = typeof series === "string" ? series.indexOf(":") : -1;
    if (at >= 0) {
        try {
            var dims = JSON.parse(series.slice(at + 1));
            Object.keys(dims).sort().forEach(function (k) { where.push(k + "=" + dims[k]); });
        } catch (e) { where = []; }
    }
    return window.rbaShare ? window.rbaShare({where: where, groups: together ? "all" : null,
        method: method === "frozen" ? null : method,
        level: level === null || level === undefined ? null : String(level)}) : "";
}"""

#: Clientside: the scorecard's city and student group into the address.
SCORECARD_SCRIPT = """function(city, group) {
    var where = [];
    if (city) { where.push("city=" + city); }
    if (group) { where.push("student_group=" + group); }
    return window.rbaShare ? window.rbaShare({where: where}) : "";
}"""


def as_list(value: Any) -> list[str]:
    """A query value as Dash hands it (a string, or a list when repeated) as a list."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def chosen_key(where: Any) -> str:
    """The dimension key ``?where=`` names; the total when it names none or is unreadable."""
    try:
        return where_key(as_list(where))
    except ValueError:
        return TOTAL_KEY


def chosen_series(code: str, where: Any, choices: list[dict[str, str]]) -> str:
    """The series id the address asks for, if it is one of ``choices``; else the first."""
    values = [c["value"] for c in choices]
    wanted = f"{code}:{chosen_key(where)}"
    return wanted if wanted in values else values[0]


def chosen_filters(where: Any, options: dict[str, list[dict[str, str]]]
                   ) -> tuple[str | None, str | None]:
    """The scorecard's (city, student group) the address asks for, each None unless it is
    one of the filter's options."""
    asked = parse_dimension_key(chosen_key(where))

    def known(dimension: str) -> str | None:
        value = asked.get(dimension)
        return value if value in {o["value"] for o in options.get(dimension, [])} else None

    return known("city"), known("student_group")


def chosen_method(method: Any, level: Any, methods: tuple[str, ...],
                  levels: tuple[float, ...], default: str) -> tuple[str, float | None]:
    """The forecast method and level the address asks for; the default method and the
    agreed level (None) for anything else."""
    how = method if isinstance(method, str) and method in methods else default
    try:
        lvl: float | None = float(str(level))
    except ValueError:
        lvl = None
    return how, (lvl if lvl in levels else None)


def all_groups(groups: Any) -> bool:
    """Whether the address asks for every group side by side (``?groups=all``)."""
    return as_list(groups)[-1:] == [ALL_GROUPS]
