"""Where ALOR lives: the API, WebSocket and OAuth URLs of an environment (alor-api.md 1.1).

``--env prod|dev`` picks ALOR's hosts; ``--api-url``/``--ws-url``/``--oauth-url`` replace any of
them (the simulator listens on plain ``http://``/``ws://`` loopback URLs, so those schemes are
accepted as well as ``https://``/``wss://``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from alortui.alor.errors import InvalidEndpoint

_HTTP_SCHEMES = ("https", "http")
_WS_SCHEMES = ("wss", "ws")

_ENVIRONMENTS = {
    "prod": ("https://api.alor.ru", "wss://api.alor.ru/ws", "https://oauth.alor.ru"),
    "dev": ("https://apidev.alor.ru", "wss://apidev.alor.ru/ws", "https://oauthdev.alor.ru"),
}


def check_url(url: str, *, option: str, schemes: tuple[str, ...]) -> str:
    """Validate a user-given base URL and return it without a trailing slash.

    Args:
        url: The URL as typed.
        option: The option it came from (``--api-url``), named in the error.
        schemes: Accepted schemes, preferred first (shown in the example).

    Raises:
        InvalidEndpoint: not an absolute URL with one of ``schemes`` and a host, or it carries
            a query, fragment, credentials or whitespace.
    """
    text = url.strip()
    example = f"{schemes[0]}://host[:port][/path]"
    problem = _url_problem(text, schemes)
    if problem:
        raise InvalidEndpoint(f"{option} {url!r} is not usable: {problem}; expected {example}")
    return text.rstrip("/")


def _url_problem(text: str, schemes: tuple[str, ...]) -> str | None:
    if not text or any(ch.isspace() for ch in text):
        return "it is empty or contains spaces"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        return str(exc)
    if parts.scheme.lower() not in schemes:
        return f"the scheme must be one of {', '.join(s + '://' for s in schemes)}"
    if not parts.hostname:
        return "it has no host"
    if parts.username is not None or parts.password is not None:
        return "credentials do not belong in the URL"
    if parts.query or parts.fragment:
        return "it must not have a query or fragment"
    if port == 0:
        return "port 0 is not a real port"
    return None


def _derived_ws_url(api_url: str) -> str:
    """The WS URL that belongs to an API URL: ALOR serves ``/ws`` on the API host (1.1)."""
    scheme, rest = api_url.split("://", 1)
    return ("wss" if scheme.lower() == "https" else "ws") + "://" + rest + "/ws"


@dataclass(frozen=True, slots=True)
class Endpoints:
    """The three base URLs the client talks to (no trailing slashes)."""

    api_url: str
    ws_url: str
    oauth_url: str

    @classmethod
    def for_env(cls, env: str) -> Endpoints:
        """ALOR's hosts for ``"prod"`` or ``"dev"`` (case-insensitive).

        Raises:
            InvalidEndpoint: an unknown environment name.
        """
        urls = _ENVIRONMENTS.get(env.strip().lower())
        if urls is None:
            raise InvalidEndpoint(f"unknown environment {env!r}; expected 'prod' or 'dev'")
        return cls(*urls)

    def override(self, *, api_url: str | None = None, ws_url: str | None = None,
                 oauth_url: str | None = None) -> Endpoints:
        """A copy with the given URLs replaced, each validated.

        An ``api_url`` given without a ``ws_url`` also moves the WebSocket to that host
        (``http`` -> ``ws``, ``https`` -> ``wss``, plus ``/ws``), so pointing the API at a local
        simulator does not leave the stream talking to production.

        Raises:
            InvalidEndpoint: a URL is not usable (the message names the option).
        """
        changes: dict[str, str] = {}
        if api_url is not None:
            changes["api_url"] = check_url(api_url, option="--api-url", schemes=_HTTP_SCHEMES)
            if ws_url is None:
                changes["ws_url"] = _derived_ws_url(changes["api_url"])
        if ws_url is not None:
            changes["ws_url"] = check_url(ws_url, option="--ws-url", schemes=_WS_SCHEMES)
        if oauth_url is not None:
            changes["oauth_url"] = check_url(oauth_url, option="--oauth-url",
                                             schemes=_HTTP_SCHEMES)
        return replace(self, **changes)

    @property
    def graphql_url(self) -> str:
        """GraphQL endpoint: ``{api}/hyperion`` as Astras builds it (alor-api.md 1.1, 4)."""
        return self.api_url + "/hyperion"
