"""The portfolio client against the simulated exchange on loopback (alor-api.md 1.3, 2.9, 3.5)."""

from __future__ import annotations

import aiohttp
import pytest
from client_helpers import endpoints_of, until

from alortui.alor.auth import TokenManager
from alortui.alor.portfolio import PortfolioClient, PortfolioForbidden
from alortui.alor.rest import AlorRest
from alortui.alor.stream import AlorStream
from alortui.models import Format, InstrumentKey, Side
from alortui.portfolio_models import (
    FortsRisk,
    Order,
    OwnTrade,
    PortfolioKind,
    Position,
    Risk,
    StopOrder,
    Summary,
)
from alortui.sim.server import SimExchange

STOCK, DERIVATIVES, FOREIGN = "D39004", "7500GHC", "D00001"
SBER = InstrumentKey("MOEX", "SBER")


@pytest.fixture
def client(rest: AlorRest, tokens: TokenManager, stream: AlorStream) -> PortfolioClient:
    return PortfolioClient(rest, tokens, stream)


async def test_portfolios_come_from_the_token(client: PortfolioClient) -> None:
    found = await client.portfolios()
    assert [p.id for p in found] == ["D39004", "G39004", "7500GHC"]
    assert [p.kind for p in found] == [PortfolioKind.STOCK, PortfolioKind.CURRENCY,
                                       PortfolioKind.DERIVATIVES]


@pytest.mark.parametrize("fmt", list(Format))
async def test_every_endpoint_decodes_in_every_format(
        session: aiohttp.ClientSession, sim: SimExchange, tokens: TokenManager,
        fmt: Format) -> None:
    client = PortfolioClient(AlorRest(session, endpoints_of(sim), tokens), tokens, fmt=fmt)
    summary = await client.summary(STOCK)
    positions = await client.positions(STOCK)
    assert isinstance(summary, Summary) and summary.buying_power_at_morning == 250000
    cash = [p for p in positions if p.is_currency]
    assert [p.symbol for p in cash] == ["RUB"] and cash[0].qty_units > 0
    sber = await client.position(STOCK, "SBER")
    assert sber.qty_units >= 200 and sber.avg_price and sber.lot_size == 10
    assert (sber.qty_lots == sber.qty_units / 10) if fmt is Format.SIMPLE else sber.qty_lots is None
    assert not any(p.is_currency for p in await client.positions(STOCK, without_currency=True))
    orders = await client.orders(STOCK)
    assert {o.status for o in orders} == {"working", "filled"}
    assert all(isinstance(o, Order) and o.existing for o in orders)
    assert await client.order(STOCK, orders[0].id) == orders[0]
    stops = await client.stop_orders(STOCK)
    assert stops and all(isinstance(s, StopOrder) and s.condition == "lessorequal" for s in stops)
    assert await client.stop_order(STOCK, stops[0].id) == stops[0]
    trades = await client.trades(STOCK)
    assert trades and all(isinstance(t, OwnTrade) for t in trades)
    assert await client.trades(STOCK, symbol="SBER") == trades
    assert isinstance(await client.risk(STOCK), Risk)
    forts = await client.forts_risk(DERIVATIVES)
    assert isinstance(forts, FortsRisk) and forts.money_blocked > 0


async def test_a_foreign_portfolio_is_a_typed_error(client: PortfolioClient) -> None:
    with pytest.raises(PortfolioForbidden, match="no access to that portfolio"):
        await client.summary(FOREIGN)
    with pytest.raises(PortfolioForbidden, match="PositionsGetAndSubscribeV2 D00001"):
        await client.subscribe("PositionsGetAndSubscribeV2", FOREIGN, lambda _: None)


async def test_a_fill_moves_order_trade_position_and_summary(
        client: PortfolioClient, sim: SimExchange) -> None:
    got: dict[str, list[object]] = {}
    for opcode in ("OrdersGetAndSubscribeV2", "TradesGetAndSubscribeV2",
                   "PositionsGetAndSubscribeV2", "SummariesGetAndSubscribeV2"):
        await client.subscribe(opcode, STOCK, got.setdefault(opcode, []).append)
    await until(lambda: all(got.values()))
    before = next(p for p in got["PositionsGetAndSubscribeV2"]
                  if isinstance(p, Position) and p.symbol == "SBER")
    assert isinstance(before, Position) and before.existing
    order = sim.accounts.add_order(STOCK, SBER, Side.BUY, 4, 250.0)
    sim.accounts.fill(sim.accounts.books[STOCK], order, 250.0, sim.market.time)

    def seen(opcode: str, test: object) -> bool:
        return any(not getattr(v, "existing", True) and test(v)  # type: ignore[operator]
                   for v in got[opcode])

    await until(lambda: seen("OrdersGetAndSubscribeV2",
                             lambda o: o.id == order.id and o.status == "filled"), 4)
    await until(lambda: seen("TradesGetAndSubscribeV2",
                             lambda t: t.order_no == order.id and t.qty_units == 40), 4)
    await until(lambda: seen("PositionsGetAndSubscribeV2",
                             lambda p: p.symbol == "SBER" and p.qty_units == before.qty_units + 40),
                4)
    await until(lambda: any(isinstance(s, Summary) and s.commission > 0
                            for s in got["SummariesGetAndSubscribeV2"][1:]), 4)


async def test_a_drop_restores_the_portfolio_streams(client: PortfolioClient, sim: SimExchange,
                                                     stream: AlorStream) -> None:
    orders: list[Order] = []
    risks: list[object] = []
    await client.subscribe("OrdersGetAndSubscribeV2", STOCK, orders.append, skip_history=True)
    await client.subscribe("SpectraRisksGetAndSubscribe", DERIVATIVES, risks.append)
    await until(lambda: bool(risks))
    await sim.faults.drop_all()
    await until(lambda: stream.status.counters.reconnects == 1)
    await until(lambda: len(risks) >= 2)  # the re-sent subscription's initial state
    order = sim.accounts.add_order(STOCK, SBER, Side.BUY, 1, 1.0)
    await until(lambda: any(o.id == order.id for o in orders), 4)
