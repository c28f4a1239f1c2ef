"""Badges and words beside figures: the current trend, the target colour, a status or an
equity verdict as symbol and words (colour is never the only cue), and a definition
button."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboards import ids
from dashboards.i18n import N_, _, current_language, ngettext
from rba.i18n import is_missing, label
from rba.i18n.figures import verdict_detail

#: Symbols shown beside status words, so colour is never the only cue.
STATUS_SYMBOLS = {"better_than_forecast": "▲", "within_forecast": "≈",
                  "worse_than_forecast": "▼"}


VERDICT_SYMBOLS = {"narrowing": "↘", "widening": "↗", "steady": "→", "unknown": "?"}


#: The turn-the-curve verdict's symbols (rba.calc.verdict), beside its words.
BASELINE_SYMBOLS = {"better_than_baseline": "▲", "on_baseline": "≈",
                    "worse_than_baseline": "▼", "no_baseline": "○", "not_enough_data": "…"}


CHANGE_SYMBOLS = {"improving": "▲", "worsening": "▼", "unchanged": "●", "none": ""}


#: Bootstrap text colours per code (a second cue besides the symbol and the words).
TONES = {"better_than_forecast": "text-success", "worse_than_forecast": "text-danger",
         "better_than_baseline": "text-success", "worse_than_baseline": "text-danger",
         "narrowing": "text-success", "widening": "text-danger", "improving": "text-success",
         "worsening": "text-danger"}


TREND_ARROWS = {("improving", 1): "↑", ("improving", -1): "↓", ("worsening", 1): "↓",
                ("worsening", -1): "↑", ("flat", 1): "→", ("flat", -1): "→"}


BAND_SYMBOLS = {"green": "✓", "yellow": "≈", "red": "✗"}


BAND_NAMES = {"green": N_("Green"), "yellow": N_("Yellow"), "red": N_("Red")}


def definition_button(definition: Any, term_id: str, subject: str) -> list[Any]:
    """A small "i" button showing a definition on hover, focus or tap (nothing if none)."""
    if not isinstance(definition, str) or not definition.strip():
        return []
    return [
        html.Button("i", id=term_id, type="button", className="definition-button",
                    **{"aria-label": _("What is “{term}”?").format(term=subject),
                       "aria-describedby": f"{term_id}-text"}),
        html.Span(definition, id=ids.definition_text(term_id), className="visually-hidden"),
        dbc.Tooltip(definition, target=term_id, placement="top", trigger="hover focus"),
    ]


def trend_badge(direction: Any, periods: Any, polarity: Any) -> html.Span:
    """The current trend: an arrow for which way the figure moves, words for good or bad."""
    from rba.i18n import label

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


def band_badge(band: Any) -> html.Span:
    """The target colour as a badge that names its colour and says what it means."""
    from rba.i18n import label

    if is_missing(band) or band not in BAND_NAMES:
        return html.Span(_("No target"), className="badge band band-none")
    meaning = label("band", band, current_language())
    return html.Span([html.Span(BAND_SYMBOLS[band], **{"aria-hidden": "true"}),
                      f" {_(BAND_NAMES[str(band)])}: {meaning}"],
                     className=f"badge band band-{band}")


def status_words(code: Any, lang: str) -> str:
    """A period's status as symbol and words, e.g. "▲ Better than forecast"; "" if none."""
    if not isinstance(code, str) or not code:
        return ""
    return f"{STATUS_SYMBOLS.get(code, '')} {label('status', code, lang)}".strip()


def verdict_words(code: Any, lang: str) -> str:
    """An equity verdict as symbol and words, e.g. "↘ Gap narrowing"."""
    if not isinstance(code, str) or not code:
        return ""
    return f"{VERDICT_SYMBOLS.get(code, '')} {label('gap_trend', code, lang)}".strip()


def verdict_parts(row: Any) -> tuple[str, str, str, str]:
    """The answer to "are we turning the curve?" as (code, symbol, words, detail): what was
    judged against what (the agreed baseline or a forecast fitted now) and for how long."""
    lang = current_language()
    code = row.get("verdict")
    code = "not_enough_data" if is_missing(code) else str(code)
    detail = verdict_detail(row, lang)
    return code, BASELINE_SYMBOLS[code], label("verdict", code, lang), detail


def verdict_badge(row: Any) -> html.Div:
    """The turn-the-curve verdict (`verdict_parts`): symbol and words, then its detail."""
    code, symbol, words, detail = verdict_parts(row)
    return html.Div([
        html.Span([html.Span(symbol, className="me-1", **{"aria-hidden": "true"}), words],
                  className=f"fw-semibold verdict verdict-{code} {TONES.get(code, '')}"),
        html.Span(detail, className="small text-body-secondary d-block verdict-detail")
        if detail else "",
    ], className="turn-the-curve-verdict")
