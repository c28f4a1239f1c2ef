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
    return "—" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))


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
                 with_entity: bool = False, namer: Namer | None = None) -> dbc.Table:
    """Audit events: when, who, how (source), what happened, old → new, and the batch;
    with a ``namer``, each figure named by indicator, period and group in words."""
    lang = current_language()
    head = [_("When"), _("Who"), _("Source"), _("Action")]
    head += [_("Record")] if with_entity else []
    head += [_("Old → new"), _("Batch")]
    rows = []
    for e in events:
        cells = [html.Td(when(e["at"]), className="text-nowrap"), html.Td(e["actor"]),
                 html.Td(source_words(e["source"], lang)),
                 html.Td(action_words(e["action"], lang))]
        if with_entity:
            words = namer.entity(e["entity"], e["entity_id"]) if namer else None
            cells.append(html.Td(history_link(e["entity"], e["entity_id"], words) if words
                                 and words != e["entity_id"] else [
                html.Span(f"{e['entity']} "), history_link(e["entity"], e["entity_id"])]))
        cells += [html.Td(change_list(e["old"], e["new"])),
                  html.Td(dcc.Link(e["batch_id"], href=f"/batches/{e['batch_id']}")
                          if e["batch_id"] else "")]
        rows.append(html.Tr(cells))
    return dbc.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                      html.Tbody(rows)], id=component_id, size="sm", striped=True,
                     responsive=True)
