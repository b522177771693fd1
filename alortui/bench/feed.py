"""The scripted feed of a scenario: plausible values, each carrying a marker, sent on schedule.

:class:`Script` makes the values (a price that wanders a few ticks, a fresh marker in each quote's
volume, each trade's size and the best bid's volume, see :mod:`alortui.bench.markers`);
:class:`SteadyFeed` sends them at the scenario's rates and notes when each marker left;
:func:`saturation_items` is the same mix back to back, for the ingest measurement.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import random
import time
from collections.abc import Sequence
from typing import Any, Literal

from alortui.bench.markers import (
    BOOK_MARKERS,
    QUOTE_MARKERS,
    TRADE_MARKERS,
    MarkerLedger,
    MarkerSource,
)
from alortui.bench.scenarios import Scenario
from alortui.models import InstrumentKey, OrderBook, PriceLevel, Quote, Side, Trade
from alortui.sim.scripted_feed import FeedPublisher, ScriptedMarket
from alortui.sim.spec import InstrumentSpec

STEP = 0.005
"""Seconds between two sends of the steady feed: rates are kept to within one step."""
WANDER = 30
"""Ticks a price may wander from where it started."""
DEEP_BID = (1_000_000, 9_999_999)
"""Volumes of bid levels behind the best: above any marker (see markers.py)."""
ASK_MAX = 1_999
"""Largest ask level volume: 50 levels stay below 100 000 together, under every marker."""
SIZE_MAX = 9_999

Kind = Literal["quotes", "book", "trades"]
Item = tuple[Kind, InstrumentKey, Quote | OrderBook | Trade, int]
"""A scripted value: its stream, instrument, model and marker."""


class Script:
    """Deterministic values for ``specs`` on ``market``, starting from the model's quotes."""

    def __init__(self, market: ScriptedMarket, specs: Sequence[InstrumentSpec], seed: int = 1):
        self._rng = random.Random(seed)
        self._specs = {spec.key: spec for spec in specs}
        self._quotes = {spec.key: market.quote(spec.key) for spec in specs}
        self._start = {k: spec.to_ticks(self._quotes[k].last or spec.ref_price)
                       for k, spec in self._specs.items()}
        self._ticks = dict(self._start)
        self._levels: dict[InstrumentKey, tuple[list[int], list[int]]] = {}
        self._markers = {"quotes": MarkerSource(QUOTE_MARKERS), "book": MarkerSource(BOOK_MARKERS),
                         "trades": MarkerSource(TRADE_MARKERS)}
        self._trade_ids = itertools.count(90_000_000_000)

    def _wander(self, key: InstrumentKey) -> int:
        ticks = self._ticks[key] + self._rng.choice((-1, 0, 0, 1))
        start = self._start[key]
        self._ticks[key] = ticks = max(start - WANDER, min(start + WANDER, ticks))
        return ticks

    def quote(self, key: InstrumentKey) -> Item:
        """A new quote of ``key``; the marker is its day volume."""
        spec, ticks, rng = self._specs[key], self._wander(key), self._rng
        marker = self._markers["quotes"].take()
        old = self._quotes[key]
        last, prev = spec.price(ticks), old.prev_close or spec.price(self._start[key])
        change = round(last - prev, spec.decimals)
        now = time.time()
        quote = dataclasses.replace(
            old, key=key, last=last, last_time=now, bid=spec.price(ticks - 1),
            ask=spec.price(ticks + 1), bid_size=float(rng.randint(1, SIZE_MAX)),
            ask_size=float(rng.randint(1, SIZE_MAX)), volume=float(marker), change=change,
            change_percent=round(change / prev * 100, 2) if prev else None,
            high=max(old.high or last, last), low=min(old.low or last, last), book_time=now,
        )
        self._quotes[key] = quote
        return "quotes", key, quote, marker

    def book(self, key: InstrumentKey, depth: int) -> Item:
        """A new full book of ``depth`` levels; the marker is the best bid's volume."""
        spec, rng, mid = self._specs[key], self._rng, self._ticks[key]
        bids, asks = self._levels.setdefault(key, (
            [rng.randint(*DEEP_BID) for _ in range(depth)],
            [rng.randint(1, ASK_MAX) for _ in range(depth)],
        ))
        for _ in range(2):  # a few levels change between two books, as on a real exchange
            bids[rng.randrange(depth)] = rng.randint(*DEEP_BID)
            asks[rng.randrange(depth)] = rng.randint(1, ASK_MAX)
        marker = self._markers["book"].take()
        book = OrderBook(
            bids=tuple(PriceLevel(spec.price(mid - 1 - i), float(marker if i == 0 else volume))
                       for i, volume in enumerate(bids)),
            asks=tuple(PriceLevel(spec.price(mid + 1 + i), float(v)) for i, v in enumerate(asks)),
            time=time.time(), existing=False, key=key,
        )
        return "book", key, book, marker

    def trade(self, key: InstrumentKey) -> Item:
        """A new trade at or next to the current price; the marker is its size."""
        spec = self._specs[key]
        marker = self._markers["trades"].take()
        ticks = self._ticks[key] + self._rng.choice((-1, 1))
        trade = Trade(
            id=next(self._trade_ids), price=spec.price(ticks),
            qty=float(marker), side=self._rng.choice((Side.BUY, Side.SELL)), time=time.time(),
            symbol=key.symbol, board=key.board,
        )
        return "trades", key, trade, marker


def publish(publisher: FeedPublisher, items: Sequence[Item], ledger: MarkerLedger) -> int:
    """Send ``items`` to every subscriber and note their markers as sent now."""
    at = time.monotonic()
    sent = publisher.publish(**grouped(items))
    for kind, key, _, marker in items:
        ledger.sent(kind, key, marker, at)
    return sent


def grouped(items: Sequence[Item]) -> dict[str, Any]:
    """``items`` as the keyword arguments of :meth:`FeedPublisher.publish`."""
    trades: dict[InstrumentKey, list[Trade]] = {}
    for kind, key, value, _ in items:
        if kind == "trades":
            trades.setdefault(key, []).append(value)  # type: ignore[arg-type]
    return {
        "quotes": [value for kind, _, value, _ in items if kind == "quotes"],
        "books": [value for kind, _, value, _ in items if kind == "book"],
        "trades": trades,
    }


class SteadyFeed:
    """Sends ``scenario``'s quotes (round the watchlist), books and trades at its rates."""

    def __init__(self, scenario: Scenario, script: Script, keys: Sequence[InstrumentKey],
                 publisher: FeedPublisher, ledger: MarkerLedger) -> None:
        self._scenario, self._script, self._keys = scenario, script, keys
        self._publisher, self._ledger = publisher, ledger
        self.frames = 0
        """Frames queued for the app so far."""

    async def run(self) -> None:
        """Send until cancelled."""
        scenario, keys = self._scenario, self._keys
        rates = (scenario.quote_rate, scenario.book_rate, scenario.trade_rate)
        done = [0, 0, 0]
        rotation = itertools.cycle(keys)
        start = time.monotonic()
        while True:
            elapsed = time.monotonic() - start
            due = [int(elapsed * rate) - sent for rate, sent in zip(rates, done, strict=True)]
            items = [self._script.quote(next(rotation)) for _ in range(due[0])]
            items += [self._script.book(keys[0], scenario.book_depth) for _ in range(due[1])]
            items += [self._script.trade(keys[0]) for _ in range(due[2])]
            done = [sent + more for sent, more in zip(done, due, strict=True)]
            if items:
                self.frames += publish(self._publisher, items, self._ledger)
            await asyncio.sleep(STEP)


def saturation_items(scenario: Scenario, script: Script, keys: Sequence[InstrumentKey],
                     count: int) -> list[Item]:
    """``count`` items in the scenario's mix, ending with one the screen shows: a trade on the
    depth screen's tape, else a quote of the watchlist's first row."""
    weights = [scenario.quote_rate or 1.0, scenario.book_rate, scenario.trade_rate]
    total = sum(weights)
    made, items = [0, 0, 0], []
    rotation = itertools.cycle(keys)
    for n in range(1, count):
        # The kind furthest behind its share goes next, so the mix holds at every length.
        kind = max(range(3), key=lambda k: weights[k] * n / total - made[k])
        made[kind] += 1
        if kind == 0:
            items.append(script.quote(next(rotation)))
        elif kind == 1:
            items.append(script.book(keys[0], scenario.book_depth))
        else:
            items.append(script.trade(keys[0]))
    items.append(script.trade(keys[0]) if scenario.book_depth else script.quote(keys[0]))
    return items
