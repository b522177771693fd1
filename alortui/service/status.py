"""Assembling the service status the status line shows, and streaming it.

Sources report cheap facts as they happen (a value arrived, the exchange stamped it at t); the
:class:`StatusBoard` turns them into :class:`ServiceStatus` snapshots only when someone looks.
Mode changes are queued per watcher so a short-lived state (AUTH FAILED before DELAYED) is
never skipped; everything else is sampled at the watcher's rate.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from types import MappingProxyType

from alortui.models import InstrumentKey, Timestamp
from alortui.service.api import Counters, Link, Mode, ServiceStatus


@dataclass(frozen=True, slots=True)
class LinkState:
    """What the current source says about its connection.

    Attributes:
        unreachable: Why ALOR cannot be reached at all right now (the last connection attempt
            failed), or ``None``; an authorized mode is then shown as OFFLINE with this reason.
    """

    link: Link
    attempt: int = 0
    next_retry_at: Timestamp | None = None
    counters: Counters = field(default_factory=Counters)
    unreachable: str | None = None


_LATENCY_SAMPLES = 64
_CLOCK_RESOLUTION = 1.0
"""Seconds: below this the measured server clock offset is noise, not skew."""
_MAX_LATENCY_SAMPLE = 120.0
"""Older exchange stamps are stale values (an idle book), not transport latency."""


class StatusBoard:
    """The service's state in one place.

    Args:
        clock: Local wall-clock seconds (``time.time``): receive times and exchange stamps are
            compared on it.
    """

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.mode = Mode.OFFLINE
        self.reason: str | None = None
        self.delayed_by = 0.0
        self.clock_offset: float | None = None
        self.link: Callable[[], LinkState] = lambda: LinkState(Link.CLOSED)
        """The current source's link state (replaced when the source changes)."""
        self.messages = 0
        self.requests: Callable[[], int] = lambda: 0
        """HTTP requests sent so far (the pacer's count)."""
        self.base = Counters()
        """Counters of sources that are gone, added to the current source's."""
        self._latency: deque[float] = deque(maxlen=_LATENCY_SAMPLES)
        self._updated: dict[InstrumentKey, Timestamp] = {}
        self._watchers: list[tuple[deque[ServiceStatus], asyncio.Event]] = []

    def received(self, key: InstrumentKey | None, now: Timestamp,
                 exchange_time: Timestamp | None) -> None:
        """Record one value of ``key`` that arrived at ``now`` stamped ``exchange_time`` (O(1))."""
        self.messages += 1
        if key is not None:
            self._updated[key] = now
        if exchange_time is not None:
            # /md/v2/time has 1 s resolution (2.1): correct only a skew it can actually see.
            offset = self.clock_offset or 0.0
            sample = now - exchange_time + (offset if abs(offset) > _CLOCK_RESOLUTION else 0.0)
            if -_MAX_LATENCY_SAMPLE < sample < _MAX_LATENCY_SAMPLE:
                self._latency.append(sample)

    def set_mode(self, mode: Mode, *, reason: str | None = None, delayed_by: float = 0.0) -> None:
        """Enter ``mode`` and tell every watcher at once."""
        self.mode, self.reason, self.delayed_by = mode, reason, delayed_by
        self._latency.clear()
        self.publish()

    def retire(self, counters: Counters) -> None:
        """Keep a departing source's counters in the running totals."""
        b = self.base
        self.base = Counters(b.messages, b.reconnects + counters.reconnects,
                             b.resubscriptions + counters.resubscriptions,
                             b.malformed + counters.malformed, b.requests + counters.requests)

    def snapshot(self) -> ServiceStatus:
        """The status now."""
        state = self.link()
        c, b = state.counters, self.base
        counters = Counters(self.messages, b.reconnects + c.reconnects,
                            b.resubscriptions + c.resubscriptions, b.malformed + c.malformed,
                            self.requests())
        latency = statistics.median(self._latency) if self._latency else None
        mode, reason = self.mode, self.reason
        if state.unreachable and mode in (Mode.LIVE, Mode.DEMO):
            # Refused / no route (fault matrix item 1): say OFFLINE and why, while the link
            # shows the retry countdown; a drop of a working socket stays LIVE, reconnecting.
            mode, reason = Mode.OFFLINE, state.unreachable
        return ServiceStatus(
            mode=mode, link=state.link, delayed_by=self.delayed_by, attempt=state.attempt,
            next_retry_at=state.next_retry_at, clock_offset=self.clock_offset, latency=latency,
            reason=reason, counters=counters,
            updated=MappingProxyType(dict(self._updated)))

    def publish(self) -> None:
        """Queue the current snapshot for every watcher (a transition that must be seen)."""
        snap = self.snapshot()
        for queue, wake in self._watchers:
            queue.append(snap)
            wake.set()

    async def watch(self, max_hz: float = 4.0) -> AsyncIterator[ServiceStatus]:
        """Yield the status now, every published transition, and other changes at ``max_hz``."""
        queue: deque[ServiceStatus] = deque(maxlen=32)
        wake = asyncio.Event()
        entry = (queue, wake)
        self._watchers.append(entry)
        last: ServiceStatus | None = None
        try:
            queue.append(self.snapshot())
            while True:
                if queue:
                    while queue:
                        last = queue.popleft()
                        yield last
                else:
                    current = self.snapshot()
                    if current != last:
                        last = current
                        yield current
                wake.clear()
                # Transitions wake us at once; sampled changes wait for the next tick.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), 1.0 / max_hz)
        finally:
            self._watchers.remove(entry)

