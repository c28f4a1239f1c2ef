"""Pieces shared by the pages: the navbar, the footer and friendly messages."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards import ids

PARTNERSHIP = "Collaborate PASadena"
SUBTITLE = "Results for children and families in Pasadena, Altadena and Sierra Madre"
ILLUSTRATIVE = ("The sample data bundled with this tracker are illustrative, not official "
                "statistics of any agency.")


def navbar() -> dbc.Navbar:
    """The top bar: the partnership's name (home) and the main sections."""
    return dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand(PARTNERSHIP, href="/", className="fw-bold"),
            dbc.Nav([dbc.NavItem(dbc.NavLink("Results", href="/", active="exact"))],
                    navbar=True, className="ms-auto"),
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
