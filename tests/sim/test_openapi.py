"""The simulator's responses validate against ALOR's own OpenAPI v2 response schemas.

A small JSON-schema subset validator (``$ref``, ``allOf``, ``oneOf``, ``type``, ``nullable``,
``enum``, ``properties``, ``items``) checks every HTTP body and WS data frame. It is stricter than
the spec in one way, on purpose: an object must carry *every* property its schema declares
(except a few listed optional ones) and nothing else, because the spec marks nothing ``required``
and a missing key would otherwise pass. Where the spec contradicts its own examples, the examples
win and the exception is listed below with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from alortui.sim.clock import ManualClock
from alortui.sim.server import SimExchange

SPEC_PATH = Path(__file__).parent / "openapi" / "alor-openapi-v2.json"
FORMATS = ("Simple", "Slim", "Heavy")
OPTIONS_ONLY = {"strikePrice", "endExpiration", "fixedSpotDiscount", "projectedSpotDiscount",
                "underlyingSymbol", "optionSide", "pxs", "exp", "fdis", "pdis", "usym", "osd"}
"""Security fields of options only (alor-api.md 2.3); the simulator lists no options."""
DERIVATIVE_ONLY = {f"initialMargin{r}Risk{s}" for r in ("Low", "Standard", "High", "Special")
                   for s in ("Long", "Short")} | {"marginBuy", "marginSell", "marginSyntetic",
                                                   "theorPrice", "theorPriceLimit", "volatility",
                                                   "mgb", "mgs", "mgsnt", "pxt", "pxtl", "vl"}
"""Heavy security margins and instrument-change fields sent for derivatives only (2.3, 3.5)."""
NOT_IN_SCHEMA = {"nominalCurrency", "settlementCurrency", "underlyingCurrency"}
"""Heavy security fields of the spec's own ``Security_Heavy`` example (and alor-api.md 2.3)
that its schema forgot."""
TYPE_EXCEPTIONS = {"orderno": int}
"""Tape trades: the schema says string, every ALOR example sends the number 0 (2.6)."""


class Spec:
    """The OpenAPI document and a validator for its schema subset."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.example_nulls = set(self._null_keys(doc["components"]["examples"]))

    def _null_keys(self, node: object) -> Iterator[str]:
        """Keys the spec's own examples show as null (it marks few fields ``nullable``)."""
        if isinstance(node, Mapping):
            for key, value in node.items():
                if value is None:
                    yield key
                yield from self._null_keys(value)
        elif isinstance(node, list):
            for value in node:
                yield from self._null_keys(value)

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in node:
            target: Any = self.doc
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    def schema(self, name: str) -> Mapping[str, Any]:
        return self.resolve({"$ref": f"#/components/schemas/{name}"})

    def response(self, path: str, status: str = "200", method: str = "get") -> Mapping[str, Any]:
        """The JSON schema of a path's response."""
        answer = self.resolve(self.doc["paths"][path][method]["responses"][status])
        return self.resolve(answer["content"]["application/json"]["schema"])

    def named(self, name: str) -> Mapping[str, Any]:
        """The JSON schema of a named response (``components/responses``)."""
        answer = self.resolve({"$ref": f"#/components/responses/{name}"})
        return self.resolve(answer["content"]["application/json"]["schema"])

    def errors(self, value: object, schema: Mapping[str, Any], where: str = "$", *,
               strict: bool = True, optional: frozenset[str] = frozenset(),
               key: str = "") -> list[str]:
        """Everything wrong with ``value``; empty when it validates."""
        schema = self._merged(schema)
        if "oneOf" in schema:  # ALOR uses oneOf for "one of the formats": any branch will do
            branches = [self.errors(value, b, where, strict=strict, optional=optional, key=key)
                        for b in schema["oneOf"]]
            return [] if any(not b for b in branches) else min(branches, key=len)
        if value is None:
            ok = schema.get("nullable") or key in self.example_nulls
            return [] if ok else [f"{where}: null not allowed"]
        kind = schema.get("type")
        if kind and not _is(value, kind) and not (
                key in TYPE_EXCEPTIONS and isinstance(value, TYPE_EXCEPTIONS[key])):
            return [f"{where}: {value!r} is not {kind}"]
        enum = schema.get("enum")
        if enum and all(e is None or _is(e, kind) for e in enum) and value not in enum:
            return [f"{where}: {value!r} not in {enum}"]
        if isinstance(value, list) and "items" in schema:
            return [e for i, item in enumerate(value) for e in self.errors(
                item, schema["items"], f"{where}[{i}]", strict=strict, optional=optional)]
        if isinstance(value, dict) and "properties" in schema:
            return self._object_errors(value, schema["properties"], where, strict, optional)
        return []

    def _object_errors(self, value: Mapping[str, Any], props: Mapping[str, Any], where: str,
                       strict: bool, optional: frozenset[str]) -> list[str]:
        found = [e for name, sub in props.items() if name in value
                 for e in self.errors(value[name], sub, f"{where}.{name}", strict=strict,
                                      optional=optional, key=name)]
        if strict:
            found += [f"{where}: missing {name}" for name in props
                      if name not in value and name not in optional]
            found += [f"{where}: unexpected {name}" for name in value
                      if name not in props and name not in NOT_IN_SCHEMA]
        return found

    def _merged(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        schema = self.resolve(schema)
        if "allOf" not in schema:
            return schema
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            part = self._merged(part)
            props = {**merged.get("properties", {}), **part.get("properties", {})}
            merged.update(part)
            if props:
                merged["properties"] = props
        return merged


def _is(value: object, kind: str) -> bool:
    checks = {"object": lambda v: isinstance(v, dict), "array": lambda v: isinstance(v, list),
              "string": lambda v: isinstance(v, str), "boolean": lambda v: isinstance(v, bool),
              "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
              "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool)}
    return checks[kind](value)


@pytest.fixture(scope="module")
def spec() -> Spec:
    return Spec(orjson.loads(SPEC_PATH.read_bytes()))


def assert_valid(spec: Spec, value: object, schema: Mapping[str, Any], **options: Any) -> None:
    problems = spec.errors(value, schema, **options)
    assert not problems, "\n".join(problems[:20])


# --- the validator itself ------------------------------------------------------------------


def test_validator_catches_type_null_missing_extra_and_enum(spec: Spec) -> None:
    trade = spec.schema("response_AllTrades_Slim")
    good = [{"id": 1, "sym": "SBER", "bd": "TQBR", "q": 1, "px": 1.5, "t": 5, "s": "buy",
             "oi": 0, "h": False}]
    assert spec.errors(good, trade) == []
    assert spec.errors([{**good[0], "q": 1.5}], trade) == ["$[0].q: 1.5 is not integer"]
    assert spec.errors([{**good[0], "s": "hold"}], trade)[0].startswith("$[0].s: 'hold' not in")
    assert spec.errors([{**good[0], "px": None}], trade) == ["$[0].px: null not allowed"]
    assert spec.errors([{**good[0], "oi": None}], trade) == []  # null in the spec's examples
    missing = {k: v for k, v in good[0].items() if k != "h"}
    assert spec.errors([missing], trade) == ["$[0]: missing h"]
    assert spec.errors([missing], trade, strict=False) == []
    assert spec.errors([{**good[0], "extra": 1}], trade) == ["$[0]: unexpected extra"]
    assert spec.errors([{**good[0], "h": 1}], trade) == ["$[0].h: 1 is not boolean"]


def test_the_spec_examples_pass_the_validator(spec: Spec) -> None:
    """The validator agrees with ALOR's own examples (a check of the validator's subset)."""
    examples = spec.doc["components"]["examples"]
    pairs = [("Symbols_Simple", "response_Symbols_Simple"),
             ("Symbols_Heavy", "response_Symbols_Heavy"),
             ("OrderBook_Simple", "response_OrderBook_Simple"),
             ("OrderBook_Bonds_Slim", "response_OrderBook_Slim"),
             ("AllTrades_Simple", "response_AllTrades_Simple"),
             ("History_Simple", "response_History_Simple"),
             ("Security_Heavy", "response_Security_Heavy")]
    for example, schema in pairs:
        value = examples[example]["value"]
        assert_valid(spec, value, spec.schema(schema), strict=False)


# --- HTTP ------------------------------------------------------------------------------------


@pytest.fixture
async def get(manual_sim: SimExchange, session: aiohttp.ClientSession, clock: ManualClock
              ) -> Any:
    clock.advance(90)
    headers = {"Authorization": f"Bearer {manual_sim.issue_jwt()}"}

    async def fetch(path: str, **params: Any) -> Any:
        async with session.get(manual_sim.api_url + path, params=params,
                               headers=headers) as response:
            assert response.status == 200, await response.text()
            return await response.json()

    return fetch


def keys_of(sim: SimExchange) -> list[tuple[str, str]]:
    return [(s.key.exchange, s.key.symbol) for s in sim.market.securities()]


async def test_time(spec: Spec, get: Any) -> None:
    assert_valid(spec, await get("/md/v2/time"), spec.response("/md/v2/time"))


@pytest.mark.parametrize("fmt", FORMATS)
async def test_securities_of_every_kind(spec: Spec, get: Any, manual_sim: SimExchange,
                                        fmt: str) -> None:
    found = await get("/md/v2/Securities", query="", limit=1000, format=fmt)
    assert len(found) == len(keys_of(manual_sim))
    assert_valid(spec, found, spec.schema(f"response_Securities_{fmt}"),
                 optional=frozenset(OPTIONS_ONLY | DERIVATIVE_ONLY))
    assert_valid(spec, found, spec.response("/md/v2/Securities"), strict=False)
    for exchange, symbol in keys_of(manual_sim):
        one = await get(f"/md/v2/Securities/{exchange}/{symbol}", format=fmt)
        assert_valid(spec, one, spec.schema(f"response_Security_{fmt}"),
                     optional=frozenset(OPTIONS_ONLY | DERIVATIVE_ONLY))
    futures = [s for s in found if s.get("market") == "FORTS"]
    if fmt == "Heavy":
        assert futures and all("initialMarginLowRiskLong" in s for s in futures)


@pytest.mark.parametrize("fmt", FORMATS)
async def test_quotes_of_every_instrument(spec: Spec, get: Any, manual_sim: SimExchange,
                                          fmt: str) -> None:
    pairs = ",".join(f"{e}:{s}" for e, s in keys_of(manual_sim))
    quotes = await get(f"/md/v2/Securities/{pairs}/quotes", format=fmt)
    assert len(quotes) == len(keys_of(manual_sim))
    assert_valid(spec, quotes, spec.schema(f"response_Symbols_{fmt}"))
    assert_valid(spec, quotes, spec.response("/md/v2/Securities/{symbols}/quotes"),
                 strict=False)


@pytest.mark.parametrize("fmt", FORMATS)
async def test_order_books_and_trades_of_every_instrument(
        spec: Spec, get: Any, manual_sim: SimExchange, fmt: str) -> None:
    for exchange, symbol in keys_of(manual_sim):
        book = await get(f"/md/v2/orderbooks/{exchange}/{symbol}", depth=5, format=fmt)
        assert_valid(spec, book, spec.schema(f"response_OrderBook_{fmt}"),
                     optional=frozenset({"y"}))
        trades = await get(f"/md/v2/Securities/{exchange}/{symbol}/alltrades", take=3,
                           format=fmt)
        assert_valid(spec, trades, spec.schema(f"response_AllTrades_{fmt}"))


@pytest.mark.parametrize("fmt", FORMATS)
async def test_history(spec: Spec, get: Any, clock: ManualClock, fmt: str) -> None:
    now = int(clock.now())
    page = await get("/md/v2/history", symbol="SBER", exchange="MOEX", tf=300,
                     format=fmt, **{"from": now - 7200, "to": now - 3600})
    if fmt == "Slim":
        # The spec's Slim schema names the list ``history`` but its own example (and ALOR's
        # clients) use ``h`` (alor-api.md 2.7): check the wrapper by the example, items by schema.
        assert set(page) == {"h", "next", "prev"}
        assert_valid(spec, page["h"], {"type": "array", "items": spec.schema(
            "response_HistoryObject_Slim")})
        page = {"history": page.pop("h"), **page}
    assert page["history"] and isinstance(page["prev"], int) and isinstance(page["next"], int)
    assert_valid(spec, page, spec.schema(f"response_History_{fmt}"))


async def test_small_endpoints(spec: Spec, get: Any) -> None:
    for fmt in FORMATS:
        status = await get("/md/status/MOEX/FOND", format=fmt)
        assert_valid(spec, status, spec.schema(f"response_TradingSession_{fmt}"))
    assert_valid(spec, await get("/md/v2/Securities/MOEX/SBER/availableBoards"),
                 spec.response("/md/v2/Securities/{exchange}/{symbol}/availableBoards"))
    assert_valid(spec, await get("/md/v2/Securities/currencyPairs"),
                 spec.response("/md/v2/Securities/currencyPairs"))


# --- WebSocket ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
async def test_ws_frames(spec: Spec, manual_sim: SimExchange, clock: ManualClock,
                         ws_client: Any, fmt: str) -> None:
    clock.advance(90)
    client = await ws_client(manual_sim)
    symbols = ("SBER", "SU26238RMFS4", "SiZ6")
    opcodes = {"QuotesSubscribe": {}, "OrderBookGetAndSubscribe": {"depth": 3},
               "AllTradesGetAndSubscribe": {"depth": 2},
               "BarsGetAndSubscribe": {"tf": 60, "from": int(clock.now()) - 180},
               "InstrumentsGetAndSubscribeV2": {}}
    subscribed = {}
    for opcode, extra in opcodes.items():
        for symbol in symbols:
            guid = await client.send(opcode, code=symbol, exchange="MOEX", format=fmt, **extra)
            assert_valid(spec, await client.reply(guid), spec.named("ws_Subscription_200"))
            subscribed[guid] = opcode
    clock.advance(3)
    seen: set[str] = set()
    for frame in await client.drain(0.5):
        opcode = subscribed[frame["guid"]]
        seen.add(opcode)
        assert_valid(spec, frame, spec.schema(f"ws_response_sub_{opcode}_{fmt}"),
                     optional=frozenset(DERIVATIVE_ONLY | {"y"}))
        assert_valid(spec, frame, spec.named(f"ws_Subscription_100_{opcode}"), strict=False)
    assert seen == set(opcodes)


async def test_ws_error_envelope(spec: Spec, sim: SimExchange, ws_client: Any) -> None:
    client = await ws_client(sim, token="expired-or-foreign")
    guid = await client.send("QuotesSubscribe", code="SBER", exchange="MOEX")
    assert_valid(spec, await client.reply(guid), spec.named("ws_Subscription_401"))


# --- portfolio (alor-api.md 2.9, 3.3) ---------------------------------------------------------

PORTFOLIO_EXAMPLE_ENUMS = {"LessOrEqual", "MoreOrEqual", "Less", "More"}
"""Simple stop orders capitalise ``condition``; the schema's enum is lower case but every Simple
example (and alor-api.md 2.10) shows ``LessOrEqual``: the examples win."""
STOCK, DERIVATIVES = "D39004", "7500GHC"
PORTFOLIO_HTTP = {
    "summary": "response_Summary_{fmt}", "risk": "response_Risk_{fmt}",
    "positions": "response_Positions_{fmt}", "trades": "response_Trades_V2_{fmt}",
    "orders": "response_Orders_{fmt}", "stoporders": "response_StopOrders_Warp_{fmt}",
}
PORTFOLIO_WS = {
    "SummariesGetAndSubscribeV2": "SummariesGetAndSubscribeV2",
    "PositionsGetAndSubscribeV2": "PositionsGetAndSubscribe",
    "RisksGetAndSubscribe": "RisksGetAndSubscribe",
    "SpectraRisksGetAndSubscribe": "SpectraRisksGetAndSubscribe",
    "OrdersGetAndSubscribeV2": "OrdersGetAndSubscribe",
    "StopOrdersGetAndSubscribeV2": "StopOrdersGetAndSubscribeWarp",
    "TradesGetAndSubscribeV2": "TradesGetAndSubscribe",
}
"""Our opcode -> the name of its data schema in the spec (``ws_response_sub_{name}_{fmt}``)."""


def without_example_enums(value: Any) -> Any:
    """A Simple stop order's capitalised condition, lower-cased for the schema's enum."""
    if isinstance(value, list):
        return [without_example_enums(v) for v in value]
    if isinstance(value, dict) and value.get("condition") in PORTFOLIO_EXAMPLE_ENUMS:
        return {**value, "condition": value["condition"].lower()}
    return value


@pytest.mark.parametrize("fmt", FORMATS)
async def test_portfolio_endpoints(spec: Spec, get: Any, fmt: str) -> None:
    for tail, schema in PORTFOLIO_HTTP.items():
        for portfolio in (STOCK, DERIVATIVES):
            body = without_example_enums(await get(f"/md/v2/Clients/MOEX/{portfolio}/{tail}",
                                                   format=fmt))
            assert body or tail not in ("summary", "positions", "orders", "stoporders")
            assert_valid(spec, body, spec.schema(schema.format(fmt=fmt)))
    forts = await get(f"/md/v2/Clients/MOEX/{DERIVATIVES}/fortsrisk", format=fmt)
    assert_valid(spec, forts, spec.schema(f"response_FortsRisk_{fmt}"))


@pytest.mark.parametrize("fmt", FORMATS)
async def test_portfolio_ws_frames(spec: Spec, manual_sim: SimExchange, clock: ManualClock,
                                   ws_client: Any, fmt: str) -> None:
    clock.advance(90)
    client = await ws_client(manual_sim)
    subscribed = {}
    for opcode, name in PORTFOLIO_WS.items():
        portfolio = DERIVATIVES if opcode.startswith("Spectra") else STOCK
        guid = await client.confirm(opcode, portfolio=portfolio, exchange="MOEX", format=fmt)
        subscribed[guid] = name
    frames = await client.drain(0.5)
    assert {subscribed[f["guid"]] for f in frames} == set(PORTFOLIO_WS.values())
    for frame in frames:
        name = subscribed[frame["guid"]]
        assert_valid(spec, without_example_enums(frame["data"]),
                     spec.schema(f"ws_response_sub_{name}_{fmt}")["properties"]["data"])
        assert_valid(spec, frame, spec.named(f"ws_Subscription_100_{name}"), strict=False)
