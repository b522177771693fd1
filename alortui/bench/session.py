"""One scenario, start to end: exchange, app, feed, measurements.

The order of a run: prime the market with marked values; start the app on its terminal (startup
figures); start the steady feed; open the depth screen if the scenario has a book; warm up until
the app's start-up requests (names, instrument info, sparklines) are over; measure a window of
``seconds`` (or the burst and its quiet time); measure ingest at saturation; quit the app; then
send the same saturation frames to the bare loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alortui.bench.feed import Item, Script, SteadyFeed, publish, saturation_items
from alortui.bench.ingest import (
    Saturation,
    bare_ceiling,
    bare_requests,
    book_depths,
    burst_figures,
    newest_connection,
    subscription_counts,
)
from alortui.bench.markers import MarkerLedger
from alortui.bench.metrics import CpuMeter, cpu_seconds, lag_samples, memory_mb, own_cpu_seconds
from alortui.bench.pty_runner import AppExited, AppProcess, app_argv, app_env
from alortui.bench.scenarios import Scenario, instruments
from alortui.bench.screen import ScreenScanner
from alortui.bench.window import Window, lag_figures, window_figures
from alortui.sim.clock import SystemClock
from alortui.sim.scripted_feed import FeedPublisher, ScriptedMarket
from alortui.sim.server import SimExchange
from alortui.sim.spec import InstrumentSpec
from alortui.ui.widgets.ladder_model import DEPTHS

DEFAULT_DEPTH = 20
"""Levels the depth screen opens with."""

START_TIMEOUT = 30.0
DEPTH_TIMEOUT = 15.0
WARM_UP_QUIET = 1.0
"""Seconds without a request from the app that end the warm-up ..."""
WARM_UP_MAX = 20.0
"""... or at most this long."""
TAPE_BACKLOG = 30


class BenchError(Exception):
    """The run could not measure what it should (the app did not start, a phase timed out)."""


async def run_scenario(scenario: Scenario, *, seconds: float, size: tuple[int, int],
                       seed: int = 1) -> dict[str, Any]:
    """Run ``scenario`` and return its figures (see :data:`alortui.bench.report.FIGURES`)."""
    specs = instruments(scenario.instruments)
    clock = SystemClock()
    market = ScriptedMarket(seed, clock, open_market=scenario.open_market, instruments=specs)
    with tempfile.TemporaryDirectory(prefix="alortui-bench-") as tmp:
        async with SimExchange(clock=clock, market=market) as sim:
            run = _Run(scenario, sim, market, specs, Path(tmp), size, seed)
            return await run.execute(seconds)


class _Run:
    def __init__(self, scenario: Scenario, sim: SimExchange, market: ScriptedMarket,
                 specs: list[InstrumentSpec], workdir: Path, size: tuple[int, int],
                 seed: int) -> None:
        self.scenario, self.sim, self.workdir = scenario, sim, workdir
        self.script = script = Script(market, specs, seed)
        self.keys = [spec.key for spec in specs]
        self.publisher = FeedPublisher(sim, market)
        self.ledger = MarkerLedger()
        self.scanner = ScreenScanner(self.ledger)
        self.env = app_env(sim.refresh_token, workdir)
        argv = app_argv(sim.api_url, sim.ws_url, sim.oauth_url, [str(k) for k in self.keys],
                        workdir / "config.toml")
        self.app = AppProcess(argv, self.env, size, self.scanner)
        self.feed = SteadyFeed(scenario, script, self.keys, self.publisher, self.ledger)
        self.figures: dict[str, Any] = {}
        self.saturation: list[Item] = []

    async def execute(self, seconds: float) -> dict[str, Any]:
        scenario = self.scenario
        self._prime()
        spawned = self.app.start()
        feeding: asyncio.Task[None] | None = None
        try:
            await self._startup(spawned)
            if scenario.feed_rate:
                feeding = asyncio.create_task(self.feed.run(), name="bench-feed")
            if scenario.book_depth:
                await self._open_depth()
            await self._warm_up()
            window = await (self._burst(seconds) if scenario.burst_frames
                            else self._steady(seconds))
            if feeding is not None:
                feeding.cancel()
            if scenario.saturation_frames:
                await self._ingest_app()
            connection = newest_connection(self.sim)
            requests = bare_requests(connection)
            self.figures["subscriptions"] = subscription_counts(connection)
        finally:
            if feeding is not None:
                feeding.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await feeding
            self.figures["app_exit_status"] = await asyncio.to_thread(self.app.stop)
        self.figures.update(lag_figures(lag_samples(self.workdir / "loop-lag.txt", *window.span)))
        if self.saturation:
            await self._ingest_bare(requests)
        return self.figures

    def _prime(self) -> None:
        """Marked values for every instrument before the app asks for its first snapshots."""
        items = [self.script.quote(key) for key in self.keys]
        if self.scenario.book_depth:
            items.append(self.script.book(self.keys[0], self.scenario.book_depth))
            items += [self.script.trade(self.keys[0]) for _ in range(TAPE_BACKLOG)]
        publish(self.publisher, items, self.ledger)

    async def _startup(self, spawned: float) -> None:
        await self._until(lambda: self.scanner.first_frame is not None, START_TIMEOUT,
                          "the app's first frame")
        await self._until(lambda: self.ledger.first_seen is not None, START_TIMEOUT,
                          "the first live value on screen")
        assert self.scanner.first_frame is not None and self.ledger.first_seen is not None
        self.figures["startup_first_frame_s"] = self.scanner.first_frame - spawned
        # A value is visible once the frame carrying it is complete (synchronized output).
        shown = max(self.ledger.first_seen, self.scanner.first_frame)
        self.figures["startup_first_value_s"] = shown - spawned

    async def _open_depth(self) -> None:
        """Enter on the first row: the depth screen of the instrument the book and tape are of;
        then ``+`` until it shows the scenario's number of levels."""
        self.app.press(b"\r")
        await self._until(lambda: "book" in self.ledger.first_seen_kind, DEPTH_TIMEOUT,
                          "the depth screen's order book")
        depth = self.scenario.book_depth
        self.app.press(b"+" * (DEPTHS.index(depth) - DEPTHS.index(DEFAULT_DEPTH)))
        await self._until(lambda: book_depths(newest_connection(self.sim)) == [depth],
                          DEPTH_TIMEOUT, f"a subscription to {depth} levels")

    async def _warm_up(self) -> None:
        log, started = self.sim.log, time.monotonic()

        def quiet() -> bool:
            last = max([e.time for e in log.http[-1:]] + [e.time for e in log.ws[-1:]] + [0.0])
            now = time.monotonic()
            return now - last >= WARM_UP_QUIET or now - started >= WARM_UP_MAX

        await self._until(quiet, WARM_UP_MAX + 1, "the end of the warm-up")
        self.figures["warm_up_s"] = time.monotonic() - started

    def _meters(self) -> tuple[CpuMeter, CpuMeter]:
        pid = self.app.pid
        return CpuMeter(lambda: cpu_seconds(pid)), CpuMeter(own_cpu_seconds)

    async def _steady(self, seconds: float) -> Window:
        window = Window.open(self.scanner, self._meters(), self.feed.frames)
        await asyncio.sleep(seconds)
        window.close(self.scanner, self.feed.frames)
        self.figures["rss_mb"], self.figures["peak_rss_mb"] = memory_mb(self.app.pid)
        await asyncio.sleep(0.5)  # values sent at the very end get the time to show
        self.figures.update(window_figures(window, self.ledger))
        return window

    async def _burst(self, seconds: float) -> Window:
        saturation = self._saturation(self.scenario.burst_frames)
        rss_before = memory_mb(self.app.pid)[0]
        window = Window.open(self.scanner, self._meters(), 0)
        ingest_s = await saturation.send(self.ledger, self._until)
        await asyncio.sleep(seconds)  # quiet: the screen settles, memory should come back
        window.close(self.scanner, len(saturation.frames))
        rss_after, peak = memory_mb(self.app.pid)
        self.figures.update(window_figures(window, self.ledger, latency=False))
        self.figures.update(burst_figures(saturation, self.ledger, rss_before, rss_after))
        self.figures["peak_rss_mb"] = peak
        self.figures["ingest_frames"] = len(saturation.frames)
        self.figures["ingest_fps"] = len(saturation.frames) / ingest_s
        self.saturation = saturation.items
        return window

    async def _ingest_app(self) -> None:
        await asyncio.sleep(1.0)  # the steady feed has stopped: let the app catch up
        saturation = self._saturation(self.scenario.saturation_frames)
        ingest_s = await saturation.send(self.ledger, self._until)
        self.figures["ingest_frames"] = len(saturation.frames)
        self.figures["ingest_fps"] = len(saturation.frames) / ingest_s
        self.saturation = saturation.items

    def _saturation(self, count: int) -> Saturation:
        items = saturation_items(self.scenario, self.script, self.keys, count)
        return Saturation.encode(self.publisher, newest_connection(self.sim), items)

    async def _ingest_bare(self, requests: list[tuple[str, dict[str, Any]]]) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALOR")}
        self.figures.update(await bare_ceiling(self.sim, self.publisher, self.saturation,
                                               requests, env))
        self.figures["ingest_ratio"] = self.figures["ingest_fps"] / self.figures["bare_fps"]

    async def _until(self, ready: Callable[[], bool], within: float, what: str) -> None:
        try:
            await self.app.wait_until(ready, within, what)
        except (AppExited, TimeoutError) as exc:
            raise BenchError(str(exc)) from exc
