"""The simulated account: demo portfolios, fills, the portfolio endpoints and streams (2.9, 3.5).

Raw aiohttp clients check the wire itself; the market moves only when a test advances ``clock``,
and an order placed through the simulator's own hook at a crossing price fills on the next trade.
"""

from __future__ import annotations

import base64
from typing import Any

import aiohttp
import orjson
import pytest

from alortui.models import InstrumentKey, Side
from alortui.sim.catalog import CATALOG
from alortui.sim.clock import ManualClock
from alortui.sim.market import Market
from alortui.sim.portfolio_demo import demo_accounts
from alortui.sim.server import SimExchange

STOCK, CURRENCY, DERIVATIVES = "D39004", "G39004", "7500GHC"
SBER = InstrumentKey("MOEX", "SBER")


def claims_of(jwt: str) -> dict[str, Any]:
    payload = jwt.split(".")[1]
    return orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def last_price(sim: SimExchange, key: InstrumentKey = SBER) -> float:
    return sim.market.quote(key).last or 0.0


async def fetch(sim: SimExchange, session: aiohttp.ClientSession, path: str,
                token: str | None, **params: Any) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with session.get(sim.api_url + path, params=params, headers=headers) as response:
        text = await response.text()
        return response.status, orjson.loads(text) if response.status == 200 else text


def test_the_demo_token_lists_a_stock_a_currency_and_a_derivatives_portfolio(
        manual_sim: SimExchange) -> None:
    assert claims_of(manual_sim.issue_jwt())["portfolios"] == "D39004 G39004 7500GHC"
    assert set(manual_sim.accounts.books) == {STOCK, CURRENCY, DERIVATIVES}


async def test_a_crossing_trade_fills_an_order_into_a_trade_a_position_and_money(
        manual_sim: SimExchange, clock: ManualClock) -> None:
    book = manual_sim.accounts.books[STOCK]
    rub, sber = book.money["RUB"], book.holdings[manual_sim.market.resolve(SBER)].units
    order = manual_sim.accounts.add_order(STOCK, SBER, Side.BUY, 3, last_price(manual_sim) * 1.05)
    for _ in range(50):
        clock.advance(2)
        manual_sim.accounts.observe(manual_sim.market.advance())
        if book.orders[order.id].status == "filled":
            break
    assert book.orders[order.id].status == "filled"
    trade = book.trades[-1]
    assert (trade.order_no, trade.qty_lots, trade.qty_units, trade.price) == (
        order.id, 3, 30, order.price)
    assert book.holdings[manual_sim.market.resolve(SBER)].units == sber + 30
    assert book.money["RUB"] == pytest.approx(rub - 30 * trade.price - (trade.commission or 0))


async def test_a_stop_order_triggers_when_the_price_crosses_it(
        manual_sim: SimExchange, clock: ManualClock) -> None:
    accounts = manual_sim.accounts
    stop = accounts.add_stop(STOCK, SBER, Side.SELL, 1, "moreorequal", last_price(manual_sim) / 2)
    for _ in range(50):
        clock.advance(2)
        accounts.observe(manual_sim.market.advance())
        if accounts.books[STOCK].stops[stop.id].status == "filled":
            break
    fired = accounts.books[STOCK].stops[stop.id]
    assert fired.status == "filled" and fired.exchange_order_id is not None
    assert accounts.books[STOCK].orders[fired.exchange_order_id].status == "filled"
    assert accounts.books[STOCK].trades[-1].order_no == fired.exchange_order_id


async def test_http_needs_a_token_and_a_portfolio_of_that_token(
        manual_sim: SimExchange, session: aiohttp.ClientSession) -> None:
    path = f"/md/v2/Clients/MOEX/{STOCK}/summary"
    assert (await fetch(manual_sim, session, path, None))[0] == 401
    foreign = manual_sim.issue_jwt(portfolios=[CURRENCY])
    assert (await fetch(manual_sim, session, path, foreign))[0] == 403
    status, body = await fetch(manual_sim, session, path, manual_sim.issue_jwt())
    assert status == 200 and body["buyingPowerAtMorning"] == 250000


async def test_http_answers_are_consistent_with_each_other(
        manual_sim: SimExchange, session: aiohttp.ClientSession) -> None:
    token = manual_sim.issue_jwt()
    base = f"/md/v2/Clients/MOEX/{STOCK}"
    _, summary = await fetch(manual_sim, session, base + "/summary", token)
    _, positions = await fetch(manual_sim, session, base + "/positions", token)
    _, risk = await fetch(manual_sim, session, base + "/risk", token)
    assert summary["portfolioEvaluation"] == pytest.approx(
        sum(p["currentVolume"] for p in positions), abs=0.05)
    assert summary["profit"] == pytest.approx(
        sum(p["dailyUnrealisedPl"] for p in positions), abs=0.05)
    assert risk["portfolioEvaluation"] == summary["portfolioEvaluation"]
    assert [p["symbol"] for p in positions if p["isCurrency"]] == ["RUB"]
    _, shares = await fetch(manual_sim, session, base + "/positions", token,
                            withoutCurrency="true")
    assert not any(p["isCurrency"] for p in shares)
    _, one = await fetch(manual_sim, session, base + "/positions/SBER", token)
    assert one["qtyBatch"] == one["qtyUnits"] / 10
    _, orders = await fetch(manual_sim, session, base + "/orders", token)
    status, single = await fetch(manual_sim, session, f"{base}/orders/{orders[0]['id']}", token)
    assert status == 200 and single == orders[0]
    assert (await fetch(manual_sim, session, base + "/orders/1", token))[0] == 404
    assert (await fetch(manual_sim, session, base + "/fortsrisk", token))[0] == 400
    status, sber_trades = await fetch(manual_sim, session, base + "/SBER/trades", token)
    assert status == 200 and sber_trades and {t["symbol"] for t in sber_trades} == {"SBER"}
    _, spbx = await fetch(manual_sim, session, f"/md/v2/Clients/SPBX/{STOCK}/positions", token)
    assert spbx == []


async def test_ws_sends_the_state_then_changes(manual_sim: SimExchange, clock: ManualClock,
                                               ws_client: Any) -> None:
    client = await ws_client(manual_sim)
    where = {"portfolio": STOCK, "exchange": "MOEX"}
    orders = await client.confirm("OrdersGetAndSubscribeV2", **where)
    first = await client.data(orders, len(manual_sim.accounts.books[STOCK].orders))
    assert all(o["existing"] for o in first)
    trades = await client.confirm("TradesGetAndSubscribeV2", skipHistory=True, **where)
    working = await client.confirm("OrdersGetAndSubscribeV2", orderStatuses=["working"], **where)
    initial = await client.data(working, 2)
    assert {o["status"] for o in initial} == {"working"}
    order = manual_sim.accounts.add_order(STOCK, SBER, Side.BUY, 1, last_price(manual_sim) * 1.05)
    new = await client.data(orders, 1)
    assert (new[0]["id"], new[0]["status"], new[0]["existing"]) == (order.id, "working", False)
    for _ in range(50):
        clock.advance(2)
        frames = await client.drain(0.05)
        fills = [f["data"] for f in frames if f.get("guid") == trades]
        if fills:
            break
    assert fills and fills[0]["orderno"] == order.id and fills[0]["existing"] is False
    filled = [f["data"] for f in frames if f.get("guid") == orders]
    assert filled and filled[-1]["status"] == "filled"


async def test_own_fills_carry_the_number_of_the_tape_trade_that_crossed_them(
        manual_sim: SimExchange, clock: ManualClock, ws_client: Any) -> None:
    client = await ws_client(manual_sim)
    tape = await client.confirm("AllTradesGetAndSubscribe", code="SBER", exchange="MOEX")
    own = await client.confirm("TradesGetAndSubscribeV2", portfolio=STOCK, exchange="MOEX",
                               skipHistory=True)
    crossing = last_price(manual_sim) * 1.05
    orders = [manual_sim.accounts.add_order(STOCK, SBER, Side.BUY, 1, crossing) for _ in "ab"]
    tape_prices: dict[str, float] = {}
    fills: list[dict[str, Any]] = []
    for _ in range(50):
        clock.advance(2)
        frames = await client.drain(0.05)
        tape_prices |= {str(f["data"]["id"]): f["data"]["price"]
                        for f in frames if f.get("guid") == tape}
        fills += [f["data"] for f in frames if f.get("guid") == own]
        if len(fills) == len(orders):
            break
    assert {f["orderno"] for f in fills} == {o.id for o in orders}
    assert len({f["id"] for f in fills}) == 2  # one tape trade is one match: one fill each
    assert all(f["id"] in tape_prices and tape_prices[f["id"]] <= crossing for f in fills)


async def test_ws_refuses_a_foreign_portfolio_and_forts_risks_of_a_stock_portfolio(
        manual_sim: SimExchange, ws_client: Any) -> None:
    client = await ws_client(manual_sim, token=manual_sim.issue_jwt(portfolios=[CURRENCY]))
    guid = await client.send("PositionsGetAndSubscribeV2", portfolio=STOCK, exchange="MOEX")
    reply = await client.reply(guid)
    assert reply["httpCode"] == 403 and STOCK in str(reply["message"])
    client = await ws_client(manual_sim)
    guid = await client.send("SpectraRisksGetAndSubscribe", portfolio=STOCK, exchange="MOEX")
    assert (await client.reply(guid))["httpCode"] == 400
    guid = await client.confirm("SpectraRisksGetAndSubscribe", portfolio=DERIVATIVES,
                                exchange="MOEX", format="Slim")
    (risk,) = await client.data(guid, 1)
    assert risk["p"] == DERIVATIVES and risk["b"] > 0


def test_a_market_without_the_demo_instruments_still_has_the_accounts(clock: ManualClock) -> None:
    only_sber = [spec for spec in CATALOG if spec.key.symbol == "SBER"]
    accounts = demo_accounts(Market(1, clock, instruments=only_sber))
    assert set(accounts.books) == {STOCK, CURRENCY, DERIVATIVES}
    assert [k.symbol for k in accounts.books[STOCK].holdings] == ["SBER"]
    assert accounts.books[DERIVATIVES].money == {"RUB": 300_000.0}
