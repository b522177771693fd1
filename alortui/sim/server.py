"""The simulated ALOR exchange as one aiohttp server on loopback.

One port serves everything ALOR spreads over hosts (alor-api.md 1.1): ``/md/...`` (HTTP API),
``/ws`` (subscriptions), ``/hyperion`` (GraphQL) and ``/refresh`` (the token server), so
``api_url`` and ``oauth_url`` are the same address. Tests use :class:`SimExchange` as an async
context manager; ``alortui sim`` runs :func:`run_standalone`.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from typing import TextIO

from aiohttp import web

from alortui.sim.clock import Clock, SystemClock
from alortui.sim.faults import Faults
from alortui.sim.graphql import GraphQLEndpoint
from alortui.sim.http_api import Router
from alortui.sim.http_md import MarketDataApi
from alortui.sim.jwt import JwtIssuer
from alortui.sim.log import RequestLog
from alortui.sim.market import Market
from alortui.sim.oauth import BearerAuth, TokenServer
from alortui.sim.portfolio_demo import demo_accounts
from alortui.sim.portfolio_http import PortfolioApi
from alortui.sim.ws_api import WsServer

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class SimExchange:
    """A running simulated exchange.

    Args:
        seed: market seed (same seed + same clock readings = same market).
        refresh_token: the one refresh token ``/refresh`` accepts; random when None.
        jwt_lifetime: seconds from a JWT's issue to its ``exp``.
        clock: the market's clock (a ManualClock in tests); the system clock by default.
        host, port: where to listen; port 0 picks a free port.
        open_market: whether trading is on at start.
        token_clock: wall clock for JWT ``iat``/``exp`` (clients compare ``exp`` with theirs).
        tick: seconds between market steps of the WS ticker.
        max_queue, max_subscriptions, max_connections: the /ws limits (alor-api.md 3.8).
        market: a ready market to serve instead of a fresh ``Market(seed, clock, ...)`` (the
            benchmark's scripted feed); ``seed`` and ``open_market`` are then not used.
    """

    def __init__(self, *, seed: int = 1, refresh_token: str | None = None,
                 jwt_lifetime: float = 1800, clock: Clock | None = None,
                 host: str = "127.0.0.1", port: int = 0, open_market: bool = True,
                 token_clock: Callable[[], float] = time.time, tick: float = 0.025,
                 max_queue: int = 5000, max_subscriptions: int = 5000,
                 max_connections: int = 10, market: Market | None = None) -> None:
        self.clock: Clock = clock or SystemClock()
        self.market = market or Market(seed, self.clock, open_market=open_market)
        self.refresh_token = refresh_token or secrets.token_urlsafe(24)
        self.faults = Faults()
        self.log = RequestLog()
        self.issuer = JwtIssuer(jwt_lifetime, token_clock)
        self.accounts = demo_accounts(self.market)
        self.ws = WsServer(self.market, self.clock, self.issuer, self.faults, self.log,
                           tick=tick, max_queue=max_queue, max_subscriptions=max_subscriptions,
                           max_connections=max_connections, accounts=self.accounts)
        self._host, self._port = host, port
        self._runner: web.AppRunner | None = None

    def __repr__(self) -> str:
        return f"SimExchange({self.api_url if self._runner else 'stopped'})"

    @property
    def port(self) -> int:
        """The bound port (after :meth:`start`)."""
        return self._port

    @property
    def api_url(self) -> str:
        """Base URL of the HTTP API and GraphQL (``/hyperion``)."""
        return f"http://{self._host}:{self._port}"

    @property
    def ws_url(self) -> str:
        """URL of the data-subscription WebSocket."""
        return f"ws://{self._host}:{self._port}/ws"

    @property
    def oauth_url(self) -> str:
        """Base URL of the token server (``POST {oauth_url}/refresh``)."""
        return self.api_url

    def issue_jwt(self, *, lifetime: float | None = None,
                  portfolios: list[str] | None = None) -> str:
        """A JWT this exchange accepts (or, with a negative lifetime, an expired one)."""
        return self.issuer.issue(portfolios, lifetime=lifetime)

    async def start(self) -> None:
        """Bind the port and start serving and ticking."""
        auth = BearerAuth(self.issuer)
        routes = MarketDataApi(self.market).routes() + PortfolioApi(self.accounts, auth).routes()
        router = Router(routes, auth, self.clock)
        graphql = GraphQLEndpoint(self.market, self.clock, auth)
        tokens = TokenServer(self.refresh_token, self.issuer, self.faults)
        app = web.Application(middlewares=[self._middleware])
        app.router.add_post("/refresh", tokens.refresh)
        app.router.add_get("/ws", self.ws.handle)
        app.router.add_route("*", "/hyperion", graphql.handle)
        app.router.add_route("*", "/hyperion/", graphql.handle)
        app.router.add_route("*", "/md/{tail:.*}", router.dispatch)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self._port = self._runner.addresses[0][1]
        self.ws.start()
        log.info("simulated exchange listening on %s", self.api_url)

    async def stop(self) -> None:
        """Close every connection and release the port."""
        await self.ws.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SimExchange:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Fault hooks (delay, canned errors) and the request log around every request."""
        if self.faults.response_delay:
            await asyncio.sleep(self.faults.response_delay)
        bearer = "Authorization" in request.headers
        fault = self.faults.take_http_error(request.path)
        if fault is not None:
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else None
            response: web.StreamResponse = web.Response(status=fault.status, text=fault.body,
                                                        headers=headers)
        elif request.path == "/ws":
            return await handler(request)  # logged by the WS server itself
        else:
            try:
                response = await handler(request)
            except web.HTTPException as exc:
                self.log.add_http(request.method, request.path, request.query, bearer=bearer,
                                  status=exc.status)
                raise
        self.log.add_http(request.method, request.path, request.query, bearer=bearer,
                          status=response.status)
        return response


def run_standalone(port: int = 0, seed: int = 1, refresh_token: str | None = None,
                   jwt_lifetime: float = 1800, *, host: str = "127.0.0.1",
                   out: TextIO = sys.stdout) -> int:
    """Run a simulator until Ctrl+C, telling the user how to connect (``alortui sim``).

    The refresh token is printed on purpose: it is a demo token that only this process accepts.
    """

    async def serve() -> None:
        async with SimExchange(seed=seed, refresh_token=refresh_token,
                               jwt_lifetime=jwt_lifetime, host=host, port=port) as sim:
            out.write(
                "Simulated ALOR exchange is running.\n"
                f"  API (HTTP, GraphQL)  {sim.api_url}\n"
                f"  WebSocket            {sim.ws_url}\n"
                f"  OAuth (/refresh)     {sim.oauth_url}\n"
                f"  refresh token        {sim.refresh_token}  (demo token, this process only)\n"
                f"Connect with: ALOR_REFRESH_TOKEN={sim.refresh_token} alortui "
                f"--api-url {sim.api_url} --ws-url {sim.ws_url} --oauth-url {sim.oauth_url}\n"
                "Press Ctrl+C to stop.\n"
            )
            out.flush()
            await asyncio.Event().wait()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        out.write("Stopped.\n")
    return 0
