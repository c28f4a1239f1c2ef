"""Any address that is not a page: a friendly message instead of a bare 404."""

from __future__ import annotations

import dash
from dash import html

from dashboards import ids
from dashboards.components import PARTNERSHIP, message

dash.register_page(__name__, path="/404", title=f"Page not found · {PARTNERSHIP}")


def layout(**_query: str) -> html.Div:
    return html.Div(message("Page not found", "There is no page at this address.",
                            component_id=ids.NOT_FOUND))
