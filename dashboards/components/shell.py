"""The page shell around every page: the navbar (with the sections the user may use, the
result teams and the language switch), the footer, and friendly notices."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboards import ids
from dashboards.auth import EDITORS, STAFF, account
from dashboards.data import read_session
from dashboards.i18n import N_, _, current_language
from dashboards.public import PUBLIC_MODULES, public_site
from rba.i18n import localized
from rba.services.catalogue import result_teams

PARTNERSHIP = "Collaborate PASadena"
SUBTITLE = N_("Results for children and families in Pasadena, Altadena and Sierra Madre")
ILLUSTRATIVE = N_("The sample data bundled with this tracker are illustrative, not official "
                  "statistics of any agency.")
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def teams() -> list[tuple[str, str]]:
    """(slug, name in the request's language) of every result team, by name."""
    with read_session() as session:
        frame = result_teams(session=session).sort_values("name", kind="stable")
    lang = current_language()
    return [(slug, localized({"name": name, "name_es": name_es}, "name", lang))
            for slug, name, name_es in frame[["team", "name", "name_es"]].itertuples(
                index=False)]


def _registered(prefix: str) -> bool:
    """Whether a page serves addresses starting with ``prefix`` (pages built in parallel),
    on this site (the public site serves only its public pages)."""
    public = public_site()
    return any(str(p.get("path_template") or p.get("path", "")).startswith(prefix)
               and (not public or p.get("module") in PUBLIC_MODULES)
               for p in dash.page_registry.values())


def language_switch(fold: str = "lg") -> html.Div:
    """EN | ES: links to the same page in each language (the choice is kept in a cookie)."""
    now = current_language()
    links: list[Any] = []
    for code, name in LANGUAGE_NAMES.items():
        if links:
            links.append(html.Span("|", className="text-white-50 mx-1", **{"aria-hidden": "true"}))
        links.append(html.A(code.upper(), href=f"?lang={code}", lang=code, hrefLang=code,
                            title=name, id=ids.language_link(code),
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
        if not public_site():  # the public site has no sign-in
            items.append(dbc.NavItem(dbc.NavLink(_("Sign in"), href="/login",
                                                 id=ids.SIGN_IN_LINK)))
    else:
        items += [
            dbc.NavItem(html.Span([
                html.Span(_("Signed in as "), className="visually-hidden"),
                html.Span(user.email, className="fw-semibold"),
                html.Span(f" ({user.role_words})", className="small"),
            ], id=ids.SIGNED_IN_AS, title=f"{user.email} ({user.role_words})",
                className=f"navbar-text text-light ms-{fold}-3")),
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
        html.Main(dbc.Container(dash.page_container, className="pb-2"), id=ids.MAIN,
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


def team_options() -> list[dict[str, str]]:
    """Result teams as dropdown options (label: name, value: slug)."""
    return [{"label": name, "value": slug} for slug, name in teams()]
