"""No secret leaks (issue 6, "Secrets"): the app runs against the simulator with a known
refresh token, goes through token errors, a fallback to delayed data, an error card and a crash
with its traceback screen, all with DEBUG logging to a file; then every log line, screen,
screenshot, file written and exception text is searched for the refresh token and every JWT
the simulator issued. (A token file readable by others: tests/unit/test_tokens.py.)"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

import pytest
from hardening_helpers import REFRESH, SBER, screen_text, until

from alortui.logsafe import setup_logging
from alortui.service.api import Link, Mode
from alortui.sim.server import SimExchange
from alortui.ui.app import AlorTUI
from alortui.ui.messages import OpenDepth, OpenInfo
from alortui.ui.screens.depth import DepthScreen
from alortui.ui.screens.info import InfoScreen
from alortui.ui.widgets.status_bar import StatusBar

WRONG = "hardening-wrong-refresh-93c1f0aa"
"""A refresh token the simulator does not know (a secret too)."""


class Crash(RuntimeError):
    """The bug the test plants in the UI to get a crash screen."""


def issued_jwts(sim: SimExchange, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every JWT the simulator hands out from now on."""
    issued: list[str] = []
    issue = sim.issuer.issue

    def recording(*args: Any, **kwargs: Any) -> str:
        token = issue(*args, **kwargs)
        issued.append(token)
        return token

    monkeypatch.setattr(sim.issuer, "issue", recording)
    return issued


def leaks(text: str, secrets: list[str]) -> list[str]:
    """Which secrets (or their distinctive middle part) appear in ``text``."""
    found = []
    for secret in secrets:
        parts = [secret, *secret.split(".")[1:2]]  # a JWT's claims part alone is a leak too
        if any(part and part in text for part in parts):
            found.append(secret[:12] + "…")
    return found


def written_files(root: Path) -> dict[Path, str]:
    """Every file under ``root`` (logs, screenshots, XDG config and state) and its text."""
    return {p: p.read_bytes().decode("utf-8", "replace") for p in root.rglob("*") if p.is_file()}


async def test_no_token_in_logs_screens_files_or_crash_text(
        sim: SimExchange, make_service: Any, tmp_path: Path, restore_logging: None,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "2000")  # the crash screen unwrapped: no token split in two
    jwts = issued_jwts(sim, monkeypatch)
    log_file = tmp_path / "state" / "alortui.log"
    setup_logging(log_file, verbosity=1)  # DEBUG; the token is deliberately NOT registered
    logging.getLogger("alortui").debug("logging to %s", log_file)
    texts: list[str] = []

    sim.faults.refresh_error(500)  # the first refresh fails once: retried
    sim.faults.ws_reject("QuotesSubscribe", 401, "Invalid JWT token!")  # refresh and retry
    sim.faults.http_error("/hyperion", 401, body="token expired", times=None)
    service = await make_service()
    await until(lambda: service.tokens is not None and service.tokens.expires_at, 3.0, "a JWT")
    texts += [repr(service), repr(service.tokens), str(service.status)]

    seen_modes: list[Mode] = []

    def crash_on_auth_failed(self: StatusBar, status: Any) -> None:
        seen_modes.append(status.mode)
        if status.mode is Mode.AUTH_FAILED:
            raise Crash(f"status line broke on {status!r}")
        original(self, status)

    def crash_on_key(self: AlorTUI) -> None:
        raise Crash(f"theme switch broke with {self.service!r} in {self.service_status!r}")

    original = StatusBar.show_status
    monkeypatch.setattr(StatusBar, "show_status", crash_on_auth_failed)  # planted UI bugs
    monkeypatch.setattr(AlorTUI, "action_next_theme", crash_on_key)
    app = AlorTUI(service, watchlists={"W": [SBER]}, theme="textual-dark")
    error: BaseException | None = None
    try:
        async with app.run_test(size=(160, 40)) as pilot:
            await until(lambda: "LIVE" in screen_text(app), 4.0, "LIVE")
            app.post_message(OpenDepth(SBER))
            await until(lambda: isinstance(app.screen, DepthScreen), 3.0, "depth")
            await pilot.pause(0.3)
            texts.append(screen_text(app))
            app.post_message(OpenInfo(SBER))
            await until(lambda: isinstance(app.screen, InfoScreen), 3.0, "info")
            await pilot.pause(0.5)
            texts.append(screen_text(app))
            app.save_screenshot(path=str(tmp_path), filename="info.svg")
            await sim.faults.drop_all()  # a reconnect: every subscription re-sent with a JWT
            await until(lambda: service.status.counters.reconnects >= 1
                        and service.status.link is Link.CONNECTED, 3.0, "reconnected")
            await pilot.pause(0.3)  # the re-subscriptions go out and are confirmed
            texts.append(screen_text(app))
            # A wrong refresh token is pasted: refused (403), AUTH FAILED, then DELAYED.
            await service.use_token(WRONG)
            await until(lambda: service.status.mode is Mode.DELAYED, 4.0, "DELAYED")
            assert Mode.AUTH_FAILED in seen_modes  # the planted status-line bug was hit ...
            assert app.is_running  # ... and the app's guard logged it instead of dying
            texts.append(screen_text(app))
            await pilot.press("t")  # the planted action bug: Textual's crash screen
            await until(lambda: app._exception is not None, 3.0, "the crash")
    except Crash as exc:  # run_test re-raises the app's crash
        error = exc
    assert isinstance(error, Crash)
    texts.append(str(service.status))
    texts.append("".join(traceback.format_exception(error)))
    crash_screen = capsys.readouterr().err  # the crash screen Textual prints at exit
    assert "theme switch broke" in crash_screen  # the traceback, with its locals
    texts.append(crash_screen)

    secrets = [REFRESH, WRONG, *jwts]
    assert len(jwts) >= 3, "the test must have made the simulator issue several JWTs"
    files = written_files(tmp_path)
    assert "DEBUG" in files[log_file] and any(p.suffix == ".svg" for p in files)
    for path, content in files.items():
        assert not leaks(content, secrets), path
    for text in texts:
        assert not leaks(text, secrets), text[:300]
