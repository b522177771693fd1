"""The registry: one open per request however many consumers, close when the last leaves."""

from __future__ import annotations

import asyncio

from alortui.models import InstrumentKey
from alortui.service.registry import Registry
from alortui.service.requests import StreamKind, StreamRequest

SBER = StreamRequest(StreamKind.QUOTES, InstrumentKey("MOEX", "SBER"))
GAZP = StreamRequest(StreamKind.QUOTES, InstrumentKey("MOEX", "GAZP"))


class Recorder:
    def __init__(self, delay: float = 0.0) -> None:
        self.calls: list[tuple[str, StreamRequest]] = []
        self.delay = delay

    async def open(self, request: StreamRequest) -> None:
        await asyncio.sleep(self.delay)
        self.calls.append(("open", request))

    async def close(self, request: StreamRequest) -> None:
        await asyncio.sleep(self.delay)
        self.calls.append(("close", request))


async def test_shared_request_opens_once_and_closes_after_the_last_consumer() -> None:
    rec = Recorder()
    reg = Registry(rec.open, rec.close)
    await reg.acquire([SBER, GAZP])
    await reg.acquire([SBER])
    assert rec.calls == [("open", SBER), ("open", GAZP)]
    reg.release([SBER, GAZP])
    await reg.drain()
    assert rec.calls[2:] == [("close", GAZP)]
    assert reg.users(SBER) == 1
    reg.release([SBER])
    reg.release([SBER])  # an extra release is harmless
    await reg.drain()
    assert rec.calls[3:] == [("close", SBER)]
    assert reg.active() == []


async def test_quick_leave_and_return_keeps_the_subscription() -> None:
    rec = Recorder(delay=0.01)
    reg = Registry(rec.open, rec.close)
    await reg.acquire([SBER])
    reg.release([SBER])
    await reg.acquire([SBER])  # back before the close ran
    await reg.drain()
    assert rec.calls == [("open", SBER)]
    assert reg.users(SBER) == 1


async def test_backlog_and_since_do_not_split_a_subscription() -> None:
    key = InstrumentKey("MOEX", "SBER")
    a = StreamRequest(StreamKind.TRADES, key, backlog=10)
    b = StreamRequest(StreamKind.TRADES, key, backlog=500)
    rec = Recorder()
    reg = Registry(rec.open, rec.close)
    await reg.acquire([a])
    await reg.acquire([b])
    assert rec.calls == [("open", a)]


async def test_reopen_all_opens_active_requests_on_the_new_source() -> None:
    rec = Recorder()
    reg = Registry(rec.open, rec.close)
    await reg.acquire([SBER, GAZP])
    reg.release([GAZP])
    await asyncio.gather(*reg.reopen_all())
    await reg.drain()
    assert rec.calls == [("open", SBER), ("open", GAZP), ("close", GAZP), ("open", SBER)]


async def test_a_failing_open_does_not_break_the_consumer() -> None:
    async def boom(request: StreamRequest) -> None:
        raise RuntimeError("source down")

    rec = Recorder()
    reg = Registry(boom, rec.close)
    await reg.acquire([SBER])  # logged, not raised
    reg.release([SBER])
    await reg.drain()
    assert rec.calls == [("close", SBER)]
