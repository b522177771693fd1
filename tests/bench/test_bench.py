"""``alortui bench`` end to end: the real app in a pseudo-terminal reports every figure.

Not a performance test: no figure is compared with its target here, only that each was measured.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from alortui.bench.report import COMMON
from alortui.bench.scenarios import SCENARIOS

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads /proc and a Linux pseudo-terminal")


def finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def test_typical_runs_and_reports_every_figure(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALOR", "TEXTUAL"))}
    result = subprocess.run(
        [sys.executable, "-m", "alortui", "bench", "--seconds", "2", "--scenario", "typical",
         "--json"],
        capture_output=True, text=True, timeout=110, cwd=tmp_path, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["size"] == "160x50"
    assert set(report["scenarios"]) == {"typical"}
    typical = report["scenarios"]["typical"]
    figures = typical["figures"]
    extra = ("bare_cpu_percent", "sender_cpu_percent", "loop_lag_max_ms", "warm_up_s", "window_s")
    missing = [key for key in (*COMMON, *extra) if not finite(figures.get(key))]
    assert not missing, f"not measured: {missing}"
    assert figures["latency_samples"] > 0 and figures["loop_lag_samples"] > 0
    assert figures["latency_by_stream"]["book"]["shown"] > 0
    assert figures["latency_by_stream"]["trades"]["shown"] > 0
    checks = {check["figure"]: check for check in typical["checks"]}
    assert set(checks) == {target.figure for target in SCENARIOS["typical"].targets}
    assert all(isinstance(check["pass"], bool) for check in checks.values())
