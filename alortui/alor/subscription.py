"""One live WebSocket subscription: the request to (re-)send and where its data goes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from alortui.alor.redact import Secret
from alortui.models import Format

Sink = Callable[[Any], None]
"""Receives each decoded model, synchronously, on the stream's reader task."""
ErrorSink = Callable[[Exception], None]
"""Told when a live subscription is rejected later (e.g. on a re-subscription)."""
Decoder = Callable[[dict[str, Any], Format], Any]


def new_guid() -> str:
    """A guid for a request; random, so it is unique on any connection (alor-api.md 3.2)."""
    return str(uuid.uuid4())


@dataclass(eq=False, slots=True)
class Subscription:
    """A subscription and its bookkeeping.

    Attributes:
        confirmed: Resolved by the first ``httpCode: 200`` confirmation, or failed with the
            rejection; :meth:`AlorStream.subscribe` awaits it.
        sent_epoch: Number of the connection the request was last sent on (0 = never), so a
            new connection re-sends exactly the subscriptions it has not seen.
        acknowledged: The last request sent was confirmed (reset on every send).
        retried_401: A ``401`` envelope already led to a token refresh and one re-send.
        token: The JWT last sent, to tell the token manager which one was refused.
    """

    guid: str
    opcode: str
    params: dict[str, Any]
    fmt: Format
    decoder: Decoder
    sink: Sink
    on_error: ErrorSink | None
    confirmed: asyncio.Future[None]
    sent_epoch: int = 0
    acknowledged: bool = False
    retried_401: bool = False
    token: Secret | None = field(default=None, repr=False)

    def request(self, token: str) -> dict[str, Any]:
        """The request envelope (alor-api.md 3.2); our fields win over same-named params."""
        return {**self.params, "opcode": self.opcode, "guid": self.guid, "token": token,
                "format": self.fmt.value}

    def describe(self) -> str:
        """``OrderBookGetAndSubscribe MOEX:SBER`` for messages and logs (never the token)."""
        target = ":".join(str(self.params[k]) for k in ("exchange", "code", "portfolio")
                          if k in self.params)
        return f"{self.opcode} {target}".strip()
