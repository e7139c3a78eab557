"""Figures in text: what unit a figure has, what kind of quantity a unit measures, and what
kind of figure a question asks for (a price, a count, a share, a spec)."""

from __future__ import annotations

import re

from assistant.textnorm import normalize

_UNIT = (r"(?P<unit>"
         r"万?(?:枚|块|颗|台|名|家|张)|"  # counts
         r"(?:万亿|亿|万)(?:美元|元|人民币)?|美元|元|"  # money (and bare 亿/万 magnitudes)
         r"%|tflops|pflops|gb|tb/s|nm|纳米|w\b|瓦)")
FIGURE = re.compile(r"(?P<value>\d+(?:\.\d+)?)\s*" + _UNIT, re.IGNORECASE)  # compared across sources
# any figure, also in Chinese numerals (`二十亿元`): what kinds of figure a text holds
ANY_FIGURE = re.compile(r"(?P<value>\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+)\s*" + _UNIT, re.IGNORECASE)
_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s?(?:(?P<fiscal>财年|財年)|(?=年))")

_ASKED_AMOUNT = re.compile(r"多少|几")
_RATIO_WORDS = re.compile(r"比例|占比|比重|份额|几成|百分|%|(?:是|有|为|占).{0,12}的多少|相当于|高出多少|提升了?多少|"
                          r"percent|share|proportion|ratio|how much (?:lower|higher|more|less|cheaper|faster)")
_MONEY_WORDS = re.compile(r"亿|万|美元|元|营收|收入|损失|计提|减记|价格|单价|售价|零售价|定价|报价|金额|投资|市值|利润|"
                          r"费用|年薪|薪酬|收盘价|股价|price|cost|revenue|sales|loss|write[- ]?down|salary|worth")
_COUNT_WORDS = re.compile(r"(?:多少|几)(?:块|枚|颗|台|名|家|张|个)|how many")
_SPEC_WORDS = re.compile(r"算力|容量|带宽|功耗|制程|fp16|fp8|flops|bandwidth|memory|power|process")
_MONEY_UNITS = {"万亿美元", "亿美元", "万美元", "万亿元", "亿元", "万元", "万亿", "亿", "万", "美元", "元",
                "万亿人民币", "亿人民币", "万人民币"}
_COUNT_CHARS = "枚块颗台名家张"
_COUNT_UNITS = {f"{m}{u}" for m in ("", "万") for u in _COUNT_CHARS}
_SPEC_UNITS = {"tflops", "pflops", "gb", "tb/s", "nm", "纳米", "w", "瓦"}
_MAGNITUDE = re.compile(r"^(?:万亿|亿|万)")


def expected_units(question: str) -> set[str]:
    """The kind of figure a question asks for (empty when it asks for none): disagreements are
    only looked for there, and a question asking for a figure needs evidence that has one."""
    norm = normalize(question)
    # `多少亿美元` asks for 亿美元 (digits only: the `一家` of `一家公司` is no unit asked for)
    explicit = _units(FIGURE, _ASKED_AMOUNT.sub("1", norm))
    if explicit:
        return explicit
    for words, units in ((_RATIO_WORDS, {"%"}), (_COUNT_WORDS, _COUNT_UNITS), (_MONEY_WORDS, _MONEY_UNITS),
                         (_SPEC_WORDS, _SPEC_UNITS)):
        if words.search(norm):
            return set(units)
    return set()


def _units(pattern: re.Pattern[str], text: str) -> set[str]:
    return {m.group("unit").lower() for m in pattern.finditer(text)}


def figure_kinds(normalized: str) -> set[str]:
    """What the figures in a normalised text measure (`unit_kind`), Chinese numerals included."""
    return {unit_kind(u) for u in _units(ANY_FIGURE, normalized)}


def unit_kind(unit: str) -> str:
    """What a unit measures, whatever its magnitude: `10万块` and `多少块` are both counts."""
    bare = _MAGNITUDE.sub("", unit)
    if bare in {"", "美元", "元", "人民币"}:
        return "money"
    if bare in _COUNT_CHARS:
        return "count"
    return "flops" if bare.endswith("flops") else bare


def years(text: str) -> list[set[str]]:
    """The years a text names, in order: `2024年` is {2024}; a fiscal year (`2025财年`) spans
    two calendar years, so it may be either {2024, 2025}."""
    found = []
    for m in _YEAR.finditer(text):
        year = int(m.group("year"))
        found.append({str(year - 1), str(year)} if m.group("fiscal") else {str(year)})
    return found
