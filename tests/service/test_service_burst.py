"""A burst of 50,000 frames: the reader only stores, memory stays flat, the latest value wins."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import sys
import time
import tracemalloc
from typing import Any

from svc_helpers import REFRESH, next_item, until

from alortui.models import Format, InstrumentKey
from alortui.sim.encode import data_frame, encode_quote

SBER = InstrumentKey("MOEX", "SBER")
FRAMES = 50_000
WARM_UP = 5_000
UNTRACED = 47_500
CHUNK = 1_000  # under the sim's 5000-unsent-messages cut-off (alor-api.md 3.8)


async def test_burst_of_50000_frames_keeps_memory_flat_and_delivers_the_latest(
        make_sim: Any, make_service: Any) -> None:
    sim = await make_sim(open_market=False)  # a frozen market: only our frames move the price
    # Sim and client share one loop here, slowed by tracemalloc: keep ALOR-like ping timings.
    service = await make_service(sim, REFRESH, ping_interval=5.0, ping_timeout=3.0,
                                 silence_timeout=15.0)
    quotes = service.quotes([SBER], max_hz=10)
    first = (await next_item(quotes))[SBER].value
    guid = sim.log.ws_requests("QuotesSubscribe")[0].guid
    connection = sim.ws.connections[0]
    seen: list[float] = []

    async def slow_consumer() -> None:
        async for batch in quotes:
            seen.append(batch[SBER].value.last)
            await asyncio.sleep(0.05)  # a busy screen

    marker = 987654.25  # a price that appears nowhere else in the frame
    template = data_frame(encode_quote(dataclasses.replace(first, last=marker), Format.SIMPLE),
                          guid).decode()
    assert template.count(str(marker)) == 1

    async def burst(start: int, count: int) -> None:
        for n in range(start, start + count):
            connection.push_raw(template.replace(str(marker), str(100.0 + n / 100)))
            if n % CHUNK == CHUNK - 1:
                await until(lambda: not connection.queued, 10.0, "the sim to flush", poll=0.002)
        done = received_before + start + count  # every frame decoded and stored
        await until(lambda: service.status.counters.messages >= done, 10.0, "the reader")

    reader = asyncio.create_task(slow_consumer())
    received_before = service.status.counters.messages
    started = time.monotonic()
    await burst(0, WARM_UP)  # caches, buffers and the first batches exist from here on
    gc.collect()
    blocks, objects = sys.getallocatedblocks(), len(gc.get_objects())
    await burst(WARM_UP, UNTRACED - WARM_UP)
    gc.collect()
    block_growth = sys.getallocatedblocks() - blocks
    object_growth = len(gc.get_objects()) - objects
    # tracemalloc slows every allocation of sim and client alike (~8x): trace the last part.
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        await burst(UNTRACED, FRAMES - UNTRACED)
        expected = 100.0 + (FRAMES - 1) / 100
        await until(lambda: seen and seen[-1] == expected, 5.0, "the latest value")
        gc.collect()
        traced_growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    print(f"\n{FRAMES} frames in {time.monotonic() - started:.1f} s; the consumer saw "
          f"{len(seen)} batches; retained after {UNTRACED - WARM_UP} frames: {block_growth} "
          f"blocks, {object_growth} gc objects; traced growth over the last "
          f"{FRAMES - UNTRACED} frames: {traced_growth / 1024:.0f} KiB")
    # Flat: one value kept per frame would show as tens of thousands of blocks/objects.
    assert block_growth < 5_000 and object_growth < 2_000
    assert traced_growth < 100 * 1024  # < 40 bytes per frame
    assert len(seen) < FRAMES / 20  # conflated, not queued frame by frame
    assert service.status.counters.reconnects == 0  # never cut off for a slow reader
    reader.cancel()
