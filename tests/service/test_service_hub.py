"""The hub: latest value wins, dirty-only batches, pace per consumer, release on exit."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from alortui.service.api import IssueKind, StreamIssue
from alortui.service.hub import Hub
from alortui.service.slots import KeyedSlot, LatestSlot, RingSlot


def latest() -> LatestSlot[Any]:
    return LatestSlot()


async def collect(hub: Hub, consumer_batches: Any, out: list[tuple[float, Any]]) -> None:
    async for batch in consumer_batches:
        out.append((hub.clock(), batch))


async def test_latest_value_wins_and_only_dirty_topics_come(fake_time: Any) -> None:
    hub = Hub(clock=fake_time.clock, sleep=fake_time.sleep)
    consumer = hub.attach(["A", "B"], latest)
    for price in range(1000):
        hub.put("A", price)
    batches = consumer.batches(max_hz=10)
    assert await anext(batches) == {"A": [999]}
    hub.put("B", "b1")
    task = asyncio.ensure_future(anext(batches))
    await fake_time.advance(0.1)
    assert await task == {"B": ["b1"]}
    await batches.aclose()


async def test_batches_never_exceed_max_hz_under_a_flood(fake_time: Any) -> None:
    hub = Hub(clock=fake_time.clock, sleep=fake_time.sleep)
    consumer = hub.attach(["Q"], latest)
    seen: list[tuple[float, Any]] = []
    reader = asyncio.create_task(collect(hub, consumer.batches(max_hz=10), seen))
    start = fake_time.now
    for value in range(2000):  # one value per ms for 2 s of fake time
        hub.put("Q", value)
        await fake_time.advance(0.001)
    await fake_time.advance(0.2)
    reader.cancel()
    times = [t for t, _ in seen]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.1 - 1e-9
    assert 18 <= len(seen) <= 21, len(seen)
    assert times[0] - start < 0.01  # the first value is not held back
    assert seen[-1][1] == {"Q": [1999]}  # the newest value arrives


async def test_iterator_exit_detaches_from_the_hub(fake_time: Any) -> None:
    hub = Hub(clock=fake_time.clock, sleep=fake_time.sleep)
    consumer = hub.attach(["A"], latest)
    task = asyncio.create_task(collect(hub, consumer.batches(max_hz=5), []))
    await fake_time.settle()
    assert hub.watched("A") == 1
    task.cancel()
    await fake_time.settle()
    assert hub.watched("A") == 0
    hub.put("A", 1)  # a late value of a forgotten topic is dropped, not kept
    assert hub.attach(["A"], latest).take() == ([], {})


async def test_new_consumer_is_primed_and_issues_are_delivered(fake_time: Any) -> None:
    hub = Hub(clock=fake_time.clock, sleep=fake_time.sleep)
    first = hub.attach(["T"], lambda: RingSlot(100))
    for n in range(5):
        hub.put("T", n)
    second = hub.attach(["T"], lambda: RingSlot(3))
    assert second.take() == ([], {"T": [2, 3, 4]})
    issue = StreamIssue(IssueKind.NEEDS_AUTHORIZATION, "sign in")
    hub.put_issue("T", issue)
    assert first.take() == ([issue], {})
    third = hub.attach(["T"], lambda: RingSlot(3))
    assert third.take()[0] == [issue]
    hub.put("T", 9)  # data supersedes the issue
    assert third.take() == ([], {"T": [9]})


def test_keyed_slot_replaces_same_time_and_keeps_time_order() -> None:
    slot: KeyedSlot[tuple[int, str]] = KeyedSlot(lambda c: c[0], limit=3)
    for candle in [(60, "a"), (120, "b"), (120, "b2"), (0, "z"), (180, "c")]:
        slot.add(candle)
    assert slot.values() == [(0, "z"), (120, "b2"), (180, "c")]
