"""User settings: what alortui keeps between runs, where it keeps them, command-line overrides.

The values live in ``$XDG_CONFIG_HOME/alortui/config.toml`` (``~/.config/alortui/config.toml``
when the variable is unset); :mod:`alortui.configfile` reads and writes that file. The refresh
token is never a setting (see :mod:`alortui.tokens`).

Core module: no Textual.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from alortui.alor.endpoints import check_url as check_endpoint_url
from alortui.models import InstrumentKey

ENVIRONMENTS = ("prod", "dev")
"""ALOR's production and test environments (alor-api.md 1.1)."""

DEFAULT_WATCHLIST_NAME = "default"
CLI_WATCHLIST_NAME = "command-line"
"""Name of the watchlist made from ``--watchlist``; it becomes the active one for that run."""

DEFAULT_WATCHLIST = (
    "MOEX:SBER",
    "MOEX:GAZP",
    "MOEX:LKOH",
    "MOEX:ROSN",
    "MOEX:NVTK",
    "MOEX:GMKN",
    "MOEX:TATN",
    "MOEX:PLZL",
    "MOEX:MGNT",
    "MOEX:VTBR",
    "MOEX:MOEX",
    "MOEX:AFLT",
)
"""Liquid MOEX shares on their primary board (TQBR)."""

URL_SCHEMES = {
    "api_url": ("https", "http"),
    "ws_url": ("wss", "ws"),
    "oauth_url": ("https", "http"),
}

"""Endpoint setting name -> accepted URL schemes."""


def config_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_CONFIG_HOME/alortui``, else ``~/.config/alortui``.

    A relative ``XDG_CONFIG_HOME`` is ignored, as the XDG Base Directory spec requires.
    """
    base = environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".config"
    return root / "alortui"


def default_config_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The config file used when ``--config`` is not given."""
    return config_dir(environ) / "config.toml"


@dataclass
class EndpointSettings:
    """Which ALOR environment to talk to; an explicit URL wins over the environment's."""

    env: str = "prod"
    api_url: str | None = None
    ws_url: str | None = None
    oauth_url: str | None = None

    def overrides(self) -> dict[str, str]:
        """The URLs set explicitly, as keyword arguments for ``Endpoints.override``."""
        urls = {"api_url": self.api_url, "ws_url": self.ws_url, "oauth_url": self.oauth_url}
        return {name: url for name, url in urls.items() if url is not None}


@dataclass
class UiSettings:
    """Display preferences; empty or ``None`` means the UI's own default."""

    columns: list[str] = field(default_factory=list)
    """Watchlist columns in order."""
    sort: str | None = None
    """Column the watchlist is sorted by; ``None`` keeps the listed order."""


def _default_watchlists() -> dict[str, list[str]]:
    return {DEFAULT_WATCHLIST_NAME: list(DEFAULT_WATCHLIST)}


@dataclass
class Settings:
    """Everything alortui keeps between runs."""

    endpoints: EndpointSettings = field(default_factory=EndpointSettings)
    watchlists: dict[str, list[str]] = field(default_factory=_default_watchlists)
    """Watchlist name -> instrument keys as ``EXCHANGE:SYMBOL[:BOARD]`` strings, in order."""
    active_watchlist: str = DEFAULT_WATCHLIST_NAME
    theme: str | None = None
    """Theme name; ``None`` means the app's default theme."""
    ui: UiSettings = field(default_factory=UiSettings)
    portfolio: str | None = None
    """Portfolio id to show (e.g. ``D12345``); ``None`` means none chosen yet."""
    token_file: Path | None = None
    """Refresh-token file; ``None`` means the default path (see :mod:`alortui.tokens`)."""

    def watchlist(self, name: str | None = None) -> list[InstrumentKey]:
        """The keys of watchlist ``name`` (default: the active one); unknown name -> empty."""
        items = self.watchlists.get(name or self.active_watchlist, [])
        return [InstrumentKey.parse(item) for item in items]


def check_url(name: str, value: str, label: str) -> str:
    """Validate endpoint URL setting ``name`` (``api_url``, ``ws_url``, ``oauth_url``).

    Args:
        name: The setting.
        value: The URL as given.
        label: Where it came from, named in the error (``--api-url``, ``endpoints.api_url``).

    Returns:
        The URL without a trailing slash.

    Raises:
        ValueError: not a usable URL of the setting's schemes.
    """
    return check_endpoint_url(value, option=label, schemes=URL_SCHEMES[name])


def parse_watchlist(text: str) -> list[InstrumentKey]:
    """Parse ``MOEX:SBER,MOEX:GAZP:TQBR,...`` (empty items skipped, duplicates dropped).

    Raises:
        ValueError: an item is not ``EXCHANGE:SYMBOL[:BOARD]`` or the list is empty.
    """
    keys: list[InstrumentKey] = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        key = InstrumentKey.parse(item)
        if key not in keys:
            keys.append(key)
    if not keys:
        raise ValueError("the watchlist is empty; expected EXCHANGE:SYMBOL[:BOARD],...")
    return keys


def with_overrides(
    settings: Settings,
    *,
    env: str | None = None,
    urls: Mapping[str, str | None] | None = None,
    theme: str | None = None,
    token_file: Path | None = None,
    watchlist: Sequence[InstrumentKey] | None = None,
    portfolio: str | None = None,
) -> Settings:
    """Settings with command-line choices applied; ``None`` means "keep the file's value".

    A ``watchlist`` becomes the active watchlist :data:`CLI_WATCHLIST_NAME`.
    """
    given = {name: url for name, url in (urls or {}).items() if url is not None}
    endpoints = replace(settings.endpoints, env=env or settings.endpoints.env, **given)
    watchlists = dict(settings.watchlists)
    active = settings.active_watchlist
    if watchlist:
        watchlists[CLI_WATCHLIST_NAME] = [str(key) for key in watchlist]
        active = CLI_WATCHLIST_NAME
    return replace(
        settings,
        endpoints=endpoints,
        watchlists=watchlists,
        active_watchlist=active,
        theme=theme or settings.theme,
        token_file=token_file or settings.token_file,
        portfolio=portfolio or settings.portfolio,
    )
