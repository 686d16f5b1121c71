"""Failed authentications per client address and minute, counted in the shared database.

The counters live in the database every worker and instance uses, so the limit holds for
the whole service however many processes serve it.
"""

from __future__ import annotations

import time

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import AuthFailure

WINDOW_SECONDS = 60


def _window(now: float) -> int:
    return int(now // WINDOW_SECONDS)


def retry_after(now: float | None = None) -> int:
    """Seconds until the current window ends."""
    now = time.time() if now is None else now
    return max(1, int(WINDOW_SECONDS - now % WINDOW_SECONDS) + 1)


def failures(session: Session, address: str, now: float | None = None) -> int:
    now = time.time() if now is None else now
    count = session.scalar(
        select(AuthFailure.count).where(
            AuthFailure.address == address, AuthFailure.window == _window(now)
        )
    )
    return count or 0


def record_failure(session: Session, address: str, now: float | None = None) -> int:
    """Count one failure (committed at once, whatever the request does next)."""
    now = time.time() if now is None else now
    window = _window(now)
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(AuthFailure)
        .values(address=address, window=window, count=1)
        .on_conflict_do_update(
            index_elements=["address", "window"], set_={"count": AuthFailure.count + 1}
        )
        .returning(AuthFailure.count)
    )
    count = session.scalar(statement)
    session.execute(
        delete(AuthFailure).where(AuthFailure.address == address, AuthFailure.window < window)
    )
    session.commit()
    return count
