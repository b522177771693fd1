"""End to end: the installed ``alortui --demo`` in a real terminal (tmux), driven by keys.

The app runs as the user runs it (its own process, the embedded simulator on loopback, a real
pty); the test sees only what the terminal shows, read with ``tmux capture-pane``.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux_session import Tmux

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None,
    reason="tmux is not installed: the end-to-end tests run the app in tmux (.ci/run installs it)",
)

WIDTH, HEIGHT = 120, 40
PRICE_ROW = re.compile(r"^\s*SBER\s.*\d+\.\d+", re.MULTILINE)
"""The watchlist's SBER row with a price in it: data has arrived, not just the symbol."""


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Tmux]:
    """A private tmux server whose environment keeps the app away from the user's files."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("TMUX", "TMUX_PANE", "NO_COLOR", "ALOR_REFRESH_TOKEN")}
    env |= {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "LANG": "C.UTF-8",  # tmux passes Cyrillic and box drawing through only for UTF-8
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
    }
    tmux = Tmux(env, tmp_path)
    try:
        yield tmux
    finally:
        tmux.kill_server()


def start_demo(terminal: Tmux, tmp_path: Path, *options: str) -> str:
    """Start ``alortui --demo`` and wait for the watchlist to show prices; the screen then."""
    config = tmp_path / "config.toml"  # the app saves its settings on quit: never the user's
    command = [sys.executable, "-m", "alortui", "--demo", "--config", str(config), *options]
    terminal.start(command, width=WIDTH, height=HEIGHT)
    return terminal.wait_for(lambda s: PRICE_ROW.search(s) is not None, "SBER with a price")


def test_demo_navigates_with_keys_and_quits(terminal: Tmux, tmp_path: Path) -> None:
    screen = start_demo(terminal, tmp_path)
    assert "DEMO" in screen
    assert "GAZP" in screen

    terminal.press("j", "Enter")  # the second row, GAZP, then its depth of book
    screen = terminal.wait_for(lambda s: "spread" in s, "the depth screen")
    assert "MOEX:GAZP" in screen
    assert "Trades" in screen

    terminal.press("Escape")
    screen = terminal.wait_for(lambda s: "spread" not in s and PRICE_ROW.search(s) is not None,
                               "the watchlist again")
    assert "Symbol" in screen

    terminal.press("i")  # the cursor is still on GAZP
    screen = terminal.wait_for(lambda s: "ISIN" in s, "the info screen")
    assert "GAZP" in screen
    assert "Reconnect" not in screen

    terminal.press("?")  # the keys panel lists the bindings the footer leaves out
    terminal.wait_for(lambda s: "Reconnect" in s, "the keys help")

    terminal.press("q")
    assert terminal.wait_for_exit() == 0
    assert (tmp_path / "config.toml").exists()  # settings went to --config, as asked


def test_anonymous_demo_says_data_is_delayed(terminal: Tmux, tmp_path: Path) -> None:
    screen = start_demo(terminal, tmp_path, "--anonymous")
    assert "DELAYED" in screen
    assert "15" in screen.split("DELAYED", 1)[1].splitlines()[0]  # "DELAYED 15 MIN"

    terminal.press("Enter")  # ALOR serves the book only to authorized users
    screen = terminal.wait_for(lambda s: "needs authorization" in s, "the depth explanation")
    assert "ALOR_REFRESH_TOKEN" in screen

    terminal.press("q")
    assert terminal.wait_for_exit() == 0


def test_demo_portfolio_screen_cycles_and_saves_the_choice(terminal: Tmux,
                                                            tmp_path: Path) -> None:
    start_demo(terminal, tmp_path)
    terminal.press("P")
    screen = terminal.wait_for(lambda s: "Buying power" in s and "RUB cash" in s,
                               "the portfolio screen with its summary and cash")
    assert "Portfolio D39004" in screen and "read-only" in screen
    terminal.press("$")
    terminal.wait_for(lambda s: "amounts hidden" in s and "•••••" in s, "hidden amounts")
    terminal.press("n")
    terminal.wait_for(lambda s: "Portfolio G39004" in s, "the next portfolio")
    terminal.press("q")
    assert terminal.wait_for_exit() == 0
    assert 'portfolio = "G39004"' in (tmp_path / "config.toml").read_text()
