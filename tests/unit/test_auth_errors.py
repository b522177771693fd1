"""Typed errors and the safety of their messages (alor-api.md 2.0; CONTRACT: no tokens)."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest

from alortui.alor.errors import (
    BadRequest,
    Forbidden,
    HttpError,
    NotAuthorized,
    NotFound,
    RateLimited,
    ServerError,
    SubscriptionRejected,
    UnknownInstrument,
    http_error,
    network_error,
    parse_retry_after,
)
from alortui.alor.redact import Secret, clean_server_text, redact

JWT = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJQMDM5MDA0IiwiZXhwIjoxfQ.c2lnbmF0dXJl"


@pytest.mark.parametrize(("status", "kind"), [
    (400, BadRequest), (401, NotAuthorized), (403, Forbidden), (404, NotFound),
    (429, RateLimited), (500, ServerError), (503, ServerError), (418, HttpError),
])
def test_each_status_has_its_type(status: int, kind: type[HttpError]) -> None:
    error = http_error(status, "", what="GET /md/v2/time")
    assert type(error) is kind
    assert error.status == status
    assert str(error).startswith("GET /md/v2/time: ")


def test_404_on_an_instrument_path_is_unknown_instrument() -> None:
    error = http_error(404, "", what="GET /md/v2/Securities/MOEX/NOPE", instrument=True)
    assert isinstance(error, UnknownInstrument)
    assert isinstance(error, NotFound)
    assert "unknown instrument" in str(error)


def test_anonymous_401_says_it_needs_authorization() -> None:
    assert "needs authorization" in str(http_error(401, anonymous=True, what="GET x"))
    assert "needs authorization" not in str(http_error(401, what="GET x"))


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 2.5 ") == 2.5
    now = time.time()
    in_30s = formatdate(now + 30, usegmt=True)
    assert parse_retry_after(in_30s, now=now) == pytest.approx(30, abs=1)
    assert parse_retry_after(formatdate(now - 100, usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("nan") is None
    error = http_error(429, "", retry_after="12")
    assert isinstance(error, RateLimited)
    assert error.retry_after == 12.0
    assert "retry after 12 s" in str(error)


def test_server_text_is_redacted_flattened_and_truncated() -> None:
    body = f"\x1b[31mbad\u202etoken {JWT}\r\nBearer abc.def " + "x" * 500
    error = http_error(500, body, what="GET /md/v2/time")
    text = str(error)
    assert JWT not in text and "abc.def" not in text
    assert "\x1b" not in text and "\u202e" not in text and "\n" not in text
    assert len(error.message) <= 200
    assert error.message.endswith("…")


def test_redact_masks_given_secrets_and_any_jwt() -> None:
    assert redact(f"a {JWT} b my-refresh c", "my-refresh") == "a <redacted> b <redacted> c"
    assert clean_server_text("") == ""


def test_secret_never_shows_itself() -> None:
    secret = Secret("refresh-123")
    assert "refresh-123" not in repr(secret)
    assert "refresh-123" not in str(secret)
    assert "refresh-123" not in f"{[secret]}"
    assert secret.reveal() == "refresh-123"
    assert secret == Secret("refresh-123")


def test_subscription_rejected_keeps_alors_message() -> None:
    error = SubscriptionRejected(400, "Instrument not found\x1b", what="QuotesSubscribe MOEX:X")
    assert error.http_code == 400
    assert error.message == "Instrument not found"
    assert str(error) == "QuotesSubscribe MOEX:X: rejected with 400: Instrument not found"


def test_network_error_explains_a_bare_timeout() -> None:
    assert str(network_error("GET /md/v2/time", TimeoutError())) == "GET /md/v2/time: timed out"
    refused = network_error("connect", ConnectionRefusedError(111, "Connection refused"))
    assert "Connection refused" in str(refused)
