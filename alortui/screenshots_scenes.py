"""What ``alortui screenshots`` shows: the scenes, their watchlists and the frozen moment.

Each :class:`Scene` is one SVG in ``screenshots/``: a size, a theme, a data mode and the keys a
user would press to get there from the watchlist. The README embeds them by file name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from alortui.config import DEFAULT_WATCHLIST
from alortui.models import InstrumentKey

SEED = 1
"""The simulator's seed: the same market ``alortui --demo`` starts with."""

START = datetime(2026, 11, 25, 10, 30, 45, tzinfo=UTC).timestamp()
"""The frozen moment: 13:30:45 MSK on a Wednesday, 45 s into the minute so the tape has trades
(the market warms up the current minute at start)."""

NOT_READY = ("Waiting for quotes", "waiting for", "loading")
"""Placeholders the screens show until their data arrives: no capture while one is visible."""

WIDE = (160, 50)
SMALL = (80, 24)


def _keys(*texts: str) -> list[InstrumentKey]:
    return [InstrumentKey.parse(text) for text in texts]


WATCHLISTS: dict[str, list[InstrumentKey]] = {
    "Shares": _keys(*DEFAULT_WATCHLIST, "MOEX:YDEX", "MOEX:T", "MOEX:MTSS", "MOEX:CHMF"),
    "Bonds": _keys(
        "MOEX:SU26238RMFS4:TQOB",
        "MOEX:SU26243RMFS4:TQOB",
        "MOEX:SU26240RMFS0:TQOB",
        "MOEX:SU26248RMFS9:TQOB",
        "MOEX:RU000A1082K7:TQCB",
        "MOEX:RU000A109KY4:TQCB",
    ),
    "Futures": _keys("MOEX:SiZ6:RFUD", "MOEX:BRF7:RFUD", "MOEX:MXZ6:RFUD", "MOEX:GDZ6:RFUD"),
}
"""Lists shown in the screenshots; the first row of each is the one a scene opens."""


@dataclass(frozen=True, slots=True)
class Scene:
    """One screenshot.

    Attributes:
        name: File stem (``screenshots/{name}.svg``).
        caption: What it shows, for the README and the command's output.
        theme: Bundled theme name.
        size: Terminal columns and lines.
        anonymous: Run without a token: DELAYED mode, 15-minute-old data.
        watchlist: The watchlist shown first.
        keys: Keys pressed once the watchlist shows its data (Textual key names).
        expect: Texts the screen must show before it is captured.
    """

    name: str
    caption: str
    theme: str = "dark"
    size: tuple[int, int] = WIDE
    anonymous: bool = False
    watchlist: str = "Shares"
    keys: tuple[str, ...] = ()
    expect: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        """The SVG's file name."""
        return f"{self.name}.svg"


def _themed(name: str, caption: str, **fields: object) -> list[Scene]:
    return [
        Scene(name=f"{name}-{theme}", caption=f"{caption} ({theme} theme)", theme=theme,
              **fields)
        for theme in ("dark", "light")
    ]


SCENES: tuple[Scene, ...] = (
    *_themed("watchlist", "Watchlist", expect=("DEMO", "SBER", "Сбербанк")),
    *_themed("depth", "Depth of book and trade tape of SBER", keys=("enter",),
             expect=("spread", "Trades")),
    *_themed("info-share", "Instrument info of a share (SBER)", keys=("i",),
             expect=("ISIN", "RU0009029540", "closes")),
    *_themed("info-bond", "Instrument info of an OFZ bond", watchlist="Bonds", keys=("i",),
             expect=("ISIN", "SU26238RMFS4", "closes")),
    Scene("portfolio-dark", "Portfolio screen of the demo stock portfolio (dark theme)",
          keys=("P",), expect=("Buying power", "RUB cash", "Today's trades")),
    Scene("watchlist-80x24", "Watchlist in an 80x24 terminal", size=SMALL,
          expect=("DEMO", "SBER")),
    Scene("delayed-watchlist", "Anonymous mode: quotes 15 minutes old", anonymous=True,
          expect=("DELAYED 15 MIN", "SBER", "Сбербанк")),
    Scene("delayed-depth", "Anonymous mode: depth of book needs authorization",
          anonymous=True, keys=("enter",), expect=("DELAYED 15 MIN", "needs authorization")),
)
"""Every screenshot, in README order."""
