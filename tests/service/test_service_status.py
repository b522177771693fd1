"""Status assembly: transitions are never skipped, samples are paced, latency is robust."""

from __future__ import annotations

import asyncio

import pytest

from alortui.models import InstrumentKey
from alortui.service.api import Counters, Link, Mode
from alortui.service.status import LinkState, StatusBoard

SBER = InstrumentKey("MOEX", "SBER")


async def test_back_to_back_mode_changes_all_reach_the_watcher() -> None:
    board = StatusBoard()
    watch = board.watch(max_hz=2)
    assert (await anext(watch)).mode is Mode.OFFLINE
    board.set_mode(Mode.AUTH_FAILED, reason="refresh token rejected")
    board.set_mode(Mode.DELAYED, reason="refresh token rejected", delayed_by=900)
    seen = [await asyncio.wait_for(anext(watch), 1) for _ in range(2)]
    assert [s.mode for s in seen] == [Mode.AUTH_FAILED, Mode.DELAYED]
    assert seen[1].reason == "refresh token rejected" and seen[1].delayed_by == 900
    await watch.aclose()


async def test_other_changes_are_sampled_at_max_hz() -> None:
    board = StatusBoard()
    watch = board.watch(max_hz=10)
    await anext(watch)
    seen = []

    async def read() -> None:
        async for status in watch:
            seen.append(status)

    reader = asyncio.create_task(read())
    for n in range(50):  # a message every 10 ms for 0.5 s
        board.received(SBER, 1000.0 + n, None)
        await asyncio.sleep(0.01)
    reader.cancel()
    assert 3 <= len(seen) <= 8  # about 5 in 0.5 s at 10 Hz, not 50
    assert seen[-1].counters.messages >= 30
    assert seen[-1].updated[SBER] >= 1030.0


def test_latency_is_a_median_and_ignores_stale_stamps_and_clock_noise() -> None:
    board = StatusBoard()
    board.clock_offset = 0.4  # below /md/v2/time's 1 s resolution: noise, not skew
    for delay in (0.05, 0.07, 0.06, 500.0):  # 500 s: an idle book's old stamp
        board.received(SBER, 1000.0, 1000.0 - delay)
    assert board.snapshot().latency == pytest.approx(0.06)
    board.set_mode(Mode.LIVE)
    board.clock_offset = -3.0  # a local clock 3 s fast is corrected
    board.received(SBER, 1000.0, 996.95)
    assert board.snapshot().latency == pytest.approx(0.05)


def test_counters_of_replaced_sources_are_kept() -> None:
    board = StatusBoard()
    board.link = lambda: LinkState(Link.CONNECTED, counters=Counters(reconnects=2,
                                                                     resubscriptions=5))
    board.retire(Counters(reconnects=1, resubscriptions=3, malformed=4))
    counters = board.snapshot().counters
    assert (counters.reconnects, counters.resubscriptions, counters.malformed) == (3, 8, 4)
