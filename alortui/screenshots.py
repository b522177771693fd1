"""``alortui screenshots``: the README's SVGs, rendered by the app itself from the simulator.

Each scene (:mod:`alortui.screenshots_scenes`) runs exactly what ``alortui --demo`` runs — the
simulated exchange on loopback, aiohttp, the :class:`~alortui.service.service.MarketData`
service and :class:`~alortui.ui.app.AlorTUI` — headless through Textual's ``App.run_test``.

The output is byte-identical between runs of the same code because nothing on screen depends on
wall time: the market, the simulator's JWTs, the service and the app all read one
:class:`~alortui.sim.clock.ManualClock` that never moves, so the seeded market has one state and
ages, latencies and the exchange clock are the same every time. What is left is *when* the data
has arrived; :func:`_settle` captures only once the screen shows the scene's texts and no
placeholder, the app holds the service's latest status, and neither the traffic to the
simulator nor the picture has changed for :data:`QUIET` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
import re
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from pathlib import Path

import aiohttp
from rich.cells import cell_len
from textual.pilot import Pilot

from alortui.alor.endpoints import Endpoints
from alortui.alor.redact import Secret
from alortui.models import InstrumentKey
from alortui.screenshots_scenes import NOT_READY, SCENES, SEED, START, WATCHLISTS, Scene
from alortui.service.service import MarketData
from alortui.sim.clock import ManualClock
from alortui.sim.server import SimExchange
from alortui.ui.app import AlorTUI

log = logging.getLogger(__name__)

POLL = 0.05
"""Seconds between looks at the screen while waiting for it to settle."""
QUIET = 0.6
"""Seconds the screen and the traffic must stay unchanged: well above the status line's 4 Hz
sampling and the app's pause between background requests (0.2 s), so a screen that is still
loading never looks settled."""
TIMEOUT = 60.0
"""Seconds a scene may take to settle before the run fails."""
PARALLEL = 4
"""Scenes rendered at the same time."""

_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)"[^>]*>([^<]*)</text>')
"""One run of terminal text in Rich's SVG export (the window title has no ``textLength``)."""


class ScreenshotError(Exception):
    """A screenshot could not be made: an unknown scene, or a screen that never settled."""


def render_screenshots(out_dir: Path, names: Sequence[str] | None = None) -> list[Path]:
    """Render the README's scenes (:data:`SCENES`) into ``out_dir``: ``alortui screenshots``.

    Args:
        out_dir: Where the SVGs go (created if missing); files of the same name are replaced.
        names: Scene names to render; ``None`` or empty renders every scene.

    Returns:
        The files written, in scene order.

    Raises:
        ScreenshotError: An unknown scene name, or a scene did not settle in time.
        OSError: ``out_dir`` cannot be created or written.
    """
    return render(out_dir, pick_scenes(names))


def pick_scenes(names: Sequence[str] | None) -> list[Scene]:
    """The scenes called ``names`` (all of them when none are given), in the order given."""
    if not names:
        return list(SCENES)
    by_name = {scene.name: scene for scene in SCENES}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ScreenshotError(
            f"unknown scene {', '.join(unknown)}; the scenes are: {', '.join(by_name)}")
    return [by_name[name] for name in dict.fromkeys(names)]


def render(out_dir: Path, scenes: Sequence[Scene], *,
           watchlists: Mapping[str, Sequence[InstrumentKey]] = WATCHLISTS) -> list[Path]:
    """Render ``scenes`` with ``watchlists`` into ``out_dir`` as ``{name}.svg``, in order.

    Scenes are independent (each has its own simulator, port and app) and most of a scene's
    time is spent waiting for the app's paced background requests, so :data:`PARALLEL` of them
    run side by side.
    """
    out_dir.mkdir(parents=True, exist_ok=True)

    async def render_all() -> list[Path]:
        slots = asyncio.Semaphore(PARALLEL)

        async def one(scene: Scene) -> Path:
            async with slots:
                svg = await capture(scene, watchlists=watchlists)
            path = out_dir / scene.filename
            # Bytes, not text mode: no newline translation, the same file on every platform.
            path.write_bytes(svg.encode("utf-8"))
            log.info("wrote %s (%s)", path, scene.caption)
            return path

        return list(await asyncio.gather(*(one(scene) for scene in scenes)))

    with _full_colour():
        return asyncio.run(render_all())


async def capture(scene: Scene, *,
                  watchlists: Mapping[str, Sequence[InstrumentKey]] = WATCHLISTS,
                  seed: int = SEED, start: float = START) -> str:
    """Run the demo stack on a frozen clock, play the scene's keys, return the SVG."""
    clock = ManualClock(start)
    async with _demo_service(clock, seed, anonymous=scene.anonymous) as (sim, service):
        app = AlorTUI(
            service,
            watchlists={name: list(keys) for name, keys in watchlists.items()},
            active_watchlist=scene.watchlist,
            theme=scene.theme,
            clock=clock.now,
        )

        def traffic() -> tuple[int, int, int]:
            return len(sim.log.http), len(sim.log.ws), service.status.counters.messages

        async with app.run_test(size=scene.size) as pilot:
            # Keys only once the watchlist is complete, as a user would: its data then always
            # arrives before the next screen's, so the status line's figures never interleave.
            first = watchlists[scene.watchlist][0].symbol
            await _settle(pilot, traffic, (first,), f"{scene.name} (watchlist)")
            if scene.keys:
                await pilot.press(*scene.keys)
            return await _settle(pilot, traffic, scene.expect, scene.name)


@contextlib.asynccontextmanager
async def _demo_service(clock: ManualClock, seed: int, *,
                        anonymous: bool) -> AsyncIterator[tuple[SimExchange, MarketData]]:
    """The simulator and the service bound to it, as ``alortui --demo [--anonymous]`` has them."""
    # The simulator signs JWTs on the same frozen clock the service checks them with.
    async with (SimExchange(seed=seed, clock=clock, token_clock=clock.now) as sim,
                aiohttp.ClientSession() as session):
        endpoints = Endpoints(api_url=sim.api_url, ws_url=sim.ws_url, oauth_url=sim.oauth_url)
        token = None if anonymous else Secret(sim.refresh_token)
        async with MarketData(session, endpoints, refresh_token=token, demo=True,
                              clock=clock.now) as service:
            yield sim, service


async def _settle(pilot: Pilot[None], traffic: Callable[[], tuple[int, ...]],
                  expect: Sequence[str], what: str) -> str:
    """The app's SVG once it is complete and has stopped changing (see the module docstring)."""
    app = pilot.app
    assert isinstance(app, AlorTUI)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    previous: tuple[str, tuple[int, ...]] | None = None
    since = loop.time()
    while True:
        await pilot.pause(POLL)
        svg = app.export_screenshot(simplify=True)
        text = svg_text(svg)
        ready = (all(part in text for part in expect)
                 and not any(part in text for part in NOT_READY)
                 and app.service_status == app.service.status)
        state = (svg, traffic())
        now = loop.time()
        if not ready or state != previous:
            previous, since = state, now
        elif now - since >= QUIET:
            return svg
        if now > deadline:
            missing = [part for part in expect if part not in text]
            showing = [part for part in NOT_READY if part in text]
            raise ScreenshotError(
                f"scene {what}: the screen did not settle within {TIMEOUT:.0f} s "
                f"(missing {missing}, still showing {showing})")


def svg_text(svg: str) -> str:
    """The text an exported screenshot shows, one string per non-blank line (for checks, tests).

    Rich's SVG leaves out blank runs and places each run by ``x``; the columns are rebuilt from
    those positions, so ``"DELAYED 15 MIN"`` reads the same as on the terminal.
    """
    lines: dict[float, list[tuple[int, str]]] = {}
    for x, y, length, raw in _SVG_TEXT.findall(svg):
        text = html.unescape(raw).replace("\xa0", " ")
        if not (cells := cell_len(text)):
            continue
        column = round(float(x) / (float(length) / cells))
        lines.setdefault(float(y), []).append((column, text))
    rows = []
    for _, runs in sorted(lines.items()):
        row = ""
        for column, text in sorted(runs):
            row = row.ljust(column) + text
        rows.append(row.rstrip())
    return "\n".join(rows)


@contextlib.contextmanager
def _full_colour() -> Iterator[None]:
    """Hide ``NO_COLOR`` while rendering: the README shows the themes, not the user's terminal.

    Textual removes ``NO_COLOR`` from the environment when an app starts; it is put back after.
    """
    saved = os.environ.pop("NO_COLOR", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["NO_COLOR"] = saved
