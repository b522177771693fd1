"""The token never reaches a command line (issue 6, Secrets): ``ps`` shows every argv.

The benchmark is what spawns processes holding the token: the app on its terminal and the bare
loop. Both are started here as the benchmark starts them, with a known token, and the command
line of each process of their trees is read from ``/proc``; the token must be in the child's
environment instead, and the exchange must have been asked for a JWT with it (so the child
really had it). The CLI itself refuses ``--token`` (tests/unit/test_cli.py).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from hardening_helpers import REFRESH, until

from alortui.bench.bareloop import BareLoop
from alortui.bench.markers import MarkerLedger
from alortui.bench.pty_runner import AppProcess, app_argv, app_env
from alortui.bench.screen import ScreenScanner
from alortui.sim.server import SimExchange
from alortui.tokens import ENV_VAR

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def process_tree(root: int) -> list[int]:
    """``root`` and every process descended from it, as they are now."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        parents[int(stat.parent.name)] = int(text[text.rindex(")") + 2 :].split()[1])
    tree = [root]
    for pid in tree:
        tree += [child for child, parent in parents.items() if parent == pid]
    return tree


def command_lines(root: int) -> list[bytes]:
    return [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in process_tree(root)]


def environment(pid: int) -> list[bytes]:
    return Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")


async def test_the_app_the_benchmark_spawns_gets_the_token_by_environment(
        sim: SimExchange, tmp_path: Path) -> None:
    argv = app_argv(sim.api_url, sim.ws_url, sim.oauth_url, ["MOEX:SBER:TQBR"],
                    tmp_path / "config.toml")
    app = AppProcess(argv, app_env(REFRESH, tmp_path), (100, 30), ScreenScanner(MarkerLedger()))
    app.start()
    try:
        await until(lambda: bool(sim.log.http_requests("/refresh")), 30.0, "the app's JWT")
        lines = command_lines(app.pid)
        assert b"alortui" in lines[0]
        assert not [line for line in lines if REFRESH.encode() in line]
        assert f"{ENV_VAR}={REFRESH}".encode() in environment(app.pid)
        assert all(entry.status == 200 for entry in sim.log.http_requests("/refresh"))
    finally:
        await asyncio.to_thread(app.stop)


async def test_the_bare_loop_gets_the_token_by_environment(sim: SimExchange) -> None:
    bare = BareLoop()
    await bare.start(sim.ws_url, sim.oauth_url, REFRESH, [], {"PATH": "/usr/bin:/bin"})
    try:
        lines = command_lines(bare.pid)
        assert lines and not [line for line in lines if REFRESH.encode() in line]
        assert f"{ENV_VAR}={REFRESH}".encode() in environment(bare.pid)
        assert [entry.status for entry in sim.log.http_requests("/refresh")] == [200]
    finally:
        await bare.stop()
