"""Endpoints: ALOR's hosts per environment and validated user overrides (alor-api.md 1.1)."""

from __future__ import annotations

import pytest

from alortui.alor.endpoints import Endpoints
from alortui.alor.errors import InvalidEndpoint


def test_prod_and_dev_use_alors_hosts() -> None:
    prod = Endpoints.for_env("prod")
    assert prod == Endpoints("https://api.alor.ru", "wss://api.alor.ru/ws",
                             "https://oauth.alor.ru")
    dev = Endpoints.for_env(" DEV ")
    assert dev == Endpoints("https://apidev.alor.ru", "wss://apidev.alor.ru/ws",
                            "https://oauthdev.alor.ru")
    assert dev.graphql_url == "https://apidev.alor.ru/hyperion"


def test_unknown_environment_names_the_choices() -> None:
    with pytest.raises(InvalidEndpoint, match="'prod' or 'dev'"):
        Endpoints.for_env("staging")


def test_loopback_overrides_are_accepted_and_normalised() -> None:
    ends = Endpoints.for_env("prod").override(api_url="http://127.0.0.1:8080/",
                                              oauth_url="http://127.0.0.1:8080")
    assert ends.api_url == "http://127.0.0.1:8080"
    assert ends.oauth_url == "http://127.0.0.1:8080"
    assert ends.graphql_url == "http://127.0.0.1:8080/hyperion"


def test_api_override_moves_the_websocket_along() -> None:
    assert Endpoints.for_env("prod").override(api_url="http://[::1]:9000").ws_url == (
        "ws://[::1]:9000/ws")
    assert Endpoints.for_env("dev").override(api_url="https://proxy.example/alor").ws_url == (
        "wss://proxy.example/alor/ws")


def test_explicit_ws_override_wins() -> None:
    ends = Endpoints.for_env("prod").override(api_url="http://127.0.0.1:1",
                                              ws_url="ws://127.0.0.1:2/ws")
    assert ends.ws_url == "ws://127.0.0.1:2/ws"
    assert Endpoints.for_env("prod").override(ws_url="wss://x.example/ws").api_url == (
        "https://api.alor.ru")


@pytest.mark.parametrize(("option", "url", "why"), [
    ("api_url", "api.alor.ru", "scheme"),
    ("api_url", "ftp://api.alor.ru", "scheme"),
    ("api_url", "wss://api.alor.ru", "scheme"),
    ("ws_url", "https://api.alor.ru/ws", "scheme"),
    ("api_url", "http://", "no host"),
    ("oauth_url", "https://oauth.alor.ru/?token=x", "query"),
    ("api_url", "https://user:pw@api.alor.ru", "credentials"),
    ("api_url", "http://127.0.0.1:99999", "out of range"),
    ("api_url", "http://127.0.0.1:0", "port 0"),
    ("ws_url", "ws://local host/ws", "spaces"),
    ("api_url", "", "empty"),
])
def test_nonsense_urls_get_a_clear_error(option: str, url: str, why: str) -> None:
    with pytest.raises(InvalidEndpoint) as caught:
        Endpoints.for_env("prod").override(**{option: url})
    message = str(caught.value)
    assert "--" + option.replace("_", "-") in message
    assert why in message
    assert "expected" in message
    assert isinstance(caught.value, ValueError)
