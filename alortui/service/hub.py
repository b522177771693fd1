"""The latest-value store between the sources and the screens (style.md section 2 "Data flow").

Sources call :meth:`Hub.put` from the WebSocket reader or the poller: O(1), never awaits, only
overwrites what each interested consumer has pending and wakes it. Each consumer reads conflated
batches at its own pace (:meth:`Consumer.batches`), so a burst of frames never builds a queue
anywhere: ALOR drops a socket with more than 5000 unread messages (alor-api.md 3.8).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable, Iterable
from typing import Any

from alortui.service.api import StreamIssue
from alortui.service.slots import Slot, SlotFactory

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[Any]]
Batch = dict[Hashable, list[Any]]
"""Dirty topics of one batch and their values, oldest first."""


class _Topic:
    __slots__ = ("issue", "retained", "watchers")

    def __init__(self, retained: Slot[Any]) -> None:
        self.retained = retained
        self.watchers: list[Consumer] = []
        self.issue: StreamIssue | None = None


class Consumer:
    """One reader of a set of topics: its dirty topics and their pending values."""

    def __init__(self, hub: Hub, topics: tuple[Hashable, ...], factory: SlotFactory[Any]) -> None:
        self.topics = topics
        self._hub = hub
        self._factory = factory
        self._pending: dict[Hashable, Slot[Any]] = {}
        self._issues: dict[Hashable, StreamIssue] = {}
        self._wake = asyncio.Event()

    def offer(self, topic: Hashable, value: Any) -> None:
        """Mark ``topic`` dirty with ``value`` (O(1); called by :meth:`Hub.put`)."""
        slot = self._pending.get(topic)
        if slot is None:
            slot = self._pending[topic] = self._factory()
        slot.add(value)
        self._issues.pop(topic, None)
        self._wake.set()

    def offer_issue(self, topic: Hashable, issue: StreamIssue) -> None:
        """Replace what ``topic`` has pending by an explicit issue."""
        self._pending.pop(topic, None)
        self._issues[topic] = issue
        self._wake.set()

    def take(self) -> tuple[list[StreamIssue], Batch]:
        """Everything pending since the last take: issues, then dirty topics' values."""
        issues, pending = list(self._issues.values()), self._pending
        self._issues, self._pending = {}, {}
        return issues, {topic: slot.values() for topic, slot in pending.items()}

    async def batches(self, max_hz: float) -> AsyncGenerator[StreamIssue | Batch, None]:
        """Yield pending issues and batches, waiting at least ``1/max_hz`` s between wakes.

        Values put while the reader is busy or sleeping are conflated into the next batch.
        Detaches from the hub when the iteration ends (``finally``), however it ends.
        """
        interval = 1.0 / max_hz if max_hz > 0 else 0.0
        next_at = float("-inf")
        try:
            while True:
                if not self._pending and not self._issues:
                    self._wake.clear()
                    await self._wake.wait()
                delay = next_at - self._hub.clock()
                if delay > 0:
                    await self._hub.sleep(delay)
                next_at = self._hub.clock() + interval
                issues, batch = self.take()
                for issue in issues:
                    yield issue
                if batch:
                    yield batch
        finally:
            self._hub.detach(self)


class Hub:
    """Latest values per topic, fanned out to the consumers attached to it.

    A topic is any hashable (the service uses its stream requests). It exists while at least one
    consumer is attached; values put for an unknown topic are dropped (data still arriving
    after an unsubscribe, alor-api.md 3.4).

    Args:
        clock: Monotonic seconds, for pacing batches (injectable for tests).
        sleep: Awaitable sleep matching ``clock``.
    """

    def __init__(self, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        self.clock = clock
        self.sleep = sleep
        self._topics: dict[Hashable, _Topic] = {}

    def put(self, topic: Hashable, value: Any) -> None:
        """Store ``value`` as the newest of ``topic`` and mark it dirty for its consumers."""
        entry = self._topics.get(topic)
        if entry is None:
            return
        entry.retained.add(value)
        entry.issue = None
        for consumer in entry.watchers:
            consumer.offer(topic, value)

    def put_issue(self, topic: Hashable, issue: StreamIssue) -> None:
        """Tell the consumers of ``topic`` why it has no data (kept for later consumers too)."""
        entry = self._topics.get(topic)
        if entry is None:
            return
        entry.issue = issue
        for consumer in entry.watchers:
            consumer.offer_issue(topic, issue)

    def attach(self, topics: Iterable[Hashable], factory: SlotFactory[Any],
               retain: SlotFactory[Any] | None = None, replay: int | None = None) -> Consumer:
        """A new consumer of ``topics``, primed with what the hub retains for them.

        Args:
            topics: Topics to watch.
            factory: Makes the consumer's per-topic pending slot.
            retain: Makes the hub's per-topic slot when a topic is new (default ``factory``).
            replay: Newest retained values to prime with per topic (default all).
        """
        consumer = Consumer(self, tuple(dict.fromkeys(topics)), factory)
        for topic in consumer.topics:
            entry = self._topics.get(topic)
            if entry is None:
                entry = self._topics[topic] = _Topic((retain or factory)())
            entry.watchers.append(consumer)
            retained = entry.retained.values()
            if replay is not None:
                retained = retained[max(0, len(retained) - replay):]
            for value in retained:
                consumer.offer(topic, value)
            if entry.issue is not None:
                consumer.offer_issue(topic, entry.issue)
        return consumer

    def detach(self, consumer: Consumer) -> None:
        """Stop feeding ``consumer``; forget topics nobody watches any more. Idempotent."""
        for topic in consumer.topics:
            entry = self._topics.get(topic)
            if entry is None or consumer not in entry.watchers:
                continue
            entry.watchers.remove(consumer)
            if not entry.watchers:
                del self._topics[topic]

    def watched(self, topic: Hashable) -> int:
        """Number of consumers attached to ``topic``."""
        entry = self._topics.get(topic)
        return len(entry.watchers) if entry else 0
