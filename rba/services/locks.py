"""Period locks: once a period is final for an indicator or a program's performance
measure, nothing (grid, import, undo, command) may change its values until an admin
unlocks it, with a reason; both audited.

The CLI (`rba lock`, `rba unlock`) and the dashboard's locks page both come through here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from rba.messages import N_, Message
from rba.store import locks as store
from rba.store.locks import INDICATOR, MEASURE, LockError

__all__ = ["INDICATOR", "MEASURE", "LockError", "Locked", "every_lock", "lock", "locked",
           "unlock"]


@dataclass(frozen=True)
class Locked:
    """What a lock did: the indicators and measures locked now, and those already locked."""

    period: str
    indicators: list[str]
    measures: list[str]
    already: list[str]

    @property
    def message(self) -> Message:
        """What happened, in words: "locked 2026-Q3 for 2 indicator(s): a, b" or
        "2026-Q3 is already locked for a, b"."""
        if not self.indicators and not self.measures:
            return Message(N_("{period} is already locked for {codes}: nothing changed"),
                           period=self.period, codes=_listed(self.already))
        parts = [Message(N_("{n} indicator(s)"), n=len(self.indicators))
                 ] if self.indicators or not self.measures else []
        parts += [Message(N_("{n} measure(s)"), n=len(self.measures))] if self.measures else []
        done = [*self.indicators, *self.measures]
        text = Message(N_("locked {period} for {what}: {codes}"), period=self.period,
                       what=parts[0] if len(parts) == 1 else Message(
                           N_("{first} and {second}"), first=parts[0], second=parts[1]),
                       codes=_listed(done))
        if self.already:
            return Message(N_("{done} ({codes} already locked)"), done=text,
                           codes=_listed(self.already))
        return text


def _listed(codes: list[str], limit: int = 10) -> str:
    return ", ".join(codes) if len(codes) <= limit else ", ".join(codes[:limit]) + ", …"


def lock(*, session: Session, period: str, actor: str, codes: list[str] | None = None,
         team: str | None = None, source: str = "cli") -> Locked:
    """Lock ``period`` for these indicators or measures, or a result team's indicators
    (neither: every indicator and measure with periods like it), and mark their figures
    final. Those already locked are left as they are."""
    if team is not None:
        codes = store.team_codes(session=session, team=team)
    done, already = store.lock(session=session, period=period, codes=codes, actor=actor,
                               source=source, every_code=team is None)
    measures = set(store.locked(session=session, owners=done, kind=MEASURE)["owner"])
    return Locked(period, [c for c in done if c not in measures],
                  [c for c in done if c in measures], already)


def unlock(*, session: Session, code: str, period: str, actor: str, reason: str,
           source: str = "cli") -> None:
    """Reopen a locked period; ``actor`` must be an active admin; the reason is audited."""
    store.unlock(session=session, code=code, period=period, actor=actor, reason=reason,
                 source=source)


def locked(*, session: Session, owners: list[str] | None = None, kind: str = INDICATOR
           ) -> pd.DataFrame:
    """Locked (owner, period) pairs with who locked them and when."""
    return store.locked(session=session, owners=owners, kind=kind)


def every_lock(*, session: Session) -> pd.DataFrame:
    """Every locked period of indicators and measures: kind, owner, period, locked_by,
    locked_at, latest first."""
    frames = [store.locked(session=session, kind=kind).assign(kind=kind)
              for kind in (INDICATOR, MEASURE)]
    frame = pd.concat(frames, ignore_index=True)
    return frame.sort_values(["locked_at", "owner"], ascending=[False, True],
                             ignore_index=True)[["kind", "owner", "period", "locked_by",
                                                 "locked_at"]]
