"""One ``/ws`` connection: its outgoing queue, writer task and subscriptions.

Everything the server sends goes through :meth:`WsConnection.push` into a queue drained by one
writer task, so a reader that does not keep up shows as a growing queue — which is what ALOR
measures: more than 5000 unprocessed messages and the connection is dropped (alor-api.md 3.8).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from typing import TYPE_CHECKING

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from alortui.sim.streams import Subscription

log = logging.getLogger(__name__)


class WsConnection:
    """Server side of one WebSocket.

    Args:
        ident: a small number naming the connection in the request log.
        ws: the prepared aiohttp WebSocket.
        transport: the raw transport, to abort without a close frame.
        max_queue: unsent messages beyond which the connection is dropped.
    """

    def __init__(self, ident: int, ws: web.WebSocketResponse,
                 transport: asyncio.Transport | None, max_queue: int) -> None:
        self.ident = ident
        self.ws = ws
        self.subscriptions: dict[str, Subscription] = {}
        self._transport = transport
        self._max_queue = max_queue
        self._queue: deque[tuple[WSMsgType, bytes]] = deque()
        self._ready = asyncio.Event()
        self._writer = asyncio.create_task(self._write(), name=f"sim-ws-writer-{ident}")
        self.dropped = False
        self._close_request: tuple[int, asyncio.Future[None]] | None = None
        self._finished = False

    def __repr__(self) -> str:
        return f"WsConnection({self.ident}, subscriptions={len(self.subscriptions)})"

    @property
    def queued(self) -> int:
        """Messages waiting to be written."""
        return len(self._queue)

    def push(self, frame: bytes) -> None:
        """Queue one JSON text frame."""
        if not self.dropped:
            self._queue.append((WSMsgType.TEXT, frame))
            self._ready.set()

    def push_raw(self, data: str | bytes) -> None:
        """Queue a raw frame: text for str, binary for bytes (fault injection)."""
        if self.dropped:
            return
        if isinstance(data, str):
            self._queue.append((WSMsgType.TEXT, data.encode()))
        else:
            self._queue.append((WSMsgType.BINARY, bytes(data)))
        self._ready.set()

    def over_limit(self) -> bool:
        """Whether the peer let more than ``max_queue`` messages pile up."""
        return len(self._queue) > self._max_queue

    def abort(self) -> None:
        """Drop the TCP connection without a close frame (the peer sees code 1006)."""
        self.dropped = True
        self.subscriptions.clear()
        self._queue.clear()
        if self._transport is not None:
            self._transport.abort()

    async def close(self, code: int) -> None:
        """Close with a close frame carrying ``code``; returns once the handshake is over.

        The reader task performs the close (see :meth:`close_if_asked`): aiohttp drops the TCP
        connection without waiting for the peer's close reply when ``close()`` runs in another
        task than the one receiving, and the peer would then see 1006 instead of ``code``.
        """
        self.dropped = True
        self.subscriptions.clear()
        self._queue.clear()
        if self._finished:
            return  # the reader has already gone: nobody would perform the close
        if self._close_request is None:
            self._close_request = (code, asyncio.get_running_loop().create_future())
        await self._close_request[1]

    async def close_if_asked(self) -> bool:
        """Called by the reader between receives: perform a requested close."""
        if self._close_request is None:
            return False
        code, done = self._close_request
        try:
            await self.ws.close(code=code)
        finally:
            if not done.done():
                done.set_result(None)
        return True

    async def finish(self) -> None:
        """Stop the writer once the reader has ended."""
        self._finished = True
        self.dropped = True
        self.subscriptions.clear()
        if self._close_request is not None and not self._close_request[1].done():
            self._close_request[1].set_result(None)
        self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._writer

    async def _write(self) -> None:
        try:
            while True:
                while not self._queue:
                    self._ready.clear()
                    await self._ready.wait()
                kind, payload = self._queue.popleft()
                await self.ws.send_frame(payload, kind)
        except (ConnectionError, RuntimeError) as exc:
            log.debug("ws %s writer stopped: %s", self.ident, type(exc).__name__)
