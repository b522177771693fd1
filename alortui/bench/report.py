"""The benchmark's output: a table per scenario with targets, or one JSON object."""

from __future__ import annotations

import math
import os
import platform
from collections.abc import Mapping
from importlib import metadata
from typing import Any

import orjson

from alortui.bench.scenarios import SCENARIOS

FIGURES: tuple[tuple[str, str, str, int], ...] = (
    # key, label, unit, decimals
    ("ingest_fps", "ingest at saturation", "frames/s", 0),
    ("bare_fps", "bare-loop ceiling", "frames/s", 0),
    ("ingest_ratio", "ingest / bare loop", "", 2),
    ("latency_p50_ms", "latency p50", "ms", 1),
    ("latency_p99_ms", "latency p99", "ms", 1),
    ("latency_max_ms", "latency max", "ms", 1),
    ("cpu_percent", "CPU, app", "% core", 1),
    ("terminal_kb_s", "terminal output", "KB/s", 1),
    ("peak_rss_mb", "peak RSS", "MB", 1),
    ("frames_per_s", "frames drawn", "/s", 1),
    ("loop_lag_p99_ms", "event-loop lag p99", "ms", 1),
    ("startup_first_frame_s", "start -> first frame", "s", 2),
    ("startup_first_value_s", "start -> first live value", "s", 2),
    ("feed_fps", "feed sent", "frames/s", 0),
    ("bench_cpu_percent", "CPU, bench (exchange+reader)", "% core", 1),
    ("bare_cpu_percent", "CPU, bare loop (ceiling run)", "% core", 1),
    ("sender_cpu_percent", "CPU, sender (ceiling run)", "% core", 1),
    ("rss_before_mb", "RSS before the burst", "MB", 1),
    ("rss_after_mb", "RSS after settling", "MB", 1),
    ("rss_growth_mb", "RSS growth", "MB", 1),
    ("settle_s", "burst start -> all latest shown", "s", 2),
)
"""Every figure a scenario may report, in table order."""

COMMON = tuple(key for key, *_ in FIGURES[:15])  # up to bench_cpu_percent
"""Figures every scenario reports (``None`` where not measured, e.g. latency when idle)."""


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "textual": metadata.version("textual"),
        "aiohttp": metadata.version("aiohttp"),
        "platform": platform.platform(terse=True),
    }


def checks(name: str, figures: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each target of scenario ``name`` with its value and verdict."""
    return [{"figure": t.figure, "target": t.text(), "value": _finite(figures.get(t.figure)),
             "pass": t.met(_finite(figures.get(t.figure)))} for t in SCENARIOS[name].targets]


def as_json(results: Mapping[str, Mapping[str, Any]], *, size: tuple[int, int],
            seconds: float) -> str:
    """One JSON object: settings, machine and per scenario its figures and checks."""
    body = {
        "size": f"{size[0]}x{size[1]}",
        "seconds": seconds,
        "machine": machine(),
        "scenarios": {
            name: {"summary": SCENARIOS[name].summary,
                   "figures": {k: _clean(v) for k, v in figures.items()},
                   "checks": checks(name, figures)}
            for name, figures in results.items()
        },
    }
    return orjson.dumps(body, option=orjson.OPT_INDENT_2).decode() + "\n"


def as_table(results: Mapping[str, Mapping[str, Any]], *, size: tuple[int, int]) -> str:
    """A readable table per scenario: value, target and PASS/MISS for each figure."""
    info = machine()
    lines = [f"alortui bench: {size[0]}x{size[1]} terminal, {info['cpus']} CPUs, "
             f"Python {info['python']}, Textual {info['textual']}"]
    for name, figures in results.items():
        lines += ["", *_scenario_lines(name, figures)]
    return "\n".join(lines) + "\n"


def _scenario_lines(name: str, figures: Mapping[str, Any]) -> list[str]:
    targets = {c["figure"]: c for c in checks(name, figures)}
    lines = [f"{name}: {SCENARIOS[name].summary}",
             f"  window {_num(figures.get('window_s'), 1)} s after a "
             f"{_num(figures.get('warm_up_s'), 1)} s warm-up"]
    for key, label, unit, places in FIGURES:
        if key not in figures:
            continue
        check = targets.get(key)
        verdict = "" if check is None else {True: "PASS", False: "MISS", None: "n/a"}[
            check["pass"]]
        target = "" if check is None else check["target"]
        value = _num(figures[key], places)
        lines.append(f"  {label:<32}{value:>10} {unit:<9}{target:>9}  {verdict}".rstrip())
    for kind, stats in (figures.get("latency_by_stream") or {}).items():
        lines.append(f"    {kind:<8} shown {stats['shown']:>6}, not shown {stats['not_shown']:>6}"
                     f"  p50 {_num(stats['p50_ms'], 1)}  p99 {_num(stats['p99_ms'], 1)}"
                     f"  max {_num(stats['max_ms'], 1)} ms")
    if "latest_shown" in figures:
        lines.append(f"  latest values shown after the burst: {figures['latest_shown']} of "
                     f"{figures['rows_on_screen']} rows on screen "
                     f"({'settled' if figures.get('settled') else 'NOT settled'})")
    return lines


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _num(value: Any, places: int) -> str:
    value = _finite(value)
    if value is None:
        return "n/a"
    return f"{value:,.{places}f}"
