"""The app shell: startup, the status line, the banner, keys, help and escape."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.message import Message
from textual.screen import Screen
from ui_helpers import GAZP, SBER, screen_text

from alortui.service.api import IssueKind, Mode, StreamIssue
from alortui.ui.app import AlorTUI
from alortui.ui.formatting import fmt_price
from alortui.ui.messages import OpenDepth, OpenInfo
from alortui.ui.screens.keys import KeysScreen
from alortui.ui.widgets.banner import Banner
from alortui.ui.widgets.status_bar import StatusBar, StatusLine
from alortui.ui.widgets.watchlist_table import WatchlistTable

SIZE = (120, 40)


async def test_startup_shows_the_watchlist_with_values_from_the_service(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        security = fake.market.lookup("MOEX", "SBER", "TQBR")
        last = fake.quote(SBER).last
        assert "SBER" in text and security.short_name in text
        assert fmt_price(last, security.price_decimals) in text
        assert " DEMO " in text and "MSK 13:30:00" in text
        assert fake.quote_requests == [tuple(app.watchlists["Shares"])]


@pytest.mark.parametrize(
    ("mode", "shown", "banner"),
    [
        (Mode.LIVE, " LIVE ", None),
        (Mode.DEMO, " DEMO ", "DEMO — a simulated market"),
        (
            Mode.DELAYED,
            " DELAYED 15 MIN  as of 13:15:00",
            "DELAYED 15 MIN — anonymous data from ALOR"
            " is 15 minutes old; set ALOR_REFRESH_TOKEN for live data",
        ),
    ],
)
async def test_status_line_says_the_mode_and_the_banner_says_why_not_live(
    fake, make_app: Callable[..., AlorTUI], mode: Mode, shown: str, banner: str | None
) -> None:
    from fake_service import status_for

    fake.set_status(status_for(mode))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert shown in text.splitlines()[0]
        assert app.screen.query_one(Banner).display is (banner is not None)
        if banner:
            assert banner in text


async def test_delayed_rows_are_stale_and_fifteen_minutes_old(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    from fake_service import status_for

    fake.set_status(status_for(Mode.DELAYED))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(WatchlistTable)
        rows = [table.order.row_at(i) for i in range(len(table.order))]
        assert rows and all(row.stale for row in rows)
        assert "data 15m" in screen_text(app).splitlines()[0]
        assert all(line.rstrip().endswith("15m") for line in screen_text(app).splitlines()[4:9])


async def test_status_changes_reach_the_line_reconnect_countdown_and_auth_reason(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    from fake_service import status_for

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        now = fake.clock.now()
        fake.set_status(status_for(Mode.OFFLINE, attempt=3, next_retry_at=now + 4))
        await pilot.pause()
        first = screen_text(app).splitlines()[0]
        assert " OFFLINE " in first and "reconnecting #3 in 4s" in first
        assert "OFFLINE — no connection to ALOR" in screen_text(app)

        fake.set_status(status_for(Mode.AUTH_FAILED, reason="token [b]revoked[/b] \x1b[5m"))
        await pilot.pause()
        text = screen_text(app)
        assert " AUTH FAILED  token [b]revoked[/b]" in text.splitlines()[0]
        assert "ALOR rejected the refresh token (token [b]revoked[/b] )" in text
        assert "\x1b" not in text


async def test_status_line_is_on_every_full_screen_and_escape_goes_back(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pushed = app.with_status_bar(Screen())
        await app.push_screen(pushed)
        await pilot.pause()
        assert app.screen is pushed and pushed.query_one(StatusLine).region.y == 0
        assert " DEMO " in screen_text(app).splitlines()[0]
        await pilot.press("escape")
        assert app.screen is app.watchlist_screen
        await pilot.press("escape")  # nothing below the watchlist: stays
        assert app.screen is app.watchlist_screen


async def test_j_k_and_arrows_move_the_cursor_enter_and_i_post_intent(
    make_app: Callable[..., AlorTUI],
) -> None:
    posted: list[Message] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        table = app.screen.query_one(WatchlistTable)
        assert table.selected_key == SBER
        await pilot.press("j")
        assert table.selected_key == GAZP
        await pilot.press("down", "down", "k", "up")
        assert table.selected_key == GAZP
        await pilot.press("k", "k")
        assert table.cursor == 0
        await pilot.press("j", "i")
        await pilot.pause()
        await pilot.press("escape", "enter")
        await pilot.pause()
        # A message is seen once per node it bubbles through: count each one once.
        intents = list({id(m): m for m in posted if isinstance(m, OpenDepth | OpenInfo)}.values())
        assert [(type(m), m.key) for m in intents] == [(OpenInfo, GAZP), (OpenDepth, GAZP)]


async def test_question_mark_shows_the_keys_and_escape_hides_them(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        text = screen_text(app)
        assert "Depth" in text and "Sort" in text and "Quit" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.watchlist_screen


async def test_textual_help_panel_from_the_palette_hides_with_escape(
    make_app: Callable[..., AlorTUI],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.action_show_help_panel()  # the palette's built-in "Keys" command
        await pilot.pause()
        assert app.screen.query("HelpPanel")
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query("HelpPanel") and app.screen is app.watchlist_screen


async def test_q_quits(make_app: Callable[..., AlorTUI]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_stream_issue_is_a_message_line_not_an_empty_frame(
    fake, make_app: Callable[..., AlorTUI]
) -> None:
    fake.issue = StreamIssue(IssueKind.UNAVAILABLE, "[red]down[/] \x1b[2J")
    fake.withhold = True
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Quotes: unavailable: [red]down[/]" in text and "\x1b" not in text
        assert "SBER" in text and "—" in text  # the rows are there, with dashes
        fake.withhold = False
        fake.step()  # data arrives: the issue line goes away
        await pilot.pause()
        assert "unavailable" not in screen_text(app)


async def test_waiting_and_empty_watchlists_say_so(fake, make_app: Callable[..., AlorTUI]) -> None:
    fake.withhold = True
    app = make_app(watchlists={"Empty": [], "Waiting": [SBER]}, active_watchlist="Waiting")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Waiting for quotes…" in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert "This watchlist is empty: press a to add an instrument" in screen_text(app)


async def test_reconnect_key_calls_the_service(fake, make_app: Callable[..., AlorTUI]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert fake.reconnects == 1


async def test_open_depth_pushes_the_depth_screen_with_the_status_bar(
    make_app: Callable[..., AlorTUI],
) -> None:
    pytest.importorskip("alortui.ui.screens.depth")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DepthScreen"
        assert len(app.screen.query(StatusBar)) == 1
        await pilot.press("escape")
        assert app.screen is app.watchlist_screen


async def test_no_color_is_respected(
    monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., AlorTUI]
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.no_color
        assert any(type(f).__name__ in ("Monochrome", "NoColor") for f in app._filters)
