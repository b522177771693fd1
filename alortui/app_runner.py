"""Start the terminal app: the embedded exchange (demo), the data service, then the UI.

Everything here lives on one asyncio loop: the simulator (for ``--demo``), the aiohttp session,
the :class:`~alortui.service.service.MarketData` service and the Textual app, which receives the
service in its constructor (style.md 2, "Inject, don't reach"). Leaving the app closes them in
reverse order.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from alortui import configfile
from alortui.alor.endpoints import Endpoints
from alortui.alor.redact import Secret
from alortui.config import CLI_WATCHLIST_NAME, Settings, config_dir
from alortui.models import InstrumentKey
from alortui.service.service import MarketData
from alortui.tokens import RefreshToken

log = logging.getLogger(__name__)

START_UP_SECONDS = 5.0
"""After this long the app has built what it keeps: screens, first data, reference data."""


@dataclass(frozen=True, slots=True)
class Connection:
    """Where the service connects and with which refresh token (``None``: anonymous)."""

    endpoints: Endpoints
    refresh_token: Secret | None
    demo: bool


def run_app(settings: Settings, *, token: RefreshToken | None, demo: bool, anonymous: bool,
            config_path: Path | None = None) -> int:
    """Run the app until the user quits; returns the process exit code.

    Args:
        settings: Loaded settings with command-line overrides applied.
        token: The user's refresh token (never read in demo mode).
        demo: Run against the embedded simulated exchange.
        anonymous: Use delayed anonymous polling even when a token is available.
        config_path: Where the user's edits (lists, theme, sort, columns) are saved; ``None``:
            the default.
    """
    return asyncio.run(_run(settings, token=token, demo=demo, anonymous=anonymous,
                            config_path=config_path))


async def _run(settings: Settings, *, token: RefreshToken | None, demo: bool, anonymous: bool,
               config_path: Path | None) -> int:
    from alortui.ui.app import AlorTUI  # the UI is imported only when it is going to run
    from alortui.ui.loopmon import lag_monitor  # loop-lag samples for `alortui bench`, if asked

    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(lag_monitor())
        connection = await stack.enter_async_context(
            _connection(settings, token=token, demo=demo, anonymous=anonymous))
        session = await stack.enter_async_context(aiohttp.ClientSession())
        service = MarketData(session, connection.endpoints,
                             refresh_token=connection.refresh_token, demo=connection.demo)
        await stack.enter_async_context(service)
        app = AlorTUI(
            service,
            settings=settings,
            watchlists={name: _keys(items) for name, items in settings.watchlists.items()},
            active_watchlist=settings.active_watchlist,
            theme=settings.theme,
            theme_dirs=[config_dir() / "themes"],
            sort=settings.ui.sort,
            columns=settings.ui.columns,
            portfolio=settings.portfolio,
            on_save=_saver(settings, config_path),
        )
        stack.callback(_freeze_after_start_up().cancel)
        await app.run_async()
        return app.return_code or 0
    return 0


@contextlib.asynccontextmanager
async def _connection(settings: Settings, *, token: RefreshToken | None, demo: bool,
                      anonymous: bool) -> AsyncIterator[Connection]:
    """ALOR's endpoints and the user's token, or a running simulator and its demo token."""
    if not demo:
        endpoints = Endpoints.for_env(settings.endpoints.env).override(
            **settings.endpoints.overrides())
        yield Connection(endpoints, None if anonymous or token is None else token.secret, False)
        return
    from alortui.sim.server import SimExchange

    async with SimExchange() as sim:
        endpoints = Endpoints(api_url=sim.api_url, ws_url=sim.ws_url, oauth_url=sim.oauth_url)
        yield Connection(endpoints, None if anonymous else Secret(sim.refresh_token), True)


def _keys(items: list[str]) -> list[InstrumentKey]:
    keys = []
    for item in items:
        try:
            keys.append(InstrumentKey.parse(item))
        except ValueError:
            log.warning("skipping watchlist entry that is not EXCHANGE:SYMBOL[:BOARD]")
    return keys


def _saver(settings: Settings, path: Path | None) -> Callable[..., None]:
    """The app's ``on_save``: fold its state into ``settings`` and write the config file."""

    def save(*, watchlists: dict[str, list[InstrumentKey]], active_watchlist: str,
             theme: str | None, sort: str | None, columns: list[str],
             portfolio: str | None = None) -> None:
        # A one-off --watchlist is not the user's to keep: it is never written back.
        settings.watchlists = {name: [str(key) for key in keys]
                               for name, keys in watchlists.items() if name != CLI_WATCHLIST_NAME}
        if active_watchlist != CLI_WATCHLIST_NAME:
            settings.active_watchlist = active_watchlist
        settings.theme = theme
        settings.ui.sort = sort
        settings.ui.columns = list(columns)
        settings.portfolio = portfolio or settings.portfolio
        configfile.save_settings(settings, path)

    return save


def _freeze_after_start_up() -> asyncio.TimerHandle:
    """Freeze what start-up built out of the cyclic garbage collector, once start-up is over.

    The DOM, styles, themes, caches (and the demo's market) live as long as the app, yet every
    full collection walked them all, about every three seconds and 70-100 ms each: the longest
    pauses of the event loop (``alortui bench``). Once only: what is frozen is never collected,
    so later garbage must stay collectable.
    """
    return asyncio.get_running_loop().call_later(START_UP_SECONDS, gc.freeze)
