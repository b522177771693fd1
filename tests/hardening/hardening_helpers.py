"""Helpers of the hardening tests (imported by name: tests/hardening is on sys.path)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import orjson
from textual.app import App

from alortui.alor.endpoints import Endpoints
from alortui.models import InstrumentKey
from alortui.service.options import ServiceOptions
from alortui.sim.server import SimExchange

T = TypeVar("T")

REFRESH = "hardening-refresh-5b1d9e0c2a7f"
"""The simulator's refresh token in these tests (searched for in every output)."""
SBER = InstrumentKey("MOEX", "SBER")
GAZP = InstrumentKey("MOEX", "GAZP")

FAST = ServiceOptions(poll_interval=0.3, ping_interval=0.3, ping_timeout=0.3,
                      silence_timeout=2.0, backoff=(0.2, 1.0), healthy_after=5.0,
                      open_wait=2.0, subscribe_retry=0.2, token_retry=0.2, confirm_timeout=2.0,
                      http_timeout=1.0)
"""Short timings so each test ends within a few seconds."""


def port_of(sim: SimExchange) -> int:
    """The simulator's loopback port."""
    port = urlsplit(sim.api_url).port
    assert port is not None
    return port


def endpoints_at(port: int) -> Endpoints:
    """The simulator's URLs at ``port`` (a proxy in front of it, or the simulator itself)."""
    base = f"http://127.0.0.1:{port}"
    return Endpoints(base, f"ws://127.0.0.1:{port}/ws", base)


async def next_item(iterator: AsyncIterator[T], wait: float = 3.0) -> T:
    """The iterator's next item, or fail after ``wait`` seconds."""
    return await asyncio.wait_for(anext(iterator), wait)


async def until(predicate: Callable[[], object], wait: float = 3.0, what: str = "condition",
                poll: float = 0.02) -> None:
    """Poll ``predicate`` until it is true; fail after ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {wait} s waiting for {what}")
        await asyncio.sleep(poll)


def guid_of(sim: SimExchange, opcode: str, key: InstrumentKey) -> str:
    """The guid the client subscribed ``key`` with (the only such request so far)."""
    (entry,) = [e for e in sim.log.ws_requests(opcode) if e.params.get("code") == key.symbol]
    return entry.guid


def frame(data: object, guid: object) -> str:
    """A data frame as ALOR sends it (alor-api.md 3.4), as text for ``faults.send_raw``."""
    return orjson.dumps({"data": data, "guid": guid}).decode()


def screen_text(app: App[Any]) -> str:
    """What the terminal shows right now, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def stream_of(service: Any) -> Any:
    """The live source's :class:`AlorStream` (its own counters: decoded, unknown guid)."""
    return service._sources._source.stream
