"""The one ``/ws`` stream: subscriptions that outlive connections, reconnects, status.

Shape (alor-api.md 3): every request carries its own JWT; the server answers each with a
confirmation envelope ``{"requestGuid", "httpCode", "message"}`` and then streams
``{"data": {...}, "guid"}`` frames, decoded with ``wire.DECODERS[opcode]`` and handed to the
subscription's sink synchronously on the one reader task (:mod:`alortui.alor.connection`).
ALOR drops sockets now and then and expects clients to come back (3.8): the stream reconnects on
its own with :class:`~alortui.alor.backoff.Backoff` and re-sends every live subscription with
its same guid and a fresh token (3.7, 3.8).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import replace
from typing import Any

import aiohttp

from alortui.alor import wire
from alortui.alor.auth import TokenManager
from alortui.alor.backoff import Backoff
from alortui.alor.connection import Connection, Timings
from alortui.alor.errors import AlorError, NetworkError, StreamClosed, network_error
from alortui.alor.router import MAX_FRAME, Router
from alortui.alor.stream_status import StreamCounters, StreamState, StreamStatus
from alortui.alor.subscription import ErrorSink, Sink, Subscription, new_guid
from alortui.models import Format

log = logging.getLogger(__name__)

_UNSUBSCRIBE_WAIT = 5.0
"""Seconds an unsubscribe waits for its confirmation (it is best effort either way)."""
_REQUESTED = "reconnect requested"
MAX_MESSAGE = 32 << 20
"""Bytes the socket accepts in one message; a larger one ends the connection (close 1009).
Between the router's ``max_frame`` and this, a frame is read, dropped and blamed on its guid."""


class AlorStream:
    """The market-data WebSocket with its subscriptions.

    Args:
        session: aiohttp session to connect with.
        ws_url: ``wss://api.alor.ru/ws`` or the simulator's ``ws://`` URL.
        tokens: Source of the JWT every request carries.
        ping_interval: Seconds between application pings (Astras: 5 s, alor-api.md 3.8).
        ping_timeout: A ping unanswered this long drops the connection (Astras: 3 s).
        silence_timeout: A socket silent this long is dead (pings keep a live one talking).
        confirm_timeout: Wait for a subscription's confirmation; ``None`` waits for ever.
        connect_timeout: Limit for opening the socket.
        close_timeout: Limit for the closing handshake of a dead socket.
        backoff: ``(initial, cap)`` seconds of the reconnect backoff; ``initial`` is also the
            least time between two attempts.
        healthy_after: A connection up this long resets the backoff.
        max_frame: Longest text frame (characters) decoded; longer ones are dropped and
            quarantine the subscription that keeps sending them (:mod:`~alortui.alor.router`).
        clock: Wall clock for ``next_retry_at``.
    """

    def __init__(self, session: aiohttp.ClientSession, ws_url: str, tokens: TokenManager, *,
                 ping_interval: float = 5.0, ping_timeout: float = 3.0,
                 silence_timeout: float = 15.0, confirm_timeout: float | None = 10.0,
                 connect_timeout: float = 10.0, close_timeout: float = 2.0,
                 backoff: tuple[float, float] = (1.0, 30.0), healthy_after: float = 60.0,
                 max_frame: int = MAX_FRAME, clock: Callable[[], float] = time.time) -> None:
        self._session = session
        self._ws_url = ws_url
        self._tokens = tokens
        self._timings = Timings(ping_interval, ping_timeout, silence_timeout, confirm_timeout)
        self._connect_timeout = connect_timeout
        self._ws_timeout = aiohttp.ClientWSTimeout(ws_receive=None, ws_close=close_timeout)
        self._backoff = Backoff(*backoff, healthy_after=healthy_after)
        self._clock = clock
        self.on_status: Callable[[StreamStatus], None] | None = None
        """Called with a fresh :attr:`status` on every state change."""
        self._counters = StreamCounters()
        self._router = Router(self._counters, max_frame=max_frame)
        self._router.on_quarantine = self._quarantined
        self._conn: Connection | None = None
        self._epoch = 0
        self._status = StreamStatus(StreamState.CONNECTING)
        self._connected = asyncio.Event()
        self._run_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def status(self) -> StreamStatus:
        """A snapshot: state, retry schedule, live subscriptions, counters."""
        return replace(self._status, subscriptions=len(self._router.subs),
                       counters=replace(self._counters))

    async def start(self) -> None:
        """Start connecting in the background (returns at once; see :meth:`wait_connected`)."""
        if self._run_task is None and self._status.state is not StreamState.CLOSED:
            self._run_task = asyncio.get_running_loop().create_task(self._run())

    async def wait_connected(self) -> None:
        """Wait until the socket is connected (bound it with ``asyncio.timeout``)."""
        await self._connected.wait()

    async def close(self) -> None:
        """Close the socket and end every subscription; the stream cannot be restarted."""
        if self._status.state is StreamState.CLOSED:
            return
        tasks = [t for t in (self._run_task, *self._tasks) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._router.close(StreamClosed("the stream was closed"))
        self._set_status(StreamState.CLOSED)

    async def subscribe(self, opcode: str, params: Mapping[str, Any], sink: Sink, *,
                        on_error: ErrorSink | None = None, fmt: Format | None = None) -> str:
        """Subscribe and wait for ALOR's confirmation; returns the subscription's guid.

        Args:
            opcode: A market-data opcode of alor-api.md 3.3 with a decoder in ``wire.DECODERS``.
            params: Its fields (``code``, ``exchange``, ``instrumentGroup``, ``depth``, ...).
            sink: Called with each decoded model, synchronously on the reader task: it must
                only store the value (e.g. ``hub.put``), never block.
            on_error: Told if the subscription is rejected later, on a re-subscription after a
                reconnect; it is then removed. Without it the rejection is only logged.
            fmt: Wire format; default ``wire.DEFAULT_FORMATS[opcode]``.

        While the stream is reconnecting the request waits and goes out on the next
        connection; the wait is bounded by ``confirm_timeout``.

        Raises:
            SubscriptionRejected: an error envelope (after one refresh and retry for a 401).
            NetworkError: no confirmation within ``confirm_timeout``.
            StreamClosed: the stream is closed.
            AuthRejected: no token could be obtained.
            ValueError: an opcode without a decoder.
        """
        self._check_open()
        decoder = wire.DECODERS.get(opcode)
        if decoder is None:
            raise ValueError(f"unsupported opcode {opcode!r}")
        sub = Subscription(new_guid(), opcode, dict(params),
                           fmt or wire.DEFAULT_FORMATS.get(opcode, Format.SIMPLE), decoder, sink,
                           on_error, asyncio.get_running_loop().create_future())
        self._router.subs[sub.guid] = sub
        wait = self._timings.confirm_timeout
        try:
            if self._conn is not None:  # else (or if it dies now) the next connection sends it
                await self._conn.send_subscription(sub)
            await asyncio.wait_for(sub.confirmed, wait)
        except TimeoutError:
            self._spawn(self._send_unsubscribe(self._router.forget(sub.guid)))
            raise NetworkError(f"{sub.describe()}: not confirmed within {wait:g} s") from None
        except asyncio.CancelledError:
            sub.confirmed.cancel()
            self._spawn(self._send_unsubscribe(self._router.forget(sub.guid)))
            raise
        except BaseException:
            self._router.subs.pop(sub.guid, None)
            raise
        log.debug("subscribed %s as %s", sub.describe(), sub.guid)
        return sub.guid

    async def unsubscribe(self, guid: str) -> None:
        """End a subscription; no data reaches its sink afterwards. Best effort: never raises.

        Late frames for the guid are counted as ``unknown_guid`` and dropped (alor-api.md 3.4).
        """
        await self._send_unsubscribe(self._router.forget(guid))

    async def _send_unsubscribe(self, sub: Subscription | None) -> None:
        conn = self._conn
        if sub is None or conn is None or sub.sent_epoch != conn.epoch:
            return  # never sent on this socket: nothing to cancel server-side
        try:
            # The envelope's guid is the subscription's own guid (alor-api.md 3.3).
            await conn.request({"opcode": "unsubscribe", "guid": sub.guid}, _UNSUBSCRIBE_WAIT)
        except AlorError as exc:
            log.debug("unsubscribe %s not confirmed: %s", sub.guid, exc)

    async def ping(self) -> float:
        """Send an application ping and return the round trip in seconds.

        Raises:
            NetworkError: not connected, or no answer within ``ping_timeout``.
        """
        if self._conn is None:
            raise NetworkError("ping: the stream is not connected")
        return await self._conn.ping()

    async def reconnect(self) -> None:
        """Drop the connection now and connect again at once (the user's "reconnect").

        There is no backoff wait this time, but never less than the backoff floor after the
        previous attempt began, and the backoff starts again from its first delay. As after a
        drop, every live subscription is re-sent with its same guid and a fresh token (3.8),
        so sinks keep their data. While waiting for a retry this cuts the wait short; while an
        attempt is under way it changes nothing. Returns once the old socket is closed: use
        :meth:`wait_connected` for the new one.

        Raises:
            StreamClosed: the stream is closed.
        """
        self._check_open()
        conn = self._conn
        if conn is None and not self._backoff.waiting:
            return  # an attempt is under way: that is the reconnect
        self._backoff.hurry()
        if conn is not None:
            await conn.abort(_REQUESTED)
            await conn.ended.wait()

    async def _run(self) -> None:
        """Connect, serve, wait, reconnect: for ever, until :meth:`close`."""
        loop = asyncio.get_running_loop()
        while True:
            self._backoff.attempt_started()
            try:
                async with asyncio.timeout(self._connect_timeout):
                    ws = await self._session.ws_connect(
                        self._ws_url, autoping=True, heartbeat=None, timeout=self._ws_timeout,
                        max_msg_size=MAX_MESSAGE)
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                reason = str(network_error("WebSocket connect", exc))
                self._update(connect_failed=True)
            else:
                self._update(connect_failed=False)
                started = loop.time()
                reason = await self._serve(ws)
                self._backoff.connection_ended(loop.time() - started)
            log.log(logging.INFO if reason == _REQUESTED else logging.WARNING, "stream: %s",
                    reason)
            delay = self._backoff.next_delay()
            # RECONNECTING from the first failure on, even if no connection ever opened: the
            # status line shows its countdown (fault matrix item 1).
            self._set_status(StreamState.RECONNECTING, next_retry_at=self._clock() + delay,
                             last_error=reason)
            await self._backoff.sleep(delay)
            self._set_status(StreamState.RECONNECTING, last_error=reason)

    async def _serve(self, ws: aiohttp.ClientWebSocketResponse) -> str:
        self._epoch += 1
        self._conn = Connection(ws, self._epoch, self._router, self._tokens, self._timings,
                                on_rtt=lambda rtt: self._update(rtt=rtt))
        self._counters.reconnects += self._epoch > 1
        log.info("stream connected to %s (connection %d)", self._ws_url, self._epoch)
        self._set_status(StreamState.CONNECTED)
        self._connected.set()
        try:
            return await self._conn.serve()
        finally:
            self._connected.clear()
            self._conn = None

    def _quarantined(self, sub: Subscription) -> None:
        """Tell the server to stop the subscription the router gave up on (best effort)."""
        self._spawn(self._send_unsubscribe(sub))

    def _check_open(self) -> None:
        if self._status.state is StreamState.CLOSED:
            raise StreamClosed("the stream is closed")
        if self._run_task is None:
            raise RuntimeError("AlorStream.start() was not called")

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _update(self, **changes: Any) -> None:
        self._status = replace(self._status, **changes)

    def _set_status(self, state: StreamState, *, next_retry_at: float | None = None,
                    last_error: str | None = None) -> None:
        self._update(state=state, attempt=self._backoff.attempt, next_retry_at=next_retry_at,
                     last_error=None if state is StreamState.CONNECTED else last_error)
        if self.on_status is not None:
            try:
                self.on_status(self.status)
            except Exception:
                log.exception("on_status callback failed")
