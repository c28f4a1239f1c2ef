"""Any address that is not a page: a friendly message instead of a bare 404."""

from __future__ import annotations

import dash
from dash import html

from dashboards import ids
from dashboards.components.shell import PARTNERSHIP, message
from dashboards.i18n import _, use_language

dash.register_page(__name__, path="/404",
                   title=lambda **_kw: f"{_('Page not found')} · {PARTNERSHIP}")


def layout(**_query: str) -> html.Div:
    use_language(_query.get("lang"))
    return html.Div(message(_("Page not found"), _("There is no page at this address."),
                            component_id=ids.NOT_FOUND))
