"""Server text is data (style.md 4): hostile names, descriptions and error messages go through
the simulator and the real service into the real app, which shows them literally or stripped
and neither crashes nor acts on them (no quit, no clipboard write, no escape sequence out)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from hardening_helpers import SBER, screen_text, until

from alortui.sim.server import SimExchange
from alortui.ui.app import AlorTUI
from alortui.ui.messages import OpenDepth, OpenInfo
from alortui.ui.screens.depth import DepthScreen
from alortui.ui.screens.info import InfoScreen

OSC_PAYLOAD = base64.b64encode(b"rm -rf ~").decode()
OSC52 = f"\x1b]52;c;{OSC_PAYLOAD}\x07"
"""Would put a command on the user's clipboard if it reached the terminal."""
HOSTILE_NAME = "[@click=app.quit]Q[/]"
HOSTILE_DESCRIPTION = (f"{OSC52}\x1b[31mRED\x1b[0m [bold]B[/bold] [/] \x9b2J C1 \x85 "
                       "\u202eBIDI\u202c \u2066iso\u2069 end")
HOSTILE_ERROR = f"[/]bad [@click=app.quit]x[/] {OSC52}\x1b[2J\u202edone"
FORBIDDEN = ("\x1b", "\x9b", "\x85", "\x07", "\u202e", "\u202c", "\u2066", "\u2069")


def assert_clean(app: AlorTUI) -> str:
    """The screen text, after checking no control or bidi character made it onto the screen."""
    shown = screen_text(app)
    leaked = [hex(ord(c)) for c in FORBIDDEN if c in shown]
    assert not leaked, leaked
    # Sequences go whole: no clipboard payload or CSI parameters left behind as text.
    assert OSC_PAYLOAD not in shown and "52;c;" not in shown and "[2J" not in shown
    assert app.is_running and app.return_code is None
    return shown


@pytest.fixture
def clipboard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every clipboard write any app makes during the test."""
    writes: list[str] = []
    monkeypatch.setattr(AlorTUI, "copy_to_clipboard", lambda self, text: writes.append(text))
    return writes


async def test_hostile_names_and_descriptions_are_shown_as_text(
        sim: SimExchange, make_service: Any, clipboard: list[str]) -> None:
    sim.market.rename(SBER, short_name=HOSTILE_NAME, description=HOSTILE_DESCRIPTION,
                      full_name=HOSTILE_DESCRIPTION)
    service = await make_service()
    app = AlorTUI(service, watchlists={"W": [SBER]}, theme="textual-dark")
    async with app.run_test(size=(200, 40)) as pilot:
        await until(lambda: "[@click=app.quit]" in screen_text(app), 4.0, "the watchlist name")
        assert_clean(app)

        app.post_message(OpenDepth(SBER))
        await until(lambda: isinstance(app.screen, DepthScreen), 3.0, "the depth screen")
        await until(lambda: HOSTILE_NAME in screen_text(app), 4.0, "the name in the summary")
        assert_clean(app)

        app.post_message(OpenInfo(SBER))
        await until(lambda: isinstance(app.screen, InfoScreen), 3.0, "the info screen")
        await until(lambda: "BIDI" in screen_text(app), 4.0, "the description")
        shown = assert_clean(app)
        assert "[bold]B[/bold] [/]" in shown  # markup drawn literally, not applied
        await pilot.press("escape", "escape")
        await pilot.pause(0.1)
        assert_clean(app)
    assert clipboard == []


async def test_hostile_error_messages_are_shown_as_text(
        sim: SimExchange, make_service: Any, clipboard: list[str]) -> None:
    # ALOR's own words reach the user in two places: a WS error envelope (a rejected book
    # subscription) and an HTTP 4xx body (the instrument card when GraphQL fails too).
    sim.faults.ws_reject("OrderBookGetAndSubscribe", 400, HOSTILE_ERROR, times=None)
    sim.faults.http_error("/hyperion", 400, body=HOSTILE_ERROR, times=None)
    sim.faults.http_error("/md/v2/securities/moex/sber", 400, body=HOSTILE_ERROR, times=None)
    service = await make_service()
    app = AlorTUI(service, watchlists={"W": [SBER]}, theme="textual-dark")
    async with app.run_test(size=(200, 40)) as pilot:
        app.post_message(OpenDepth(SBER))
        await until(lambda: isinstance(app.screen, DepthScreen), 3.0, "the depth screen")
        await until(lambda: "bad [@click=app.quit]x[/]" in screen_text(app), 4.0,
                    "the envelope's message")
        assert_clean(app)

        app.post_message(OpenInfo(SBER))
        await until(lambda: isinstance(app.screen, InfoScreen), 3.0, "the info screen")
        await until(lambda: screen_text(app).count("[@click=app.quit]") >= 1
                    and "done" in screen_text(app), 4.0, "the HTTP body")
        assert_clean(app)
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert_clean(app)
    assert clipboard == []
