"""Keeping the JWT fresh ahead of ``exp`` while nothing else asks for it.

Every WS request asks the token manager for a token anyway, but a quiet session may send
nothing for a long time; renewing on schedule means the next request never waits for a
refresh, and a revoked refresh token is noticed (and reported) while streams still run. Live
subscriptions are not touched: ALOR checks the token when a request arrives, not while
streaming (alor-api.md 1.2, 3.8).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from alortui.alor.auth import TokenManager
from alortui.alor.errors import AlorError, AuthRejected

log = logging.getLogger(__name__)

MIN_PAUSE = 0.5
"""Shortest wait between two checks, so a token that cannot be renewed never spins the loop."""


async def keep_token_fresh(tokens: TokenManager, on_rejected: Callable[[AuthRejected], None], *,
                           retry: float = 5.0, clock: Callable[[], float] = time.time,
                           sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
    """Renew the JWT when it enters its refresh margin, forever (cancel to stop).

    Args:
        tokens: The token manager (its clock must be ``clock``).
        on_rejected: Called once if the refresh token is rejected; the loop then ends.
        retry: Pause after a transient failure (the manager keeps the old token meanwhile).
    """
    while True:
        try:
            await tokens.access_token()
        except AuthRejected as exc:
            on_rejected(exc)
            return
        except AlorError as exc:
            log.warning("could not renew the access token: %s", exc)
            await sleep(retry)
            continue
        expires_at = tokens.expires_at
        if expires_at is None:
            await sleep(retry)
            continue
        renew_at = expires_at - tokens.refresh_margin
        await sleep(max(MIN_PAUSE, renew_at - clock() + 0.01))
