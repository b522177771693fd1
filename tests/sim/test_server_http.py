"""The simulated ``/md`` HTTP API over a real loopback socket (alor-api.md 2, 7.12-7.13)."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from alortui.models import Format, InstrumentKey
from alortui.sim.clock import ManualClock
from alortui.sim.encode import encode_quote
from alortui.sim.server import SimExchange

SBER = InstrumentKey("MOEX", "SBER", "TQBR")


class Http:
    """GET helper: authorised with a fresh JWT unless ``anonymous``."""

    def __init__(self, session: aiohttp.ClientSession, sim: SimExchange) -> None:
        self.session, self.sim = session, sim

    async def get(self, path: str, *, anonymous: bool = False,
                  **params: Any) -> tuple[int, Any]:
        headers = {} if anonymous else {"Authorization": f"Bearer {self.sim.issue_jwt()}"}
        async with self.session.get(self.sim.api_url + path, params=params,
                                    headers=headers) as response:
            if response.content_type == "application/json":
                return response.status, await response.json()
            return response.status, await response.text()


@pytest.fixture
def http(session: aiohttp.ClientSession, manual_sim: SimExchange) -> Http:
    return Http(session, manual_sim)


async def test_time_is_a_bare_number_and_15_minutes_old_when_anonymous(
        http: Http, clock: ManualClock) -> None:
    assert await http.get("/md/v2/time") == (200, int(clock.now()))
    assert await http.get("/md/v2/time", anonymous=True) == (200, int(clock.now()) - 900)
    async with http.session.get(http.sim.api_url + "/md/v2/time") as response:
        assert (await response.text()).isdigit()


async def test_search_formats_paging_and_filters(http: Http) -> None:
    status, found = await http.get("/md/v2/Securities", anonymous=True, query="SBER", limit=2)
    assert status == 200 and len(found) == 2 and found[0]["symbol"] == "SBER"
    assert {"shortname", "primary_board", "market"} <= set(found[0])
    _, slim = await http.get("/md/v2/Securities", query="SBER", format="sLiM")
    assert slim[0]["sym"] == "SBER" and "market" not in slim[0]
    _, heavy = await http.get("/md/v2/Securities", query="SBER", format="HEAVY")
    assert "roundTo" in heavy[0] and "shortName" in heavy[0]
    _, first = await http.get("/md/v2/Securities", query="S", limit=1)
    _, second = await http.get("/md/v2/Securities", query="S", limit=1, offset=1)
    assert first[0]["symbol"] != second[0]["symbol"]
    _, futures = await http.get("/md/v2/Securities", query="", sector="FORTS", limit=50)
    assert futures and {s["board"] for s in futures} == {"RFUD"}
    _, spb = await http.get("/md/v2/Securities", query="", exchange="SPBX", limit=50)
    assert spb and {s["exchange"] for s in spb} == {"SPBX"}


@pytest.mark.parametrize("params", [{"limit": "x"}, {"limit": 0}, {"format": "Fat"},
                                    {"includeNonBaseBoards": "maybe"}])
async def test_bad_parameters_are_400_with_a_plain_text_reason(
        http: Http, params: dict[str, object]) -> None:
    status, body = await http.get("/md/v2/Securities", query="SBER", **params)
    assert status == 400 and isinstance(body, str) and body


async def test_one_security_needs_a_jwt_and_404s_when_unknown(http: Http) -> None:
    status, security = await http.get("/md/v2/Securities/MOEX/SBER", format="Heavy")
    assert status == 200 and security["symbol"] == "SBER" and security["roundTo"] == 2
    assert await http.get("/md/v2/Securities/MOEX/SBER", anonymous=True) == (401, "")
    assert (await http.get("/md/v2/Securities/MOEX/NOSUCH"))[0] == 404
    assert (await http.get("/md/v2/Securities/MOEX/SBER", instrumentGroup="RFUD"))[0] == 404
    assert (await http.get("/md/v2/securities/moex/sber"))[0] == 200  # ASP.NET ignores case


async def test_available_boards_are_anonymous(http: Http) -> None:
    assert await http.get("/md/v2/Securities/MOEX/SBER/availableBoards",
                          anonymous=True) == (200, ["TQBR"])


async def test_quotes_are_batched_in_the_path_and_skip_unknown_pairs(http: Http) -> None:
    status, quotes = await http.get("/md/v2/Securities/MOEX:GAZP,MOEX:NOPE,XXX,MOEX:SBER/quotes")
    assert status == 200 and [q["symbol"] for q in quotes] == ["GAZP", "SBER"]
    _, one = await http.get("/md/v2/Securities/MOEX:SBER/quotes", format="Slim")
    assert isinstance(one, list) and len(one) == 1
    assert "prev_close_price" not in one[0] and "change" not in one[0] and one[0]["sym"] == "SBER"


async def test_anonymous_quotes_are_the_market_of_15_minutes_ago(
        http: Http, clock: ManualClock) -> None:
    clock.advance(1200)
    market = http.sim.market
    _, (live,) = await http.get("/md/v2/Securities/MOEX:SBER/quotes")
    _, (late,) = await http.get("/md/v2/Securities/MOEX:SBER/quotes", anonymous=True)
    assert live == encode_quote(market.quote(SBER), Format.SIMPLE)
    assert late == encode_quote(market.quote(SBER, at=clock.now() - 900), Format.SIMPLE)
    assert late["last_price_timestamp"] <= clock.now() - 900 < live["last_price_timestamp"]


async def test_order_book_depth_order_and_access(http: Http) -> None:
    status, book = await http.get("/md/v2/orderbooks/MOEX/SBER", depth=3)
    assert status == 200 and len(book["bids"]) == len(book["asks"]) == 3
    bids, asks = [b["price"] for b in book["bids"]], [a["price"] for a in book["asks"]]
    assert bids == sorted(bids, reverse=True) and asks == sorted(asks) and bids[0] < asks[0]
    assert book["existing"] is True and book["snapshot"] is True
    assert (await http.get("/md/v2/orderbooks/MOEX/SBER"))[1]["bids"].__len__() == 20
    assert await http.get("/md/v2/orderbooks/MOEX/SBER", anonymous=True) == (401, "")
    for depth in (0, 51, "x"):
        assert (await http.get("/md/v2/orderbooks/MOEX/SBER", depth=depth))[0] == 400
    _, heavy = await http.get("/md/v2/orderbooks/MOEX/SBER", depth=1, format="Heavy")
    assert set(heavy) == {"bids", "asks", "msTimestamp", "existing"}


async def test_slim_bond_book_carries_yields(http: Http) -> None:
    _, found = await http.get("/md/v2/Securities", query="", sector="FOND", limit=100)
    bond = next(s for s in found if s["board"] in ("TQOB", "TQCB"))
    _, book = await http.get(f"/md/v2/orderbooks/MOEX/{bond['symbol']}", depth=2, format="Slim")
    assert all(isinstance(level["y"], float) for level in book["b"] + book["a"])
    _, share = await http.get("/md/v2/orderbooks/MOEX/SBER", depth=2, format="Slim")
    assert "y" not in share["b"][0]


async def test_all_trades_filters_and_order(http: Http, clock: ManualClock) -> None:
    clock.advance(120)
    path = "/md/v2/Securities/MOEX/SBER/alltrades"
    status, trades = await http.get(path, take=5)
    assert status == 200 and len(trades) == 5
    ids = [t["id"] for t in trades]
    assert ids == sorted(ids) and all(isinstance(i, int) for i in ids)
    _, newest = await http.get(path, take=5, descending="true")
    assert [t["id"] for t in newest] == sorted((t["id"] for t in newest), reverse=True)
    assert newest[0]["timestamp"] >= trades[-1]["timestamp"]
    _, buys = await http.get(path, side="buy")
    assert buys and {t["side"] for t in buys} == {"buy"}
    _, big = await http.get(path, qtyFrom=10)
    assert all(t["qty"] >= 10 for t in big)
    window_from = int(clock.now()) - 30
    _, recent = await http.get(path, **{"from": window_from})
    assert recent and all(t["timestamp"] >= window_from * 1000 for t in recent)
    _, slim = await http.get(path, take=1, format="Slim")
    assert set(slim[0]) == {"id", "sym", "bd", "q", "px", "t", "s", "oi", "h"}
    assert await http.get(path, anonymous=True) == (401, "")


async def test_history_window_neighbours_and_formats(http: Http, clock: ManualClock) -> None:
    now = int(clock.now())
    params = {"symbol": "SBER", "exchange": "MOEX", "tf": 60, "from": now - 3600, "to": now - 600}
    status, page = await http.get("/md/v2/history", **params)
    assert status == 200 and set(page) == {"history", "next", "prev"}
    times = [c["time"] for c in page["history"]]
    assert times == sorted(times) and now - 3600 <= times[0] and times[-1] <= now - 600
    assert page["prev"] < times[0] and page["next"] > times[-1]
    _, slim = await http.get("/md/v2/history", **params, format="Slim")
    assert set(slim) == {"h", "next", "prev"} and set(slim["h"][0]) == set("tcohlv")
    _, daily = await http.get("/md/v2/history", symbol="SBER", exchange="MOEX", tf="D",
                              **{"from": now - 30 * 86400, "to": now})
    assert daily["history"] and all(c["time"] % 86400 == 0 for c in daily["history"])


async def test_history_count_back_moves_from_back(http: Http, clock: ManualClock) -> None:
    now = int(clock.now())
    _, page = await http.get("/md/v2/history", symbol="SBER", exchange="MOEX", tf="D",
                             countBack=20, **{"from": now - 86400, "to": now})
    assert len(page["history"]) == 20


async def test_anonymous_history_stops_15_minutes_ago(http: Http, clock: ManualClock) -> None:
    clock.advance(1800)
    now = int(clock.now())
    params = {"symbol": "SBER", "exchange": "MOEX", "tf": 60, "from": now - 3600, "to": now}
    _, live = await http.get("/md/v2/history", **params)
    _, late = await http.get("/md/v2/history", anonymous=True, **params)
    assert max(c["time"] for c in live["history"]) > now - 900
    assert max(c["time"] for c in late["history"]) <= now - 900
    assert late["next"] is None


@pytest.mark.parametrize("params", [
    {"exchange": "MOEX", "tf": 60, "from": 0, "to": 1},  # no symbol
    {"symbol": "SBER", "exchange": "MOEX", "tf": "Q", "from": 0, "to": 1},
    {"symbol": "SBER", "exchange": "MOEX", "tf": 60, "from": "yesterday", "to": 1},
    {"symbol": "SBER", "exchange": "MOEX", "tf": 60, "from": 0},
])
async def test_history_rejects_bad_parameters(http: Http, params: dict[str, object]) -> None:
    assert (await http.get("/md/v2/history", anonymous=True, **params))[0] == 400


async def test_market_status_follows_the_market(http: Http) -> None:
    assert await http.get("/md/status/MOEX/FOND", anonymous=True) == (
        200, {"code": "FOND", "status": "open"})
    http.sim.market.set_open(False)
    assert (await http.get("/md/status/MOEX/FORTS"))[1] == {"code": "FORTS", "status": "closed"}
    assert (await http.get("/md/status/MOEX/NOPE"))[0] == 400


async def test_currency_pairs(http: Http) -> None:
    status, pairs = await http.get("/md/v2/Securities/currencyPairs", anonymous=True)
    assert status == 200 and {"firstCode": "USD", "secondCode": "RUB",
                              "symbolTom": "USD000UTSTOM"} in pairs


async def test_unknown_paths_are_404_and_requests_are_logged(http: Http) -> None:
    assert (await http.get("/md/v2/nothing-here"))[0] == 404
    await http.get("/md/v2/Securities", anonymous=True, query="GAZ")
    entry = http.sim.log.http_requests("/md/v2/Securities")[-1]
    assert (entry.method, entry.query, entry.bearer, entry.status) == ("GET", {"query": "GAZ"},
                                                                      False, 200)
