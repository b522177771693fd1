"""The real app in a child process on a pseudo-terminal, its output read and scanned.

The child is ``python -m alortui`` pointed at the benchmark's exchange. The refresh token goes
through the environment (``ALOR_REFRESH_TOKEN``), never the command line, where ``ps`` would
show it. The terminal is ``xterm-256color`` without ``COLORTERM``, which is what an SSH session
gets by default (ssh forwards ``TERM`` only), so the app writes 256-colour codes. A reader
thread timestamps every read with the monotonic clock the feed uses.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from alortui.bench.screen import SYNC_REPLY, ScreenScanner
from alortui.tokens import ENV_VAR as TOKEN_ENV_VAR
from alortui.ui.loopmon import ENV_VAR as LAG_ENV_VAR

QUIT_GRACE = 10.0
"""Seconds the app gets to quit after ``q`` before it is terminated."""
_DROPPED_ENV = ("TEXTUAL", "ALOR", "COLORTERM", "NO_COLOR", "COLUMNS", "LINES")


def app_env(token: str, workdir: Path, base: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The child's environment: the caller's, minus anything that changes how the app draws
    or what it reads, plus the demo token, a private config directory and the lag log."""
    env = {k: v for k, v in base.items() if not k.startswith(_DROPPED_ENV)}
    env.update({
        "TERM": "xterm-256color",
        TOKEN_ENV_VAR: token,
        LAG_ENV_VAR: str(workdir / "loop-lag.txt"),
        "XDG_CONFIG_HOME": str(workdir / "config"),
    })
    env.setdefault("LANG", "C.UTF-8")
    return env


class AppExited(RuntimeError):
    """The app ended while the benchmark was waiting for it."""


class AppProcess:
    """``argv`` running on a pseudo-terminal of ``size`` (columns, rows).

    Args:
        argv: The child's command line.
        env: Its environment.
        size: Terminal columns and rows.
        scanner: Receives every read of the terminal's output.
    """

    def __init__(self, argv: Sequence[str], env: Mapping[str, str], size: tuple[int, int],
                 scanner: ScreenScanner) -> None:
        self._argv, self._env, self._size = list(argv), dict(env), size
        self._scanner = scanner
        self._master = -1
        self._process: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None

    @property
    def pid(self) -> int:
        """The child's process id."""
        assert self._process is not None
        return self._process.pid

    def start(self) -> float:
        """Start the child; returns the monotonic time just before it was spawned."""
        self._master, slave = os.openpty()
        columns, rows = self._size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        started = time.monotonic()
        try:
            self._process = subprocess.Popen(
                self._argv, stdin=slave, stdout=slave, stderr=slave, env=self._env,
                start_new_session=True, preexec_fn=_take_terminal, close_fds=True,
            )
        finally:
            os.close(slave)  # the child holds it now: its exit ends the reader with EIO
        self._reader = threading.Thread(target=self._read, name="bench-pty-reader", daemon=True)
        self._reader.start()
        return started

    def press(self, keys: bytes) -> None:
        """Type ``keys`` into the app's terminal."""
        os.write(self._master, keys)

    def running(self) -> bool:
        """Whether the child has not exited."""
        return self._process is not None and self._process.poll() is None


    async def wait_until(self, ready: Callable[[], bool], within: float, what: str, *,
                         poll: float = 0.005) -> None:
        """Wait until ``ready()`` holds, checking every ``poll`` seconds.

        Raises:
            AppExited: the app ended first.
            TimeoutError: ``within`` seconds passed first.
        """
        deadline = time.monotonic() + within
        while not ready():
            if not self.running():
                raise AppExited(f"the app exited while waiting for {what}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out after {within:g} s waiting for {what}")
            await asyncio.sleep(poll)
    def stop(self) -> int | None:
        """Quit the app with ``q`` (terminate it if it does not); returns its exit status."""
        process = self._process
        if process is None:
            return None
        if process.poll() is None:
            with contextlib.suppress(OSError):
                self.press(b"q")
            try:
                process.wait(QUIT_GRACE)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(3.0)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if self._reader is not None:
            self._reader.join(5.0)
        with contextlib.suppress(OSError):
            os.close(self._master)
        return process.returncode

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 1 << 16)
            except OSError:  # EIO: every process holding the terminal has gone
                return
            if not chunk:
                return
            if self._scanner.feed(chunk, time.monotonic()):
                with contextlib.suppress(OSError):
                    os.write(self._master, SYNC_REPLY)


def _take_terminal() -> None:
    """In the child, after ``setsid``: make the pseudo-terminal its controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def app_argv(api_url: str, ws_url: str, oauth_url: str, watchlist: Sequence[str],
             config: Path) -> list[str]:
    """``python -m alortui`` against the given endpoints with a one-off watchlist."""
    return [sys.executable, "-m", "alortui", "--api-url", api_url, "--ws-url", ws_url,
            "--oauth-url", oauth_url, "--config", str(config), "--watchlist", ",".join(watchlist)]
