"""The command line: help, argument errors, and what `run` and `sim` hand to the parts they start.

The parts themselves (``alortui.app_runner``, ``alortui.sim.server``) are replaced by recording
fakes in ``sys.modules``, so these tests check the wiring without starting a TUI or a server.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from alortui.alor.redact import REDACTED
from alortui.cli import main
from alortui.config import CLI_WATCHLIST_NAME, Settings
from alortui.models import InstrumentKey

REFRESH = "5f0e2a77-cli-test-refresh-token"


@pytest.fixture
def app_calls(monkeypatch: pytest.MonkeyPatch, restore_logging: None) -> list[dict[str, Any]]:
    """Replace ``alortui.app_runner`` with a fake whose ``run_app`` records its arguments."""
    calls: list[dict[str, Any]] = []

    def run_app(settings: Settings, **kwargs: Any) -> int:
        logging.getLogger("alortui.app").info("got token %s", kwargs["token"] and REFRESH)
        calls.append({"settings": settings, **kwargs})
        return 0

    fake = types.ModuleType("alortui.app_runner")
    fake.run_app = run_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "alortui.app_runner", fake)
    return calls


def test_help_lists_every_command_and_the_token_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("run", "sim", "bench", "screenshots"):
        assert f"    {command} " in out
    for option in ("--env", "--api-url", "--ws-url", "--oauth-url", "--config", "--demo",
                   "--anonymous", "--watchlist", "--theme", "--log-file", "--verbose",
                   "--token-file", "--portfolio"):  # fmt: skip
        assert option in out
    assert "ALOR_REFRESH_TOKEN" in out
    assert "chmod 600" in out
    assert "config.toml" in out


@pytest.mark.parametrize(
    "argv",
    [["--token", REFRESH], [f"--token={REFRESH}"], ["run", "--refresh-token", REFRESH]],
)
def test_a_token_on_the_command_line_is_refused_without_echo(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "ALOR_REFRESH_TOKEN" in err
    assert REFRESH not in err


def test_options_cannot_be_abbreviated(app_calls: list[dict[str, Any]]) -> None:
    # With abbreviations, `--tok SECRET` would be read as `--token-file SECRET`.
    assert main(["--tok", REFRESH]) == 2
    assert main(["--dem"]) == 2
    assert app_calls == []


def test_sim_help_describes_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sim", "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--port", "--seed", "--refresh-token", "--jwt-lifetime"):
        assert option in out


def test_python_dash_m_alortui_help_runs_in_a_fresh_interpreter() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "alortui", "--help"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert "usage: alortui" in result.stdout


def test_help_imports_no_ui_code() -> None:
    # `--help`, `sim` and argument errors must not pay for importing Textual and the UI.
    code = (
        "import sys, contextlib, io\n"
        "from alortui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['--help'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('textual', 'alortui.ui'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("bad", ["SBER", "MOEX:SBER,NYSE:IBM", "MOEX:SBER:TQBR:X", ","])
def test_bad_watchlist_is_a_usage_error(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "--watchlist", bad]) == 2
    err = capsys.readouterr().err
    assert "argument --watchlist" in err
    assert "Traceback" not in err


def test_bad_endpoint_url_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--ws-url", "https://api.alor.ru/ws"]) == 2
    assert "argument --ws-url: --ws-url 'https://api.alor.ru/ws' is not usable" in (
        capsys.readouterr().err
    )


def test_demo_is_the_default_command(app_calls: list[dict[str, Any]]) -> None:
    assert main(["--demo"]) == 0
    assert main(["run", "--demo"]) == 0
    assert main(["--demo", "run"]) == 0
    assert [call["demo"] for call in app_calls] == [True, True, True]
    assert all(call["anonymous"] is False and call["token"] is None for call in app_calls)


def test_demo_does_not_read_the_real_token(
    app_calls: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALOR_REFRESH_TOKEN", REFRESH)
    leaky = tmp_path / "token"
    leaky.write_text(REFRESH)
    leaky.chmod(0o644)
    assert main(["--demo", "--anonymous", "--token-file", str(leaky)]) == 0
    assert app_calls[0]["token"] is None
    assert app_calls[0]["anonymous"] is True


def test_run_merges_config_file_and_options(
    app_calls: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("theme = 'nord'\nportfolio = 'D1'\n[endpoints]\nenv = 'dev'\n"
                      "oauth_url = 'http://o.test'\n")
    monkeypatch.setenv("ALOR_REFRESH_TOKEN", REFRESH)
    argv = ["--config", str(config), "--api-url", "http://a.test/", "--watchlist", "MOEX:GAZP",
            "--portfolio", "G39004"]
    assert main(argv) == 0
    call = app_calls[0]
    settings: Settings = call["settings"]
    assert settings.theme == "nord"
    assert settings.portfolio == "G39004"  # the option wins over the file's portfolio
    assert settings.endpoints.env == "dev"
    assert settings.endpoints.overrides() == {
        "api_url": "http://a.test",
        "oauth_url": "http://o.test",
    }
    assert settings.active_watchlist == CLI_WATCHLIST_NAME
    assert settings.watchlist() == [InstrumentKey("MOEX", "GAZP")]
    assert call["token"].secret.reveal() == REFRESH
    assert call["token"].origin == "$ALOR_REFRESH_TOKEN"
    assert (call["demo"], call["anonymous"]) == (False, False)


def test_without_a_token_run_is_anonymous(app_calls: list[dict[str, Any]]) -> None:
    assert main(["--env", "prod"]) == 0
    assert app_calls[0]["token"] is None
    assert app_calls[0]["anonymous"] is True


def test_exposed_token_file_stops_the_run_with_a_chmod_hint(
    app_calls: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = tmp_path / "token"
    token.write_text(REFRESH)
    token.chmod(0o644)
    assert main(["--token-file", str(token)]) == 1
    err = capsys.readouterr().err
    assert f"chmod 600 {token}" in err
    assert REFRESH not in err
    assert app_calls == []


def test_broken_config_is_one_line_without_traceback(
    app_calls: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[endpoints\n")
    assert main(["--demo", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"alortui: config file {config}: ")
    assert "line 1" in err
    assert "Traceback" not in err
    assert app_calls == []


def test_log_file_never_contains_the_refresh_token(
    app_calls: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALOR_REFRESH_TOKEN", REFRESH)
    log_file = tmp_path / "alortui.log"
    assert main(["--log-file", str(log_file), "-v"]) == 0
    text = log_file.read_text()
    assert f"got token {REDACTED}" in text
    assert "token=$ALOR_REFRESH_TOKEN" in text  # where it came from is fine to log
    assert REFRESH not in text


def test_missing_app_runner_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    monkeypatch.setitem(sys.modules, "alortui.app_runner", None)
    assert main(["--demo"]) == 1
    err = capsys.readouterr().err
    assert "alortui.app_runner is missing" in err
    assert "Traceback" not in err


def test_sim_passes_its_options_to_run_standalone(
    monkeypatch: pytest.MonkeyPatch, restore_logging: None
) -> None:
    calls: list[dict[str, Any]] = []
    fake = types.ModuleType("alortui.sim.server")
    fake.run_standalone = lambda **kwargs: calls.append(kwargs)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "alortui.sim.server", fake)
    argv = ["sim", "--port", "0", "--seed", "7", "--refresh-token", "t0k", "--jwt-lifetime", "5"]
    assert main(argv) == 0
    assert main(["sim"]) == 0
    assert calls == [
        {"port": 0, "seed": 7, "refresh_token": "t0k", "jwt_lifetime": 5.0},
        {"port": 8765, "seed": 1, "refresh_token": None, "jwt_lifetime": 1800.0},
    ]


def test_sim_reports_a_taken_port_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    def run_standalone(**kwargs: Any) -> None:
        raise OSError(98, "Address already in use")

    fake = types.ModuleType("alortui.sim.server")
    fake.run_standalone = run_standalone  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "alortui.sim.server", fake)
    assert main(["sim", "--port", "8765"]) == 1
    assert capsys.readouterr().err == "alortui: simulator: Address already in use\n"
