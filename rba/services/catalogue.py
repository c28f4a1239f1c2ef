"""The catalogue as the pages show it: results, teams, indicators, and the labels of
dimensions and their groups (in the reader's language)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from rba.i18n import localized_column
from rba.store import catalogue as store
from rba.store.published import reads

__all__ = ["dimension_labels", "indicator_record", "indicator_table", "result_descriptions",
           "result_table", "result_teams"]


def dimension_labels(*, session: Session, lang: str | None = None) -> pd.DataFrame:
    """Labels of every dimension (value None) and dimension value, in display order.

    Columns dimension, value, label, label_es, order. With ``lang``, ``label`` is already
    in that language (the Spanish label where one is entered, else the English), so a
    caller that reads ``label`` alone shows the right words.
    """
    frame = reads(session, store).dimension_labels(session=session)
    if lang is not None:
        frame["label"] = localized_column(frame, "label", lang)
    return frame


def indicator_table(*, session: Session, published_only: bool = True) -> pd.DataFrame:
    """Every (published) indicator with its names, result, kind, unit, dimensions, min_n."""
    return reads(session, store).indicator_table(session=session,
                                                 published_only=published_only)


def result_table(*, session: Session) -> pd.DataFrame:
    """Every result in display order: result, name, name_es, team (slug), display_order."""
    return reads(session, store).result_table(session=session)


def result_teams(*, session: Session) -> pd.DataFrame:
    """One row per result team: team (slug), name, name_es, facilitator, members."""
    return reads(session, store).result_teams_frame(session=session)



def indicator_record(*, session: Session, code: str) -> dict[str, Any] | None:
    """The published indicator ``code``'s names, definitions, unit and source (both
    languages) and its result's names; None when unknown or unpublished."""
    return reads(session, store).indicator_record(session=session, code=code,
                                                   published_only=True)


def result_descriptions(*, session: Session) -> pd.DataFrame:
    """Every result in display order with its names and descriptions in both languages."""
    return reads(session, store).result_descriptions(session=session)
