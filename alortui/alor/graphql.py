"""The GraphQL ``/hyperion`` instrument query: its text and the reading of the answer.

ALOR's GraphQL server is HotChocolate (alor-api.md 4): ``instrument(symbol, exchange, board)``
returns the ``Instrument`` interface, all three arguments required. The common groups are asked
for every instrument; bonds and derivatives add their own fields through inline fragments (the
field names and shapes are those of ALOR's schema as generated into Astras). The network call
itself is :meth:`alortui.alor.rest.AlorRest.instrument_info`.
"""

from __future__ import annotations

import logging
from typing import Any

from alortui.alor import wire
from alortui.alor.errors import GraphQLError, ProtocolError, UnknownInstrument
from alortui.alor.redact import clean_server_text
from alortui.models import InstrumentInfo, InstrumentKey

log = logging.getLogger(__name__)

_COMMON = """
    basicInformation {
      symbol exchange shortName fullName description market type readableType sector
    }
    boardInformation { board isPrimaryBoard primaryBoard }
    financialAttributes { cfiCode currency isin tradingStatus tradingStatusInfo }
    tradingDetails {
      lotSize minStep priceStep price priceMax priceMin closingPrice dailyGrowth
      dailyGrowthPercent tradeAmount tradeVolume
    }
    currencyInformation { nominal settlement }
    additionalInformation { cancellation priceMultiplier priceShownUnits }"""

_TYPE_SPECIFIC = """
    ... on Bond {
      faceValue currentFaceValue couponRate couponType maturityDate placementEndDate
      duration durationMacaulay issuer hasOffer hasAmortization
      yield { currentYield yieldToMaturity }
    }
    ... on Derivative {
      marginBuy marginSell marginRate theorPrice theorPriceLimit volatility underlyingCurrency
    }"""


def _query(selection: str) -> str:
    return ("query Instrument($symbol: String!, $exchange: String!, $board: String!) {\n"
            "  instrument(symbol: $symbol, exchange: $exchange, board: $board) {"
            f"{selection}\n  }}\n}}")


INSTRUMENT_QUERY = _query(_COMMON + _TYPE_SPECIFIC)
"""Common groups plus the bond and derivative fields."""
BASIC_INSTRUMENT_QUERY = _query(_COMMON)
"""Only the groups every instrument type has: the fallback if the server refuses the full one
(a schema that changed under us should cost the extras, not the whole card)."""


def instrument_request(key: InstrumentKey, *, basic: bool = False) -> dict[str, Any]:
    """The POST body asking for ``key`` (which must carry its board).

    Args:
        key: The instrument, with its board.
        basic: Ask only for the common groups (:data:`BASIC_INSTRUMENT_QUERY`).

    Raises:
        ValueError: ``key`` has no board; GraphQL requires one (alor-api.md 4).
    """
    if key.board is None:
        raise ValueError(f"GraphQL needs the board of {key}")
    return {"query": BASIC_INSTRUMENT_QUERY if basic else INSTRUMENT_QUERY,
            "operationName": "Instrument",
            "variables": {"symbol": key.symbol, "exchange": key.exchange, "board": key.board}}


def instrument_from_response(body: object, key: InstrumentKey) -> InstrumentInfo:
    """Read the answer to :func:`instrument_request`.

    Raises:
        UnknownInstrument: ``instrument`` is null (the server may add an error saying why).
        GraphQLError: the query failed as a whole (``errors`` and no ``data``).
        ProtocolError: the answer is not a GraphQL response or the node cannot be decoded.
    """
    if not isinstance(body, dict):
        raise ProtocolError("GraphQL: the answer is not a JSON object")
    messages = _error_messages(body.get("errors"))
    data = body.get("data")
    if not isinstance(data, dict):
        raise GraphQLError(messages) if messages else ProtocolError("GraphQL: no data")
    node = data.get("instrument")
    if node is None:
        raise UnknownInstrument(404, clean_server_text("; ".join(messages)),
                                what=f"instrument {key}")
    if messages:  # a partial result: some field failed, the rest is usable
        log.warning("GraphQL instrument %s: %s", key, "; ".join(messages))
    try:
        return wire.decode_instrument_info(node)
    except wire.MalformedMessage as exc:
        raise ProtocolError(f"GraphQL instrument {key}: {clean_server_text(str(exc))}") from None


def _error_messages(errors: object) -> list[str]:
    if not isinstance(errors, list):
        return []
    return [str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors]
