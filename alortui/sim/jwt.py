"""Access tokens the simulated exchange issues and checks (alor-api.md 1.3).

The token looks like ALOR's: a base64url header ``{"alg":"ES256","typ":"JWT","cty":"JWT"}``,
claims shaped like the samples' ``jwt.claims`` and a 64-byte signature (the length of an ES256
signature). The signature is really an HMAC with a per-simulator secret, so the simulator can
tell its own tokens from forged ones or ones from another simulator instance — the analogue of a
token "from the other environment", which ALOR answers with 401 (2.0).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Sequence

import orjson

HEADER = {"alg": "ES256", "typ": "JWT", "cty": "JWT"}
PORTFOLIOS = ("D39004", "G39004", "7500GHC")
"""Stock, currency and derivatives portfolios of the demo login (1.3 id shapes)."""

_STATIC_CLAIMS = {
    "sub": "P039004",
    "ent": "client",
    "ein": "39004",
    "clientid": "123456",
    "azp": "0123456789abcdef0123",
    "agreements": "39004",
}
_SCOPE = "OrdersRead OrdersCreate Trades Personal Stats"
_AUDIENCE = (
    "Client WARP WarpATConnector subscriptionsApi CommandApi InstrumentApi TradingViewPlatform"
)


class InvalidToken(Exception):
    """The JWT is malformed, not signed by this simulator, or expired.

    The message never contains the token.
    """


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class JwtIssuer:
    """Mints and verifies the simulator's access tokens.

    Args:
        lifetime: seconds from issue to ``exp``.
        clock: wall clock for ``iat``/``exp``. Clients compare ``exp`` with their own clock, so
            this is real time by default even when the market runs on a manual clock.
    """

    def __init__(self, lifetime: float = 1800.0, clock: Callable[[], float] = time.time) -> None:
        self.lifetime = lifetime
        self._clock = clock
        self._secret = secrets.token_bytes(32)

    def __repr__(self) -> str:
        return f"JwtIssuer(lifetime={self.lifetime})"

    def issue(self, portfolios: Sequence[str] | None = None, *,
              lifetime: float | None = None) -> str:
        """A signed JWT for the demo login, restricted to ``portfolios`` when given."""
        now = int(self._clock())
        claims = {
            **_STATIC_CLAIMS,
            "portfolios": " ".join(PORTFOLIOS if portfolios is None else portfolios),
            "scope": _SCOPE,
            "exp": now + int(self.lifetime if lifetime is None else lifetime),
            "iat": now,
            "iss": "Alor.Identity",
            "aud": _AUDIENCE,
        }
        signing_input = f"{_b64(orjson.dumps(HEADER))}.{_b64(orjson.dumps(claims))}"
        return f"{signing_input}.{_b64(self._sign(signing_input))}"

    def verify(self, token: str) -> dict[str, object]:
        """The claims of a token this issuer signed and that has not expired.

        Raises:
            InvalidToken: malformed, foreign/forged signature, or ``exp`` in the past.
        """
        parts = token.split(".") if isinstance(token, str) else []
        if len(parts) != 3:
            raise InvalidToken("malformed JWT")
        try:
            signature = _unb64(parts[2])
            claims = orjson.loads(_unb64(parts[1]))
        except (ValueError, orjson.JSONDecodeError):
            raise InvalidToken("malformed JWT") from None
        if not hmac.compare_digest(signature, self._sign(f"{parts[0]}.{parts[1]}")):
            raise InvalidToken("JWT signature not recognised")
        if not isinstance(claims, dict):
            raise InvalidToken("malformed JWT")
        exp = claims.get("exp")
        if not isinstance(exp, int) or exp <= self._clock():
            raise InvalidToken("JWT expired")
        return {str(k): v for k, v in claims.items()}

    def _sign(self, signing_input: str) -> bytes:
        return hmac.new(self._secret, signing_input.encode("ascii"), hashlib.sha512).digest()
