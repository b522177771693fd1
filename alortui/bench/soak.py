"""``alortui bench --scenario soak``: the busy watchlist feed for a long time, through faults.

The real app runs on its pseudo-terminal as in the other scenarios. Every cycle the exchange
drops the app's connection (abrupt, then close codes 1000, 1001, 1011 in turn) and the JWTs it
issues expire every :data:`JWT_LIFETIME` seconds, so the app renews its token throughout and
each re-subscription carries a fresh one. A cycle then checks what the user would see:

- every quote subscription the app held before the drop is back on the new connection
  (a *lost subscription* otherwise);
- every row on screen shows a value sent after the re-subscription within
  :data:`ROW_TIMEOUT` (a *stuck stale row* otherwise: it would keep aging and turn stale).

RSS is read after a warm-up of one full cycle (the app's start-up requests are over by then and
its reconnect path has run once) and again at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import tempfile
import time
from pathlib import Path
from typing import Any

from alortui.bench.feed import Script, SteadyFeed, publish
from alortui.bench.ingest import newest_connection
from alortui.bench.markers import MarkerLedger
from alortui.bench.metrics import memory_mb
from alortui.bench.pty_runner import AppExited, AppProcess, app_argv, app_env
from alortui.bench.scenarios import SCENARIOS, Target, instruments
from alortui.bench.screen import ScreenScanner
from alortui.models import InstrumentKey
from alortui.sim.clock import SystemClock
from alortui.sim.scripted_feed import FeedPublisher, ScriptedMarket
from alortui.sim.server import SimExchange
from alortui.sim.spec import InstrumentSpec
from alortui.sim.streams import QuoteStream
from alortui.sim.ws_conn import WsConnection

DEFAULT_SECONDS = 600.0
DROP_EVERY = 75.0
"""Seconds between two drops: longer than the healthy minute after which the app's reconnect
backoff starts again from 1 s (alor/backoff.py), so each drop is an isolated one as ALOR's are.
A short run drops more often (at least three drops fit in it) and sees the backoff grow."""
JWT_LIFETIME = 20.0
CLOSE_CODES = (1006, 1000, 1001, 1011)
_BUSY = SCENARIOS["busy"]
SOAK = dataclasses.replace(
    _BUSY, name="soak", book_depth=0, book_rate=0.0, trade_rate=0.0,
    saturation_frames=0,
    summary=f"busy watchlist feed ({_BUSY.instruments} quotes, each every "
            f"{_BUSY.quote_interval or 0:g} s), a connection drop every {DROP_EVERY:g} s, "
            f"JWTs expiring every {JWT_LIFETIME:g} s",
    targets=(Target("rss_growth_mb", 10.0), Target("lost_subscriptions", 0),
             Target("stuck_stale_rows", 0)),
)
START_TIMEOUT = 30.0
RECOVERY_TIMEOUT = 20.0
"""Longest a re-subscription may take before its missing subscriptions count as lost."""
ROW_TIMEOUT = 10.0
"""Longest a row may wait for fresh data after the re-subscription (the app dims at 30 s)."""


class SoakError(Exception):
    """The soak could not run (the app did not start or exited)."""


async def run_soak(*, seconds: float, size: tuple[int, int], seed: int = 1) -> dict[str, Any]:
    """Run the soak for ``seconds`` after its warm-up; returns its figures."""
    specs = instruments(SOAK.instruments)
    clock = SystemClock()
    market = ScriptedMarket(seed, clock, open_market=True, instruments=specs)
    period = min(DROP_EVERY, max(2.0, seconds / 3))
    lifetime = min(JWT_LIFETIME, 2 * period)  # a short run sees its tokens expire too
    with tempfile.TemporaryDirectory(prefix="alortui-soak-") as tmp:
        async with SimExchange(clock=clock, market=market, jwt_lifetime=lifetime) as sim:
            soak = _Soak(sim, market, specs, Path(tmp), size, seed)
            figures = await soak.execute(seconds, period)
    return {**figures, "jwt_lifetime_s": lifetime}


class _Soak:
    def __init__(self, sim: SimExchange, market: ScriptedMarket, specs: list[InstrumentSpec],
                 workdir: Path, size: tuple[int, int], seed: int) -> None:
        self.sim = sim
        self.keys = keys = [spec.key for spec in specs]
        self.script = Script(market, specs, seed)
        self.publisher = FeedPublisher(sim, market)
        self.ledger = MarkerLedger()
        self.scanner = ScreenScanner(self.ledger)
        argv = app_argv(sim.api_url, sim.ws_url, sim.oauth_url, [str(k) for k in keys],
                        workdir / "config.toml")
        self.app = AppProcess(argv, app_env(sim.refresh_token, workdir), size, self.scanner)
        self.feed = SteadyFeed(SOAK, self.script, keys, self.publisher, self.ledger)
        self.codes = itertools.cycle(CLOSE_CODES)
        self.last_shown: dict[object, float] = {}
        """Per row on screen: when the newest value it showed was sent."""
        self.tally = {"drops": 0, "lost_subscriptions": 0, "stuck_stale_rows": 0}
        self.recoveries: list[float] = []

    async def execute(self, seconds: float, period: float) -> dict[str, Any]:
        publish(self.publisher, [self.script.quote(k) for k in self.keys], self.ledger)
        self.app.start()
        feeding: asyncio.Task[None] | None = None
        try:
            try:
                await self.app.wait_until(lambda: self.ledger.first_seen is not None,
                                          START_TIMEOUT, "the first live value on screen")
            except (AppExited, TimeoutError) as exc:
                raise SoakError(str(exc)) from exc
            feeding = asyncio.create_task(self.feed.run(), name="soak-feed")
            expected = _quote_keys(newest_connection(self.sim))
            await self._cycle(expected, period)  # warm-up: the reconnect path has run once
            self.tally = dict.fromkeys(self.tally, 0)
            self.recoveries.clear()
            refreshes = len(self.sim.log.http_requests("/refresh"))
            rss_before, started = memory_mb(self.app.pid)[0], time.monotonic()
            while time.monotonic() - started < seconds:
                await self._cycle(expected, period)
            rss_after, peak = memory_mb(self.app.pid)
            window = time.monotonic() - started
            refreshes = len(self.sim.log.http_requests("/refresh")) - refreshes
        finally:
            if feeding is not None:
                feeding.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await feeding
            exit_status = await asyncio.to_thread(self.app.stop)
        return {
            "window_s": window, "drop_every_s": period, "subscriptions": len(expected),
            "rows_on_screen": len(self.last_shown), **self.tally,
            "recovery_max_s": max(self.recoveries, default=None),
            "token_refreshes": refreshes, "feed_frames": self.feed.frames,
            "rss_before_mb": rss_before, "rss_after_mb": rss_after,
            "rss_growth_mb": rss_after - rss_before, "peak_rss_mb": peak,
            "app_exit_status": exit_status,
        }

    async def _cycle(self, expected: set[InstrumentKey], period: float) -> None:
        """One drop, the recovery checked, then the feed alone until the period is over."""
        began = time.monotonic()
        old = newest_connection(self.sim).ident
        await self.sim.faults.drop_all(next(self.codes))
        self.tally["drops"] += 1

        def missing() -> set[InstrumentKey]:
            conns = [c for c in self.sim.ws.connections if c.ident > old]
            return expected - _quote_keys(conns[-1]) if conns else expected

        with contextlib.suppress(TimeoutError):
            await self.app.wait_until(lambda: not missing(), RECOVERY_TIMEOUT,
                                      "re-subscriptions", poll=0.02)
        resubscribed = time.monotonic()
        self.recoveries.append(resubscribed - began)
        self.tally["lost_subscriptions"] += len(missing())
        with contextlib.suppress(TimeoutError):
            await self.app.wait_until(lambda: not self._stuck(resubscribed), ROW_TIMEOUT,
                                      "fresh rows", poll=0.02)
        self.tally["stuck_stale_rows"] += len(self._stuck(resubscribed))
        await asyncio.sleep(max(0.0, began + period - time.monotonic()))

    def _stuck(self, since: float) -> list[object]:
        """Rows on screen whose newest value shown was sent before ``since``."""
        # Taken and replaced, not kept: a long soak would otherwise hold every delivery.
        deliveries, self.ledger.deliveries = self.ledger.deliveries, []
        self.ledger.dropped = []
        for delivery in deliveries:
            if delivery.kind == "quotes":
                shown = self.last_shown.get(delivery.key, 0.0)
                self.last_shown[delivery.key] = max(shown, delivery.sent)
        return [key for key, sent in self.last_shown.items() if sent < since]


def _quote_keys(conn: WsConnection) -> set[InstrumentKey]:
    """Instruments with a quote subscription on ``conn``."""
    return {sub.key for sub in conn.subscriptions.values() if isinstance(sub, QuoteStream)}
