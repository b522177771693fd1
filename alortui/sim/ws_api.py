"""``/ws``: ALOR's data-subscription WebSocket (alor-api.md 3).

Every request must carry a valid JWT in ``token`` (else ``401 "Invalid JWT token!"``); the
answer is a confirmation envelope, compact with ``requestGuid`` first (3.1), followed by the
subscription's data frames ``{"data":{...},"guid":"..."}``. One ticker task drives the market at
a fixed cadence and fans its events out to every subscription, each in its own format and at its
own ``frequency``. A subscribe request whose guid is live replaces that subscription (3.7,
inferred). Connections with more than ``max_queue`` unsent messages are dropped (3.8).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from typing import TYPE_CHECKING

import orjson
from aiohttp import WSMsgType, web

from alortui.sim.encode import confirmation
from alortui.sim.faults import ABRUPT, Faults
from alortui.sim.jwt import InvalidToken, JwtIssuer
from alortui.sim.log import RequestLog
from alortui.sim.portfolio_ws import PORTFOLIO_SUBSCRIPTIONS
from alortui.sim.streams import SUBSCRIPTIONS, StreamContext
from alortui.sim.ws_conn import WsConnection
from alortui.sim.ws_params import BadParams, WsRequest

if TYPE_CHECKING:
    from alortui.sim.clock import Clock
    from alortui.sim.events import MarketEvents
    from alortui.sim.market import Market
    from alortui.sim.portfolio import Accounts

log = logging.getLogger(__name__)

INVALID_JWT = "Invalid JWT token!"
STOP_GRACE = 0.5
CLOSE_POLL = 0.05
"""Seconds between the reader's checks for a close requested by a fault hook."""


class WsServer:
    """All ``/ws`` connections of one simulator and the ticker that feeds them.

    Args:
        tick: seconds between ``market.advance()`` calls.
        max_queue: unsent messages per connection before it is dropped (ALOR: 5000).
        max_subscriptions: live subscriptions per connection (ALOR: 5000).
        max_connections: concurrent connections (ALOR: 10 per user); more get HTTP 429.
    """

    def __init__(self, market: Market, clock: Clock, issuer: JwtIssuer, faults: Faults,
                 log_: RequestLog, *, tick: float = 0.025, max_queue: int = 5000,
                 max_subscriptions: int = 5000, max_connections: int = 10,
                 accounts: Accounts | None = None) -> None:
        self._market, self._issuer, self._faults, self._log = market, issuer, faults, log_
        self._tick, self._max_queue = tick, max_queue
        self._max_subscriptions, self._max_connections = max_subscriptions, max_connections
        self._connections: dict[int, WsConnection] = {}
        self._ids = itertools.count(1)
        self._ticker: asyncio.Task[None] | None = None
        self._context = StreamContext(market, clock, accounts)
        self._accounts = accounts
        faults.bind(lambda: list(self._connections.values()))

    @property
    def connections(self) -> list[WsConnection]:
        """Live connections."""
        return list(self._connections.values())

    def start(self) -> None:
        """Start the market ticker."""
        self._ticker = asyncio.create_task(self._run(), name="sim-ticker")

    async def stop(self) -> None:
        """Stop the ticker and close every connection."""
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        # 1001 Going Away, as a server shutting down says; peers that do not answer the close
        # within STOP_GRACE are cut off so stopping never hangs on a stalled reader.
        conns = self.connections
        closing = [asyncio.ensure_future(c.close(1001)) for c in conns]
        if closing:
            await asyncio.wait(closing, timeout=STOP_GRACE)
            for conn, task in zip(conns, closing, strict=True):
                if not task.done():
                    conn.abort()
            await asyncio.gather(*closing, return_exceptions=True)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The aiohttp handler of ``GET /ws`` (it logs the upgrade itself: the response
        outlives the connection, so the HTTP middleware would log it only at the end)."""
        admitted = len(self._connections) < self._max_connections
        self._log.add_http(request.method, request.path, request.query,
                           bearer="Authorization" in request.headers,
                           status=101 if admitted else 429)
        if not admitted:
            return web.Response(status=429, text="Too many connections")
        transport = request.transport
        ws = web.WebSocketResponse(autoping=False, max_msg_size=1 << 20, timeout=2.0)
        await ws.prepare(request)
        if self._faults.closes_after_accept:
            if self._faults.close_after_accept_code == ABRUPT and transport is not None:
                transport.abort()
            else:
                await ws.close(code=self._faults.close_after_accept_code)
            return ws
        conn = WsConnection(next(self._ids), ws, transport, self._max_queue)
        self._connections[conn.ident] = conn
        try:
            await self._read(conn)
        finally:
            self._connections.pop(conn.ident, None)
            await conn.finish()
        return ws

    async def _read(self, conn: WsConnection) -> None:
        while not conn.ws.closed and not await conn.close_if_asked():
            try:
                msg = await conn.ws.receive(timeout=CLOSE_POLL)
            except TimeoutError:
                continue  # wake up to see whether a fault hook asked for a close
            if msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED,
                            WSMsgType.ERROR):
                return
            if msg.type is WSMsgType.PING:
                if not self._faults.is_half_open:
                    await conn.ws.pong(msg.data)
            elif msg.type is WSMsgType.TEXT:
                await self._request(conn, msg.data)
            elif msg.type is WSMsgType.BINARY:
                conn.push(confirmation(None, 400, "Binary frames are not supported"))

    async def _request(self, conn: WsConnection, text: str) -> None:
        try:
            raw = orjson.loads(text)
        except orjson.JSONDecodeError:
            raw = None
        if isinstance(raw, dict):
            self._log.add_ws(conn.ident, raw)
        if self._faults.is_half_open:
            return
        if not isinstance(raw, dict):
            conn.push(confirmation(None, 400, "Invalid JSON request"))
            return
        if self._faults.response_delay:
            await asyncio.sleep(self._faults.response_delay)
        guid, opcode = raw.get("guid"), raw.get("opcode")
        guid = guid if isinstance(guid, str) else None
        conn.push(self._answer(conn, guid, opcode, raw))
        if guid is not None and (sub := conn.subscriptions.get(guid)) and not sub.started:
            sub.begin(conn.push)

    def _answer(self, conn: WsConnection, guid: str | None, opcode: object,
                raw: dict[str, object]) -> bytes:
        """The envelope for one request; registers the subscription on success."""
        try:
            claims = self._issuer.verify(str(raw.get("token") or ""))
        except InvalidToken:
            return confirmation(guid, 401, INVALID_JWT)
        if guid is None:
            return confirmation(None, 400, "The guid field is required")
        if isinstance(opcode, str) and (fault := self._faults.take_ws_reject(opcode)):
            return confirmation(guid, fault.status, fault.body)
        if opcode == "ping":
            return confirmation(guid)
        if opcode == "unsubscribe":
            conn.subscriptions.pop(guid, None)
            return confirmation(guid)
        factory = (SUBSCRIPTIONS.get(opcode) or PORTFOLIO_SUBSCRIPTIONS.get(opcode)
                   if isinstance(opcode, str) else None)
        if factory is None:
            return confirmation(guid, 400, f"Unknown opcode '{opcode}'")
        if guid not in conn.subscriptions and len(conn.subscriptions) >= self._max_subscriptions:
            return confirmation(guid, 429, "Subscription limit reached")
        try:
            sub = factory(guid, WsRequest(raw, claims), self._context)
        except BadParams as exc:
            conn.subscriptions.pop(guid, None)  # a rejected replacement ends the old one too
            return confirmation(guid, exc.status, str(exc))
        conn.subscriptions[guid] = sub  # a repeated guid replaces the old subscription
        return confirmation(guid)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                events = self._market.advance()
                if self._accounts is not None:
                    self._accounts.observe(events)  # fills first, so streams see them this step
                if not self._faults.is_half_open:
                    self._fan_out(events, loop.time())
            except Exception:  # a bug in one step must not kill the exchange
                log.exception("sim ticker step failed")
            await asyncio.sleep(self._tick)

    def _fan_out(self, events: MarketEvents, now: float) -> None:
        for conn in self.connections:
            for sub in list(conn.subscriptions.values()):
                sub.update(events, now, conn.push)
            if conn.over_limit():
                log.warning("ws %s: %d unsent messages, dropping the slow reader",
                            conn.ident, conn.queued)
                conn.abort()
