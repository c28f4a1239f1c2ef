"""Pieces shared by the pages: the navbar, the footer, result colours and icons, badges
for trends and targets, and friendly messages."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import sqlalchemy as sa
from dash import Input, Output, State, dcc, html

from dashboards import ids
from dashboards.auth import EDITORS, STAFF, account
from dashboards.data import read_session
from dashboards.i18n import N_, _, current_language, ngettext

PARTNERSHIP = "Collaborate PASadena"
SUBTITLE = N_("Results for children and families in Pasadena, Altadena and Sierra Madre")
ILLUSTRATIVE = N_("The sample data bundled with this tracker are illustrative, not official "
                  "statistics of any agency.")
LANGUAGE_NAMES = {"en": "English", "es": "Español"}

#: One colour (Okabe-Ito, safe for colour-blind readers) and one icon per result, by its
#: position; the icon and the number always go with the colour.
RESULT_COLOURS = ("#0072B2", "#009E73", "#D55E00", "#CC79A7", "#E69F00", "#56B4E9",
                  "#6F5B00")
RESULT_ICONS = ("sprout", "book", "hands", "heart", "house", "family", "city")


def result_colour(number: int) -> str:
    """The colour of the result at this position (1-based), repeating after seven."""
    return RESULT_COLOURS[(number - 1) % len(RESULT_COLOURS)]


def result_icon(number: int, size: int = 32) -> html.Span:
    """The result's icon (an SVG in assets/icons) on its colour; decorative (alt="")."""
    name = RESULT_ICONS[(number - 1) % len(RESULT_ICONS)]
    return html.Span(html.Img(src=dash.get_asset_url(f"icons/{name}.svg"), alt="",
                              width=size * 0.62, height=size * 0.62),
                     className="result-icon", style={"backgroundColor": result_colour(number),
                                                     "width": size, "height": size})


def teams() -> list[tuple[str, str]]:
    """(slug, name in the request's language) of every result team, by name."""
    from rba.i18n import localized
    from rba.models import ResultTeam

    with read_session() as session:
        rows = session.execute(sa.select(ResultTeam.slug, ResultTeam.name, ResultTeam.name_es)
                               .order_by(ResultTeam.name)).all()
    lang = current_language()
    return [(slug, localized({"name": name, "name_es": name_es}, "name", lang))
            for slug, name, name_es in rows]


def _registered(prefix: str) -> bool:
    """Whether a page serves addresses starting with ``prefix`` (pages built in parallel)."""
    return any(str(p.get("path_template") or p.get("path", "")).startswith(prefix)
               for p in dash.page_registry.values())


def language_switch(fold: str = "lg") -> html.Div:
    """EN | ES: links to the same page in each language (the choice is kept in a cookie)."""
    now = current_language()
    links: list[Any] = []
    for code, name in LANGUAGE_NAMES.items():
        if links:
            links.append(html.Span("|", className="text-white-50 mx-1", **{"aria-hidden": "true"}))
        links.append(html.A(code.upper(), href=f"?lang={code}", lang=code, hrefLang=code,
                            title=name, id=f"lang-{code}",
                            className="lang-link" + (" active" if code == now else ""),
                            **({"aria-current": "true"} if code == now else {})))
    return html.Div(links, id=ids.LANGUAGE_SWITCH, role="group",
                    className=f"d-flex align-items-center ms-{fold}-3 my-2 my-{fold}-0",
                    **{"aria-label": _("Language")})


def navbar() -> dbc.Navbar:
    """The top bar: the partnership's name (home), the sections the user may use, teams,
    who is signed in with a way to sign out (or in), and the language switch."""
    user = account()
    items: list[Any] = [dbc.NavItem(dbc.NavLink(_("Scorecard"), href="/", active="exact"))]
    for text, href in ((_("Equity"), "/equity"), (_("Alignment"), "/alignment")):
        if _registered(href):
            items.append(dbc.NavItem(dbc.NavLink(text, href=href, active="partial")))
    if _registered("/teams"):
        team_links = [dbc.DropdownMenuItem(name, href=f"/teams/{slug}") for slug, name in teams()]
        if team_links:
            items.append(dbc.DropdownMenu(team_links, label=_("Teams"), nav=True, in_navbar=True,
                                          id=ids.TEAMS_MENU))
    if user is not None and user.role in EDITORS:
        items += [dbc.NavItem(dbc.NavLink(text, href=href, active="exact")) for text, href in
                  ((_("Enter data"), "/entry"), (_("Upload"), "/upload"),
                   (_("History"), "/history"))]
    if user is not None and user.role in STAFF and _registered("/targets"):
        items.append(dbc.NavItem(dbc.NavLink(_("Targets"), href="/targets", active="exact")))
    # Where the menu folds into the toggler: signed in, there are more links (and who is
    # signed in), so it folds at a wider screen and the bar never runs past the window.
    fold = "lg" if user is None else "xl"
    if user is None:
        items.append(dbc.NavItem(dbc.NavLink(_("Sign in"), href="/login", id=ids.SIGN_IN_LINK)))
    else:
        items += [
            dbc.NavItem(html.Span([
                html.Span(_("Signed in as "), className="visually-hidden"),
                html.Span(user.email, className="fw-semibold"),
                html.Span(f" ({user.role_words})", className="small"),
            ], id=ids.SIGNED_IN_AS, className=f"navbar-text text-light ms-{fold}-3")),
            dbc.NavItem(html.Form(
                html.Button(_("Sign out"), type="submit", id=ids.SIGN_OUT,
                            className="btn btn-link nav-link"),
                action="/logout", method="POST", className="d-inline")),
        ]
    return dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand(PARTNERSHIP, href="/", className="fw-bold"),
            dbc.NavbarToggler([html.Span(className="navbar-toggler-icon"),
                               html.Span(_("Menu"), className="visually-hidden")],
                              id=ids.NAV_TOGGLER),
            dbc.Collapse([
                dbc.Nav(items, navbar=True, className=f"ms-auto align-items-{fold}-center"),
                language_switch(fold),
            ], id=ids.NAV_COLLAPSE, navbar=True, is_open=False),
        ]),
        id=ids.NAVBAR, color="primary", dark=True, className="mb-4 no-print", tag="header",
        expand=fold,
    )


# Opening the menu on a phone runs in the browser only (no server round trip, nothing to
# authorise), so it is a clientside callback rather than a secure_callback.
dash.clientside_callback(
    "function(n, open) { return n ? !open : open; }",
    Output(ids.NAV_COLLAPSE, "is_open"),
    Input(ids.NAV_TOGGLER, "n_clicks"),
    State(ids.NAV_COLLAPSE, "is_open"),
    prevent_initial_call=True,
)


def footer() -> html.Footer:
    """The page footer: the partnership, and that the bundled sample figures are illustrative."""
    return html.Footer(
        dbc.Container([
            html.P([html.Strong(PARTNERSHIP), " · ", _(SUBTITLE)], className="small mb-1"),
            html.P(_(ILLUSTRATIVE), className="small text-body-secondary mb-0"),
        ]),
        id=ids.FOOTER, className="border-top mt-5 py-3",
    )


def shell() -> html.Div:
    """The app's layout around every page."""
    return html.Div([
        navbar(),
        html.Main(dbc.Container(dash.page_container, className="pb-2"), id="main",
                  tabIndex="-1"),
        footer(),
    ], className="d-flex flex-column min-vh-100")


def message(title: str, text: str | list, *, component_id: str, link: bool = True,
            color: str = "secondary") -> dbc.Alert:
    """A friendly notice (empty state, page not found) with a way back home."""
    children = [html.H2(title, className="h4 alert-heading"), html.P(text, className="mb-0")]
    if link:
        children.append(html.P(dcc.Link(_("Back to the scorecard"), href="/",
                                        className="alert-link"), className="mt-2 mb-0"))
    return dbc.Alert(children, id=component_id, color=color, className="my-4")


def definition_button(definition: Any, term_id: str, subject: str) -> list[Any]:
    """A small "i" button showing a definition on hover, focus or tap (nothing if none)."""
    if not isinstance(definition, str) or not definition.strip():
        return []
    return [
        html.Button("i", id=term_id, type="button", className="definition-button",
                    **{"aria-label": _("What is “{term}”?").format(term=subject),
                       "aria-describedby": f"{term_id}-text"}),
        html.Span(definition, id=f"{term_id}-text", className="visually-hidden"),
        dbc.Tooltip(definition, target=term_id, placement="top", trigger="hover focus"),
    ]


TREND_ARROWS = {("improving", 1): "↑", ("improving", -1): "↓", ("worsening", 1): "↓",
                ("worsening", -1): "↑", ("flat", 1): "→", ("flat", -1): "→"}


def trend_badge(direction: Any, periods: Any, polarity: Any) -> html.Span:
    """The current trend: an arrow for which way the figure moves, words for good or bad."""
    from rba.i18n import is_missing, label

    if is_missing(direction) or direction == "none":
        return html.Span(label("trend", "none", current_language()),
                         className="trend trend-none small text-body-secondary")
    sign = -1 if polarity == "down" else 1
    arrow = TREND_ARROWS.get((str(direction), sign), "")
    n = 0 if is_missing(periods) else int(periods)
    words = label("trend", direction, current_language())
    count = ngettext("{n} period", "{n} periods", n).format(n=n)
    return html.Span([html.Span(arrow, className="trend-arrow", **{"aria-hidden": "true"}),
                      f" {words}", html.Span(f" · {count}", className="text-body-secondary")],
                     className=f"trend trend-{direction} small")


BAND_SYMBOLS = {"green": "✓", "yellow": "≈", "red": "✗"}
BAND_NAMES = {"green": N_("Green"), "yellow": N_("Yellow"), "red": N_("Red")}


def band_badge(band: Any) -> html.Span:
    """The target colour as a badge that names its colour and says what it means."""
    from rba.i18n import is_missing, label

    if is_missing(band) or band not in BAND_NAMES:
        return html.Span(_("No target"), className="badge band band-none")
    meaning = label("band", band, current_language())
    return html.Span([html.Span(BAND_SYMBOLS[band], **{"aria-hidden": "true"}),
                      f" {_(BAND_NAMES[str(band)])}: {meaning}"],
                     className=f"badge band band-{band}")


def figures_table(header: list[str], rows: list[list[Any]], caption: str,
                  table_id: str | None = None) -> dbc.Table:
    """A chart's figures as a small table with a caption for screen readers."""
    return dbc.Table([
        html.Caption(caption, className="visually-hidden"),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in header])),
        html.Tbody([html.Tr([html.Td(c) for c in row]) for row in rows]),
    ], size="sm", striped=True, className="mb-0 small", **({"id": table_id} if table_id else {}))


def data_table(header: list[str], rows: list[list[Any]], caption: str,
               table_id: str | None = None) -> html.Details:
    """A chart's figures as a table, one click away (a disclosure)."""
    return html.Details([html.Summary(_("Figures"), className="small"),
                         figures_table(header, rows, caption, table_id)],
                        className="figures")


def team_options() -> list[dict[str, str]]:
    """Result teams as dropdown options (label: name, value: slug)."""
    return [{"label": name, "value": slug} for slug, name in teams()]
