"""A scripted feed for the simulated exchange: live values set from outside, pushed at once.

The benchmark (``alortui bench``) needs a feed it controls exactly: which instrument changes,
how often, and with which value, so it can find each value again on the screen. Two pieces:

* :class:`ScriptedMarket` is a :class:`~alortui.sim.market.Market` whose live quotes, order books
  and tapes are whatever was last set. Reference data, search, instrument info and candle history
  stay the model's, so every HTTP, GraphQL and ``/ws`` snapshot path works unchanged. Its
  :meth:`~ScriptedMarket.advance` reports nothing, so the exchange's own ticker stays quiet.
* :class:`FeedPublisher` sets values and sends each to the live subscriptions of a running
  :class:`~alortui.sim.server.SimExchange` through the subscriptions' own encoders. It stands in
  for ALOR's per-subscription conflation (alor-api.md 3.6): the script decides the rate, whatever
  ``frequency`` the client asked for.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from alortui.models import InstrumentKey, OrderBook, Quote, Trade
from alortui.sim.catalog import CATALOG
from alortui.sim.encode import encode_trade
from alortui.sim.events import MarketEvents
from alortui.sim.instrument import TAPE_LENGTH
from alortui.sim.market import Market
from alortui.sim.streams import OrderBookStream, QuoteStream, Subscription, TradeStream

if TYPE_CHECKING:
    from alortui.sim.clock import Clock
    from alortui.sim.server import SimExchange
    from alortui.sim.spec import InstrumentSpec
    from alortui.sim.ws_conn import WsConnection

Send = Callable[[bytes], None]

PUMP_WINDOW = 4000
"""Most frames :meth:`FeedPublisher.pump` keeps queued on a connection: under the 5000 after
which the exchange drops a slow reader (alor-api.md 3.8), and half of it, refilled every
millisecond, keeps the writer busy at 200 000 frames/s."""


class ScriptedMarket(Market):
    """A market whose live quotes, books and trades come from a script.

    An instrument without a scripted value falls back to the model (its random walk).
    """

    def __init__(self, seed: int, clock: Clock, *, open_market: bool = True,
                 instruments: Sequence[InstrumentSpec] = CATALOG) -> None:
        super().__init__(seed, clock, open_market=open_market, instruments=instruments)
        self._clock_now = clock.now
        self._live_quotes: dict[InstrumentKey, Quote] = {}
        self._books: dict[InstrumentKey, OrderBook] = {}
        self._tapes: dict[InstrumentKey, deque[Trade]] = {}

    def advance(self) -> MarketEvents:
        """Nothing happens unless scripted: the ticker finds no news (and costs no model steps)."""
        return MarketEvents(self._clock_now())

    def set_quote(self, quote: Quote) -> None:
        """Make ``quote`` the current quote of ``quote.key`` (a key with its board)."""
        self._live_quotes[quote.key] = quote

    def set_order_book(self, book: OrderBook) -> None:
        """Make ``book`` (with ``key`` set) the current full book of its instrument."""
        if book.key is None:
            raise ValueError("a scripted order book needs its key")
        self._books[book.key] = book

    def add_trades(self, key: InstrumentKey, trades: Iterable[Trade]) -> None:
        """Append ``trades`` (oldest first) to the tape of ``key``."""
        self._tapes.setdefault(key, deque(maxlen=TAPE_LENGTH)).extend(trades)

    def quote(self, key: InstrumentKey, *, at: float | None = None) -> Quote:
        scripted = self._live_quotes.get(key) if at is None else None
        return scripted if scripted is not None else super().quote(key, at=at)

    def order_book(self, key: InstrumentKey, depth: int = 20) -> OrderBook:
        book = self._books.get(key)
        if book is None:
            return super().order_book(key, depth)
        depth = max(1, depth)
        if len(book.bids) <= depth and len(book.asks) <= depth:
            return book
        return dataclasses.replace(book, bids=book.bids[:depth], asks=book.asks[:depth])

    def trades(self, key: InstrumentKey, *, last: int = 50) -> list[Trade]:
        tape = self._tapes.get(key)
        if tape is None:
            return super().trades(key, last=last)
        return list(tape)[-last:] if last > 0 else []


Listeners = dict[tuple[type[Subscription], InstrumentKey], list[tuple[Subscription, Send]]]


class FeedPublisher:
    """Sends scripted values to whoever subscribed to them on ``sim``'s ``/ws`` connections.

    Args:
        sim: A started exchange serving ``market``.
        market: The scripted market whose state each published value becomes.
    """

    def __init__(self, sim: SimExchange, market: ScriptedMarket) -> None:
        self._sim = sim
        self._market = market

    def publish(self, *, quotes: Iterable[Quote] = (), books: Iterable[OrderBook] = (),
                trades: Mapping[InstrumentKey, Sequence[Trade]] | None = None,
                connection: WsConnection | None = None) -> int:
        """Set each value and send it to every live subscription of its kind and instrument.

        Args:
            connection: Only this connection's subscriptions (``None``: every connection).

        Returns:
            The number of frames queued.
        """
        conns = [connection] if connection is not None else self._sim.ws.connections
        return self.encode(quotes=quotes, books=books, trades=trades,
                           listeners=_listeners(conns, None))

    def encode(self, *, quotes: Iterable[Quote] = (), books: Iterable[OrderBook] = (),
               trades: Mapping[InstrumentKey, Sequence[Trade]] | None = None,
               listeners: Listeners) -> int:
        """Like :meth:`publish`, to the senders in ``listeners`` (see :meth:`collector`)."""
        sent = 0
        for quote in quotes:
            self._market.set_quote(quote)
            for sub, send in listeners.get((QuoteStream, quote.key), ()):
                sub.send_latest(send)  # type: ignore[attr-defined]
                sent += 1
        for book in books:
            self._market.set_order_book(book)
            for sub, send in listeners.get((OrderBookStream, book.key), ()):  # type: ignore[arg-type]
                sub.send_latest(send)  # type: ignore[attr-defined]
                sent += 1
        for key, batch in (trades or {}).items():
            self._market.add_trades(key, batch)
            for sub, send in listeners.get((TradeStream, key), ()):
                for trade in batch:
                    sub.emit(encode_trade(dataclasses.replace(trade, existing=False), sub.fmt),
                             send)
                    sub.last_id = max(sub.last_id, trade.id)  # type: ignore[attr-defined]
                    sent += 1
        return sent

    def collector(self, connection: WsConnection, frames: list[bytes]) -> Listeners:
        """Listeners of ``connection`` whose frames are appended to ``frames``, not sent: a burst
        is encoded ahead, so sending it measures the socket and the reader, not the encoder."""
        return _listeners([connection], frames.append)

    @staticmethod
    async def pump(connection: WsConnection, frames: Sequence[bytes], *,
                   window: int = PUMP_WINDOW) -> None:
        """Queue ``frames`` on ``connection`` as fast as its writer drains them."""
        half = window // 2
        for start in range(0, len(frames), half):
            while connection.queued > half:
                if connection.dropped:
                    raise ConnectionError("the connection was dropped during the burst")
                await asyncio.sleep(0.001)
            for frame in frames[start : start + half]:
                connection.push(frame)


def _listeners(conns: Iterable[WsConnection], send: Send | None) -> Listeners:
    """Every started quote, book and trade subscription by (kind, instrument)."""
    found: Listeners = defaultdict(list)
    for conn in conns:
        for sub in list(conn.subscriptions.values()):
            if sub.started and isinstance(sub, (QuoteStream, OrderBookStream, TradeStream)):
                found[type(sub), sub.key].append((sub, send or conn.push))
    return found
