# ruff: noqa: E501  (one row per instrument reads best; the names are Russian)
"""The simulated exchange's instruments: real MOEX/SPBX names with real-looking reference data.

Each class is a compact table (one row per instrument) turned into :class:`InstrumentSpec` values
by a small builder. Boards and types follow alor-api.md 6.2-6.3: futures on ``RFUD`` with
``"Фьючерсный контракт <code>"`` as their type, SPB instruments on board ``SPBX`` with type ``t``.
Prices are late-2026 levels; bond prices are derived from a target yield so the quoted yield is
consistent with the coupon and maturity.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from alortui.models import InstrumentKey
from alortui.sim.bonds import BondTerms, price_for_yield
from alortui.sim.spec import InstrumentSpec, Kind

PRICED_ON = date(2026, 11, 25)
"""Date the bond yields below refer to."""
NEVER = datetime(2099, 12, 31, tzinfo=UTC).timestamp()
"""ALOR's ``cancellation`` for instruments that do not expire."""

# symbol, short name, description, issuer, type, ISIN, lot, min step, price, face, sector, activity
SHARES = (
    ("SBER", "Сбербанк", "Сбербанк России ПАО ао", "ПАО Сбербанк", "CS", "RU0009029540", 10, 0.01, 300.0, 3, "Финансы", 1.0),
    ("SBERP", "Сбербанк-п", "Сбербанк России ПАО ап", "ПАО Сбербанк", "PS", "RU0009029557", 10, 0.01, 299.0, 3, "Финансы", 0.6),
    ("GAZP", "ГАЗПРОМ ао", "ГАЗПРОМ ао", "ПАО «Газпром»", "CS", "RU0007661625", 10, 0.01, 130.0, 5, "Нефть и газ", 0.85),
    ("LKOH", "ЛУКОЙЛ", "НК ЛУКОЙЛ (ПАО) - ао", "ПАО «ЛУКОЙЛ»", "CS", "RU0009024277", 1, 0.5, 7000.0, 0.025, "Нефть и газ", 0.7),
    ("GMKN", "ГМКНорНик", "ГМК Норильский никель ПАО ао", "ПАО «ГМК «Норильский никель»", "CS", "RU0007288411", 10, 0.02, 125.0, 1, "Металлы и добыча", 0.55),
    ("ROSN", "Роснефть", "НК Роснефть ПАО ао", "ПАО «НК «Роснефть»", "CS", "RU000A0J2Q06", 1, 0.05, 450.0, 0.01, "Нефть и газ", 0.55),
    ("NVTK", "Новатэк ао", "НОВАТЭК ПАО ао", "ПАО «НОВАТЭК»", "CS", "RU000A0DKVS5", 1, 0.2, 1150.0, 0.1, "Нефть и газ", 0.45),
    ("TATN", "Татнфт 3ао", "Татнефть ПАО ао", "ПАО «Татнефть» им. В.Д. Шашина", "CS", "RU0009033591", 1, 0.1, 620.0, 1, "Нефть и газ", 0.45),
    ("MGNT", "Магнит ао", "Магнит ПАО ао", "ПАО «Магнит»", "CS", "RU000A0JKQU8", 1, 0.5, 4500.0, 0.01, "Потребительский сектор", 0.4),
    ("MTSS", "МТС-ао", "МТС ПАО ао", "ПАО «МТС»", "CS", "RU0007775219", 10, 0.05, 220.0, 0.1, "Телекоммуникации", 0.45),
    ("PLZL", "Полюс", "Полюс ПАО ао", "ПАО «Полюс»", "CS", "RU000A0JNAA8", 1, 0.2, 2100.0, 1, "Металлы и добыча", 0.45),
    ("YDEX", "Яндекс", "МКПАО Яндекс ао", "МКПАО «Яндекс»", "CS", "RU000A107T19", 1, 0.5, 4200.0, 0.01, "Информационные технологии", 0.65),
    ("VTBR", "ВТБ ао", "ВТБ ПАО ао", "Банк ВТБ (ПАО)", "CS", "RU000A0JP5V6", 1, 0.005, 80.0, 50, "Финансы", 0.75),
    ("AFLT", "Аэрофлот", "Аэрофлот-росс.авиалин(ПАО)ао", "ПАО «Аэрофлот»", "CS", "RU0009062285", 10, 0.01, 60.0, 1, "Транспорт", 0.55),
    ("CHMF", "СевСт-ао", "Северсталь (ПАО)ао", "ПАО «Северсталь»", "CS", "RU0009046510", 1, 0.2, 1100.0, 0.01, "Металлы и добыча", 0.4),
    ("NLMK", "НЛМК ао", "НЛМК ПАО ао", "ПАО «НЛМК»", "CS", "RU0009046452", 10, 0.02, 120.0, 1, "Металлы и добыча", 0.35),
    ("ALRS", "АЛРОСА ао", "АЛРОСА ПАО ао", "ПАО «АЛРОСА»", "CS", "RU0007252813", 10, 0.01, 45.0, 0.5, "Металлы и добыча", 0.35),
    ("MOEX", "МосБиржа", "ПАО Московская Биржа ао", "ПАО Московская Биржа", "CS", "RU000A0JR4A1", 10, 0.01, 180.0, 1, "Финансы", 0.45),
    ("SNGS", "Сургнфгз", "Сургутнефтегаз ПАО ао", "ПАО «Сургутнефтегаз»", "CS", "RU0008926258", 100, 0.005, 22.5, 1, "Нефть и газ", 0.45),
    ("SNGSP", "Сургнфгз-п", "Сургутнефтегаз ПАО ап", "ПАО «Сургутнефтегаз»", "PS", "RU0009029524", 100, 0.005, 45.0, 1, "Нефть и газ", 0.4),
    ("T", "Т-Техно ао", "МКПАО \"Т-Технологии\" ао", "МКПАО «Т-Технологии»", "CS", "RU000A107UL4", 1, 0.2, 3000.0, 0.01, "Финансы", 0.5),
    ("IRAO", "ИнтерРАОао", "Интер РАО ЕЭС ОАО ао", "ПАО «Интер РАО»", "CS", "RU000A0JPNM1", 100, 0.0005, 3.2, 2.809, "Электроэнергетика", 0.4),
    ("MAGN", "ММК", "Магнитогорский мет.комб ао", "ПАО «ММК»", "CS", "RU0009084396", 10, 0.005, 35.0, 1, "Металлы и добыча", 0.35),
    ("PHOR", "ФосАгро ао", "ФосАгро ПАО ао", "ПАО «ФосАгро»", "CS", "RU000A0JRKT8", 1, 1.0, 6800.0, 2.5, "Химия", 0.2),
    ("RUAL", "РУСАЛ ао", "МКПАО РУСАЛ ао", "МКПАО «РУСАЛ»", "CS", "RU000A1025V3", 10, 0.005, 35.0, 0.01, "Металлы и добыча", 0.35),
    ("PIKK", "ПИК ао", "ПИК СЗ (ПАО) ао", "ПАО «ПИК СЗ»", "CS", "RU000A0JP7J7", 1, 0.1, 550.0, 0.0625, "Строительство", 0.25),
    ("POSI", "Позитив", "Positive Technologies ао", "ПАО «Группа Позитив»", "CS", "RU000A103X66", 1, 0.2, 1300.0, 0.5, "Информационные технологии", 0.3),
    ("HYDR", "РусГидро", "РусГидро ПАО ао", "ПАО «РусГидро»", "CS", "RU000A0JPKH7", 1000, 0.0001, 0.52, 1, "Электроэнергетика", 0.35),
)  # fmt: skip

# symbol, short name, description, ISIN, price, min step, activity, daily volatility
ETFS = (
    ("TMOS", "Т-Капитал Индекс МосБиржи", "БПИФ Т-Капитал Индекс МосБиржи", "RU000A101X76", 7.0, 0.001, 0.55, 0.013),
    ("SBMX", "Первая Топ Рос. акций", "БПИФ Первая Топ Российских акций", "RU000A0ZZ5R2", 16.5, 0.001, 0.3, 0.013),
    ("LQDT", "ВИМ Ликвидность", "БПИФ ВИМ - Ликвидность", "RU000A1014L8", 1.85, 0.0001, 0.6, 0.0004),
    ("TGLD", "Т-Капитал Золото", "БПИФ Т-Капитал Золото", "RU000A101X50", 11.0, 0.01, 0.3, 0.012),
)  # fmt: skip

# symbol, number, ISIN, coupon %, maturity, yield %, activity
OFZ = (
    ("SU26238RMFS4", "26238", "RU000A1038V6", 7.10, "2041-05-15", 14.2, 0.5),
    ("SU26243RMFS4", "26243", "RU000A106E90", 9.80, "2038-05-19", 14.3, 0.45),
    ("SU26240RMFS0", "26240", "RU000A103BR0", 7.00, "2036-07-30", 14.2, 0.35),
    ("SU26248RMFS9", "26248", "RU000A108EH4", 12.25, "2040-05-16", 14.3, 0.5),
    ("SU26207RMFS9", "26207", "RU000A0JS3W6", 8.15, "2027-02-03", 13.0, 0.25),
)  # fmt: skip

# ISIN (= symbol), short name, description, issuer, coupon %, maturity, yield %, activity
CORPORATE = (
    ("RU000A1082K7", "РЖД 1Р-27R", "РЖД БО 001P-27R", "ОАО «РЖД»", 12.6, "2029-03-20", 15.8, 0.2),
    ("RU000A109KY4", "ГПН 3Р-08R", "Газпром нефть БО 003P-08R", "ПАО «Газпром нефть»", 15.5, "2028-10-12", 16.2, 0.2),
    ("RU000A107HR8", "МТС 2P-03", "МТС ПАО БО 002P-03", "ПАО «МТС»", 14.0, "2027-09-03", 17.1, 0.15),
    ("RU000A10AHM8", "Магнит4P04", "Магнит ПАО БО 004P-04", "ПАО «Магнит»", 16.5, "2029-06-15", 17.4, 0.15),
)  # fmt: skip

# symbol, code, underlying, expiry, price, min step, price step, contract size, margin rate,
# open interest, activity, daily volatility
FUTURES = (
    ("SiZ6", "Si-12.26", "курс доллар США - российский рубль", "2026-12-17", 92000.0, 1.0, 1.0, 1000, 0.12, 1_600_000, 0.9, 0.008),
    ("SiH7", "Si-3.27", "курс доллар США - российский рубль", "2027-03-18", 94300.0, 1.0, 1.0, 1000, 0.12, 250_000, 0.35, 0.008),
    ("BRF7", "BR-1.27", "нефть Brent", "2026-12-30", 68.5, 0.01, 9.2, 10, 0.16, 400_000, 0.75, 0.02),
    ("MXZ6", "MIX-12.26", "Индекс МосБиржи", "2026-12-17", 280000.0, 25.0, 25.0, 1, 0.15, 60_000, 0.55, 0.015),
    ("SRZ6", "SBRF-12.26", "обыкновенные акции ПАО Сбербанк", "2026-12-17", 30450.0, 1.0, 1.0, 100, 0.14, 450_000, 0.65, 0.02),
    ("CRZ6", "CNY-12.26", "курс китайский юань - российский рубль", "2026-12-17", 12.75, 0.001, 1.0, 1000, 0.1, 900_000, 0.5, 0.007),
    ("GDZ6", "GOLD-12.26", "золото", "2026-12-17", 4050.0, 0.1, 9.2, 1, 0.14, 300_000, 0.35, 0.015),
)  # fmt: skip

# symbol, short name, description, price, min step, lot, activity
CURRENCIES = (
    ("USD000UTSTOM", "USDRUB_TOM", "Доллар США (расчеты завтра)", 92.0, 0.0025, 1000, 0.3),
    ("CNYRUB_TOM", "CNYRUB_TOM", "Юань (расчеты завтра)", 12.6, 0.0005, 1000, 0.8),
    ("EUR_RUB__TOM", "EURRUB_TOM", "Евро (расчеты завтра)", 101.5, 0.0025, 1000, 0.2),
    ("GLDRUB_TOM", "GLDRUB_TOM", "Золото (расчеты завтра)", 11900.0, 0.01, 1, 0.3),
)  # fmt: skip

# symbol, short name, description, ISIN, price, face, sector, activity
SPB = (
    ("AAPL", "Apple", "Apple Inc.", "US0378331005", 270.0, 0.00001, "Информационные технологии", 0.35),
    ("MSFT", "Microsoft", "Microsoft Corporation", "US5949181045", 500.0, 0.00000625, "Информационные технологии", 0.3),
    ("NVDA", "NVIDIA", "NVIDIA Corporation", "US67066G1040", 180.0, 0.001, "Информационные технологии", 0.35),
    ("AMZN", "Amazon", "Amazon.com, Inc.", "US0231351067", 230.0, 0.01, "Потребительский сектор", 0.25),
    ("TSLA", "Tesla", "Tesla, Inc.", "US88160R1014", 400.0, 0.001, "Потребительский сектор", 0.3),
    ("GOOGL", "Alphabet", "Alphabet Inc. Class A", "US02079K3059", 280.0, 0.001, "Коммуникационные услуги", 0.25),
)  # fmt: skip

_READABLE = {"CS": "Акция обыкновенная", "PS": "Акция привилегированная"}
_SHARE_CFI = {"CS": "ESVUFR", "PS": "EPNXXR"}


def _utc(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()


def _shares() -> list[InstrumentSpec]:
    return [
        InstrumentSpec(
            InstrumentKey("MOEX", sym, "TQBR"), "FOND", Kind.SHARE, short, desc, issuer, kind,
            _READABLE[kind], sector, "RUB", isin, _SHARE_CFI[kind], lot, face, step,
            round(step * lot, 6), price, act, 0.02, NEVER,
        )
        for sym, short, desc, issuer, kind, isin, lot, step, price, face, sector, act in SHARES
    ]


def _etfs() -> list[InstrumentSpec]:
    return [
        InstrumentSpec(
            InstrumentKey("MOEX", sym, "TQTF"), "FOND", Kind.ETF, short, desc, desc, "MF",
            "Пай биржевого ПИФа", "Фонды", "RUB", isin, "CEOGEU", 1, 0.0, step, step, price, act,
            vol, NEVER,
        )
        for sym, short, desc, isin, price, step, act, vol in ETFS
    ]


def _bond(key: InstrumentKey, short: str, desc: str, issuer: str, isin: str, coupon: float,
          maturity: str, yield_: float, act: float, *, sovereign: bool) -> InstrumentSpec:
    terms = BondTerms(1000.0, coupon / 100, date.fromisoformat(maturity))
    step = 0.001 if sovereign else 0.01
    price = round(price_for_yield(terms, yield_, PRICED_ON), 3 if sovereign else 2)
    return InstrumentSpec(
        key, "FOND", Kind.BOND, short, desc, issuer, "EUSOV" if sovereign else "CORP",
        "Облигация федерального займа" if sovereign else "Корпоративная облигация",
        "Государственный сектор" if sovereign else "Облигации", "RUB", isin,
        "DBFTFR" if sovereign else "DBFSFR", 1, 1000.0, step, round(step * 10, 6), price, act,
        0.004 if sovereign else 0.003, _utc(maturity), bond=terms,
    )


def _bonds() -> list[InstrumentSpec]:
    ofz = [
        _bond(InstrumentKey("MOEX", sym, "TQOB"), f"ОФЗ {num}",
              f"ОФЗ-ПД {num} {date.fromisoformat(mat):%d/%m/%Y}", "Минфин России", isin, coupon,
              mat, yld, act, sovereign=True)
        for sym, num, isin, coupon, mat, yld, act in OFZ
    ]
    corporate = [
        _bond(InstrumentKey("MOEX", isin, "TQCB"), short, desc, issuer, isin, coupon, mat, yld,
              act, sovereign=False)
        for isin, short, desc, issuer, coupon, mat, yld, act in CORPORATE
    ]
    return ofz + corporate


def _futures() -> list[InstrumentSpec]:
    return [
        InstrumentSpec(
            InstrumentKey("MOEX", sym, "RFUD"), "FORTS", Kind.FUTURE, code,
            f"Фьючерсный контракт {code} на {under}", f"Фьючерсный контракт {code}",
            f"Фьючерсный контракт {code}", "Фьючерсный контракт", "Срочный рынок", "RUB", None,
            "FFXCSX", 1, size, step, pstep, price, act, vol, _utc(expiry), margin_rate=margin,
            open_interest=oi, limit_rate=0.07,
        )
        for sym, code, under, expiry, price, step, pstep, size, margin, oi, act, vol in FUTURES
    ]


def _currencies() -> list[InstrumentSpec]:
    return [
        InstrumentSpec(
            InstrumentKey("MOEX", sym, "CETS"), "CURR", Kind.CURRENCY, short, desc, desc, "FOR",
            "Валюта", "Валютный рынок", "RUB", None, "MRCXXX", lot, 1.0, step,
            round(step * lot, 6), price, act, 0.007, NEVER,
        )
        for sym, short, desc, price, step, lot, act in CURRENCIES
    ]


def _spb() -> list[InstrumentSpec]:
    return [
        InstrumentSpec(
            InstrumentKey("SPBX", sym, "SPBX"), "SPBX", Kind.SHARE, short, desc, desc, "t",
            "Акция иностранного эмитента", sector, "USD", isin, "ESVUFR", 1, face, 0.01, 0.01,
            price, act, 0.022, NEVER,
        )
        for sym, short, desc, isin, price, face, sector, act in SPB
    ]


CATALOG: tuple[InstrumentSpec, ...] = (
    *_shares(), *_etfs(), *_bonds(), *_futures(), *_currencies(), *_spb()
)
"""Every simulated instrument, one board each (the board is also the primary board)."""
