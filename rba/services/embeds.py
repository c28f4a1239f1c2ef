"""What a chart embedded in a partner's website shows, and how current it is.

An embed is public output on any site: it reads through the published view (only a
published indicator, only its final figures: a provisional figure may still change), and
small groups are withheld as on every public page (rba.services.curves.public_curve
applies suppression).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rba.services.curves import IndicatorDetail, indicator_detail
from rba.store import figures
from rba.store.published import reads


def embed_detail(*, session: Session, code: str) -> IndicatorDetail | None:
    """The published indicator ``code`` with its final figures only; None if unknown or
    unpublished."""
    return indicator_detail(session=session, code=code, published_view=True)


def figures_as_of(*, session: Session, code: str, final_only: bool = False) -> dt.date | None:
    """The "as of" date shown beside an indicator's chart: the day its newest figure (with
    ``final_only``: final figure) was entered. None when it has none. On the public site,
    the day its newest final figure was entered (the published view holds no other)."""
    entered = reads(session, figures).figures_entered_at(session=session, code=code,
                                                         final_only=final_only)
    return None if entered is None else entered.date()
