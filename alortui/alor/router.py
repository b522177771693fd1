"""Routing of incoming ``/ws`` frames: confirmations to their waiters, data to sinks by guid.

Everything here is synchronous: it runs on the stream's reader task and must never await
(alor-api.md 3.8: a slow reader gets its socket dropped). Routing follows alor-api.md 3.4: a
frame with ``requestGuid`` is a confirmation or an error envelope; otherwise ``data`` is routed
by ``guid``; data for an unknown guid is ignored (it arrives briefly after an unsubscribe).

Oversized frames: ALOR's largest messages are 50-level books of a few kilobytes (3.5), so a
text frame longer than ``max_frame`` characters is dropped unread and counted as malformed. If
its ``guid`` names a live subscription, that subscription gets a strike; at ``max_strikes`` it
is quarantined: removed (so no reconnect ever re-sends it), unsubscribed via ``on_quarantine``,
and its owner told with :class:`~alortui.alor.errors.SubscriptionQuarantined`. Frames larger
still are refused by the socket itself (``ws_connect(max_msg_size=...)`` in the stream): the
connection ends and is re-opened like any other drop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import orjson

from alortui.alor.errors import AlorError, SubscriptionQuarantined, SubscriptionRejected
from alortui.alor.stream_status import StreamCounters
from alortui.alor.subscription import Subscription

log = logging.getLogger(__name__)

MAX_FRAME = 1 << 20
"""Characters a text frame may have; ALOR's largest (a 50-level book) are a few thousand."""
MAX_STRIKES = 3
"""Oversized frames a subscription may send before it is quarantined."""


class Router:
    """The guid registry of one stream (it survives reconnects).

    Args:
        counters: The stream's running totals.
        max_frame: Longest text frame read, in characters.
        max_strikes: Oversized frames that quarantine a subscription.

    Attributes:
        subs: Live subscriptions by guid.
        waiters: Control requests (ping, unsubscribe) awaiting their confirmation, by guid.
        on_quarantine: Called with a quarantined subscription (to unsubscribe it server-side).
    """

    def __init__(self, counters: StreamCounters, *, max_frame: int = MAX_FRAME,
                 max_strikes: int = MAX_STRIKES) -> None:
        self.counters = counters
        self.subs: dict[str, Subscription] = {}
        self.waiters: dict[str, asyncio.Future[tuple[int, str]]] = {}
        self.on_quarantine: Callable[[Subscription], None] | None = None
        self._max_frame = max_frame
        self._max_strikes = max_strikes
        self._strikes: dict[str, int] = {}

    def expect(self, guid: str) -> asyncio.Future[tuple[int, str]]:
        """A future resolved with ``(httpCode, message)`` when ``guid`` is confirmed."""
        waiter: asyncio.Future[tuple[int, str]] = asyncio.get_running_loop().create_future()
        self.waiters[guid] = waiter
        return waiter

    def route(self, text: str) -> Subscription | None:
        """Handle one text frame; returns a subscription that got a first ``401`` (to retry)."""
        if len(text) > self._max_frame:
            self._oversized(text)
            return None
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

    def _oversized(self, text: str) -> None:
        """Drop a too-large frame; strike (and maybe quarantine) the subscription it names."""
        self.malformed(f"a frame of {len(text)} characters (limit {self._max_frame})")
        try:
            frame = orjson.loads(text)
        except orjson.JSONDecodeError:
            return
        guid = frame.get("guid") if isinstance(frame, dict) else None
        sub = self.subs.get(guid) if isinstance(guid, str) else None
        if sub is None:
            return
        strikes = self._strikes[sub.guid] = self._strikes.get(sub.guid, 0) + 1
        if strikes < self._max_strikes:
            return
        self.reject(sub, SubscriptionQuarantined(
            f"{sub.describe()}: stopped after {strikes} oversized frames (over "
            f"{self._max_frame} characters each)"))
        if self.on_quarantine is not None:
            self.on_quarantine(sub)

    def malformed(self, why: str) -> None:
        """Count and drop an unreadable frame."""
        self.counters.malformed += 1
        log.debug("dropped a malformed frame: %s", why)

    def reject(self, sub: Subscription, exc: AlorError) -> None:
        """Remove ``sub``; fail its pending ``subscribe()`` or tell its ``on_error``."""
        self.subs.pop(sub.guid, None)
        self._strikes.pop(sub.guid, None)
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
        self._strikes.pop(guid, None)
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
