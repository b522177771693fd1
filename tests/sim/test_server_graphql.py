"""``POST /hyperion``: ALOR's GraphQL instrument service (alor-api.md 4)."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from alortui.models import InstrumentKey
from alortui.sim.clock import ManualClock
from alortui.sim.gql_parse import GraphQLSyntaxError, parse
from alortui.sim.server import SimExchange

SBER = InstrumentKey("MOEX", "SBER", "TQBR")
# graphql.instrument.request of alor-samples.json
INSTRUMENT_QUERY = """query ($symbol: String!, $exchange: String!, $board: String!) {
  instrument (symbol: $symbol, exchange: $exchange, board: $board) {
    basicInformation { symbol exchange shortName fullName description market type readableType
                       sector gicsSector }
    financialAttributes { isin cfiCode currency tradingStatus tradingStatusInfo }
    boardInformation { board isPrimaryBoard primaryBoard }
    tradingDetails { lotSize minStep priceStep price priceMax priceMin closingPrice dailyGrowth
                     dailyGrowthPercent capitalization rating tradeAmount tradeVolume }
    currencyInformation { nominal settlement }
    additionalInformation { cancellation priceMultiplier priceShownUnits complexProductCategory }
  }
}"""
SBER_VARS = {"symbol": "SBER", "exchange": "MOEX", "board": "TQBR"}


async def post(session: aiohttp.ClientSession, sim: SimExchange, query: str,
               variables: dict[str, Any] | None = None, *, jwt: bool = True,
               path: str = "/hyperion") -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {sim.issue_jwt()}"} if jwt else {}
    async with session.post(sim.api_url + path, json={"query": query, "variables": variables},
                            headers=headers) as response:
        body = await response.json() if response.content_type == "application/json" else None
        return response.status, body


async def test_instrument_query_returns_exactly_the_selection(
        manual_sim: SimExchange, session: aiohttp.ClientSession) -> None:
    status, body = await post(session, manual_sim, INSTRUMENT_QUERY, SBER_VARS)
    assert status == 200 and list(body) == ["data"]
    node = body["data"]["instrument"]
    assert list(node) == ["basicInformation", "financialAttributes", "boardInformation",
                          "tradingDetails", "currencyInformation", "additionalInformation"]
    assert node["basicInformation"]["symbol"] == "SBER"
    assert list(node["tradingDetails"])[:3] == ["lotSize", "minStep", "priceStep"]
    assert node["boardInformation"] == {"board": "TQBR", "isPrimaryBoard": True,
                                        "primaryBoard": "TQBR"}
    assert node["tradingDetails"]["price"] == manual_sim.market.quote(SBER).last
    assert node["additionalInformation"]["cancellation"].endswith(".000Z")


async def test_aliases_literals_typename_and_trailing_slash(
        manual_sim: SimExchange, session: aiohttp.ClientSession) -> None:
    query = """{ a: instrument(symbol: "SBER", exchange: "MOEX", board: "TQBR") {
                   kind: __typename
                   basic: basicInformation { ticker: symbol shortName }
                 }
                 b: instrument(symbol: "GAZP", exchange: "MOEX", board: "TQBR") {
                   basicInformation { symbol } } }"""
    status, body = await post(session, manual_sim, query, path="/hyperion/")
    assert status == 200
    assert body["data"] == {
        "a": {"kind": "Stock", "basic": {"ticker": "SBER", "shortName": "Сбербанк"}},
        "b": {"basicInformation": {"symbol": "GAZP"}}}


async def test_inline_fragments_pick_type_specific_fields(
        manual_sim: SimExchange, session: aiohttp.ClientSession) -> None:
    bond = next(s for s in manual_sim.market.securities() if s.key.board == "TQOB")
    query = """query ($s: String!, $b: String!) {
      instrument(symbol: $s, exchange: "MOEX", board: $b) {
        __typename ... on Bond { couponRate maturityDate } ... on Stock { trading { closePrice } }
      } }"""
    _, body = await post(session, manual_sim, query, {"s": bond.key.symbol, "b": "TQOB"})
    node = body["data"]["instrument"]
    assert node["__typename"] == "Bond" and isinstance(node["couponRate"], float)
    assert set(node) == {"__typename", "couponRate", "maturityDate"}


async def test_bond_yield_and_futures_margins_have_alors_object_shapes(
        manual_sim: SimExchange, session: aiohttp.ClientSession) -> None:
    bond = next(s for s in manual_sim.market.securities() if s.key.board == "TQOB")
    future = next(s for s in manual_sim.market.securities() if s.market == "FORTS")
    query = """query ($s: String!, $b: String!) {
      instrument(symbol: $s, exchange: "MOEX", board: $b) {
        ... on Bond { faceValue yield { currentYield yieldToMaturity } }
        ... on Derivative { marginBuy theorPrice initialMargin { lowRiskLong highRiskShort } }
      } }"""
    _, body = await post(session, manual_sim, query, {"s": bond.key.symbol, "b": "TQOB"})
    node = body["data"]["instrument"]
    assert node["faceValue"] == 1000 and set(node["yield"]) == {"currentYield",
                                                                 "yieldToMaturity"}
    assert all(isinstance(v, float) for v in node["yield"].values())
    _, body = await post(session, manual_sim, query, {"s": future.key.symbol, "b": "RFUD"})
    node = body["data"]["instrument"]
    assert node["marginBuy"] > 0 and node["theorPrice"] == 0
    assert node["initialMargin"]["lowRiskLong"] > node["initialMargin"]["highRiskShort"] > 0
    _, body = await post(session, manual_sim, query.replace("{ currentYield yieldToMaturity }",
                                                            ""),
                         {"s": bond.key.symbol, "b": "TQOB"})
    assert "must have a selection" in body["errors"][0]["message"]


async def test_unknown_field_is_a_hotchocolate_validation_error(
        manual_sim: SimExchange, session: aiohttp.ClientSession) -> None:
    query = ('{ instrument(symbol: "SBER", exchange: "MOEX", board: "TQBR") '
             '{ basicInformation { nope } } }')
    status, body = await post(session, manual_sim, query)
    assert status == 200 and "data" not in body
    (error,) = body["errors"]
    assert error["message"] == "The field `nope` does not exist on the type `BasicInformation`."
    assert error["locations"] == [{"line": 1, "column": query.index("nope") + 1}]
    assert error["extensions"]["field"] == "nope"


async def test_missing_argument_and_variable_are_errors(
        manual_sim: SimExchange, session: aiohttp.ClientSession) -> None:
    _, body = await post(session, manual_sim,
                         '{ instrument(symbol: "SBER", exchange: "MOEX") { __typename } }')
    assert body["errors"][0]["message"] == "The argument `board` is required."
    _, body = await post(session, manual_sim, INSTRUMENT_QUERY, {"symbol": "SBER"})
    assert "errors" in body and "data" not in body


async def test_unknown_instrument_nulls_the_field_with_an_error(
        manual_sim: SimExchange, session: aiohttp.ClientSession) -> None:
    _, body = await post(session, manual_sim, INSTRUMENT_QUERY,
                         {"symbol": "NOPE", "exchange": "MOEX", "board": "TQBR"})
    assert body["data"] == {"instrument": None}
    assert body["errors"][0]["path"] == ["instrument"]


async def test_syntax_errors_and_bad_bodies(
        manual_sim: SimExchange, session: aiohttp.ClientSession) -> None:
    status, body = await post(session, manual_sim, "{ instrument(symbol: ")
    assert status == 200 and body["errors"][0]["locations"]
    async with session.post(manual_sim.api_url + "/hyperion", data=b"not json") as response:
        assert response.status == 400


async def test_instruments_search_with_filters_order_and_paging(
        manual_sim: SimExchange, session: aiohttp.ClientSession) -> None:
    query = """query ($first: Int, $after: String, $where: InstrumentModelFilterInput) {
      instruments(first: $first, after: $after, where: $where,
                  order: [{basicInformation: {symbol: ASC}}]) {
        edges { cursor node { basicInformation { symbol exchange } } }
        pageInfo { hasNextPage endCursor } totalCount } }"""
    where = {"and": [{"or": [{"basicInformation": {"symbol": {"startsWith": "sber"}}},
                             {"basicInformation": {"shortName": {"startsWith": "Сбер"}}}]},
                     {"basicInformation": {"exchange": {"eq": "MOEX"}}}]}
    _, body = await post(session, manual_sim, query, {"first": 1, "where": where})
    page = body["data"]["instruments"]
    assert page["totalCount"] == 2 and page["pageInfo"] == {"hasNextPage": True,
                                                           "endCursor": "MA=="}
    assert page["edges"][0]["node"]["basicInformation"]["symbol"] == "SBER"
    _, body = await post(session, manual_sim, query,
                         {"first": 5, "after": "MA==", "where": where})
    rest = body["data"]["instruments"]
    assert [e["node"]["basicInformation"]["symbol"] for e in rest["edges"]] == ["SBERP"]
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_enum_literals_in_filters(manual_sim: SimExchange,
                                        session: aiohttp.ClientSession) -> None:
    query = """{ derivatives(first: 50, where: {basicInformation: {market: {eq: FORTS}}}) {
                   nodes { basicInformation { market } } totalCount } }"""
    _, body = await post(session, manual_sim, query)
    result = body["data"]["derivatives"]
    assert result["totalCount"] > 0
    assert {n["basicInformation"]["market"] for n in result["nodes"]} == {"FORTS"}


async def test_anonymous_prices_are_15_minutes_old(
        manual_sim: SimExchange, session: aiohttp.ClientSession, clock: ManualClock) -> None:
    clock.advance(1500)
    query = ('{ instrument(symbol: "SBER", exchange: "MOEX", board: "TQBR") '
             '{ tradingDetails { price } } }')
    _, live = await post(session, manual_sim, query)
    _, late = await post(session, manual_sim, query, jwt=False)

    def price(body: Any) -> object:
        return body["data"]["instrument"]["tradingDetails"]["price"]

    assert price(live) == manual_sim.market.quote(SBER).last
    assert price(late) == manual_sim.market.quote(SBER, at=clock.now() - 900).last


def test_parser_handles_the_language_bits_alor_queries_use() -> None:
    doc = parse('''# comment
        query Q($a: [String!]! = ["x"], $b: Int) @dir {
          f1: field(arg: {k: [1, 2.5, -3e2, true, null, ENUM, "s\\u00e9", """block"""]}) {
            ...Frag @include(if: true)
          }
        }
        fragment Frag on Thing { leaf }''')
    (operation,) = doc.operations
    assert operation.name == "Q" and operation.variables["a"][0] is True
    field = operation.selections[0]
    assert field.alias == "f1" and field.name == "field"
    items = field.arguments["arg"]["k"]
    assert items[:3] == [1, 2.5, -300.0] and items[3:5] == [True, None]
    assert items[5].name == "ENUM" and items[6:] == ["sé", "block"]
    assert "Frag" in doc.fragments
    for bad in ("{", "{ a(b: ) }", "query { }", "{ a } }", '{ a(b: "\\q") }'):
        with pytest.raises(GraphQLSyntaxError):
            parse(bad)
