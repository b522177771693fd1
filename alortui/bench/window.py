"""The measurement window: counters at its start and end, and the figures between them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from alortui.bench.markers import MarkerLedger
from alortui.bench.metrics import CpuMeter, percentile
from alortui.bench.screen import Counts, ScreenScanner


@dataclass(slots=True)
class Window:
    """Readings at the start (and, after :meth:`close`, the end) of a measured stretch."""

    start: float
    counts: Counts
    meters: tuple[CpuMeter, CpuMeter]
    """The app's CPU and the benchmark's own."""
    feed_frames: int
    end: float = 0.0
    end_counts: Counts = field(default_factory=lambda: Counts(0, 0, 0))
    cpu: tuple[float, float] = (0.0, 0.0)
    end_feed_frames: int = 0

    @classmethod
    def open(cls, scanner: ScreenScanner, meters: tuple[CpuMeter, CpuMeter],
             feed_frames: int) -> Window:
        """Start measuring now."""
        now = time.monotonic()
        for meter in meters:
            meter.start(now)
        return cls(now, scanner.counts(), meters, feed_frames)

    def close(self, scanner: ScreenScanner, feed_frames: int) -> None:
        """Stop measuring now."""
        self.end = now = time.monotonic()
        self.end_counts = scanner.counts()
        app, own = self.meters
        self.cpu = (app.percent(now), own.percent(now))
        self.end_feed_frames = feed_frames

    @property
    def span(self) -> tuple[float, float]:
        """Monotonic start and end."""
        return self.start, self.end

    @property
    def seconds(self) -> float:
        """Length in seconds."""
        return max(self.end - self.start, 1e-9)


def window_figures(window: Window, ledger: MarkerLedger, *, latency: bool = True
                   ) -> dict[str, Any]:
    """CPU, terminal traffic and frame rate over ``window``; latency of the values sent in it."""
    seconds = window.seconds
    figures: dict[str, Any] = {
        "window_s": seconds,
        "cpu_percent": window.cpu[0],
        "bench_cpu_percent": window.cpu[1],
        "terminal_kb_s": (window.end_counts.bytes - window.counts.bytes) / 1000 / seconds,
        "frames_per_s": (window.end_counts.frames - window.counts.frames) / seconds,
        "feed_fps": (window.end_feed_frames - window.feed_frames) / seconds,
    }
    if latency:
        figures.update(latency_figures(window, ledger))
    return figures


def latency_figures(window: Window, ledger: MarkerLedger) -> dict[str, Any]:
    """Send-to-screen latency (ms) of the values sent in ``window``, overall and by stream."""
    start, end = window.span
    delivered = [d for d in ledger.deliveries if start <= d.sent <= end]
    unshown = ledger.unresolved(start, end)
    by_kind: dict[str, Any] = {}
    for kind in sorted({d.kind for d in delivered} | set(unshown)):
        values = [d.latency * 1000 for d in delivered if d.kind == kind]
        by_kind[kind] = {"shown": len(values), "not_shown": unshown.get(kind, 0),
                         "p50_ms": percentile(values, 50), "p99_ms": percentile(values, 99),
                         "max_ms": max(values, default=None)}
    all_ms = [d.latency * 1000 for d in delivered]
    return {
        "latency_p50_ms": percentile(all_ms, 50),
        "latency_p99_ms": percentile(all_ms, 99),
        "latency_max_ms": max(all_ms, default=None),
        "latency_samples": len(all_ms),
        "latency_by_stream": by_kind,
    }


def lag_figures(samples: list[float]) -> dict[str, Any]:
    """Event-loop lag of the app over the window (ms)."""
    lags = [lag * 1000 for lag in samples]
    return {"loop_lag_p99_ms": percentile(lags, 99), "loop_lag_max_ms": max(lags, default=None),
            "loop_lag_samples": len(lags)}
