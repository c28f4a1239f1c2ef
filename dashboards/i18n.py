"""Translatable UI strings, in the language of the request being served.

Every string the dashboard shows goes through ``_()`` (or ``ngettext``), which translates
into the language of the current request (see `current_language`): the extractor
(rba.i18n.catalogue) finds the literals, the Spanish lives in the gettext catalogue.
Strings defined at import time (module constants) are marked with ``N_`` and passed
through ``_()`` when a page is drawn.

The language of a request: ``?lang=`` on the address, else the ``rba_lang`` cookie (set
whenever ``?lang=`` is given, so a choice persists), else the browser's Accept-Language
when it prefers Spanish, else English. A page layout calls `use_language(lang)` with the
``lang`` query value Dash hands it, since Dash serves layouts from its own callback route.
"""

from __future__ import annotations

from typing import Any

import flask

from rba.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, plural_translator, translator

__all__ = ["COOKIE", "N_", "_", "current_language", "gettext", "ngettext", "use_language"]

COOKIE = "rba_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def _supported(value: object) -> str | None:
    """The supported language a code names, or None when it names none."""
    text = str(value or "").strip().lower().replace("_", "-").split("-", 1)[0]
    return text if text in LANGUAGES else None


def requested_language(request: flask.Request) -> str:
    """The language a request asks for: ?lang=, else the cookie, else Accept-Language."""
    for value in (request.args.get("lang"), request.cookies.get(COOKIE)):
        chosen = _supported(value)
        if chosen:
            return chosen
    for value, _quality in request.accept_languages:  # best first
        chosen = _supported(value)
        if chosen:
            return chosen
    return DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of the request being served ("en" outside a request)."""
    if not flask.has_request_context():
        return DEFAULT_LANGUAGE
    chosen = flask.g.get("rba_lang")
    return chosen if chosen else requested_language(flask.request)


def use_language(lang: object = None) -> str:
    """Serve the rest of this request in ``lang`` when it names a language; the language."""
    chosen = _supported(lang)
    if chosen and flask.has_request_context():
        flask.g.rba_lang = chosen
    return chosen or current_language()


def remember_language(response: flask.Response) -> flask.Response:
    """After a request carrying ``?lang=``, keep the choice in a cookie for a year."""
    chosen = _supported(flask.request.args.get("lang"))
    if chosen and flask.request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_MAX_AGE, samesite="Lax",
                            httponly=False)
    return response


def gettext(message: str) -> str:
    """The translation of ``message`` in the current request's language."""
    return translator(current_language())(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural translation for ``n`` items in the request's language."""
    return plural_translator(current_language())(singular, plural, n)


def install_language(server: Any) -> None:
    """Remember a ``?lang=`` choice in a cookie on every response."""
    server.after_request(remember_language)


_ = gettext
