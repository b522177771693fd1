"""Figures from raw readings: percentiles, a process's CPU and memory, loop-lag samples.

A process is observed from outside through ``/proc`` (Linux), so measuring adds no code to the
app and no dependency: ``/proc/PID/stat`` has its user and system CPU time (every thread),
``/proc/PID/status`` its resident set now (``VmRSS``) and at its peak (``VmHWM``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MB = 1_000_000
"""Figures use decimal units: 1 MB = 10^6 bytes, 1 KB = 10^3 bytes."""


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) by nearest rank; ``None`` without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds ``pid`` has used so far (all its threads)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / CLOCK_TICKS


def memory_mb(pid: int) -> tuple[float, float]:
    """``(VmRSS, VmHWM)`` of ``pid`` in MB: resident now and at its peak."""
    found: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) * 1024 / MB  # reported in kB (KiB)
    return found.get("VmRSS", math.nan), found.get("VmHWM", math.nan)


class CpuMeter:
    """CPU time used over a stretch of wall time (:meth:`start`, then :meth:`percent`).

    Args:
        read: Returns the CPU seconds used so far (:func:`cpu_seconds`, :func:`own_cpu_seconds`).
    """

    def __init__(self, read: Callable[[], float]) -> None:
        self._read = read
        self._wall = 0.0
        self._cpu = 0.0

    def start(self, now: float) -> None:
        """Begin at monotonic time ``now``."""
        self._wall, self._cpu = now, self._read()

    def percent(self, now: float) -> float:
        """Percent of one core used since :meth:`start`."""
        return 100 * (self._read() - self._cpu) / max(now - self._wall, 1e-9)


def own_cpu_seconds() -> float:
    """CPU seconds of this process (the exchange, the feed and the terminal reader)."""
    times = os.times()
    return times.user + times.system


def lag_samples(path: Path, since: float, until: float) -> list[float]:
    """Loop-lag samples (seconds) the app logged between monotonic ``since`` and ``until``."""
    try:
        text = path.read_text(encoding="ascii")
    except OSError:
        return []
    samples = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2:
            at, lag = float(parts[0]), float(parts[1])
            if since <= at <= until:
                samples.append(lag)
    return samples


def rounded(value: float | None, places: int = 1) -> float | None:
    """``value`` rounded for the report (``None`` and non-finite values become ``None``)."""
    if value is None or not math.isfinite(value):
        return None
    return round(value, places)
