"""The portfolio stream against the simulated exchange on loopback (issue 7, service slice)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from svc_helpers import REFRESH, next_item

from alortui.models import InstrumentKey, Side
from alortui.portfolio_models import PortfolioKind, PortfolioState
from alortui.service.api import IssueKind, StreamIssue
from alortui.service.portfolio import IdSlot, PortfolioMerge, portfolio_requests
from alortui.service.requests import PortfolioStream

STOCK, DERIVATIVES, FOREIGN = "D39004", "7500GHC", "D00001"
SBER = InstrumentKey("MOEX", "SBER")


async def state_where(states: AsyncIterator[Any], test: Callable[[PortfolioState], bool],
                      wait: float = 5.0) -> PortfolioState:
    """The first state of ``states`` that passes ``test`` (issues fail the test)."""
    while True:
        item = await next_item(states, wait)
        assert not isinstance(item, StreamIssue), item
        if test(item):
            return item


def complete(state: PortfolioState) -> bool:
    return bool(state.summary and state.risk and state.positions and state.orders
                and state.stop_orders)


async def test_portfolios_come_from_the_token(sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    found = await service.portfolios()
    assert [p.id for p in found] == ["D39004", "G39004", "7500GHC"]
    assert found[2].kind is PortfolioKind.DERIVATIVES


async def test_the_initial_state_is_merged_into_one_view(sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    states = service.portfolio(STOCK)
    state = await state_where(states, complete)
    assert [p.symbol for p in state.cash] == ["RUB"]
    assert {p.symbol for p in state.holdings} >= {"SBER", "GAZP", "LKOH"}
    assert state.working_orders and all(o.existing for o in state.orders)
    assert state.forts_risk is None
    await states.aclose()


async def test_a_derivatives_portfolio_streams_its_spectra_risk(sim: Any,
                                                                make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    states = service.portfolio(DERIVATIVES)
    state = await state_where(states, lambda s: s.forts_risk is not None and bool(s.positions))
    assert state.risk is None and state.forts_risk is not None
    assert state.forts_risk.money_blocked > 0
    await states.aclose()


async def test_a_fill_moves_order_trade_position_and_summary(sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    states = service.portfolio(STOCK)
    before = await state_where(states, complete)
    held = next(p for p in before.holdings if p.symbol == "SBER").qty_units
    order = sim.accounts.add_order(STOCK, SBER, Side.BUY, 4, 250.0)
    await state_where(states, lambda s: any(o.id == order.id and o.status == "working"
                                            for o in s.working_orders))
    sim.accounts.fill(sim.accounts.books[STOCK], order, 250.0, sim.market.time)

    def moved(s: PortfolioState) -> bool:
        filled = any(o.id == order.id and o.status == "filled" for o in s.orders)
        traded = any(t.order_no == order.id and not t.existing for t in s.trades)
        position = next(p for p in s.holdings if p.symbol == "SBER").qty_units == held + 40
        assert s.summary is not None and before.summary is not None
        return filled and traded and position and s.summary.commission > before.summary.commission

    after = await state_where(states, moved)
    assert order.id not in {o.id for o in after.working_orders}
    assert len({o.id for o in after.orders}) == len(after.orders)  # merged, not appended
    await states.aclose()


async def test_a_drop_restores_every_portfolio_stream(sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    states = service.portfolio(STOCK)
    before = await state_where(states, complete)
    first = {e.guid for op in PortfolioStream for e in sim.log.ws_requests(op.value)}
    await sim.faults.drop_all()
    order = sim.accounts.add_order(STOCK, SBER, Side.BUY, 1, 1.0)
    after = await state_where(states, lambda s: any(o.id == order.id for o in s.orders), 8)
    again = {e.guid for op in PortfolioStream for e in sim.log.ws_requests(op.value)}
    assert again == first and len(first) == 6  # the same six guids, re-sent
    # The replayed initial state replaced, never doubled, what was there.
    assert len(after.positions) == len(before.positions)
    assert len(after.orders) == len(before.orders) + 1
    assert service.status.counters.reconnects == 1
    await states.aclose()


async def test_a_foreign_portfolio_is_a_clear_issue(sim: Any, make_service: Any) -> None:
    service = await make_service(sim, REFRESH)
    states = service.portfolio(FOREIGN)
    issue = await next_item(states, 5)
    assert isinstance(issue, StreamIssue) and issue.kind is IssueKind.REJECTED
    assert "Portfolio D00001 is not available with this token" in issue.message
    await states.aclose()


async def test_anonymous_mode_says_portfolio_data_needs_a_token(sim: Any,
                                                                make_service: Any) -> None:
    service = await make_service(sim)
    assert await service.portfolios() == ()
    states = service.portfolio(STOCK)
    issue = await next_item(states, 5)
    assert isinstance(issue, StreamIssue) and issue.kind is IssueKind.NEEDS_AUTHORIZATION
    assert "refresh token" in issue.message
    await states.aclose()


def test_requests_pick_spectra_risk_for_derivatives_only() -> None:
    assert PortfolioStream.RISK in {r.stream for r in portfolio_requests(STOCK)}
    streams = {r.stream for r in portfolio_requests(DERIVATIVES)}
    assert PortfolioStream.FORTS_RISK in streams and PortfolioStream.RISK not in streams


def test_merge_replaces_by_id_and_keeps_first_arrival_order() -> None:
    from alortui.portfolio_models import Order

    def order(oid: str, status: str, existing: bool) -> Order:
        return Order(oid, "SBER", "MOEX", Side.BUY, "limit", status, 250.0, 1, 10, 0, 0, None,
                     existing=existing)

    merge = PortfolioMerge(STOCK)
    merge.apply([order("1", "working", True), order("2", "working", True)])
    state = merge.apply([order("1", "filled", False), order("1", "filled", True)])
    assert [(o.id, o.status) for o in state.orders] == [("1", "filled"), ("2", "working")]
    slot = IdSlot(limit=1)
    slot.add(order("1", "working", True))
    slot.add(order("2", "working", True))
    assert [o.id for o in slot.values()] == ["2"]
