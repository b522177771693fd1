"""Settings values, the XDG path, and the config file's load/save round trip."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from alortui import config
from alortui.config import EndpointSettings, Settings, UiSettings
from alortui.configfile import ConfigError, load_settings, save_settings
from alortui.models import InstrumentKey


def test_config_path_follows_xdg_config_home(tmp_path: Path) -> None:
    environ = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert config.default_config_path(environ) == tmp_path / "alortui" / "config.toml"


def test_config_path_falls_back_to_dot_config_when_unset_or_relative() -> None:
    expected = Path.home() / ".config" / "alortui" / "config.toml"
    assert config.default_config_path({}) == expected
    assert config.default_config_path({"XDG_CONFIG_HOME": "relative/dir"}) == expected


def test_missing_file_gives_defaults_with_a_liquid_default_watchlist(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "absent.toml")
    assert settings == Settings()
    assert settings.endpoints.env == "prod"
    keys = settings.watchlist()
    assert InstrumentKey("MOEX", "SBER") in keys
    assert len(keys) >= 10


def test_save_then_load_round_trips_every_field(tmp_path: Path) -> None:
    settings = Settings(
        endpoints=EndpointSettings(env="dev", api_url="http://127.0.0.1:8765", ws_url=None),
        watchlists={"banks": ["MOEX:SBER", "MOEX:VTBR:TQBR"], 'odd "name" ü': ["SPBX:AAPL"]},
        active_watchlist="banks",
        theme="gruvbox",
        ui=UiSettings(columns=["symbol", "last"], sort="change_percent"),
        portfolio="D12345",
        token_file=tmp_path / "my token",
    )
    path = tmp_path / "cfg" / "config.toml"
    assert save_settings(settings, path) == path
    assert load_settings(path) == settings


def test_save_uses_the_xdg_path_and_writes_owner_only(tmp_path: Path) -> None:
    path = save_settings(Settings())
    assert path == tmp_path / "xdg-config" / "alortui" / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_settings() == Settings()


def test_save_replaces_the_file_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("theme = 'old'\n")
    path.chmod(0o644)
    save_settings(Settings(theme="new"), path)
    assert load_settings(path).theme == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_broken_toml_names_the_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "dark"\n[endpoints]\nenv = prod\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert str(path) in message
    assert "line 3" in message
    assert "column" in message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("theme = 3\n", "theme must be a string"),
        ("[endpoints]\nenv = 'staging'\n", "endpoints.env must be one of prod, dev"),
        ("[endpoints]\nws_url = 'https://x.example'\n", "endpoints.ws_url 'https://x.example'"),
        ("[watchlists]\nmain = ['MOEX:SBER', 'SBER']\n", "watchlists.main: expected"),
        ("[watchlists]\nmain = 'MOEX:SBER'\n", "watchlists.main must be a list of strings"),
        ("active_watchlist = 'nope'\n", "active_watchlist 'nope'"),
        ("[ui]\ncolumns = [1, 2]\n", "ui.columns must be a list of strings"),
        ("ui = 'wide'\n", "ui must be a table"),
    ],
)
def test_bad_values_are_config_errors_naming_file_and_key(
    tmp_path: Path, text: str, fragment: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="config file") as caught:
        load_settings(path)
    assert str(path) in str(caught.value)
    assert fragment in str(caught.value)


def test_non_utf8_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'theme = "\xff"\n')
    with pytest.raises(ConfigError, match=str(path)):
        load_settings(path)


def test_unknown_keys_are_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("future_option = 1\n[endpoints]\nenv = 'dev'\nproxy = 'x'\n")
    with caplog.at_level(logging.WARNING):
        settings = load_settings(path)
    assert settings.endpoints.env == "dev"
    assert "future_option" in caplog.text
    assert "endpoints.proxy" in caplog.text


def test_loaded_watchlist_keys_are_normalised_and_first_one_is_active(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[watchlists]\nfx = ['moex:USD000UTSTOM:CETS']\nmain = ['MOEX:SBER']\n")
    settings = load_settings(path)
    assert settings.watchlists["fx"] == ["MOEX:USD000UTSTOM:CETS"]
    assert settings.active_watchlist == "fx"


def test_token_file_key_expands_home(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("token_file = '~/secrets/alor'\n")
    assert load_settings(path).token_file == Path.home() / "secrets" / "alor"


def test_parse_watchlist_accepts_boards_skips_blanks_and_duplicates() -> None:
    keys = config.parse_watchlist(" MOEX:SBER, ,MOEX:GAZP:TQBR,MOEX:SBER,")
    assert keys == [InstrumentKey("MOEX", "SBER"), InstrumentKey("MOEX", "GAZP", "TQBR")]


@pytest.mark.parametrize("text", ["SBER", "MOEX:SBER,NYSE:IBM", "", " , "])
def test_parse_watchlist_rejects_bad_items(text: str) -> None:
    with pytest.raises(ValueError, match=r"EXCHANGE:SYMBOL|exchange"):
        config.parse_watchlist(text)


def test_check_url_accepts_matching_schemes_and_strips_trailing_slash() -> None:
    assert config.check_url("api_url", "https://apidev.alor.ru/", "x") == "https://apidev.alor.ru"
    assert config.check_url("ws_url", "ws://127.0.0.1:8765/ws", "x") == "ws://127.0.0.1:8765/ws"
    with pytest.raises(ValueError, match=r"--oauth-url 'oauth\.alor\.ru' is not usable"):
        config.check_url("oauth_url", "oauth.alor.ru", "--oauth-url")


def test_with_overrides_keeps_file_values_unless_given() -> None:
    base = Settings(endpoints=EndpointSettings(env="dev", oauth_url="https://o.example"))
    same = config.with_overrides(base, urls={"api_url": None})
    assert same == base
    changed = config.with_overrides(
        base,
        env="prod",
        urls={"ws_url": "wss://w.example/ws"},
        theme="nord",
        watchlist=[InstrumentKey("MOEX", "GAZP")],
        portfolio="D39004",
    )
    assert changed.endpoints == EndpointSettings(
        env="prod", ws_url="wss://w.example/ws", oauth_url="https://o.example"
    )
    assert changed.theme == "nord"
    assert changed.portfolio == "D39004"
    assert changed.active_watchlist == config.CLI_WATCHLIST_NAME
    assert changed.watchlist() == [InstrumentKey("MOEX", "GAZP")]
    assert base.watchlists == Settings().watchlists  # the input is not mutated


def test_endpoint_overrides_lists_only_explicit_urls() -> None:
    endpoints = EndpointSettings(env="dev", ws_url="ws://127.0.0.1:1/ws")
    assert endpoints.overrides() == {"ws_url": "ws://127.0.0.1:1/ws"}
