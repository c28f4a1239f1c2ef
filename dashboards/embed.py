"""``/embed/indicators/CODE``: one indicator's turn-the-curve chart made for an iframe on a
partner's website, the only pages that may be framed (dashboards.security).

A plain Flask page, not a Dash page: no navbar, no sign-in, no callbacks, a 404 status for
an indicator it cannot show. It shows a published indicator's final figures only, small
groups withheld (rba.services.embeds), with its verdict, title, source, "as of" date, the
partnership's name and a link to the full page. ``?where=city=Altadena`` (the CLI's
``--where`` form, repeatable) picks a group, ``?lang=es`` the language. The chart is drawn
in the browser by Plotly (served from the plotly package: no CDN) from a JSON block, by a
script file, so the Content-Security-Policy needs no inline script.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import flask
import plotly
from markupsafe import Markup
from plotly.io.json import to_json_plotly

from dashboards.cache import cached, memo, read_with_fingerprint
from dashboards.components.badges import TONES, verdict_parts
from dashboards.components.chart_credits import as_of_words, credit_line, credited
from dashboards.components.shell import PARTNERSHIP
from dashboards.components.turn_the_curve import chart, group_label
from dashboards.data import read_session
from dashboards.i18n import _, current_language, use_language
from rba.dimensions import TOTAL_KEY, parse_dimension_key, where_key
from rba.i18n import localized
from rba.services.curves import public_curve
from rba.services.embeds import embed_detail, figures_as_of

PREFIX = "/embed"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
#: The image link previews show (a PNG: previews do not read SVG).
PREVIEW_IMAGE = "/assets/preview.png"

blueprint = flask.Blueprint("rba_embed", __name__, template_folder="templates",
                            static_folder="embed_static", static_url_path=f"{PREFIX}/static")


def install_embeds(server: flask.Flask) -> None:
    """Serve the embed pages (and Plotly's script for them) from ``server``."""
    server.register_blueprint(blueprint)


@blueprint.route(f"{PREFIX}/static/plotly.min.js")
def plotly_js() -> flask.Response:
    """Plotly's browser bundle from the installed plotly package, cached for a day."""
    return flask.send_file(PLOTLY_JS, mimetype="text/javascript", max_age=24 * 3600)


def full_page(code: str, key: str, lang: str) -> str:
    """The address of the indicator's full page showing the same group and language."""
    where = [f"{name}={value}" for name, value in sorted(parse_dimension_key(key).items())]
    query = urlencode([("where", w) for w in where] + [("lang", lang)], safe="=")
    return f"/indicators/{code}?{query}"


def embedded(code: str, key: str, lang: str) -> dict[str, Any] | None:
    """What the embed of ``code`` for the group ``key`` shows; None when there is none to
    show (unknown or unpublished indicator, no such group, no final figures)."""
    with read_session() as session:
        detail, read = read_with_fingerprint(
            session, "embed_detail", (code,), lambda: embed_detail(session=session, code=code),
            of=lambda d: None if d is None else (d.indicator, d.curve_inputs,
                                                   d.dimension_labels))
        as_of = cached(session, "embed_as_of", (code,), lambda: figures_as_of(
            session=session, code=code, final_only=True))
    if detail is None:
        return None
    curve = memo("embed_curve", (read,), lambda: public_curve(detail, None, None))
    series = f"{code}:{key}"
    if "error" in curve or series not in set(curve["summary"]["series"]):
        return None
    ind = curve["indicator"]
    summary = curve["summary"]
    row = summary[(summary["series"] == series).to_numpy()].iloc[0].to_dict()
    row["frequency"] = ind["frequency"]
    verdict, symbol, words, detail_words = verdict_parts(row)
    name = localized(ind, "name", lang)
    group = group_label(curve, series, lang) if key != TOTAL_KEY else ""
    figure = credited(chart(curve, series, lang, None), credit_line(ind, as_of, lang))
    return {
        "code": code, "name": name, "group": group, "lang": lang,
        "definition": localized(ind, "lay_definition", lang) or "",
        "source": localized(ind, "source", lang) or _("Not recorded"),
        "as_of": as_of_words(as_of, lang), "as_of_iso": as_of.isoformat() if as_of else "",
        "verdict": verdict, "verdict_symbol": symbol, "verdict_words": words,
        "verdict_detail": detail_words, "verdict_tone": TONES.get(verdict, ""),
        "figure": Markup(to_json_plotly(figure).replace("</", "<\\/")),
        "options": {"filename": f"{code}-{dt.date.today().isoformat()}",
                    "png": _("Download the chart as PNG"), "svg": _("Download the chart as SVG")},
        "full_page": full_page(code, key, lang),
    }


def page_title(shown: dict[str, Any]) -> str:
    """"Kindergarten readiness · Altadena · Collaborate PASadena"."""
    return " · ".join(p for p in (shown["name"], shown["group"], PARTNERSHIP) if p)


def description(shown: dict[str, Any]) -> str:
    """The link preview's text: the verdict, then what the indicator measures."""
    return " ".join(p for p in (f"{shown['verdict_words']}.", shown["definition"]) if p)


@blueprint.route(f"{PREFIX}/indicators/<code>")
def indicator_embed(code: str) -> tuple[str, int]:
    """The embed page of indicator ``code`` (404, with a friendly page, when it has none)."""
    lang = use_language(flask.request.args.get("lang"))
    try:
        key = where_key(flask.request.args.getlist("where"))
    except ValueError as error:
        return missing(_("The address names a group this chart cannot show: {why}").format(
            why=error)), 404
    shown = embedded(code, key, lang)
    if shown is None:
        return missing(_("No published indicator “{code}” has final figures for this "
                         "group.").format(code=code)), 404
    image = flask.request.host_url.rstrip("/") + PREVIEW_IMAGE
    return flask.render_template(
        "embed.html", shown=shown, title=page_title(shown), description=description(shown),
        image=image, url=flask.request.url, partnership=PARTNERSHIP,
        words=embed_words(shown)), 200


def missing(why: str) -> str:
    """The friendly page for an embed that cannot be shown."""
    return flask.render_template("embed_missing.html", lang=current_language(),
                                 partnership=PARTNERSHIP, why=why,
                                 heading=_("This chart is not available"),
                                 home=_("See all results on the scorecard"))


def embed_words(shown: dict[str, Any]) -> dict[str, str]:
    """The page's fixed words in the reader's language."""
    return {"source": _("Source: {source}").format(source=shown["source"]),
            "full_page": _("See the full page"),
            "verdict": _("Are we turning the curve?"),
            "public": _("Final figures only; groups too small to report are withheld."),
            "chart": _("Turn-the-curve chart"),
            "no_script": _("The chart needs JavaScript; the full page has the figures as a "
                           "table.")}
