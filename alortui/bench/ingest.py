"""Saturation: frames encoded ahead and sent back to back, to the app or to the bare loop.

Ingest is measured end to end: from the first frame queued to the moment the last one's value
is on screen (the app) or parsed (the bare loop). Both read the same frames in the same order,
encoded for each one's subscriptions. The exchange's writer keeps the socket full, so the rate
is what the reader absorbs, at most what one Python sender on loopback can write.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alortui.bench.bareloop import BareLoop, Request
from alortui.bench.feed import Item, grouped
from alortui.bench.markers import MarkerLedger
from alortui.bench.metrics import CpuMeter, cpu_seconds, own_cpu_seconds
from alortui.sim.scripted_feed import FeedPublisher
from alortui.sim.server import SimExchange
from alortui.sim.streams import OrderBookStream, QuoteStream, TradeStream
from alortui.sim.ws_conn import WsConnection

TIMEOUT = 180.0
"""Longest a saturation run may take before the benchmark gives up."""
BARE_FRAMES = 200_000
"""Frames the bare loop is timed on (the saturation frames, sent as many times as needed)."""

Until = Callable[[Callable[[], bool], float, str], Awaitable[None]]


@dataclass(slots=True)
class Saturation:
    """``items`` encoded as ``frames`` for the subscriptions of ``connection``."""

    items: Sequence[Item]
    frames: list[bytes]
    connection: WsConnection
    started: float = 0.0
    """When the first frame was queued."""

    @classmethod
    def encode(cls, publisher: FeedPublisher, connection: WsConnection,
               items: Sequence[Item]) -> Saturation:
        """Encode ahead: the send then measures the socket and the reader, not the encoder."""
        frames: list[bytes] = []
        listeners = publisher.collector(connection, frames)
        for item in items:
            publisher.encode(**grouped([item]), listeners=listeners)
        return cls(items, frames, connection)

    def finals(self) -> dict[tuple[str, object], Item]:
        """The last item of each stream and instrument: what the screen must end up showing."""
        return {(kind, key): (kind, key, value, marker) for kind, key, value, marker in self.items}

    async def send(self, ledger: MarkerLedger, until: Until) -> float:
        """Send to the app; returns seconds until the last item's value was on screen."""
        self.started = started = time.monotonic()
        for kind, key, _, marker in self.finals().values():
            ledger.sent(kind, key, marker, started)
        await FeedPublisher.pump(self.connection, self.frames)
        end = self.items[-1][3]
        await until(lambda: ledger.seen_time(end) is not None, TIMEOUT,
                    "the last saturation frame on screen")
        shown = ledger.seen_time(end)
        assert shown is not None
        return shown - started

    async def send_bare(self, bare: BareLoop, rounds: int) -> float:
        """Send to the bare loop ``rounds`` times over (it is an order of magnitude faster than
        the app: one round would be over too soon to time); returns seconds until it had
        parsed every frame."""
        count = len(self.frames) * rounds
        bare.announce(count)
        self.started = started = time.monotonic()
        for _ in range(rounds):
            await FeedPublisher.pump(self.connection, self.frames)
        return await bare.finished(count, TIMEOUT) - started


async def bare_ceiling(sim: SimExchange, publisher: FeedPublisher, items: Sequence[Item],
                       requests: Sequence[Request], env: Mapping[str, str]) -> dict[str, Any]:
    """Time the bare loop on ``items``, subscribed with ``requests``: rate and CPU figures."""
    bare = BareLoop()
    try:
        await bare.start(sim.ws_url, sim.oauth_url, sim.refresh_token, requests, env)
        saturation = Saturation.encode(publisher, newest_connection(sim), items)
        rounds = math.ceil(BARE_FRAMES / len(saturation.frames))
        meters = CpuMeter(lambda: cpu_seconds(bare.pid)), CpuMeter(own_cpu_seconds)
        for meter in meters:
            meter.start(time.monotonic())
        elapsed = await saturation.send_bare(bare, rounds)
        done = time.monotonic()
        # A bare loop below 100% of a core was waiting for the sender: the ceiling is then
        # the exchange's, and the loop's own is higher.
        cpu = {"bare_cpu_percent": meters[0].percent(done),
               "sender_cpu_percent": meters[1].percent(done)}
    finally:
        await bare.stop()
    frames = len(saturation.frames) * rounds
    return {"bare_frames": frames, "bare_fps": frames / elapsed, **cpu}


def burst_figures(saturation: Saturation, ledger: MarkerLedger, rss_before: float,
                  rss_after: float) -> dict[str, Any]:
    """Whether the screen settled on the burst's latest values, and the memory it kept."""
    finals = [marker for (kind, _), (*_, marker) in saturation.finals().items()
              if kind == "quotes"]
    shown = [at for at in map(ledger.seen_time, finals) if at is not None]
    # Rows below the terminal's last line never show anything: they are not expected to.
    rows = {d.key for d in ledger.deliveries if d.kind == "quotes"}
    return {
        "rows_on_screen": len(rows),
        "latest_shown": len(shown),
        "settled": len(shown) >= len(rows) > 0,
        "settle_s": max(shown) - saturation.started if shown else None,
        "rss_before_mb": rss_before,
        "rss_after_mb": rss_after,
        "rss_growth_mb": rss_after - rss_before,
    }


def newest_connection(sim: SimExchange) -> WsConnection:
    """The exchange's most recent ``/ws`` connection (the app's, or the bare loop's)."""
    connections = sim.ws.connections
    if not connections:
        raise RuntimeError("nobody is connected to the exchange's /ws")
    return max(connections, key=lambda conn: conn.ident)


def bare_requests(connection: WsConnection) -> list[Request]:
    """The quote, book and trade subscriptions of ``connection``, as requests to repeat."""
    requests: list[Request] = []
    for sub in connection.subscriptions.values():
        if not isinstance(sub, QuoteStream | OrderBookStream | TradeStream):
            continue  # the depth screen's own-order marks: portfolio streams, not market data
        key = sub.key
        params: dict[str, Any] = {"code": key.symbol, "exchange": key.exchange,
                                  "instrumentGroup": key.board, "format": sub.fmt.value}
        if isinstance(sub, QuoteStream):
            requests.append(("QuotesSubscribe", params))
        elif isinstance(sub, OrderBookStream):
            requests.append(("OrderBookGetAndSubscribe", {**params, "depth": sub.depth}))
        elif isinstance(sub, TradeStream):
            requests.append(("AllTradesGetAndSubscribe", {**params, "depth": 0}))
    return requests


def book_depths(connection: WsConnection) -> list[int]:
    """The depth of each order-book subscription of ``connection``."""
    return [sub.depth for sub in connection.subscriptions.values()
            if isinstance(sub, OrderBookStream)]


def subscription_counts(connection: WsConnection) -> dict[str, int]:
    """How many subscriptions of each kind ``connection`` holds."""
    counts: dict[str, int] = {}
    for sub in connection.subscriptions.values():
        name = type(sub).__name__
        counts[name] = counts.get(name, 0) + 1
    return counts
