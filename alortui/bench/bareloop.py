"""The bare-loop ceiling: aiohttp receive plus ``orjson.loads`` on the same frames, no app.

Run as ``python -m alortui.bench.bareloop WS_URL OAUTH_URL`` with the refresh token in
``ALOR_REFRESH_TOKEN`` and the subscriptions (a JSON list of ``[opcode, params]``) on stdin's
first line. It subscribes exactly as the app did, waits until the socket is quiet, prints
``ready``, reads how many frames are coming from stdin, receives and parses them with the app's
``ws_connect`` options, and prints ``done N``. :class:`BareLoop` is the benchmark's side of it.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp
import orjson

from alortui.alor.auth import TokenManager
from alortui.tokens import ENV_VAR as TOKEN_ENV_VAR

QUIET = 0.5
"""Seconds without a frame after which the subscriptions' first messages are all in."""
READY_TIMEOUT = 30.0

Request = tuple[str, dict[str, Any]]


class BareLoop:
    """The bare-loop child process, from the benchmark's side."""

    def __init__(self) -> None:
        self._process: asyncio.subprocess.Process | None = None

    async def start(self, ws_url: str, oauth_url: str, token: str,
                    requests: Sequence[Request], env: Mapping[str, str]) -> None:
        """Start the child and wait until it has subscribed to ``requests``."""
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "alortui.bench.bareloop", ws_url, oauth_url,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            env={**env, TOKEN_ENV_VAR: token},
        )
        self._write(orjson.dumps(list(requests)) + b"\n")
        line = await asyncio.wait_for(self._line(), READY_TIMEOUT)
        if line != "ready":
            raise RuntimeError(f"the bare loop did not start: {line or 'no output'}")

    @property
    def pid(self) -> int:
        """The child's process id."""
        assert self._process is not None
        return self._process.pid

    def announce(self, count: int) -> None:
        """Tell the child how many frames are coming."""
        self._write(f"{count}\n".encode())

    async def finished(self, count: int, within: float) -> float:
        """The monotonic time the child said it had parsed all ``count`` frames."""
        line = await asyncio.wait_for(self._line(), within)
        done = time.monotonic()
        if line != f"done {count}":
            raise RuntimeError(f"the bare loop stopped early: {line or 'no output'}")
        return done

    async def stop(self) -> None:
        """End the child."""
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
            await self._process.wait()

    def _write(self, data: bytes) -> None:
        assert self._process is not None and self._process.stdin is not None
        self._process.stdin.write(data)

    async def _line(self) -> str:
        assert self._process is not None and self._process.stdout is not None
        return (await self._process.stdout.readline()).decode().strip()


async def _run(ws_url: str, oauth_url: str, requests: list[Request]) -> int:
    async with aiohttp.ClientSession() as session:
        jwt = await TokenManager(session, oauth_url, os.environ[TOKEN_ENV_VAR]).access_token()
        # The same options as the app's stream (alortui/alor/stream.py).
        async with session.ws_connect(ws_url, autoping=True, heartbeat=None) as ws:
            for n, (opcode, params) in enumerate(requests):
                await ws.send_str(orjson.dumps(
                    {"opcode": opcode, **params, "guid": f"bare-{n}", "token": jwt}).decode())
            while True:  # confirmations and first messages, until the socket is quiet
                try:
                    msg = await ws.receive(timeout=QUIET)
                except TimeoutError:
                    break
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    _say(f"closed {msg.type.name}")
                    return 1
            _say("ready")
            count = int(await asyncio.to_thread(sys.stdin.readline))
            received = 0
            while received < count:
                msg = await ws.receive()
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    break
                orjson.loads(msg.data)
                received += 1
            _say(f"done {received}")
    return 0


def _say(line: str) -> None:
    """One line of the protocol with the benchmark (stdout is a pipe to it)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> int:
    """Entry point of the child."""
    ws_url, oauth_url = sys.argv[1], sys.argv[2]
    requests = [(opcode, params) for opcode, params in orjson.loads(sys.stdin.readline())]
    return asyncio.run(_run(ws_url, oauth_url, requests))


if __name__ == "__main__":
    raise SystemExit(main())
