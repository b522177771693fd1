"""Fixtures for the simulated exchange's network side: a live sim on loopback and raw clients.

The tests talk to the simulator with plain aiohttp (not the project's client) so they check the
wire format itself.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import orjson
import pytest

from alortui.sim.clock import ManualClock
from alortui.sim.server import SimExchange

REFRESH = "sim-test-refresh-token"
T0 = 1_779_692_400.0  # 2026-05-25 07:00 UTC, a Monday: MOEX's main session is trading


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


class RunningClock:
    """Real time, but starting at ``start`` (a fixed, busy time of day; fast to set up)."""

    def __init__(self, start: float) -> None:
        self._offset = start - time.monotonic()

    def now(self) -> float:
        return time.monotonic() + self._offset


@pytest.fixture
async def sim() -> AsyncIterator[SimExchange]:
    """A simulator whose market runs in real time (streams move by themselves)."""
    async with SimExchange(seed=3, refresh_token=REFRESH, clock=RunningClock(T0),
                           tick=0.01) as exchange:
        yield exchange


@pytest.fixture
async def manual_sim(clock: ManualClock) -> AsyncIterator[SimExchange]:
    """A simulator whose market moves only when the test advances ``clock``."""
    async with SimExchange(seed=3, refresh_token=REFRESH, clock=clock, tick=0.01) as exchange:
        yield exchange


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
def jwt(sim: SimExchange) -> str:
    return sim.issue_jwt()


class WsClient:
    """A raw ``/ws`` client: sends requests with a token and a fresh guid, reads JSON frames."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, token: str) -> None:
        self.ws, self.token = ws, token
        self._guids = (f"g{n}" for n in itertools.count(1))
        self._stash: deque[dict[str, object]] = deque()  # frames read past by ``reply``

    async def send(self, opcode: str, guid: str | None = None, **fields: object) -> str:
        guid = guid or next(self._guids)
        request = {"opcode": opcode, "guid": guid, "token": self.token, **fields}
        await self.ws.send_str(orjson.dumps(request).decode())
        return guid

    async def raw(self, wait: float = 2.0) -> aiohttp.WSMessage:
        return await asyncio.wait_for(self.ws.receive(), wait)

    async def recv(self, wait: float = 2.0) -> dict[str, object]:
        if self._stash:
            return self._stash.popleft()
        msg = await self.raw(wait)
        assert msg.type is aiohttp.WSMsgType.TEXT, msg
        return orjson.loads(msg.data)

    async def reply(self, guid: str) -> dict[str, object]:
        """The envelope answering ``guid``; data frames read on the way are kept for later."""
        skipped: list[dict[str, object]] = []
        while (frame := await self.recv()).get("requestGuid") != guid:
            skipped.append(frame)
        self._stash.extendleft(reversed(skipped))
        return frame

    async def confirm(self, opcode: str, **fields: object) -> str:
        """Send a request and assert it was confirmed with 200."""
        guid = await self.send(opcode, **fields)
        reply = await self.reply(guid)
        assert reply == {"requestGuid": guid, "httpCode": 200, "message": "Handled successfully"}
        return guid

    async def data(self, guid: str, count: int, wait: float = 3.0) -> list[dict[str, object]]:
        """The next ``count`` data objects of ``guid`` (frames of other guids are skipped)."""
        got: list[dict[str, object]] = []
        deadline = asyncio.get_running_loop().time() + wait
        while len(got) < count:
            frame = await self.recv(max(0.01, deadline - asyncio.get_running_loop().time()))
            if frame.get("guid") == guid and "data" in frame:
                got.append(frame["data"])  # type: ignore[arg-type]
        return got

    async def drain(self, seconds: float) -> list[dict[str, object]]:
        """Every frame that arrives within ``seconds``."""
        frames: list[dict[str, object]] = []
        end = asyncio.get_running_loop().time() + seconds
        while (left := end - asyncio.get_running_loop().time()) > 0:
            try:
                frames.append(await self.recv(left))
            except TimeoutError:
                break
        return frames


WsFactory = Callable[..., Awaitable[WsClient]]


@pytest.fixture
async def ws_client(session: aiohttp.ClientSession) -> AsyncIterator[WsFactory]:
    """``await ws_client(sim, token=None)`` opens a raw client (token: a fresh valid JWT)."""
    opened: list[aiohttp.ClientWebSocketResponse] = []

    async def open_client(exchange: SimExchange, token: str | None = None) -> WsClient:
        ws = await session.ws_connect(exchange.ws_url, autoping=True)
        opened.append(ws)
        return WsClient(ws, token if token is not None else exchange.issue_jwt())

    yield open_client
    for ws in opened:
        await ws.close()
