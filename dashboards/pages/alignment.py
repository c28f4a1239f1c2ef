"""Alignment page: results x programs x partners, with gaps (results and indicators no
program works on), possible duplication (programs serving the same indicator and
population) and funding where entered (rba.report.alignment). Public read: programs,
partners and funding are the partnership's published plan.
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import dcc, html

from dashboards import ids
from dashboards.cache import cached
from dashboards.components.shell import PARTNERSHIP
from dashboards.components.tables import frame_table
from dashboards.data import read_session
from dashboards.i18n import _, use_language
from rba.i18n import format_currency, label, localized, localized_column
from rba.services.alignment import OVERALL, Alignment, alignment, funding_note
from rba.services.catalogue import result_table

dash.register_page(__name__, path="/alignment", name="Alignment", title=lambda **_q: (
    f"{_('Alignment')} · {PARTNERSHIP}"))


def tables() -> tuple[Alignment, pd.DataFrame]:
    with read_session() as session:
        return cached(session, "alignment_page", (), lambda: (
            alignment(session=session), result_table(session=session)))


def matrix(found: Alignment, results: pd.DataFrame, lang: str) -> Any:
    """One row per result, one column per program: ● names the result, ○ only its indicators."""
    programs = found.links.drop_duplicates("program").sort_values("program")
    names = dict(zip(programs["program"], localized_column(programs, "name", lang),
                     strict=True))
    cells = {(r, p): "●" if d else "○" for r, p, d in
             found.links[["result", "program", "declared"]].itertuples(index=False)}
    out = pd.DataFrame({_("Result"): [f"{r['result']}. {localized(r, 'name', lang)}"
                                      for r in results.to_dict("records")]})
    for program in programs["program"]:
        out[names[program]] = [cells.get((r, program), "") for r in results["result"]]
    out[_("Programs")] = [sum(1 for p in programs["program"] if (r, p) in cells)
                          for r in results["result"]]
    gaps = set(found.result_gaps["result"])
    tones = {i: "table-warning" for i, r in enumerate(results["result"]) if r in gaps}
    return frame_table(out, table_id=ids.ALIGNMENT_MATRIX, tones=tones, wrap_row_headers=True,
                       caption=_(
        "● the program names the result; ○ it names one of the result's indicators. "
        "Highlighted rows: no program works on the result."))


def partners(found: Alignment, lang: str) -> Any:
    programs = found.links.drop_duplicates("program").sort_values("program")
    out = pd.DataFrame({
        _("Program"): localized_column(programs, "name", lang).tolist(),
        _("Partners"): programs["partners"].fillna("").tolist(),
        _("Annual funding"): [format_currency(v, lang) for v in programs["annual_funding"]],
    })
    return frame_table(out, numeric=(_("Annual funding"),))


def gap_lists(found: Alignment, lang: str) -> list[Any]:
    results = found.result_gaps
    inds = found.indicator_gaps
    result_items = [html.Li(f"{r['result']}. {localized(r, 'name', lang)}")
                    for r in results.to_dict("records")]
    indicator_items = [html.Li([dcc.Link(localized(r, "name", lang),
                                         href=f"/indicators/{r['indicator']}"),
                                f" ({r['result']}, {label('kind', r['kind'], lang).lower()})"])
                       for r in inds.to_dict("records")]
    none = html.P(_("None."), className="text-body-secondary")
    return [
        html.H3(_("Results no program works on"), className="h6 mt-3"),
        html.Ul(result_items, id=ids.ALIGNMENT_RESULT_GAPS) if result_items else html.Div(none,
                                                                            id=ids.ALIGNMENT_RESULT_GAPS),
        html.H3(_("Headline and secondary indicators no program names"),
                className="h6 mt-3"),
        html.Ul(indicator_items, id=ids.ALIGNMENT_INDICATOR_GAPS) if indicator_items else html.Div(
            none, id=ids.ALIGNMENT_INDICATOR_GAPS),
    ]


def duplication_table(found: Alignment, lang: str) -> Any:
    dup = found.duplications
    if dup.empty:
        return html.P(_("No two programs serve the same indicator and population."),
                      id=ids.ALIGNMENT_DUPLICATIONS, className="text-body-secondary")
    names = found.links.drop_duplicates("program").set_index("program")
    program_names = localized_column(names.reset_index(), "name", lang)
    program_names.index = names.index
    out = pd.DataFrame({
        _("Indicator"): localized_column(dup, "name", lang).tolist(),
        _("Programs"): [f"{program_names.get(a, a)} + {program_names.get(b, b)}"
                        for a, b in zip(dup["program_a"], dup["program_b"], strict=True)],
        _("Why they may overlap"): [
            f"{label('overlap', o, lang)} {s}".strip()
            for o, s in zip(dup["overlap"], dup["shared"], strict=True)],
        _("Combined funding"): [format_currency(v, lang) for v in dup["combined_funding"]],
    })
    return frame_table(out, table_id=ids.ALIGNMENT_DUPLICATIONS, numeric=(_("Combined funding"),))


def funding_table(found: Alignment, results: pd.DataFrame, lang: str) -> Any:
    names = dict(zip(results["result"], localized_column(results, "name", lang),
                     strict=True))
    rows = found.funding
    out = pd.DataFrame({
        _("Result"): [label("group", "overall", lang) if r == OVERALL else
                      f"{r}. {names.get(r, r)}" for r in rows["result"]],
        _("Programs"): [str(n) for n in rows["programs"]],
        _("With funding entered"): [str(n) for n in rows["funded_programs"]],
        _("Annual funding"): [format_currency(v, lang) for v in rows["funding"]],
        _("Note"): [funding_note(r, lang) for _i, r in rows.iterrows()],
    })
    return frame_table(out, table_id=ids.ALIGNMENT_FUNDING, numeric=(
        _("Programs"), _("With funding entered"), _("Annual funding")))


def layout(lang: str | None = None, **_query: str) -> html.Div:
    """The alignment of programs and partners with the results, read fresh (or cached)."""
    lang = use_language(lang)
    found, results = tables()
    return html.Div([
        html.H1(_("Alignment: programs, partners and results"), className="h2"),
        html.P(_("Which programs and partners work on which results, where nothing is "
                 "working (gaps), where several programs serve the same people (possible "
                 "duplication), and the funding entered for each."),
               className="text-body-secondary"),
        html.Section([html.H2(_("Results and programs"), className="h5 mt-3"),
                      matrix(found, results, lang)]),
        html.Section([html.H2(_("Gaps"), className="h5 mt-4"), *gap_lists(found, lang)]),
        html.Section([html.H2(_("Possible duplication"), className="h5 mt-4"),
                      duplication_table(found, lang)]),
        html.Section([html.H2(_("Funding by result"), className="h5 mt-4"),
                      funding_table(found, results, lang)]),
        html.Section([html.H2(_("Programs and their partners"), className="h5 mt-4"),
                      partners(found, lang)]),
    ], id=ids.ALIGNMENT_PAGE)
