"""What the instrument information screen says: labelled values grouped in sections.

Pure functions, no Textual. Values come from the GraphQL ``instrument`` node (alor-api.md 4) and
the live quote (2.4); every string the server sent is cleaned of control characters here and is
drawn as plain text by the panel (style.md section 4).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from alortui.models import InstrumentInfo, Quote, price_decimals
from alortui.ui.formatting import (
    MISSING,
    clean_text,
    fmt_change,
    fmt_clock,
    fmt_datetime,
    fmt_percent,
    fmt_price,
    fmt_volume,
    is_bond,
    msk,
)

TRADING_STATUS = {
    17: "normal trading",
    18: "closed, no trading",
    2: "trading break",
    118: "opening period",
    119: "opening auction",
    103: "closing period",
    102: "closing auction",
    120: "trading at the closing-auction price",
    106: "large-block auction",
    107: "discrete auction",
}
"""ALOR ``tradingStatus`` codes in words (alor-api.md 6.3)."""

Section = tuple[str, list[tuple[str, str]]]
"""A titled group of (label, value) lines."""


def status_words(code: int | None, info_text: str | None = None) -> str:
    """A trading status in English, with ALOR's own (Russian) description when it has one."""
    if code is None:
        return clean_text(info_text) or MISSING
    words = TRADING_STATUS.get(code, f"status {code}")
    detail = clean_text(info_text)
    return f"{words} ({detail})" if detail else words


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _date(value: object) -> str:
    """A date from a timestamp or an ISO string (alor-api.md 6.4: naive ISO is UTC)."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return clean_text(value)
        return parsed.date().isoformat()
    number = _number(value)
    return msk(number).date().isoformat() if number is not None else MISSING


def _kind(readable: str | None, code: str | None) -> str:
    """``"Акция обыкновенная (CS)"``; a free-text type (futures, alor-api.md 6.3) stands alone."""
    readable, code = clean_text(readable), clean_text(code)
    if code and " " not in code:
        return f"{readable} ({code})" if readable else code
    return code or readable or MISSING


def _pick(extra: Mapping[str, object], *names: str) -> object:
    return next((extra[name] for name in names if extra.get(name) is not None), None)


def is_future(info: InstrumentInfo) -> bool:
    """Whether the instrument is a futures contract (FORTS market, CFI ``F…``)."""
    return info.market == "FORTS" or (info.cfi_code or "").upper().startswith("F")


class InfoContent:
    """Builds the panel's sections from reference data and the latest quote."""

    def __init__(self, info: InstrumentInfo, quote: Quote | None = None) -> None:
        self.info, self.quote = info, quote
        self.decimals = price_decimals(info.min_step or 0.0)
        self.percent = is_bond(info.type)

    def price(self, value: float | None) -> str:
        """A price on the instrument's grid (bonds in % of face value)."""
        return fmt_price(value, self.decimals, percent=self.percent)

    def sections(self) -> list[Section]:
        """Every section that applies to this instrument, in display order."""
        sections = [self.identity(), self.trading(), self.today()]
        if self.percent or "couponRate" in self.info.extra:
            sections.append(self.bond())
        elif is_future(self.info):
            sections.append(self.future())
        return sections

    def identity(self) -> Section:
        """Symbol, names, ISIN, type, exchange, board, currency."""
        i = self.info
        kind = _kind(i.readable_type, i.type)
        board = clean_text(i.key.board or i.primary_board) or MISSING
        if i.is_primary_board is False and i.primary_board:
            board += f" (primary {clean_text(i.primary_board)})"
        return "Instrument", [
            ("Symbol", clean_text(i.key.symbol)),
            ("Short name", clean_text(i.short_name) or MISSING),
            ("Full name", clean_text(i.full_name or i.description) or MISSING),
            ("ISIN", clean_text(i.isin) or MISSING),
            ("Type", kind),
            ("Exchange", " · ".join(clean_text(t) for t in (i.key.exchange, i.market) if t)),
            ("Board", board),
            ("Currency", clean_text(i.currency) or MISSING),
        ]

    def trading(self) -> Section:
        """Lot, tick, tick value, price limits and status."""
        i = self.info
        tick_value = MISSING
        if i.price_step is not None:
            tick_value = f"{fmt_volume(i.price_step)} {clean_text(i.currency)} per lot".strip()
        limits = f"{self.price(i.price_min)} to {self.price(i.price_max)}"
        return "Trading", [
            ("Lot size", fmt_volume(i.lot_size)),
            ("Tick", fmt_price(i.min_step, self.decimals)),
            ("Tick value", tick_value),
            ("Price limits", limits if i.price_min or i.price_max else MISSING),
            ("Status", status_words(i.trading_status, i.trading_status_info)),
        ]

    def today(self) -> Section:
        """Today's numbers: the live quote where there is one, else the reference snapshot."""
        i, q = self.info, self.quote or Quote(self.info.key)
        last = q.last if q.last is not None else i.price
        change = q.change if q.change is not None else i.daily_growth
        percent = q.change_percent if q.change_percent is not None else i.daily_growth_percent
        prev_close = q.prev_close if q.prev_close is not None else i.closing_price
        rows = [
            ("Last", self.price(last)),
            ("Last trade", f"{fmt_clock(q.last_time)} MSK" if q.last_time else MISSING),
            ("Change", f"{fmt_change(change, self.decimals)}  {fmt_percent(percent)}"),
            ("Open · High · Low", " · ".join(self.price(v) for v in (q.open, q.high, q.low))),
            ("Prev. close", self.price(prev_close)),
            ("Bid · Ask", f"{self.price(q.bid)} · {self.price(q.ask)}"),
            ("Volume, lots", fmt_volume(q.volume if q.volume is not None else i.trade_volume)),
            ("Turnover", f"{fmt_volume(i.trade_amount)} {clean_text(i.currency)}".strip()),
        ]
        if q.open_interest:
            rows.append(("Open interest", fmt_volume(q.open_interest)))
        return "Today", rows

    def bond(self) -> Section:
        """Face value, coupon, maturity, yield and accrued interest."""
        extra, q, currency = self.info.extra, self.quote, clean_text(self.info.currency)
        face = _number(_pick(extra, "currentFaceValue", "faceValue"))
        face = face if face is not None else q.face_value if q else None
        rate = _number(_pick(extra, "couponRate"))
        coupon = MISSING if rate is None else f"{rate:.2f}%"
        if (coupon_type := clean_text(_pick(extra, "couponType"))) and rate is not None:
            coupon += f" ({coupon_type})"
        yield_ = q.yield_ if q and q.yield_ is not None else _number(_pick(extra, "yield"))
        accrued = q.accrued_interest if q and q.accrued_interest is not None else None
        accrued = accrued if accrued is not None else _number(_pick(extra, "accruedInterest"))
        maturity = _pick(extra, "maturityDate") or self.info.cancellation
        return "Bond", [
            ("Face value", f"{fmt_volume(face)} {currency}".strip()),
            ("Coupon", coupon),
            ("Maturity", _date(maturity)),
            ("Yield", fmt_percent(yield_).lstrip("+")),
            ("Accrued interest", f"{fmt_price(accrued, 2)} {currency}".strip()),
        ]

    def future(self) -> Section:
        """Expiry and margins."""
        extra, currency = self.info.extra, clean_text(self.info.currency) or "RUB"
        rows = [("Expiry", fmt_datetime(self.info.cancellation))]
        for label, name in (("Margin buy", "marginBuy"), ("Margin sell", "marginSell")):
            value = _number(_pick(extra, name))
            rows.append((label, f"{fmt_price(value, 2)} {currency}" if value else MISSING))
        theor = _number(_pick(extra, "theorPrice"))
        if theor is not None:
            rows.append(("Theoretical price", self.price(theor)))
        return "Futures", rows
