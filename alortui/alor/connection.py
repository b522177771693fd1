"""One open ``/ws`` socket: its reader, sends, re-subscriptions, control requests and pings.

:class:`~alortui.alor.stream.AlorStream` opens a :class:`Connection` per (re)connect and keeps
what must outlive it (subscriptions, counters, backoff). The reader here is the only code that
receives from the socket; it hands each text frame to the synchronous
:class:`~alortui.alor.router.Router` and never awaits anything else (alor-api.md 3.8).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson

from alortui.alor.auth import TokenManager
from alortui.alor.errors import AlorError, NetworkError, network_error
from alortui.alor.redact import Secret
from alortui.alor.router import Router
from alortui.alor.subscription import Subscription, new_guid

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Timings:
    """Deadlines of a connection (seconds).

    Attributes:
        ping_interval: Between application pings (Astras: 5 s, alor-api.md 3.8).
        ping_timeout: An unanswered ping ends the connection (Astras: 3 s).
        silence_timeout: A socket with no frame for this long is dead.
        confirm_timeout: Wait for a subscription's confirmation; ``None`` waits for ever.
    """

    ping_interval: float = 5.0
    ping_timeout: float = 3.0
    silence_timeout: float = 15.0
    confirm_timeout: float | None = 10.0


class Connection:
    """A live socket of the stream.

    Args:
        ws: The connected socket.
        epoch: Its number (1 for the first connection of the stream).
        router: The stream's guid registry.
        tokens: Source of the JWT each request carries (alor-api.md 3.2).
        timings: Ping and confirmation deadlines.
        on_rtt: Called with each measured ping round trip.
    """

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, epoch: int, router: Router,
                 tokens: TokenManager, timings: Timings, on_rtt: Callable[[float], None]) -> None:
        self.ws = ws
        self.epoch = epoch
        self._router = router
        self._tokens = tokens
        self._timings = timings
        self._on_rtt = on_rtt
        self._drop_reason: str | None = None
        self._last_frame = asyncio.get_running_loop().time()
        """When the newest frame arrived (loop time): the silence watch reads it."""
        self._helpers: set[asyncio.Task[Any]] = set()
        self.ended = asyncio.Event()
        """Set when :meth:`serve` has returned (the socket is closed, waiters failed)."""

    async def serve(self) -> str:
        """Re-subscribe, ping and read until the socket ends; returns why it ended."""
        self._spawn(self._resubscribe())
        self._spawn(self._ping_loop())
        self._spawn(self._watch_silence())
        try:
            reason = await self._read()
        finally:
            try:
                await self._wind_down()
            finally:  # even if cancelled again meanwhile: nobody may wait for ever
                self.ended.set()
        return self._drop_reason or reason

    async def _wind_down(self) -> None:
        for task in self._helpers:
            task.cancel()
        await asyncio.gather(*self._helpers, return_exceptions=True)
        with contextlib.suppress(Exception):
            await self.ws.close()
        self._router.fail_waiters(NetworkError("the connection was lost"))

    async def send_subscription(self, sub: Subscription) -> bool:
        """Send ``sub``'s request with a fresh token; ``False`` if the socket is gone."""
        token = await self._tokens.access_token()
        sub.token, sub.acknowledged = Secret(token), False
        if not await self._send(sub.request(token)):
            return False
        sub.sent_epoch = self.epoch
        return True

    async def request(self, envelope: dict[str, Any], wait: float) -> tuple[int, str]:
        """Send a control request with a token; return its ``(httpCode, message)``.

        Raises:
            NetworkError: the socket is gone or no answer came within ``wait`` seconds.
        """
        guid = envelope["guid"]
        token = await self._tokens.access_token()
        waiter = self._router.expect(guid)
        try:
            if not await self._send({**envelope, "token": token}):
                raise NetworkError(f"{envelope['opcode']}: the stream is not connected")
            return await asyncio.wait_for(waiter, wait)
        except TimeoutError:
            raise NetworkError(f"{envelope['opcode']}: no answer within {wait:g} s") from None
        finally:
            self._router.waiters.pop(guid, None)

    async def ping(self) -> float:
        """``{"opcode":"ping","confirm":true}`` (alor-api.md 3.3); returns the round trip."""
        started = asyncio.get_running_loop().time()
        code, message = await self.request(
            {"opcode": "ping", "guid": new_guid(), "confirm": True}, self._timings.ping_timeout)
        rtt = asyncio.get_running_loop().time() - started
        if code != 200:  # still an answer: the link is alive
            log.warning("ping answered with %s: %s", code, message)
        self._on_rtt(rtt)
        return rtt

    async def abort(self, reason: str, *, dead: bool = False) -> None:
        """Close the socket; the reader then returns ``reason``.

        Args:
            reason: Why, for the status line and the log.
            dead: Nothing gets through any more (a ping went unanswered): the TCP connection
                is shut at once rather than closed with a handshake that cannot complete.
        """
        self._drop_reason = reason
        if dead:
            self._shut_down()
        with contextlib.suppress(Exception):
            await self.ws.close(code=aiohttp.WSCloseCode.GOING_AWAY)

    def _shut_down(self) -> None:
        """Shut the TCP connection both ways: reads end and ``ws.close()`` returns at once.

        aiohttp waits up to its close timeout for the server's close frame; on a link that
        stopped answering pings (alor-api.md 3.8) it never comes, and the reconnect would wait
        for nothing. aiohttp has no public abort: the socket's own shutdown is one.
        """
        sock = self.ws.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    async def _send(self, envelope: dict[str, Any]) -> bool:
        if self.ws.closed:
            return False
        try:
            await self.ws.send_str(orjson.dumps(envelope).decode())
        except (aiohttp.ClientError, ConnectionError) as exc:
            log.debug("send failed: %s", network_error("send", exc))
            return False
        return True

    async def _read(self) -> str:
        # No timeout per receive: its context costs more than the rest of a frame's routing
        # (aiohttp says as much); ``_watch_silence`` looks at the time of the last frame instead.
        clock = asyncio.get_running_loop().time
        while True:
            msg = await self.ws.receive()
            self._last_frame = clock()
            if msg.type is aiohttp.WSMsgType.TEXT:
                retry = self._router.route(msg.data)
                if retry is not None:
                    self._spawn(self._retry_after_401(retry))
            elif msg.type is aiohttp.WSMsgType.BINARY:
                self._router.malformed("a binary frame")  # ALOR sends text only (3.1)
            elif msg.type is aiohttp.WSMsgType.ERROR:
                return f"connection error: {msg.data}"
            else:
                return f"connection closed (code {self.ws.close_code})"

    async def _retry_after_401(self, sub: Subscription) -> None:
        """``401 Invalid JWT token!``: refresh once and re-send with the same guid (3.4)."""
        try:
            await self._tokens.force_refresh(sub.token.reveal() if sub.token else None)
            await self.send_subscription(sub)
        except AlorError as exc:
            self._router.reject(sub, exc)

    async def _resubscribe(self) -> None:
        """Send every live subscription not yet sent on this socket, same guid, fresh token.

        A re-subscription left unanswered (the server swallowed it while pings still work)
        would leave its sink silent for good, so the connection is given up if any is not
        confirmed within ``confirm_timeout``; the next one re-sends them (alor-api.md 3.8).
        """
        sent: list[Subscription] = []
        for sub in list(self._router.subs.values()):
            if sub.sent_epoch == self.epoch or sub.guid not in self._router.subs:
                continue
            sub.retried_401 = False  # one refresh-and-retry per connection
            try:
                if not await self.send_subscription(sub):
                    return  # the socket is gone; the next connection re-sends
            except AlorError as exc:  # no token: try again on a later connection
                await self.abort(f"cannot re-subscribe: {exc}")
                return
            sent.append(sub)
            self._router.counters.resubscriptions += sub.confirmed.done()
        wait = self._timings.confirm_timeout
        if not sent or wait is None:
            return
        await asyncio.sleep(wait)
        if any(s.guid in self._router.subs and s.sent_epoch == self.epoch and not s.acknowledged
               for s in sent):
            await self.abort(f"re-subscriptions were not confirmed within {wait:g} s")

    async def _watch_silence(self) -> None:
        """End a socket that has sent nothing for ``silence_timeout`` seconds: the link is dead
        even if pings could not tell (none sent, or answered by something in between)."""
        silence = self._timings.silence_timeout
        clock = asyncio.get_running_loop().time
        while True:
            quiet = clock() - self._last_frame
            if quiet >= silence:
                break
            await asyncio.sleep(silence - quiet)
        await self.abort(f"no message for {silence:g} s; the connection is dead", dead=True)

    async def _ping_loop(self) -> None:
        while True:
            await asyncio.sleep(self._timings.ping_interval)
            try:
                await self.ping()
            except NetworkError as exc:
                await self.abort(str(exc), dead=True)
                return
            except AlorError as exc:  # no token right now; the link itself may be fine
                log.warning("ping not sent: %s", exc)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._helpers.add(task)
        task.add_done_callback(self._helpers.discard)
