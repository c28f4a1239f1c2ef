"""Audit events as tables for the history and batch pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards.i18n import _, current_language
from rba.services.audit import changed_fields
from rba.services.words import Namer, action_words, field_words, source_words

PATH = "/history"


def when(value: Any) -> str:
    """A timestamp as people read it, in UTC."""
    return value.strftime("%Y-%m-%d %H:%M UTC") if hasattr(value, "strftime") else str(value)


def shown(value: Any) -> str:
    """A stored value as text: "—" when missing (None, NaN), numbers without trailing 0s."""
    if value is None or value != value:  # None or NaN
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def change_list(old: str | None, new: str | None) -> html.Ul:
    """Each changed field as "field: old → new" (a figure's fields in words)."""
    lang = current_language()
    return html.Ul([html.Li([html.Strong(field_words(field, lang)),
                             f": {shown(a)} → {shown(b)}"])
                    for field, a, b in changed_fields(old, new)],
                   className="list-unstyled mb-0 small")


def history_link(entity: str, entity_id: str, words: str | None = None) -> dcc.Link:
    return dcc.Link(words or entity_id,
                    href=f"{PATH}?{urlencode({'entity': entity, 'id': entity_id})}")


def events_table(events: list[dict[str, Any]], *, component_id: str,
                 with_entity: bool = False, namer: Namer | None = None,
                 stacked: bool = False) -> dbc.Table:
    """Audit events: when, who, how (source), what happened, old → new, and the batch;
    with a ``namer``, each figure named by indicator, period and group in words; ``stacked``:
    one labelled card per event on a phone (rba.css .rba-stack)."""
    lang = current_language()
    head = [_("When"), _("Who"), _("Source"), _("Action")]
    head += [_("Record")] if with_entity else []
    head += [_("Old → new"), _("Batch")]
    rows = []
    for e in events:
        cells: list[Any] = [when(e["at"]), e["actor"], source_words(e["source"], lang),
                            action_words(e["action"], lang)]
        if with_entity:
            words = namer.entity(e["entity"], e["entity_id"]) if namer else None
            cells.append(history_link(e["entity"], e["entity_id"], words) if words
                         and words != e["entity_id"] else [
                html.Span(f"{e['entity']} "), history_link(e["entity"], e["entity_id"])])
        cells += [change_list(e["old"], e["new"]),
                  dcc.Link(e["batch_id"], href=f"/batches/{e['batch_id']}")
                  if e["batch_id"] else ""]
        rows.append(html.Tr([html.Td(cell, className="text-nowrap" if i == 0 else None,
                                     **{"data-label": label})
                             for i, (cell, label) in enumerate(zip(cells, head, strict=True))]))
    return dbc.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                      html.Tbody(rows)], id=component_id, size="sm", striped=True,
                     responsive=True, className="rba-stack" if stacked else None)
