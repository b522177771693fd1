"""Fault matrix item 2 on screen: while the link is down, rows go stale with their age; when
data returns they are fresh again.

The real app on the real service, through :class:`TcpProxy`: the proxy stops (the socket is
reset, every reconnect refused) and starts again on the same port. ``stale_after`` is one
second so the test need not wait the default 30.
"""

from __future__ import annotations

import re
from typing import Any

from hardening_helpers import GAZP, SBER, screen_text, until
from rich.segment import Segment
from tcp_proxy import TcpProxy

from alortui.models import InstrumentKey
from alortui.service.api import Link
from alortui.ui.app import AlorTUI

STALE_AFTER = 1.0
AGE = re.compile(r"(<1s|\d+s)$")


def row_segments(app: AlorTUI, key: InstrumentKey) -> list[Segment]:
    """The segments of ``key``'s line as the watchlist draws it now."""
    table = app.watchlist_screen.table
    index = table.order.index_of(key)
    assert index is not None
    return list(table.render_line(index + 1 - int(table.scroll_offset.y)))


def row_text(app: AlorTUI, key: InstrumentKey) -> str:
    return "".join(segment.text for segment in row_segments(app, key)).rstrip()


def looks_stale(app: AlorTUI, key: InstrumentKey) -> bool:
    """Whether every word of the row is drawn in the theme's stale colour."""
    stale = app.watchlist_screen.table.get_component_rich_style("watchlist-table--stale").color
    words = [s for s in row_segments(app, key) if s.text.strip()]
    return bool(words) and all(s.style is not None and s.style.color == stale for s in words)


def age_of(app: AlorTUI, key: InstrumentKey) -> str | None:
    """The age the row shows (``None`` before its first value)."""
    match = AGE.search(row_text(app, key))
    return match.group(1) if match else None


async def test_rows_are_stale_with_their_age_while_reconnecting_then_fresh_again(
        proxy: TcpProxy, make_service: Any) -> None:
    service = await make_service(port=proxy.port)
    keys = (SBER, GAZP)
    app = AlorTUI(service, watchlists={"W": list(keys)}, theme="textual-dark",
                  stale_after=STALE_AFTER)
    async with app.run_test(size=(140, 30)):
        await until(lambda: all(age_of(app, k) == "<1s" for k in keys), 5.0, "live rows")
        assert not any(looks_stale(app, k) for k in keys)

        await proxy.stop()  # the link drops, and stays down
        await until(lambda: all(looks_stale(app, k) for k in keys), 5.0, "stale rows")
        assert service.status.link is Link.RECONNECTING
        assert "reconnecting" in screen_text(app).splitlines()[0]
        before = {k: age_of(app, k) for k in keys}
        assert all(age and age != "<1s" for age in before.values()), before
        await until(lambda: all(age_of(app, k) != before[k] for k in keys), 4.0, "ages counting")
        assert all(looks_stale(app, k) for k in keys)

        await proxy.start()  # back on the same port: data returns
        await until(lambda: not any(looks_stale(app, k) for k in keys), 6.0, "fresh rows")
        assert all(age_of(app, k) == "<1s" for k in keys)
        assert service.status.link is Link.CONNECTED
