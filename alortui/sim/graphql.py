"""``POST /hyperion``: ALOR's GraphQL instrument reference service (alor-api.md 4).

Supports the single-item roots (``instrument``, ``stock``, ``bond``, ``derivative``,
``currency``; args ``symbol``, ``exchange``, ``board`` all required) and the Relay-connection
roots (``instruments`` ... with ``first/after/last/before``, ``where`` filters, ``order``,
``includeNonBaseBoards``). Each node is the :class:`~alortui.models.InstrumentInfo` of the
market, projected into exactly the requested selection. Anonymous callers get prices from 15
minutes ago, like anonymous HTTP (2.0; 4 says this is not documented for GraphQL [inferred]).
GraphQL-level errors come with HTTP 200 (the legacy ``application/json`` rule); only a body that
is not a GraphQL request gets 400.
"""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import orjson
from aiohttp import web

from alortui.models import InstrumentInfo, InstrumentKey
from alortui.sim.gql_exec import Executor, Resolved
from alortui.sim.gql_filter import matches, sort_nodes
from alortui.sim.gql_parse import GraphQLSyntaxError, parse
from alortui.sim.gql_schema import IMPLEMENTS, LISTS, ROOTS, SCHEMA, node
from alortui.sim.http_api import DELAY
from alortui.sim.oauth import BearerAuth

if TYPE_CHECKING:
    from alortui.sim.clock import Clock
    from alortui.sim.market import Market

def _cursor(index: int) -> str:
    return base64.b64encode(str(index).encode()).decode()


def _index(cursor: object) -> int | None:
    try:
        return int(base64.b64decode(str(cursor), validate=True))
    except ValueError:
        return None


def connection(nodes: list[dict[str, object]], args: Mapping[str, object]) -> dict[str, object]:
    """A Relay connection page of ``nodes`` for ``first/after/last/before``."""
    start, end = 0, len(nodes)
    if (after := _index(args.get("after"))) is not None:
        start = max(start, after + 1)
    if (before := _index(args.get("before"))) is not None:
        end = min(end, before)
    if isinstance(first := args.get("first"), int):
        end = min(end, start + max(first, 0))
    if isinstance(last := args.get("last"), int):
        start = max(start, end - max(last, 0))
    page = range(start, max(start, end))
    edges = [{"cursor": _cursor(i), "node": nodes[i]} for i in page]
    return {
        "edges": edges,
        "nodes": [e["node"] for e in edges],
        "pageInfo": {"hasNextPage": page.stop < len(nodes), "hasPreviousPage": page.start > 0,
                     "startCursor": edges[0]["cursor"] if edges else None,
                     "endCursor": edges[-1]["cursor"] if edges else None},
        "totalCount": len(nodes),
    }


class GraphQLEndpoint:
    """The ``/hyperion`` handler over a :class:`Market`."""

    def __init__(self, market: Market, clock: Clock, auth: BearerAuth) -> None:
        self._market, self._clock, self._auth = market, clock, auth

    async def handle(self, request: web.Request) -> web.Response:
        """``POST /hyperion``."""
        anonymous = self._auth.claims(request) is None
        try:
            body = orjson.loads(await request.read())
        except orjson.JSONDecodeError:
            return web.Response(status=400, text="The request body is not valid JSON.")
        query = body.get("query") if isinstance(body, dict) else None
        if not isinstance(query, str):
            return web.Response(status=400, text="The GraphQL request has no query.")
        variables = body.get("variables") or {}
        try:
            doc = parse(query)
        except GraphQLSyntaxError as exc:
            err = {"message": str(exc), "locations": [{"line": exc.line, "column": exc.column}],
                   "extensions": {"code": "HC0011"}}
            return _json({"errors": [err]})
        executor = Executor(SCHEMA, self._resolvers(anonymous),
                            lambda value, static: str(value.get("__type", static)),
                            IMPLEMENTS)
        name = body.get("operationName")
        return _json(executor.run(doc, variables if isinstance(variables, dict) else {},
                                  name if isinstance(name, str) else None))

    def _resolvers(self, anonymous: bool) -> dict[str, tuple[Callable[..., Resolved],
                                                           tuple[str, ...]]]:
        required = ("symbol", "exchange", "board")
        roots: dict[str, tuple[Callable[..., Resolved], tuple[str, ...]]] = {
            name: (lambda args, t=type_name: self._one(args, t, anonymous), required)
            for name, type_name in ROOTS.items()}
        roots.update({name: (lambda args, t=type_name: self._many(args, t, anonymous), ())
                      for name, type_name in LISTS.items()})
        return roots

    def _info(self, key: InstrumentKey, anonymous: bool) -> InstrumentInfo:
        info = self._market.instrument_info(key)
        if not anonymous:
            return info
        quote = self._market.quote(info.key, at=self._clock.now() - DELAY)
        return dataclasses.replace(
            info, price=quote.last, closing_price=quote.prev_close, daily_growth=quote.change,
            daily_growth_percent=quote.change_percent, trade_volume=quote.volume)

    def _one(self, args: Mapping[str, object], type_name: str, anonymous: bool) -> Resolved:
        exchange, symbol, board = (str(args[k]) for k in ("exchange", "symbol", "board"))
        security = self._market.lookup(exchange.upper(), symbol, board)
        if security is None:
            return Resolved(None, type_name,
                            f"Instrument {exchange}:{symbol}:{board} was not found.")
        value = node(self._info(security.key, anonymous))
        fits = type_name == "Instrument" or value["__type"] == type_name
        return Resolved(value if fits else None, type_name)

    def _many(self, args: Mapping[str, object], type_name: str, anonymous: bool) -> Resolved:
        with_non_base = args.get("includeNonBaseBoards") is True
        nodes = [node(self._info(s.key, anonymous)) for s in self._market.securities()
                 if with_non_base or s.primary_board in (None, s.key.board)]
        if type_name != "Instrument":
            nodes = [n for n in nodes if n["__type"] == type_name]
        if isinstance(where := args.get("where"), Mapping):
            nodes = [n for n in nodes if matches(n, where)]
        if isinstance(order := args.get("order"), list | Mapping):
            nodes = sort_nodes(nodes, order if isinstance(order, list) else [order])
        return Resolved(connection(nodes, args), f"{type_name}Connection")


def _json(body: object) -> web.Response:
    return web.Response(body=orjson.dumps(body), content_type="application/json")
