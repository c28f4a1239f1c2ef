"""The annual report card on the web: /report-card/YEAR (HTML, ?lang=es) and
/report-card/YEAR.pdf, both what `rba report-card` writes (rba.services.report_card).

Public figures only (published indicators, final figures, small groups withheld), read
through the published view, so no sign-in, and the staff site and the public site
(`rba serve --public`) serve the same document. A year without final figures gets a
friendly page with status 404, not an error. Each year's card is made once per data version
and language and shared through the cache (dashboards.cache): the PDF takes seconds to
print.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import flask

from dashboards.cache import cached
from dashboards.components.shell import PARTNERSHIP
from dashboards.data import read_session
from dashboards.i18n import _, current_language, use_language
from rba.i18n import render
from rba.services.report_card import (
    ReportCardError,
    report_card_html_text,
    report_card_pdf,
)

PATH = "/report-card/<int:year>"
PDF_PATH = "/report-card/<int:year>.pdf"


def _html(year: int, lang: str) -> str:
    today = dt.date.today()
    with read_session() as session:
        return cached(session, "report_card_html", (year, lang, today.isoformat()),
                      lambda: report_card_html_text(session=session, year=year, lang=lang,
                                                    today=today))


def _pdf(year: int, lang: str) -> bytes:
    html = _html(year, lang)
    with read_session() as session:
        return cached(session, "report_card_pdf", (year, lang, dt.date.today().isoformat()),
                      lambda: report_card_pdf(html))


def _not_found(error: ReportCardError, lang: str) -> flask.Response:
    """A small page in the reader's language saying why there is no report card."""
    title = escape(_("No report card for this year"))
    back = escape(_("Back to the scorecard"))
    body = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title} · {PARTNERSHIP}</title>"
            '<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;'
            "padding:0 1rem;line-height:1.5}</style></head><body>"
            f"<p><strong>{PARTNERSHIP}</strong></p><h1>{title}</h1>"
            f"<p>{escape(render(error.detail, lang))}</p>"
            f'<p><a href="/?lang={lang}">{back}</a></p></body></html>')
    return flask.Response(body, status=404, mimetype="text/html")


def report_card_page(year: int) -> flask.Response:
    """The report card of a year as one self-contained HTML page."""
    lang = use_language(flask.request.args.get("lang")) or current_language()
    try:
        return flask.Response(_html(year, lang), mimetype="text/html")
    except ReportCardError as error:
        return _not_found(error, lang)


def report_card_file(year: int) -> flask.Response:
    """The report card of a year as a PDF, to download."""
    lang = use_language(flask.request.args.get("lang")) or current_language()
    try:
        pdf = _pdf(year, lang)
    except ReportCardError as error:
        return _not_found(error, lang)
    response = flask.Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="report-card-{year}-{lang}.pdf"')
    return response


def install_report_card(server: flask.Flask) -> None:
    """Serve the report card's two addresses."""
    server.add_url_rule(PDF_PATH, "rba_report_card_pdf", report_card_file)
    server.add_url_rule(PATH, "rba_report_card", report_card_page)
