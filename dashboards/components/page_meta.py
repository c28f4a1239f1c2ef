"""Page titles and link-preview text (``<title>``, og:title, og:description) naming the
result or indicator in the reader's language, never an internal code.

Dash calls these with a page's path variables while serving the page's HTML (for the
link-preview tags) and again when it draws the page (for the browser's title); both run
in a request, so the language is the request's (?lang=, the cookie, the browser's).
"""

from __future__ import annotations

from typing import Any

from dashboards.cache import cached
from dashboards.components.shell import PARTNERSHIP, SUBTITLE
from dashboards.data import read_session
from dashboards.i18n import _, current_language
from rba.i18n import localized
from rba.services.catalogue import indicator_record, result_descriptions, result_teams

#: The image link previews show (a PNG in dashboards/assets: previews do not read SVG).
PREVIEW_IMAGE = "preview.png"


def titled(*parts: Any) -> str:
    """"Name · Collaborate PASadena" (blank parts left out)."""
    return " · ".join(str(p) for p in (*parts, PARTNERSHIP) if p)


def _indicator(code: Any) -> dict[str, Any] | None:
    if not isinstance(code, str) or not code:
        return None
    with read_session() as session:
        return cached(session, "indicator_record", (code,),
                      lambda: indicator_record(session=session, code=code))


def _result(code: Any) -> dict[str, Any] | None:
    if not isinstance(code, str) or not code:
        return None
    with read_session() as session:
        frame = cached(session, "result_descriptions", (),
                       lambda: result_descriptions(session=session))
    found = frame[(frame["result"] == code).to_numpy()]
    return None if found.empty else found.iloc[0].to_dict()


def indicator_title(code: Any = None, **_path: Any) -> str:
    """The indicator's name in the reader's language ("Indicator not found" if none)."""
    found = _indicator(code)
    return titled(localized(found, "name", current_language()) if found else
                  _("Indicator not found"))


def indicator_description(code: Any = None, **_path: Any) -> str:
    """What the indicator measures, and the result it belongs to."""
    found = _indicator(code)
    if found is None:
        return _(SUBTITLE)
    lang = current_language()
    return " ".join(p for p in (localized(found, "lay_definition", lang), _(
        "Result: {name}.").format(name=localized(found, "result_name", lang))) if p)


def result_title(code: Any = None, **_path: Any) -> str:
    """The result's name in the reader's language ("Result not found" if none)."""
    found = _result(code)
    return titled(localized(found, "name", current_language()) if found else
                  _("Result not found"))


def result_description(code: Any = None, **_path: Any) -> str:
    """The result's description (else the partnership's subtitle)."""
    found = _result(code)
    text = localized(found, "description", current_language()) if found else None
    return text if isinstance(text, str) and text else _(SUBTITLE)


def team_title(slug: Any = None, **_path: Any) -> str:
    """The result team's name in the reader's language ("Result team not found" if none)."""
    found = None
    if isinstance(slug, str) and slug:
        with read_session() as session:
            teams = cached(session, "result_teams", (),
                           lambda: result_teams(session=session))
        rows = teams[(teams["team"] == slug).to_numpy()]
        found = None if rows.empty else rows.iloc[0].to_dict()
    return titled(localized(found, "name", current_language()) if found else
                  _("Result team not found"))


def page_title(path: str) -> str:
    """The title of the page at ``path`` as its page declares it (the app's name if none)."""
    from dash._pages import _path_to_page

    page, variables = _path_to_page(path.strip("/"))
    title = page.get("title", PARTNERSHIP) if page else PARTNERSHIP
    if callable(title):
        title = title(**variables) if variables else title()
    return str(title)


def described(description: str) -> Any:
    """A page's description for dash.register_page, in the reader's language when drawn."""
    return lambda **_path: _(description)

