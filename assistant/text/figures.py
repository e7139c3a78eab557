"""Figures in text: numbers with their unit, and dates, read with language knowledge only.

A figure is a number (digits, or Chinese numerals) with an optional magnitude (`万`, `亿`,
`million`) and unit (a currency, `%`, a measure word such as `辆`/`名`/`场`, a unit of measure
such as `公里`/`GB`), or a date (`2024年8月11日`, `8月11日`, `2024-08-11`, `11 August 2024`).
Its *kind* is what it counts or measures, whatever its magnitude: `55亿美元` and `4500万美元`
are both `money:usd`, `3.2万辆` and `800辆` both `count:辆`. Two figures can only disagree
when they are of one kind; their value (magnitudes applied) says by how much.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

# `兆` is 10^12 in Taiwan, Hong Kong and Japanese usage (`8.1兆日圓`); `兆瓦` (a unit) is not read as one
_MAGNITUDES = {"万亿": 1e12, "兆": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4,
               "千": 1e3,
               "trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "thousand": 1e3}
# currencies (language knowledge: the words and signs for money), mapped to one code
_CURRENCIES = {
    "美元": "usd", "美金": "usd", "$": "usd", "us$": "usd", "usd": "usd", "dollars": "usd", "dollar": "usd",
    "元": "cny", "人民币": "cny", "元人民币": "cny", "rmb": "cny", "yuan": "cny", "cny": "cny", "¥": "cny", "块钱": "cny",
    "欧元": "eur", "€": "eur", "eur": "eur", "euros": "eur", "euro": "eur",
    "英镑": "gbp", "£": "gbp", "gbp": "gbp", "pounds": "gbp", "pound": "gbp",
    "日元": "jpy", "日圆": "jpy", "yen": "jpy", "港元": "hkd", "港币": "hkd", "hk$": "hkd",
    "新台币": "twd", "台币": "twd", "nt$": "twd", "韩元": "krw", "卢布": "rub", "卢比": "inr",
    "印尼盾": "idr", "rupiah": "idr", "泰铢": "thb", "越南盾": "vnd", "新加坡元": "sgd", "新元": "sgd",
    "澳元": "aud", "加元": "cad", "瑞士法郎": "chf", "法郎": "chf",
}
_PERCENT = ("%", "％", "个百分点", "百分点", "percent", "per cent", "percentage points", "pct")
# units of measure and Chinese measure words (language knowledge)
_UNITS = (
    "平方公里 平方米 平方公尺 公顷 公里 千米 公尺 公分 厘米 毫米 英里 英寸 英吋 吋 寸 米 奈米 纳米 坪 公斤 千克 毫克 克 吨 升 毫升 桶 立方米 "
    "千瓦时 兆瓦 吉瓦 千瓦 瓩 瓦 度 摄氏度 ℃ 小时 分钟 秒 天 周 个月 年 岁 倍 "
    "名 人次 人 位 个 家 辆 台 部 架 艘 座 所 场 次 席 宗 单 趟 班 站 枚 块 颗 张 件 套 条 篇 本 首 届 支 队 只 头 户 票 剂 例 粒 份 股 项 起 "
    "分 球 胜 负 平 金 银 铜 枚 层 楼 "
    "nm gb tb mb kb km kg mw gw kwh tflops pflops ghz mhz mph km/h"
).split()
_EN_UNITS = ("people persons vehicles cars units votes seats goals points games matches doses cases deaths "
             "years months weeks days hours minutes seconds km miles kilometres kilometers metres meters kilograms grams "
             "tonnes tons barrels").split()
_DIGITS = r"\d+(?:,\d{3})*(?:\.\d+)?"
_ZH_NUMERALS = "零〇一二两三四五六七八九十百千"
_NUMBER = rf"(?:{_DIGITS}|[{_ZH_NUMERALS}]{{1,8}}(?=[万亿千百]|{'|'.join(map(re.escape, ['名', '个', '位', '家', '辆', '场', '次', '倍']))}))"


def is_unit(word: str) -> bool:
    """Whether a (normalised) word is a unit of measure or a currency (`gb`, `km`, `usd`)."""
    return word in _UNIT_WORDS


def _alternation(words: list[str] | tuple[str, ...] | set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MAGNITUDE_RE = _alternation(list(_MAGNITUDES))
_UNIT_RE = _alternation([*_CURRENCIES, *_PERCENT, *_UNITS])
_UNIT_WORDS = frozenset(w.lower() for w in [*_CURRENCIES, *_PERCENT, *_UNITS, *_EN_UNITS])
_EN_UNIT_RE = _alternation(_EN_UNITS)
# a magnitude is not read where a unit begins (`1千瓦` is a kilowatt, not a thousand watts)
FIGURE = re.compile(
    rf"(?P<pre>us\$|hk\$|nt\$|[$€£¥])?\s?(?P<value>{_NUMBER})\s?(?P<mag>(?!{_UNIT_RE})(?:{_MAGNITUDE_RE}))?\s?"
    rf"(?:多|余)?(?P<unit>{_UNIT_RE}|(?:{_EN_UNIT_RE})\b)?", re.IGNORECASE)  # `3400多名`, `100余家`: about
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
MONTH_NAMES = tuple(_MONTHS)  # English month names, in order (normalised: lower case)
_MONTH_RE = _alternation([*_MONTHS, *(m[:3] for m in _MONTHS)])
DATE = re.compile(
    r"(?P<y1>(?:19|20)\d{2})\s?年\s?(?P<m1>\d{1,2})\s?月(?:\s?(?P<d1>\d{1,2})\s?[日号])?"
    r"|(?<!\d)(?P<m2>\d{1,2})\s?月\s?(?P<d2>\d{1,2})\s?[日号]"
    r"|(?P<y3>(?:19|20)\d{2})[-/.](?P<m3>\d{1,2})[-/.](?P<d3>\d{1,2})"
    rf"|(?P<d4>\d{{1,2}})\s(?P<mon4>{_MONTH_RE})\.?,?\s(?P<y4>(?:19|20)\d{{2}})"
    rf"|(?P<mon5>{_MONTH_RE})\.?\s(?P<d5>\d{{1,2}})(?:st|nd|rd|th)?,?(?:\s(?P<y5>(?:19|20)\d{{2}}))?"
    r"|(?<![\d.])(?P<m6>1[0-2]|0?[1-9])\s?月(?![\d])",
    re.IGNORECASE)
# a year: `2024年`, `2025财年`, or a bare 19xx/20xx that no unit follows (`2000辆`, `1999元` are amounts)
_YEAR = re.compile(r"(?<!\d)(?<!\d[.,])(?P<year>(?:19|20)\d{2})(?:\s?(?P<fiscal>财年|財年|fiscal)|\s?年|(?!\d|[.,]\d|%|\s?[\u4e00-\u9fff]))")


@dataclass(frozen=True)
class Figure:
    """One figure in a normalised text: its text, kind, value (magnitudes applied; None when
    it is in Chinese numerals or a date) and span."""

    text: str
    kind: str
    value: float | None
    start: int
    end: int

    @property
    def numeric(self) -> bool:
        return self.value is not None


_EN_NUMBERS = {w: float(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())} | {"thirty": 30.0, "forty": 40.0, "fifty": 50.0, "sixty": 60.0,
                                                     "seventy": 70.0, "eighty": 80.0, "ninety": 90.0,
                                                     "hundred": 100.0, "dozen": 12.0}
_EN_COUNT = re.compile(rf"\b(?P<value>{_alternation(list(_EN_NUMBERS))})\s(?P<noun>[a-z]+s)\b")


def find_figures(normalized: str) -> list[Figure]:
    """Dates, then numbers with a magnitude or unit, in a normalised text (bare numbers, such
    as years or list numbers, are not figures)."""
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []
    for m in DATE.finditer(normalized):
        found.append(Figure(m.group(0), "date", _date_value(m), m.start(), m.end()))
        taken.append(m.span())
    for m in FIGURE.finditer(normalized):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        kind = _kind(m)
        if kind is None:
            continue
        found.append(Figure(m.group(0).strip(), kind, _value(m), m.start(), m.end()))
        taken.append(m.span())
    for m in _EN_COUNT.finditer(normalized):  # `two infections`, `six generic drug makers`
        if not any(a < m.end() and m.start() < b for a, b in taken):
            noun = m.group("noun")
            found.append(Figure(m.group(0), f"count:{_SAME_UNIT.get(noun, noun)}", _EN_NUMBERS[m.group("value")],
                                m.start(), m.end()))
    return _ranges_shared(sorted(found, key=lambda f: f.start), normalized)


# `120亿-150亿美元`, `3至5万辆`, `10~12%`: the first end of a range takes the unit the second one
# writes (number formats; language knowledge)
_RANGE_GAP = re.compile(r"\s?(?:-|－|–|—|~|～|至|到|to)\s?")


def _ranges_shared(figures: list[Figure], normalized: str) -> list[Figure]:
    """A bare amount (`120亿`, a magnitude and no unit) that opens a range gets the kind of the
    figure closing it."""
    out = list(figures)
    for i, (first, second) in enumerate(itertools.pairwise(figures)):
        if first.kind == "count" and second.kind not in {"count", "date"} and \
                _RANGE_GAP.fullmatch(normalized[first.end:second.start]):
            out[i] = Figure(first.text, second.kind, first.value, first.start, first.end)
    return out


# one unit, several words (language knowledge: regional and written variants)
_SAME_UNIT = {"吋": "英寸", "寸": "英寸", "inch": "英寸", "inches": "英寸", "公尺": "米", "千米": "公里", "km": "公里",
              "千克": "公斤", "kg": "公斤", "奈米": "纳米", "nm": "纳米", "平方公尺": "平方米", "瓩": "千瓦", "kw": "千瓦",
              "mw": "兆瓦", "gw": "吉瓦", "kwh": "千瓦时", "度": "千瓦时", "人次": "人", "名": "人", "位": "人",
              "people": "人", "persons": "人", "tonnes": "吨", "tons": "吨", "miles": "英里", "hours": "小时",
              "minutes": "分钟", "days": "天", "years": "年", "months": "个月", "weeks": "周", "seconds": "秒",
              "kilometres": "公里", "kilometers": "公里", "metres": "米", "meters": "米", "kilograms": "公斤",
              "grams": "克", "台": "辆", "vehicles": "辆", "cars": "辆"}


# a percentage right after one of these words is a change (`同比增长66%`, `rose 5%`), not a share or level
CHANGE_WORDS = re.compile(r"(?:增长|增加|增幅|上升|上涨|下降|下滑|下跌|减少|降幅|涨幅|跌幅|大涨|大跌|暴涨|暴跌|增|涨|跌|降|减|"
                          r"\bgrowth\b|\bgrew\b|\brose\b|\bfell\b|\bup\b|\bdown\b|\bincreased?\b|\bdecreased?\b|"
                          r"\bdropped\b|\bjumped\b|\bclimbed\b|\bslid\b)[^，,。；;]{0,4}$")


def _kind(m: re.Match[str]) -> str | None:
    unit = (m.group("unit") or "").strip().lower()
    pre = (m.group("pre") or "").lower()
    if pre:
        return f"money:{_CURRENCIES.get(pre, pre)}"
    if unit in _CURRENCIES:
        # `新台币95万元`, `港币10元`: the currency named before the number is the one of its `元`
        named = _CURRENCY_BEFORE.search(m.string, max(0, m.start() - 6), m.start()) if unit == "元" else None
        return f"money:{_CURRENCIES[named.group(1)] if named else _CURRENCIES[unit]}"
    if unit in _PERCENT:
        return "percent:change" if CHANGE_WORDS.search(m.string[max(0, m.start() - 16):m.start()]) else "percent"
    if unit == "年" or (not unit and _YEAR.fullmatch(m.group("value"))):
        return None  # a year is a time, not a quantity (`DATE` and `years` read times)
    if unit:
        return f"count:{_SAME_UNIT.get(unit, unit)}"
    return "count" if m.group("mag") else None


_CURRENCY_BEFORE = re.compile(rf"({_alternation([c for c in _CURRENCIES if not c.isascii() and c != '元'])})\s?约?$")


def _value(m: re.Match[str]) -> float | None:
    raw = m.group("value").replace(",", "")
    value = float(raw) if raw[0].isdigit() else chinese_number(raw)
    if value is None:
        return None
    magnitude = (m.group("mag") or "").lower()
    return value * _MAGNITUDES.get(magnitude, 1.0)


def _date_value(m: re.Match[str]) -> float | None:
    """A comparable number for a date: yyyymmdd with unknown parts as 0."""
    groups = m.groupdict()
    year = next((groups[k] for k in ("y1", "y3", "y4", "y5") if groups.get(k)), None)
    month_text = next((groups[k] for k in ("m1", "m2", "m3", "m6") if groups.get(k)), None)
    month_name = next((groups[k] for k in ("mon4", "mon5") if groups.get(k)), None)
    day = next((groups[k] for k in ("d1", "d2", "d3", "d4", "d5") if groups.get(k)), None)
    month = int(month_text) if month_text else _month(month_name)
    if not month or month > 12:
        return None
    return float(int(year or 0) * 10000 + month * 100 + int(day or 0))


def _month(name: str | None) -> int:
    if not name:
        return 0
    name = name.lower().rstrip(".")
    return next((i for full, i in _MONTHS.items() if full == name or full[:3] == name), 0)


_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> float | None:
    """`三十五` → 35, `两千` → 2000; None for anything else."""
    if not text or any(ch not in _ZH_DIGITS and ch not in _ZH_UNITS for ch in text):
        return None
    total, digit = 0, 0
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        else:
            total += (digit or 1) * _ZH_UNITS[ch]
            digit = 0
    return float(total + digit)


def _decimals(figure: Figure) -> int:
    match = re.search(r"\d+(?:\.(\d+))?", figure.text.replace(",", ""))
    return len(match.group(1) or "") if match else 0


def same_value(a: Figure, b: Figure) -> bool:
    """Equal up to the rounding of the coarser figure (`171亿` and `171.08亿`, `13%` and `13.1%`;
    not `71.9%` and `72.3%`); a date without a year matches one with it."""
    if a.value is None or b.value is None:
        return a.text == b.text
    if a.kind == "date":
        x, y = int(a.value), int(b.value)
        if x // 10000 == 0 or y // 10000 == 0:  # month and day only
            x, y = x % 10000, y % 10000
        if x % 100 == 0 or y % 100 == 0:  # month only
            return x // 100 == y // 100
        return x == y
    coarser = a if _decimals(a) <= _decimals(b) else b
    scale = coarser.value / float(re.sub(r"[^\d.]", "", coarser.text.replace(",", "")) or 1) if coarser.value else 1.0
    step = 0.5 * 10 ** -_decimals(coarser) * abs(scale)  # half a unit of its last digit, magnitude applied
    return bool(abs(a.value - b.value) <= max(step, 1e-9 * max(abs(a.value), abs(b.value))))


def mask_figures(normalized: str) -> str:
    """The text with every figure (and date) removed, for comparing what figures are about."""
    spans = [(f.start, f.end) for f in find_figures(normalized)]
    out, at = [], 0
    for start, end in spans:
        out.append(normalized[at:start])
        out.append(" ")
        at = end
    out.append(normalized[at:])
    return " ".join("".join(out).split())


_MONTH_OF_YEAR = re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])\s?月(?!\d)")


_QUARTER = re.compile(r"第?([一二三四1-4])季度|\bq([1-4])\b|\b(first|second|third|fourth) quarter\b|([上下])半年"
                      r"|\b(first|second) half\b")
_QUARTER_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "first": 1, "second": 2, "third": 3, "fourth": 4}


def _quarter_months(m: re.Match[str]) -> set[int]:
    """The months of a quarter (`第二季度`, `Q2`) or a half year (`上半年`, `second half`)."""
    quarter = m.group(1) or m.group(2) or m.group(3)
    if quarter:
        q = int(quarter) if quarter.isdigit() else _QUARTER_NUMBER[quarter]
        return set(range(3 * q - 2, 3 * q + 1))
    first = m.group(4) == "上" or m.group(5) == "first"
    return set(range(1, 7)) if first else set(range(7, 13))


def months(normalized: str) -> set[int]:
    """The months of the year a normalised text names (`3月`, `3月底`, `2024-03-05`, `March`),
    and those of the quarters and half years it names (`第二季度` → 4–6, `上半年` → 1–6)."""
    found = {int(m.group(1)) for m in _MONTH_OF_YEAR.finditer(normalized)}
    for m in _QUARTER.finditer(normalized):
        found |= _quarter_months(m)
    for m in DATE.finditer(normalized):
        value = _date_value(m)
        if value:
            found.add(int(value) // 100 % 100)
    found |= {i for name, i in _MONTHS.items() if re.search(rf"\b{name}\b", normalized)}
    return {m for m in found if 1 <= m <= 12}


def year_spans(normalized: str) -> list[tuple[set[str], int, int]]:
    """Each year a normalised text names, with its span; a fiscal year (`2025财年`) may be
    either calendar year."""
    spans = []
    for m in _YEAR.finditer(normalized):
        year = int(m.group("year"))
        spans.append(({str(year - 1), str(year)} if m.group("fiscal") else {str(year)}, m.start(), m.end()))
    return spans


def years(normalized: str) -> set[str]:
    """The years a normalised text names; a fiscal year (`2025财年`) may be either calendar year."""
    return {year for found, _, _ in year_spans(normalized) for year in found}
