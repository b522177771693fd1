"""``alortui sim``'s entry point: prints how to connect, serves, stops cleanly on Ctrl+C."""

from __future__ import annotations

import asyncio
import re
import signal
import sys

import aiohttp

SCRIPT = ("from alortui.sim.server import run_standalone; "
          "raise SystemExit(run_standalone(0, 4, 'demo-refresh-token', 60))")


async def test_run_standalone_prints_urls_serves_and_stops_on_ctrl_c() -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", SCRIPT, stdout=asyncio.subprocess.PIPE)
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        while not lines or not lines[-1].startswith("Press Ctrl+C"):
            lines.append((await asyncio.wait_for(proc.stdout.readline(), 10)).decode().strip())
        text = "\n".join(lines)
        api = re.search(r"API \(HTTP, GraphQL\)\s+(http://127\.0\.0\.1:\d+)", text)
        assert api and "ws://127.0.0.1:" in text and "demo-refresh-token" in text
        async with aiohttp.ClientSession() as session:
            refreshed = await session.post(f"{api[1]}/refresh",
                                           params={"token": "demo-refresh-token"})
            assert refreshed.status == 200
            async with session.get(f"{api[1]}/md/v2/time") as response:
                assert response.status == 200
    finally:
        proc.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(proc.wait(), 10) == 0
    rest = (await proc.stdout.read()).decode()
    assert "Stopped." in rest
