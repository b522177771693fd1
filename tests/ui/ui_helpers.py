"""Instruments and helpers shared by the UI tests (a plain module: conftest is not importable)."""

from __future__ import annotations

from typing import Any

from textual.app import App

from alortui.models import InstrumentKey

SBER = InstrumentKey("MOEX", "SBER", "TQBR")
GAZP = InstrumentKey("MOEX", "GAZP", "TQBR")
LKOH = InstrumentKey("MOEX", "LKOH", "TQBR")
YDEX = InstrumentKey("MOEX", "YDEX", "TQBR")
VTBR = InstrumentKey("MOEX", "VTBR", "TQBR")
OFZ = InstrumentKey("MOEX", "SU26238RMFS4", "TQOB")
SI = InstrumentKey("MOEX", "SiZ6", "RFUD")
BR = InstrumentKey("MOEX", "BRF7", "RFUD")

WATCHLISTS = {
    "Shares": [SBER, GAZP, LKOH, YDEX, VTBR],
    "Bonds": [OFZ],
    "Futures": [SI, BR],
}


def screen_text(app: App[Any]) -> str:
    """What the terminal shows right now, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def wheel(pilot: Any, widget: Any, *, down: bool = True, times: int = 1) -> None:
    """Turn the mouse wheel over ``widget`` as a terminal reports it (Pilot has no public call:
    the events go through the screen's routing to whatever is under the pointer)."""
    from textual.events import MouseScrollDown, MouseScrollUp

    for _ in range(times):
        event = MouseScrollDown if down else MouseScrollUp
        await pilot._post_mouse_events([event], widget, offset=(2, 2))
