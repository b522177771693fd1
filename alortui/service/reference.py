"""One-shot reference lookups: the instrument card and search, both paced like every request.

The card comes from GraphQL first (alor-api.md 4); when that fails an authorized session falls
back to the HTTP security card (2.3), which ALOR refuses anonymously (2.0): an anonymous caller
then gets an explicit "needs authorization" instead.
"""

from __future__ import annotations

import logging

from alortui.alor.errors import AlorError, NotAuthorized, UnknownInstrument
from alortui.alor.rest import AlorRest
from alortui.models import InstrumentInfo, InstrumentKey, Security
from alortui.service.api import IssueKind, StreamIssue
from alortui.service.pacing import Pacer

log = logging.getLogger(__name__)


def info_from_security(security: Security) -> InstrumentInfo:
    """The card built from an HTTP security object (fewer fields than GraphQL's)."""
    return InstrumentInfo(
        key=security.key, short_name=security.short_name, description=security.description,
        market=security.market, type=security.type, primary_board=security.primary_board,
        cfi_code=security.cfi_code, currency=security.currency, isin=security.isin,
        trading_status=security.trading_status,
        trading_status_info=security.trading_status_info, lot_size=security.lot_size,
        min_step=security.min_step, price_step=security.price_step,
        price_max=security.price_max, price_min=security.price_min,
        cancellation=security.cancellation)


async def instrument_info(rest: AlorRest, pacer: Pacer,
                          key: InstrumentKey) -> InstrumentInfo | StreamIssue:
    """The instrument card of ``key``, or why there is none."""
    try:
        return await pacer.call(rest.instrument_info, key)
    except UnknownInstrument as exc:
        return StreamIssue(IssueKind.UNKNOWN_INSTRUMENT, str(exc))
    except AlorError as exc:
        log.info("GraphQL card of %s failed (%s); trying HTTP", key, exc)
        graphql_error = exc
    if rest.anonymous:
        return StreamIssue(IssueKind.NEEDS_AUTHORIZATION,
                           "The instrument card needs authorization when GraphQL is unavailable "
                           f"({graphql_error}). Configure a refresh token.")
    try:
        return info_from_security(await pacer.call(rest.security, key))
    except UnknownInstrument as exc:
        return StreamIssue(IssueKind.UNKNOWN_INSTRUMENT, str(exc))
    except NotAuthorized as exc:
        return StreamIssue(IssueKind.NEEDS_AUTHORIZATION, str(exc))
    except AlorError as exc:
        return StreamIssue(IssueKind.UNAVAILABLE, str(exc))


async def search(rest: AlorRest, pacer: Pacer, text: str, limit: int) -> list[Security]:
    """Instruments matching ``text``; empty (and logged) when ALOR cannot be asked."""
    if not text.strip():
        return []
    try:
        return await pacer.call(rest.search, text.strip(), limit=limit)
    except AlorError as exc:
        log.warning("search %r failed: %s", text, exc)
        return []
