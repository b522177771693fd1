"""The deterministic simulated market behind the embedded ALOR exchange.

:class:`Market` steps every instrument in fixed 50 ms steps up to ``clock.now()`` whenever it is
asked anything, so every read reflects the clock. :meth:`Market.advance` additionally hands
over what happened since the previous call (:class:`MarketEvents`), which is what the WebSocket
server pushes. A long clock jump is simulated finely only for its last
:data:`FINE_WINDOW_MS`; the rest is covered by a few coarse events, so no call takes long.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import replace

from alortui.models import (
    Candle,
    InstrumentChange,
    InstrumentInfo,
    InstrumentKey,
    MarketStatus,
    OrderBook,
    Quote,
    Security,
    Trade,
)
from alortui.sim import recall, reference
from alortui.sim.book import DEPTH
from alortui.sim.catalog import CATALOG
from alortui.sim.clock import Clock
from alortui.sim.events import MarketEvents, NoSuchInstrument, NoSuchMarket
from alortui.sim.instrument import TAPE_LENGTH, LiveInstrument
from alortui.sim.search import rank
from alortui.sim.snapshot import Snapshot, build_quote
from alortui.sim.spec import TRADING_STATUS_CLOSED, TRADING_STATUS_OPEN, InstrumentSpec

STEP_MS = 50
FINE_WINDOW_MS = 10_000
FIRST_TRADE_ID = 12_500_000_000
MARKETS = {"MOEX": ("FOND", "FORTS", "CURR"), "SPBX": ("SPBX",)}


class Market:
    """Every simulated instrument, driven by ``clock``.

    Args:
        seed: the same seed and the same clock readings give the same market.
        clock: the time source.
        open_market: start trading (status 17) or closed and frozen (status 18).
        instruments: what to list instead of the full :data:`CATALOG` (benchmarks, tests).
    """

    def __init__(
        self, seed: int, clock: Clock, *, open_market: bool = True,
        instruments: Sequence[InstrumentSpec] = CATALOG,
    ) -> None:
        self._clock = clock
        self._open = open_market
        live_from = self._step(clock.now()) // 60_000 * 60
        ids = itertools.count(FIRST_TRADE_ID)
        self._by_key = {
            spec.key: LiveInstrument(spec, seed, live_from, ids.__next__) for spec in instruments
        }
        if len(self._by_key) != len(instruments):
            raise ValueError("instrument keys must be unique")
        self._primary = {(k.exchange, k.symbol.upper()): k for k in self._by_key}
        self._t_ms = live_from * 1000
        self._quotes: dict[InstrumentKey, tuple[Snapshot, Quote]] = {}
        self._pending = MarketEvents(self.time)
        self._sync()  # the current minute so far, so the tape is not empty at start ...
        self._pending = MarketEvents(self.time)  # ... but that warm-up is not news

    @staticmethod
    def _step(now: float) -> int:
        return math.floor(now * 1000 / STEP_MS) * STEP_MS

    @property
    def time(self) -> float:
        """Unix seconds of the last simulated step."""
        return self._t_ms / 1000

    @property
    def is_open(self) -> bool:
        """Whether instruments trade."""
        return self._open

    def _sync(self) -> None:
        target = self._step(self._clock.now())
        if target <= self._t_ms:
            return  # a clock that went backwards pauses the market; it never rewinds
        fine_from = max(self._t_ms, target - FINE_WINDOW_MS)
        for key, inst in self._by_key.items():
            day = inst.day.start
            inst.run_until(target, fine_from, self._open)
            if inst.changed:
                inst.changed = False
                self._note_change(key, inst, day)
        self._t_ms = target

    def _note_change(self, key: InstrumentKey, inst: LiveInstrument, day: int) -> None:
        pending = self._pending
        pending.changed.add(key)
        if inst.new_trades:
            trades = pending.trades.setdefault(key, [])
            trades.extend(inst.new_trades)
            inst.new_trades.clear()
            del trades[:-TAPE_LENGTH]
        if inst.day.start != day:
            pending.instrument_changes[key] = reference.limits_change(inst.spec, inst.snapshot())

    def advance(self) -> MarketEvents:
        """Simulate up to ``clock.now()`` and return everything new since the last call."""
        self._sync()
        events, self._pending = self._pending, MarketEvents(self.time)
        events.time = self.time
        return events

    def set_open(self, open_market: bool) -> None:
        """Open (status 17) or close (status 18, prices frozen, no trades) every instrument."""
        self._sync()
        if open_market == self._open:
            return
        self._open = open_market
        status = self._status()
        for key, inst in self._by_key.items():
            if open_market:
                inst.resume(self._t_ms)
            self._pending.instrument_changes[key] = reference.status_change(key, status)

    def _status(self) -> int:
        return TRADING_STATUS_OPEN if self._open else TRADING_STATUS_CLOSED

    def _find(self, exchange: str, symbol: str, board: str | None) -> LiveInstrument | None:
        key = self._primary.get((exchange.upper(), symbol.upper()))
        if key is None or (board and board.upper() != (key.board or "").upper()):
            return None
        return self._by_key[key]

    def _get(self, key: InstrumentKey) -> LiveInstrument:
        inst = self._find(key.exchange, key.symbol, key.board)
        if inst is None:
            raise NoSuchInstrument(f"unknown instrument {key}")
        self._sync()
        return inst

    def instrument_keys(self) -> list[InstrumentKey]:
        """Every instrument's key (with board), in catalog order."""
        return list(self._by_key)

    def resolve(self, key: InstrumentKey) -> InstrumentKey:
        """The full key (symbol spelled as listed, board set) of ``key``.

        Raises:
            NoSuchInstrument: not listed (or not on that board).
        """
        return self._get(key).spec.key

    def securities(self) -> list[Security]:
        """Every instrument's security object, in catalog order."""
        self._sync()
        return [self._security(inst) for inst in self._by_key.values()]

    def _security(self, inst: LiveInstrument) -> Security:
        return reference.security(inst.spec, inst.snapshot(), self._status(), self.time)

    def lookup(self, exchange: str, symbol: str, board: str | None = None) -> Security | None:
        """One security (``board`` None: the primary board); the symbol's case is ignored."""
        inst = self._find(exchange, symbol, board)
        if inst is None:
            return None
        self._sync()
        return self._security(inst)

    def search(
        self, query: str, *, limit: int = 25, offset: int = 0, exchange: str | None = None,
        board: str | None = None, sector: str | None = None,
    ) -> list[Security]:
        """ALOR's instrument search (alor-api.md 2.2), most traded (day turnover) first.

        ``query`` matches a symbol prefix or a substring of the short name or description, case
        ignored; ``sector`` is the market (``FOND``, ``FORTS``, ``CURR``, ``SPBX``).
        """
        self._sync()
        found = rank(self._by_key.values(), query, exchange, board, sector)
        return [self._security(inst) for inst in found[offset : offset + limit]]

    def quote(self, key: InstrumentKey, *, at: float | None = None) -> Quote:
        """The quote now, or as it was at Unix time ``at`` (the 15-minute-delayed view).

        Raises:
            NoSuchInstrument: unknown key.
        """
        inst = self._get(key)
        if at is not None and at * 1000 < self._t_ms:
            return build_quote(inst.spec, recall.snapshot_at(inst, at), at)
        snap = inst.snapshot()
        cached = self._quotes.get(inst.spec.key)
        if cached is None or cached[0] is not snap:
            cached = (snap, build_quote(inst.spec, snap, self.time))
            self._quotes[inst.spec.key] = cached
        return cached[1]

    def order_book(self, key: InstrumentKey, depth: int = 20) -> OrderBook:
        """The current book, ``depth`` (1-50) levels per side, with ``existing`` True.

        Bond levels carry their yield (Slim ``y``, alor-api.md 2.10).
        """
        inst = self._get(key)
        bids, asks = inst.flow.book.snapshot(max(1, min(depth, DEPTH)), inst.spec.price)
        if inst.spec.bond is not None:
            bids, asks = reference.with_yields(inst.spec, bids, asks, self.time)
        return OrderBook(bids, asks, inst.book_time, True, inst.spec.key)

    def trades(self, key: InstrumentKey, *, last: int = 50) -> list[Trade]:
        """The last ``last`` trades of this session (at most 5000 are kept), oldest first."""
        tape = self._get(key).tape
        return list(tape)[-last:] if last > 0 else []

    def candles(self, key: InstrumentKey, tf: int, from_: float, to: float) -> list[Candle]:
        """Candles of ``tf`` seconds whose start lies in ``[from_, to]``, oldest first.

        Multiples of 86400 are daily-based (time = 00:00 UTC of the trading date), multiples of
        60 minute-based; other timeframes come from the kept trades (alor-api.md 2.7).

        Raises:
            ValueError: ``tf`` is not a positive whole number of seconds.
        """
        if int(tf) != tf or tf < 1:
            raise ValueError(f"timeframe must be a positive number of seconds, got {tf!r}")
        return recall.candles(self._get(key), int(tf), from_, to)

    def instrument_info(self, key: InstrumentKey) -> InstrumentInfo:
        """The GraphQL ``instrument`` node (alor-api.md 4)."""
        inst = self._get(key)
        return reference.instrument_info(inst.spec, inst.snapshot(), self._status(), self.time)

    def instrument_change(self, key: InstrumentKey) -> InstrumentChange:
        """Every field of ``InstrumentsGetAndSubscribeV2``'s first message (alor-api.md 3.5)."""
        inst = self._get(key)
        return reference.instrument_change(inst.spec, inst.snapshot(), self._status())

    def rename(self, key: InstrumentKey, *, short_name: str | None = None,
               description: str | None = None, full_name: str | None = None) -> None:
        """Test hook: give an instrument other names in every answer from now on (e.g.
        hostile text for the injection tests, issue 6); ``None`` keeps a name."""
        inst = self._get(key)
        names = {"short_name": short_name, "description": description, "full_name": full_name}
        inst.spec = replace(inst.spec, **{k: v for k, v in names.items() if v is not None})

    def status(self, exchange: str, market: str) -> MarketStatus:
        """``GET /md/status/{exchange}/{market}`` (alor-api.md 2.8).

        Raises:
            NoSuchMarket: the exchange has no such market.
        """
        if market.upper() not in MARKETS.get(exchange.upper(), ()):
            raise NoSuchMarket(f"unknown market {exchange}/{market}")
        return MarketStatus(market.upper(), "open" if self._open else "closed")
