"""The soak's output: its figures with the targets of issue 6, as a table or one JSON object."""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import sys
from collections.abc import Mapping
from typing import Any

import orjson

from alortui.bench.report import machine
from alortui.bench.soak import DEFAULT_SECONDS, SOAK, SoakError, run_soak

log = logging.getLogger(__name__)

LINES: tuple[tuple[str, str, str], ...] = (
    # key, label, unit
    ("window_s", "soaked after the warm-up", "s"),
    ("drops", "connection drops", ""),
    ("token_refreshes", "JWT renewals", ""),
    ("subscriptions", "quote subscriptions held", ""),
    ("lost_subscriptions", "lost subscriptions", ""),
    ("rows_on_screen", "rows on screen", ""),
    ("stuck_stale_rows", "stuck stale rows", ""),
    ("recovery_max_s", "drop -> all resubscribed, max", "s"),
    ("rss_before_mb", "RSS after the warm-up", "MB"),
    ("rss_after_mb", "RSS at the end", "MB"),
    ("rss_growth_mb", "RSS growth", "MB"),
    ("peak_rss_mb", "peak RSS", "MB"),
)


def run_soak_command(args: argparse.Namespace, size: tuple[int, int]) -> int:
    """``alortui bench --scenario soak``: run it and print the report; returns the exit code."""
    seconds = DEFAULT_SECONDS if args.seconds is None else args.seconds
    sys.stderr.write(f"bench: soak ({seconds:g} s after the warm-up)...\n")
    try:
        figures = asyncio.run(run_soak(seconds=seconds, size=size))
    except (SoakError, RuntimeError, OSError) as exc:
        log.exception("the soak failed")
        sys.stderr.write(f"bench: soak could not be measured: {exc}\n")
        return 1
    sys.stdout.write(as_json(figures, size, seconds) if args.json else as_table(figures, size))
    return 0


def checks(figures: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each soak target with its value and verdict."""
    return [{"figure": t.figure, "target": t.text(), "value": figures.get(t.figure),
             "pass": t.met(figures.get(t.figure))} for t in SOAK.targets]


def as_json(figures: Mapping[str, Any], size: tuple[int, int], seconds: float) -> str:
    """The same shape as the other scenarios' JSON report."""
    body = {"size": f"{size[0]}x{size[1]}", "seconds": seconds, "machine": machine(),
            "scenarios": {"soak": {"summary": SOAK.summary, "figures": _clean(figures),
                                   "checks": checks(figures)}}}
    return orjson.dumps(body, option=orjson.OPT_INDENT_2).decode() + "\n"


def as_table(figures: Mapping[str, Any], size: tuple[int, int]) -> str:
    """A readable table: value, target and PASS/MISS."""
    targets = {c["figure"]: c for c in checks(figures)}
    lines = [f"alortui bench: {size[0]}x{size[1]} terminal", "", f"soak: {SOAK.summary}"]
    for key, label, unit in LINES:
        check = targets.get(key)
        verdict = "" if check is None else {True: "PASS", False: "MISS", None: "n/a"}[
            check["pass"]]
        value = figures.get(key)
        shown = "n/a" if value is None else f"{value:,.1f}" if isinstance(value, float) \
            else f"{value:,}"
        target = "" if check is None else check["target"]
        lines.append(f"  {label:<32}{shown:>10} {unit:<4}{target:>9}  {verdict}".rstrip())
    return "\n".join(lines) + "\n"


def _clean(figures: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (round(v, 3) if math.isfinite(v) else None) if isinstance(v, float) else v
            for k, v in figures.items()}
