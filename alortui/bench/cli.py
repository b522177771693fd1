"""``alortui bench``: run the scenarios one after another and print the figures."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

from alortui.bench.report import COMMON, as_json, as_table
from alortui.bench.scenarios import SCENARIOS
from alortui.bench.session import BenchError, run_scenario
from alortui.bench.soak_report import run_soak_command

log = logging.getLogger(__name__)

DEFAULT_SIZE = (160, 50)
DEFAULT_SECONDS = 20.0


def run_bench(args: argparse.Namespace) -> int:
    """Run the chosen scenarios (all by default); returns the exit code.

    A figure that misses its target is a result, not an error: the exit code is 0 whenever
    every scenario could be measured, 1 when one could not.
    """
    size = args.size or DEFAULT_SIZE
    if args.scenario == "soak":
        return run_soak_command(args, size)
    names = [args.scenario] if args.scenario else list(SCENARIOS)
    seconds = DEFAULT_SECONDS if args.seconds is None else args.seconds
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        _progress(f"bench: {name} ({seconds:g} s window)...")
        try:
            figures = asyncio.run(run_scenario(SCENARIOS[name], seconds=seconds, size=size))
        except (BenchError, RuntimeError, OSError) as exc:
            log.exception("scenario %s failed", name)
            _progress(f"bench: {name} could not be measured: {exc}")
            return 1
        for key in COMMON:
            figures.setdefault(key, None)  # not measured in this scenario: reported as n/a
        results[name] = figures
    output = (as_json(results, size=size, seconds=seconds) if args.json
              else as_table(results, size=size))
    sys.stdout.write(output)
    return 0


def _progress(line: str) -> None:
    """A progress line on stderr: stdout carries only the report (and is JSON with --json)."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
