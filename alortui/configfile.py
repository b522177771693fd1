"""The config file: read it (:mod:`tomllib`), validate it into :class:`Settings`, write it back.

A missing file means defaults; the file is created on the first save, atomically and owner-only
(mode 0600, via :mod:`alortui.tomlwrite`). A broken file raises :class:`ConfigError` naming the
file and, for a syntax error, the line and column. Unknown keys are logged and ignored, so a file
written by a newer alortui still loads.
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path
from typing import Any

from alortui.config import (
    ENVIRONMENTS,
    URL_SCHEMES,
    EndpointSettings,
    Settings,
    UiSettings,
    check_url,
    default_config_path,
)
from alortui.models import InstrumentKey
from alortui.tomlwrite import dump_toml, write_private

log = logging.getLogger(__name__)


class ConfigError(Exception):
    """The config file cannot be read, written, or holds a bad value; the message names it."""


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from ``path`` (default: :func:`default_config_path`).

    Raises:
        ConfigError: unreadable file, TOML syntax error (with line and column) or bad value.
    """
    path = path or default_config_path()
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        log.info("no config file at %s; using defaults", path)
        return Settings()
    except tomllib.TOMLDecodeError as exc:  # its message carries "(at line L, column C)"
        raise ConfigError(f"config file {path}: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        return _settings_from(data)
    except ValueError as exc:
        raise ConfigError(f"config file {path}: {exc}") from None


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write settings atomically, owner-only, creating the directory if needed.

    Returns:
        The path written.

    Raises:
        ConfigError: the file could not be written.
    """
    path = path or default_config_path()
    try:
        write_private(path, dump_toml(_settings_to_dict(settings)))
    except OSError as exc:
        raise ConfigError(f"cannot write config file {path}: {exc.strerror}") from None
    return path


def _settings_to_dict(settings: Settings) -> dict[str, Any]:
    endpoints = settings.endpoints
    return {
        "theme": settings.theme,
        "portfolio": settings.portfolio,
        "token_file": str(settings.token_file) if settings.token_file else None,
        "active_watchlist": settings.active_watchlist,
        "endpoints": {"env": endpoints.env, **endpoints.overrides()},
        "ui": {"columns": settings.ui.columns, "sort": settings.ui.sort},
        "watchlists": settings.watchlists,
    }


def _settings_from(data: dict[str, Any]) -> Settings:
    """Validate a parsed TOML document; ``ValueError`` names the offending key."""
    _warn_unknown(
        data,
        "",
        {"theme", "portfolio", "token_file", "active_watchlist", "endpoints", "ui", "watchlists"},
    )
    token_file = _get(data, "token_file", str)
    settings = Settings(
        endpoints=_endpoints_from(_get(data, "endpoints", dict) or {}),
        ui=_ui_from(_get(data, "ui", dict) or {}),
        theme=_get(data, "theme", str),
        portfolio=_get(data, "portfolio", str),
        token_file=Path(token_file).expanduser() if token_file else None,
    )
    watchlists = _watchlists_from(_get(data, "watchlists", dict) or {})
    if watchlists:
        settings.watchlists = watchlists
        settings.active_watchlist = next(iter(watchlists))
    active = _get(data, "active_watchlist", str)
    if active is not None:
        if active not in settings.watchlists:
            raise ValueError(f"active_watchlist {active!r} is not a table key in [watchlists]")
        settings.active_watchlist = active
    return settings


def _endpoints_from(table: dict[str, Any]) -> EndpointSettings:
    _warn_unknown(table, "endpoints.", {"env", *URL_SCHEMES})
    env = _get(table, "env", str, "endpoints.") or "prod"
    if env not in ENVIRONMENTS:
        raise ValueError(f"endpoints.env must be one of {', '.join(ENVIRONMENTS)}, got {env!r}")
    urls = {name: _get(table, name, str, "endpoints.") for name in URL_SCHEMES}
    checked = {
        name: check_url(name, url, f"endpoints.{name}")
        for name, url in urls.items()
        if url is not None
    }
    return EndpointSettings(env=env, **checked)


def _ui_from(table: dict[str, Any]) -> UiSettings:
    _warn_unknown(table, "ui.", {"columns", "sort"})
    columns = _get(table, "columns", list, "ui.") or []
    if not all(isinstance(column, str) for column in columns):
        raise ValueError("ui.columns must be a list of strings")
    return UiSettings(columns=columns, sort=_get(table, "sort", str, "ui."))


def _watchlists_from(table: dict[str, Any]) -> dict[str, list[str]]:
    watchlists: dict[str, list[str]] = {}
    for name, items in table.items():
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise ValueError(f"watchlists.{name} must be a list of strings")
        try:
            watchlists[name] = [str(InstrumentKey.parse(item)) for item in items]
        except ValueError as exc:
            raise ValueError(f"watchlists.{name}: {exc}") from None
    return watchlists


_TYPE_NAMES: dict[type, str] = {str: "a string", list: "an array", dict: "a table"}


def _get(table: dict[str, Any], key: str, kind: type, prefix: str = "") -> Any:
    value = table.get(key)
    if value is not None and not isinstance(value, kind):
        raise ValueError(f"{prefix}{key} must be {_TYPE_NAMES[kind]}")
    return value


def _warn_unknown(table: dict[str, Any], prefix: str, known: set[str]) -> None:
    for key in table.keys() - known:
        log.warning("config: ignoring unknown key %s%s", prefix, key)
