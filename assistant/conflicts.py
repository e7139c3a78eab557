"""Detect sources that disagree: different figures of the same unit about the same thing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer import Conflict
from assistant.relevance import TermWeights
from assistant.textnorm import normalize

_UNIT = (r"(?P<unit>"
         r"万?(?:枚|块|颗|台|名|家|张)|"  # counts
         r"(?:万亿|亿|万)(?:美元|元|人民币)?|美元|元|"  # money (and bare 亿/万 magnitudes)
         r"%|tflops|pflops|gb|tb/s|nm|纳米|w\b|瓦)")
_FIGURE = re.compile(r"(?P<value>\d+(?:\.\d+)?)\s*" + _UNIT, re.IGNORECASE)  # compared across sources
# any figure, also in Chinese numerals (`二十亿元`): what kinds of figure a text holds
_ANY_FIGURE = re.compile(r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+)\s*" + _UNIT, re.IGNORECASE)
RELATIVE_ABOUTNESS = 0.6
_YEAR = re.compile(r"(?:19|20)\d{2}(?=\s?(?:年|财年|財年))")
_CLAUSE = re.compile(r"[^，,；;。！？!?()（）]+")


@dataclass(frozen=True)
class Evidence:
    """A sentence picked as evidence: its passage number, article and text."""

    n: int
    article_id: str
    text: str


def figures_of(evidence: Evidence, terms: set[str], weights: TermWeights) -> dict[str, tuple[float, str]]:
    """Per unit, (aboutness, value) of the figure whose clause is most about the question.

    Aboutness mixes the coverage of the question by the clause that holds the figure and by
    the whole sentence, so that a figure about something else in the same sentence loses."""
    sentence = normalize(evidence.text)
    sentence_cover = weights.coverage(terms, sentence)
    best: dict[str, tuple[float, str]] = {}
    for clause in _CLAUSE.findall(sentence):
        about = weights.coverage(terms, clause) + 0.5 * sentence_cover
        for match in _FIGURE.finditer(clause):
            unit = match.group("unit").lower()
            if unit not in best or about > best[unit][0]:
                best[unit] = (about, match.group("value"))
    return best


def figure_of(evidence: Evidence, terms: set[str], weights: TermWeights) -> dict[str, str]:
    return {unit: value for unit, (_, value) in figures_of(evidence, terms, weights).items()}


_ASKED_AMOUNT = re.compile(r"多少|几")
_RATIO_WORDS = re.compile(r"比例|占比|比重|份额|几成|百分|%|是.{1,12}的多少|相当于|高出多少|提升了?多少|"
                          r"percent|share|proportion|ratio|how much (?:lower|higher|more|less|cheaper|faster)")
_MONEY_WORDS = re.compile(r"亿|万|美元|元|营收|收入|损失|计提|减记|价格|单价|售价|零售价|定价|报价|金额|投资|市值|利润|"
                          r"费用|年薪|薪酬|收盘价|股价|price|cost|revenue|sales|loss|write-?down|salary|worth")
_COUNT_WORDS = re.compile(r"(?:多少|几)(?:块|枚|颗|台|名|家|张|个)|how many")
_SPEC_WORDS = re.compile(r"算力|容量|带宽|功耗|制程|fp16|fp8|flops|bandwidth|memory|power|process")
_MONEY_UNITS = {"万亿美元", "亿美元", "万美元", "万亿元", "亿元", "万元", "万亿", "亿", "万", "美元", "元",
                "万亿人民币", "亿人民币", "万人民币"}
_COUNT_CHARS = "枚块颗台名家张"
_COUNT_UNITS = {f"{m}{u}" for m in ("", "万") for u in _COUNT_CHARS}
_SPEC_UNITS = {"tflops", "pflops", "gb", "tb/s", "nm", "纳米", "w", "瓦"}


def expected_units(question: str) -> set[str]:
    """The kind of figure a question asks for (empty when it asks for none): disagreements are
    only looked for there, and a question asking for a figure needs evidence that has one."""
    norm = normalize(question)
    # `多少亿美元` asks for 亿美元 (digits only: the `一家` of `一家公司` is no unit asked for)
    explicit = _units(_FIGURE, _ASKED_AMOUNT.sub("1", norm))
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
    return {unit_kind(u) for u in _units(_ANY_FIGURE, normalized)}


_MAGNITUDE = re.compile(r"^(?:万亿|亿|万)")


def unit_kind(unit: str) -> str:
    """What a unit measures, whatever its magnitude: `10万块` and `多少块` are both counts."""
    bare = _MAGNITUDE.sub("", unit)
    if bare in {"", "美元", "元", "人民币"}:
        return "money"
    if bare in _COUNT_CHARS:
        return "count"
    return "flops" if bare.endswith("flops") else bare


def _years(text: str) -> set[str]:
    return set(_YEAR.findall(text))


def _same_value(a: str, b: str) -> bool:
    """171 and 171.08 are the same figure, rounded."""
    x, y = float(a), float(b)
    return abs(x - y) <= 0.01 * max(abs(x), abs(y))


def find_conflicts(evidence: Sequence[Evidence], terms: set[str], weights: TermWeights, units: set[str],
                   relative: float = RELATIVE_ABOUTNESS) -> list[Conflict]:
    """Units for which different articles give different values for the same thing.

    Each article speaks once per unit, with its figure most about the question; a figure much
    less about the question than the best one is about something else; figures tied to
    different years are not compared; rounding differences are not disagreements."""
    per_article: dict[tuple[str, str], tuple[float, str, int, set[str]]] = {}
    for item in evidence:
        years = _years(item.text)
        for unit, (about, value) in figures_of(item, terms, weights).items():
            key = (unit, item.article_id)
            if unit not in units:
                continue
            if key not in per_article or about > per_article[key][0]:
                per_article[key] = (about, value, item.n, years)
    conflicts = []
    for unit in {u for u, _ in per_article}:
        sides = [v for (u, _), v in per_article.items() if u == unit]
        top = max(about for about, *_ in sides)
        sides = [s for s in sides if s[0] >= relative * top]
        values: dict[str, list[int]] = {}
        anchor = max(sides, key=lambda s: s[0])
        for _about, value, n, years in sides:
            if anchor[3] and years and not anchor[3] & years:
                continue
            same = next((v for v in values if _same_value(v[: -len(unit)], value)), None)
            values.setdefault(same or f"{value}{unit}", []).append(n)
        if len(values) > 1:
            conflicts.append(Conflict(unit, {v: sorted(set(ns)) for v, ns in values.items()}))
    return conflicts
