"""Pieces shared by the pages: the navbar, the footer and friendly messages."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import sqlalchemy as sa
from dash import dcc, html

from dashboards import ids
from dashboards.auth import EDITORS, account
from dashboards.data import read_session
from dashboards.i18n import _

PARTNERSHIP = "Collaborate PASadena"
SUBTITLE = "Results for children and families in Pasadena, Altadena and Sierra Madre"
ILLUSTRATIVE = ("The sample data bundled with this tracker are illustrative, not official "
                "statistics of any agency.")


def navbar() -> dbc.Navbar:
    """The top bar: the partnership's name (home), the sections the user may use, and who
    is signed in with a way to sign out (or a way to sign in)."""
    user = account()
    links = [(_("Results"), "/")]
    if user is not None and user.role in EDITORS:
        links += [(_("Upload"), "/upload"), (_("Enter data"), "/entry"),
                  (_("Changes"), "/history")]
    items = [dbc.NavItem(dbc.NavLink(text, href=href, active="exact")) for text, href in links]
    if user is None:
        items.append(dbc.NavItem(dbc.NavLink(_("Sign in"), href="/login", id=ids.SIGN_IN_LINK)))
    else:
        items += [
            dbc.NavItem(html.Span([
                html.Span(_("Signed in as "), className="visually-hidden"),
                html.Span(user.email, className="fw-semibold"),
                html.Span(f" ({user.role_words})", className="small"),
            ], id=ids.SIGNED_IN_AS, className="navbar-text text-light ms-lg-3")),
            dbc.NavItem(html.Form(
                html.Button(_("Sign out"), type="submit", id=ids.SIGN_OUT,
                            className="btn btn-link nav-link"),
                action="/logout", method="POST", className="d-inline")),
        ]
    return dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand(PARTNERSHIP, href="/", className="fw-bold"),
            dbc.Nav(items, navbar=True, className="ms-auto align-items-lg-center"),
        ]),
        id=ids.NAVBAR, color="primary", dark=True, className="mb-4", tag="header",
    )


def footer() -> html.Footer:
    """The page footer, saying the bundled sample figures are illustrative."""
    return html.Footer(
        dbc.Container(html.P(ILLUSTRATIVE, className="small text-body-secondary mb-0")),
        id=ids.FOOTER, className="border-top mt-5 py-3",
    )


def shell() -> html.Div:
    """The app's layout around every page."""
    return html.Div([
        navbar(),
        html.Main(dbc.Container(dash.page_container, className="pb-2"), id="main"),
        footer(),
    ], className="d-flex flex-column min-vh-100")


def message(title: str, text: str | list, *, component_id: str, link: bool = True
            ) -> dbc.Alert:
    """A friendly notice (empty state, page not found) with a way back home."""
    children = [html.H2(title, className="h4 alert-heading"), html.P(text, className="mb-0")]
    if link:
        children.append(html.P(dcc.Link("Back to all results", href="/",
                                        className="alert-link"), className="mt-2 mb-0"))
    return dbc.Alert(children, id=component_id, color="secondary", className="my-4")


def team_options() -> list[dict[str, str]]:
    """Result teams as dropdown options (label: name, value: slug)."""
    from rba.models import ResultTeam

    with read_session() as session:
        rows = session.execute(sa.select(ResultTeam.slug, ResultTeam.name).order_by(
            ResultTeam.name)).all()
    return [{"label": name, "value": slug} for slug, name in rows]
