"""Period locks: once a period is final for an indicator or a program's performance
measure, nothing (grid, import, undo, command) may change its values until an admin
unlocks it, with a reason; both audited."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from rba.store import locks as store
from rba.store.locks import INDICATOR, MEASURE, LockError

__all__ = ["INDICATOR", "MEASURE", "LockError", "lock", "locked", "unlock"]


def lock(*, session: Session, period: str, actor: str, codes: list[str] | None = None,
         source: str = "cli") -> tuple[list[str], list[str]]:
    """Lock ``period`` for these indicators or measures (None: every indicator and measure
    with periods like it) and mark their figures final. Returns the indicators and the
    measures locked now (those already locked are left as they are)."""
    done = store.lock(session=session, period=period, codes=codes, actor=actor, source=source)
    measures = set(store.locked(session=session, owners=done, kind=MEASURE)["owner"])
    return [c for c in done if c not in measures], [c for c in done if c in measures]


def unlock(*, session: Session, code: str, period: str, actor: str, reason: str,
           source: str = "cli") -> None:
    """Reopen a locked period; ``actor`` must be an active admin; the reason is audited."""
    store.unlock(session=session, code=code, period=period, actor=actor, reason=reason,
                 source=source)


def locked(*, session: Session, owners: list[str] | None = None, kind: str = INDICATOR
           ) -> pd.DataFrame:
    """Locked (owner, period) pairs with who locked them and when."""
    return store.locked(session=session, owners=owners, kind=kind)
