"""Routing of incoming ``/ws`` frames: confirmations to their waiters, data to sinks by guid.

Everything here is synchronous: it runs on the stream's reader task and must never await
(alor-api.md 3.8: a slow reader gets its socket dropped). Routing follows alor-api.md 3.4: a
frame with ``requestGuid`` is a confirmation or an error envelope; otherwise ``data`` is routed
by ``guid``; data for an unknown guid is ignored (it arrives briefly after an unsubscribe).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import orjson

from alortui.alor.errors import AlorError, SubscriptionRejected
from alortui.alor.stream_status import StreamCounters
from alortui.alor.subscription import Subscription

log = logging.getLogger(__name__)


class Router:
    """The guid registry of one stream (it survives reconnects).

    Attributes:
        subs: Live subscriptions by guid.
        waiters: Control requests (ping, unsubscribe) awaiting their confirmation, by guid.
    """

    def __init__(self, counters: StreamCounters) -> None:
        self.counters = counters
        self.subs: dict[str, Subscription] = {}
        self.waiters: dict[str, asyncio.Future[tuple[int, str]]] = {}

    def expect(self, guid: str) -> asyncio.Future[tuple[int, str]]:
        """A future resolved with ``(httpCode, message)`` when ``guid`` is confirmed."""
        waiter: asyncio.Future[tuple[int, str]] = asyncio.get_running_loop().create_future()
        self.waiters[guid] = waiter
        return waiter

    def route(self, text: str) -> Subscription | None:
        """Handle one text frame; returns a subscription that got a first ``401`` (to retry)."""
        try:
            frame = orjson.loads(text)
        except orjson.JSONDecodeError:
            frame = None
        if not isinstance(frame, dict):
            self.malformed("not a JSON object")
        elif "requestGuid" in frame:
            return self._confirmation(frame)
        else:
            self._data(frame)
        return None

    def _confirmation(self, frame: dict[str, Any]) -> Subscription | None:
        guid, code, message = frame.get("requestGuid"), frame.get("httpCode"), frame.get("message")
        if not isinstance(guid, str) or not isinstance(code, int):
            self.malformed("confirmation without requestGuid/httpCode")
            return None
        text = message if isinstance(message, str) else ""
        waiter = self.waiters.pop(guid, None)
        if waiter is not None:
            if not waiter.done():
                waiter.set_result((code, text))
            return None
        sub = self.subs.get(guid)
        if sub is None:
            return None  # a late answer to something already given up
        if code == 200:
            sub.acknowledged, sub.retried_401 = True, False
            if not sub.confirmed.done():
                sub.confirmed.set_result(None)
        elif code == 401 and not sub.retried_401:
            sub.retried_401 = True
            return sub
        else:
            self.reject(sub, SubscriptionRejected(code, text, what=sub.describe()))
        return None

    def _data(self, frame: dict[str, Any]) -> None:
        guid, data = frame.get("guid"), frame.get("data")
        if not isinstance(guid, str) or not isinstance(data, dict):
            self.malformed("neither a confirmation nor {data, guid}")
            return
        sub = self.subs.get(guid)
        if sub is None:
            self.counters.unknown_guid += 1
            return
        try:
            model = sub.decoder(data, sub.fmt)
        except Exception as exc:  # the reader must survive any frame (wire.MalformedMessage)
            self.malformed(f"{sub.describe()}: {exc}")
            return
        self.counters.messages += 1
        try:
            sub.sink(model)
        except Exception:
            self.counters.sink_errors += 1
            log.exception("sink of %s failed", sub.describe())

    def malformed(self, why: str) -> None:
        """Count and drop an unreadable frame."""
        self.counters.malformed += 1
        log.debug("dropped a malformed frame: %s", why)

    def reject(self, sub: Subscription, exc: AlorError) -> None:
        """Remove ``sub``; fail its pending ``subscribe()`` or tell its ``on_error``."""
        self.subs.pop(sub.guid, None)
        if not sub.confirmed.done():
            sub.confirmed.set_exception(exc)
            return
        log.warning("%s", exc)
        if sub.on_error is not None:
            try:
                sub.on_error(exc)
            except Exception:
                log.exception("on_error of %s failed", sub.describe())

    def forget(self, guid: str) -> Subscription | None:
        """Remove a subscription without telling anyone (it was unsubscribed)."""
        sub = self.subs.pop(guid, None)
        if sub is not None and not sub.confirmed.done():
            sub.confirmed.set_exception(AlorError(f"{sub.describe()} was unsubscribed"))
        return sub

    def fail_waiters(self, exc: AlorError) -> None:
        """Fail every pending control request (the connection is gone)."""
        waiters, self.waiters = self.waiters, {}
        for waiter in waiters.values():
            if not waiter.done():
                waiter.set_exception(exc)

    def close(self, exc: AlorError) -> None:
        """Fail everything pending and drop every subscription (the stream is closed)."""
        self.fail_waiters(exc)
        subs, self.subs = self.subs, {}
        for sub in subs.values():
            if not sub.confirmed.done():
                sub.confirmed.set_exception(exc)
