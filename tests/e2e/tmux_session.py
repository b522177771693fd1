"""A real terminal for end-to-end tests: a private tmux server running one command.

Every server gets its own socket name (``tmux -L``) and no config file (``-f /dev/null``), so a
test never sees or touches the user's tmux. The command's exit status is written to a file by
the ``sh`` that runs it: tmux's own ``#{pane_dead}`` was seen to lag by many seconds (the exited
process left unreaped), and a file is unambiguous.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

POLL = 0.1


class TmuxError(AssertionError):
    """tmux failed, or the screen never showed what a test waited for."""


class Tmux:
    """One tmux server with one session named ``app``.

    Args:
        env: The environment the server (and so the command) starts with.
        workdir: The command's working directory; the exit status file goes there too.
    """

    def __init__(self, env: Mapping[str, str], workdir: Path) -> None:
        self.socket = f"alortui-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        # The socket goes under workdir too: nothing is left in the shared /tmp/tmux-UID.
        self._env = {**env, "TMUX_TMPDIR": str(workdir)}
        self._workdir = workdir
        self._status_file = workdir / "exit-status"

    def tmux(self, *args: str) -> str:
        """Run a tmux command against this server; its stdout."""
        result = subprocess.run(
            ["tmux", "-f", "/dev/null", "-L", self.socket, *args],
            capture_output=True, text=True, env=self._env, timeout=10, check=False,
        )
        if result.returncode != 0:
            raise TmuxError(f"tmux {' '.join(args[:1])} failed: {result.stderr.strip()}")
        return result.stdout

    def start(self, command: Sequence[str], *, width: int, height: int) -> None:
        """Start ``command`` in a new detached ``width`` x ``height`` session (and the server)."""
        # remain-on-exit keeps the last screen readable after the command has ended.
        wrapped = ["sh", "-c", '"$@"; echo "$?" > "$0"', str(self._status_file), *command]
        self.tmux("set-option", "-g", "remain-on-exit", "on", ";",
                  "new-session", "-d", "-s", "app", "-x", str(width), "-y", str(height),
                  "-c", str(self._workdir), "--", *wrapped)

    def screen(self) -> str:
        """The visible text of the pane."""
        return self.tmux("capture-pane", "-p", "-t", "app")

    def press(self, *keys: str) -> None:
        """Send keys by tmux name (``Enter``, ``Escape``) or as literal characters."""
        self.tmux("send-keys", "-t", "app", *keys)

    def exit_status(self) -> int | None:
        """The command's exit status once it has ended, else ``None``."""
        try:
            text = self._status_file.read_text()
        except FileNotFoundError:
            return None
        return int(text) if text.endswith("\n") else None  # else: being written

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 20.0) -> str:
        """Poll the screen until ``check(screen)`` holds; the screen then.

        Raises:
            TmuxError: Not within ``timeout`` seconds (the message shows the last screen).
        """
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                raise TmuxError(f"the screen did not show {what} within {timeout:.0f} s:\n{screen}")
            time.sleep(POLL)

    def wait_for_exit(self, timeout: float = 10.0) -> int:
        """Wait for the command to end; its exit status."""
        deadline = time.monotonic() + timeout
        while (status := self.exit_status()) is None:
            if time.monotonic() > deadline:
                screen = self.screen()
                raise TmuxError(f"the command did not exit within {timeout:.0f} s:\n{screen}")
            time.sleep(POLL)
        return status

    def kill_server(self) -> None:
        """Stop the server and its command (idempotent)."""
        subprocess.run(["tmux", "-f", "/dev/null", "-L", self.socket, "kill-server"],
                       capture_output=True, env=self._env, timeout=10, check=False)
