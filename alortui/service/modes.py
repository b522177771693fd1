"""Which source feeds the hub, and every move between them (issue 3, items 1, 4 and 7).

A refresh token means the authorized WebSocket (LIVE, or DEMO against the simulator); none means
anonymous polling (DELAYED). A rejected refresh token (403) shows AUTH FAILED with the reason and
falls back to DELAYED; a token that appears later moves to LIVE. A move opens every active
stream on the new source first and stops the old one after, so consumers, which only read the
hub, see neither a gap nor a doubled feed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

import aiohttp

from alortui.alor.auth import TokenManager
from alortui.alor.endpoints import Endpoints
from alortui.alor.errors import AlorError, AuthRejected
from alortui.alor.redact import Secret
from alortui.alor.rest import AlorRest
from alortui.alor.stream import AlorStream
from alortui.service.api import ANONYMOUS_DELAY, Mode
from alortui.service.delayed import DelayedSource
from alortui.service.hub import Hub
from alortui.service.keeper import keep_token_fresh
from alortui.service.live import LiveSource
from alortui.service.options import ServiceOptions
from alortui.service.pacing import Pacer
from alortui.service.registry import Registry
from alortui.service.requests import AnyRequest
from alortui.service.status import StatusBoard

log = logging.getLogger(__name__)


class NoRefreshToken(AlorError):
    """Live data was asked for, but no refresh token is configured."""

    def __init__(self) -> None:
        super().__init__("no ALOR refresh token is configured: set ALOR_REFRESH_TOKEN or use "
                         "an owner-only token file (see alortui --help)")

Source = LiveSource | DelayedSource


class Sources:
    """Owns the current source, the token manager and the registry that opens streams on it.

    Args:
        session: aiohttp session (owned by the caller).
        endpoints: ALOR's or the simulator's URLs.
        hub: Where every source puts values.
        board: The status being assembled.
        pacer: Gates every HTTP request.
        options: Timings and limits.
        demo: Call the authorized mode DEMO.

    Every public coroutine holds one lock, so moves never interleave.
    """

    def __init__(self, session: aiohttp.ClientSession, endpoints: Endpoints, hub: Hub,
                 board: StatusBoard, pacer: Pacer, options: ServiceOptions, *,
                 demo: bool = False) -> None:
        self._session, self._endpoints, self._demo = session, endpoints, demo
        self._hub, self._board, self._pacer, self._opts = hub, board, pacer, options
        self.registry = Registry(self._open, self._close)
        self.rest = self._make_rest(None)
        """The HTTP client of the current mode (authorized or anonymous)."""
        self.tokens: TokenManager | None = None
        self._source: Source | None = None
        self._delayed_reason: str | None = None
        self._lock = asyncio.Lock()
        self._keeper: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    async def start(self, refresh_token: Secret | None) -> None:
        """Start LIVE/DEMO with ``refresh_token``, or DELAYED without one."""
        async with self._lock:
            if refresh_token is not None:
                await self._go_live(refresh_token)
            else:
                await self._go_delayed(None)
        self._spawn(self._clock_loop())

    async def use_token(self, refresh_token: Secret) -> None:
        """Move to authorized streaming with ``refresh_token``."""
        async with self._lock:
            await self._go_live(refresh_token)

    async def set_anonymous(self, anonymous: bool, refresh_token: Secret | None) -> None:
        """Poll anonymously (DELAYED) on request, or stream again with ``refresh_token``.

        Either way the new source opens every active stream before the old one stops.

        Raises:
            NoRefreshToken: going live was asked for but there is no token to go live with.
        """
        async with self._lock:
            if anonymous and not isinstance(self._source, DelayedSource):
                self._drop_tokens()
                await self._go_delayed("Delayed data chosen by the user.")
            elif not anonymous and not isinstance(self._source, LiveSource):
                if refresh_token is None:
                    raise NoRefreshToken
                await self._go_live(refresh_token)

    async def reconnect(self) -> None:
        """Reconnect the WebSocket now, consumers keeping their subscriptions, or poll now."""
        async with self._lock:
            if isinstance(self._source, DelayedSource):
                self._source.poll_now()
            elif isinstance(self._source, LiveSource) and self.tokens is not None:
                await self._source.reconnect(self._opts.open_wait)

    async def close(self) -> None:
        """Stop the source and every background task."""
        async with self._lock:
            for task in [*self._tasks, *([self._keeper] if self._keeper else [])]:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            if self._source is not None:
                await self._source.stop()
            self._board.set_mode(Mode.OFFLINE, reason="closed")

    def _make_rest(self, tokens: TokenManager | None) -> AlorRest:
        return AlorRest(self._session, self._endpoints, tokens, timeout=self._opts.http_timeout)

    def _live_source(self, tokens: TokenManager) -> LiveSource:
        o = self._opts
        stream = AlorStream(self._session, self._endpoints.ws_url, tokens,
                            ping_interval=o.ping_interval, ping_timeout=o.ping_timeout,
                            silence_timeout=o.silence_timeout, confirm_timeout=o.confirm_timeout,
                            backoff=o.backoff, healthy_after=o.healthy_after)
        return LiveSource(stream, self._hub, self._board,
                          on_auth_failed=lambda exc: self._on_auth_failed(exc, tokens),
                          open_wait=o.open_wait, retry=o.subscribe_retry)

    async def _go_live(self, token: Secret) -> None:
        tokens = TokenManager(self._session, self._endpoints.oauth_url, token,
                              refresh_margin=self._opts.refresh_margin, clock=self._board.clock)
        try:
            await tokens.access_token()
        except AuthRejected as exc:
            await self._fall_back(exc)
            return
        except AlorError as exc:  # token server unreachable: the stream keeps trying
            log.warning("no access token yet: %s", exc)
        old_keeper, self.tokens = self._keeper, tokens
        await self._switch(self._live_source(tokens), self._make_rest(tokens),
                           Mode.DEMO if self._demo else Mode.LIVE, None)
        if old_keeper is not None:
            old_keeper.cancel()
        self._keeper = asyncio.get_running_loop().create_task(keep_token_fresh(
            tokens, lambda exc: self._on_auth_failed(exc, tokens),
            retry=self._opts.token_retry, clock=self._board.clock))

    async def _go_delayed(self, reason: str | None) -> None:
        rest = self._make_rest(None)
        source = DelayedSource(rest, self._pacer, self._hub, self._board,
                               interval=self._opts.poll_interval, on_health=self._delayed_health)
        self._delayed_reason = reason
        await self._switch(source, rest, Mode.DELAYED, reason)

    async def _switch(self, source: Source, rest: AlorRest, mode: Mode,
                      reason: str | None) -> None:
        """Make ``source`` current: open every active stream on it, then stop the old one."""
        old = self._source
        await self._sync_clock(rest)  # before the new source dates any value
        await source.start()
        self._source, self.rest = source, rest
        self._board.link = source.link_state
        await asyncio.gather(*self.registry.reopen_all())
        if old is not None:
            self._board.retire(old.link_state().counters)
            await old.stop()
        delayed_by = ANONYMOUS_DELAY if rest.anonymous else 0.0
        self._board.set_mode(mode, reason=reason, delayed_by=delayed_by)

    def _on_auth_failed(self, exc: AuthRejected, tokens: TokenManager) -> None:
        """The refresh token was rejected (403), seen by the stream or the keeper."""
        if tokens is self.tokens:
            self.tokens = None
            self._spawn(self._auth_failed(exc))

    async def _auth_failed(self, exc: AuthRejected) -> None:
        async with self._lock:
            await self._fall_back(exc)

    async def _fall_back(self, exc: AuthRejected) -> None:
        """AUTH FAILED, said with the reason, then DELAYED rather than nothing."""
        log.error("%s", exc)
        self._drop_tokens()
        self._board.set_mode(Mode.AUTH_FAILED, reason=str(exc))
        await self._go_delayed(f"{exc}. Showing data delayed by 15 minutes.")

    def _drop_tokens(self) -> None:
        """Forget the JWT and stop renewing it (leaving authorized mode)."""
        self.tokens = None
        if self._keeper is not None:
            self._keeper.cancel()
            self._keeper = None

    def _delayed_health(self, problem: str | None) -> None:
        if problem is not None:
            self._board.set_mode(Mode.OFFLINE, reason=problem, delayed_by=ANONYMOUS_DELAY)
        elif self._board.mode is Mode.OFFLINE:
            self._board.set_mode(Mode.DELAYED, reason=self._delayed_reason,
                                 delayed_by=ANONYMOUS_DELAY)

    async def _sync_clock(self, rest: AlorRest) -> None:
        """Server clock minus local clock; anonymous ``/md/v2/time`` is 15 min behind (2.1)."""
        clock = self._board.clock
        try:
            before = clock()
            server = await self._pacer.call(rest.server_time)
        except AlorError as exc:
            log.warning("server clock not measured: %s", exc)
            return
        delay = ANONYMOUS_DELAY if rest.anonymous else 0.0
        self._board.clock_offset = server + delay - (before + clock()) / 2

    async def _clock_loop(self) -> None:
        while True:
            await asyncio.sleep(self._opts.clock_interval)
            await self._sync_clock(self.rest)

    async def _open(self, request: AnyRequest) -> None:
        if self._source is not None:
            await self._source.open(request)

    async def _close(self, request: AnyRequest) -> None:
        if self._source is not None:
            await self._source.close(request)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
