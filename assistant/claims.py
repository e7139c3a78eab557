"""Claims: a figure in a sentence, with what it measures, whom it is about and when.

Two figures can only disagree when they are claims about the same thing. So each figure of
the kind a question asks for becomes a claim that also records
- what it measures: words in its clause, or else in the clauses next to it (`计提` a
  write-down, `营收` revenue, `算力` performance); a specific measure (a write-down)
  outranks a generic one (a loss) beside it;
- whom it is about: the places, companies and models named in its clause, or else in the
  nearest clause before it in the sentence that names one (`中国区贡献13%的营收` is about
  China, `47%的营收来自美国` about the US);
- when: the years of its sentence, or else the last year named earlier in its passage.

Claims are comparable when they share the unit and nothing known about them differs. The
question is read the same way (`AskedFigure`): a claim fits it when nothing it says contradicts
the question and it measures what the question asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from assistant.figures import ANY_FIGURE, expected_units, unit_kind, years
from assistant.lexical import LATIN_WORD
from assistant.relevance import TermWeights
from assistant.textnorm import normalize

_LAST_SENTENCE = re.compile(r"[^？?。！!]+[？?。！!]*\s*$")
CLAUSE = re.compile(r"[^，,；;。！？!?()（）]+")
SUBJECT_KINDS = ("place", "company", "model")
LINE_ITEMS = frozenset({"write-down", "price", "market value", "profit", "investment", "pay"})
NARROWING_KINDS = ("place", "model")  # a company is often left out of a question that names its model

# what a figure measures, found in its clause and the clauses next to it (normalised text)
_SPECIFIC_MEASURES = {
    "write-down": r"计提|减记|减值|计减|冲销|核销|准备金|储备费用|write[- ]?downs?|impairments?|charges?",
    "change": r"增长|增速|同比|环比|增幅|下滑|缩减|萎缩|暴跌|跌幅|涨幅|growth|grew|rose|fell|declined?|shrink",
    "price": r"单价|售价|零售价|定价|报价|价格|prices?|priced",
    "market value": r"市值|股价|market (?:value|cap)",
    "performance": r"性能|算力|计算能力|能效|performance|computing power|compute",
    "cost": r"成本|costs?",
    "profit": r"利润|净利|盈利|profits?|earnings",
    "investment": r"投资|投入|融资|研发支出|研发费用|investments?|invested|r&d",
    "pay": r"年薪|薪酬|工资|salary|pay",
    "capacity": r"容量|显存|内存|带宽|memory|bandwidth",
}
# generic measures count only when no specific one is near: a write-down is also called a loss
_GENERIC_MEASURES = {
    "revenue": r"营收|收入|销售|卖了|销量|出货|revenue|sales|sold|shipments?",
    "loss": r"损失|亏损|蒸发|loss(?:es)?",
}
_SHARE = re.compile(r"占|share of|accounts? for")
_SPECIFIC = {name: re.compile(pattern) for name, pattern in _SPECIFIC_MEASURES.items()}
_GENERIC = {name: re.compile(pattern) for name, pattern in _GENERIC_MEASURES.items()}
# Latin words with a digit that are not models: precisions and figures with their unit
_NOT_A_MODEL = re.compile(r"(?:fp|bf|tf|int)\d+|\d+(?:\.\d+)?(?:tflops|pflops|gb|tb|mb|nm|w|kw|ghz|mhz|k|m|b|x)")


@dataclass(frozen=True)
class Evidence:
    """A sentence picked as evidence: its passage number, article and text, and the text of
    its passage before it (where a year named earlier still holds)."""

    n: int
    article_id: str
    text: str
    before: str = ""


@dataclass(frozen=True)
class Claim:
    evidence: Evidence
    unit: str
    value: str
    about: float  # how much the figure's clause (and sentence) is about the question
    years: frozenset[str]
    measures: frozenset[str]
    subjects: Mapping[str, frozenset[str]]  # kind → canonical names
    own: frozenset[str] = frozenset()  # the kinds of subject named in the figure's own clause

    @property
    def figure(self) -> str:
        return f"{self.value}{self.unit}"

    @property
    def numeric(self) -> bool:
        """Whether the value is in digits, so it can be compared (`二十亿元` answers, not compares)."""
        return self.value[0].isdigit()

    def comparable(self, other: Claim) -> bool:
        """Whether the two figures can be about the same thing: same unit, and neither the
        year, the measure nor the named places, companies or models differ."""
        return (self.unit == other.unit and _agree(self.years, other.years)
                and (self.measures == other.measures or bool(self.measures & other.measures))
                and _subjects_agree(self.subjects, other.subjects))


def most_about(claims: Iterable[Claim], relative: float) -> list[Claim]:
    """The claims whose aboutness is within `relative` of the best one's, most about the
    question first (ties: the earlier passage)."""
    pool = list(claims)
    top = max((c.about for c in pool), default=0.0)
    return sorted((c for c in pool if c.about >= relative * top), key=lambda c: (-c.about, c.evidence.n))


def _agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Unknown on either side agrees; two known sets must share a member."""
    return not a or not b or bool(a & b)


def _subjects_agree(a: Mapping[str, frozenset[str]], b: Mapping[str, frozenset[str]]) -> bool:
    return all(_agree(a.get(kind, frozenset()), b.get(kind, frozenset())) for kind in SUBJECT_KINDS)


@dataclass(frozen=True)
class AskedFigure:
    """What a question asks about a figure: the units, and whatever it says of the measure,
    the subjects and the years. A claim that contradicts any of these is about something else
    (a question about China's revenue is not answered by a figure about the US)."""

    units: frozenset[str]
    terms: frozenset[str]  # the question's terms, for the claims' aboutness
    weights: TermWeights
    measures: frozenset[str] = frozenset()
    subjects: Mapping[str, frozenset[str]] = field(default_factory=dict)
    years: frozenset[str] = frozenset()

    @property
    def kinds(self) -> set[str]:
        """What the asked units measure, whatever their magnitude (`多少块` asks for `10万块` too)."""
        return {unit_kind(u) for u in self.units}

    @classmethod
    def nothing(cls) -> AskedFigure:
        """A question that asks for no figure."""
        return cls(frozenset(), frozenset(), TermWeights({}, 0))

    @classmethod
    def of(cls, question: str, terms: Iterable[str], weights: TermWeights) -> AskedFigure:
        norm = normalize(question)
        # a follow-up read with the question before it (`H20的性能是多少？ 那它的价格呢？`) asks
        # for the unit and measure of its own last sentence; the names may come from either
        found = _LAST_SENTENCE.search(norm)
        last = found.group(0) if found else ""
        units = expected_units(last) or expected_units(norm)
        measures = measures_of(last) or measures_of(norm)
        return cls(frozenset(units), frozenset(terms), weights, measures,
                   names_in(norm), frozenset().union(*years(norm)))

    def read(self, evidence: Iterable[Evidence]) -> list[Claim]:
        """Every figure of the asked kind in the evidence, as claims (none when no figure is asked)."""
        return [claim for item in evidence for claim in claims_in(item, self)] if self.units else []

    def fitting(self, claims: Iterable[Claim]) -> list[Claim]:
        """The claims that fit the question (`fits`)."""
        return [claim for claim in claims if self.fits(claim)]

    def answered_by(self, claims: Iterable[Claim]) -> bool:
        """Whether a figure question can be answered: some claim could answer it (`could_answer`).
        True when the question asks for no figure."""
        return not self.units or any(self.could_answer(c) for c in claims)

    def fits(self, claim: Claim) -> bool:
        """Nothing the claim says contradicts the question, and it measures what it asks."""
        return self._consistent(claim) and (not self.measures or bool(self.measures & claim.measures))

    def could_answer(self, claim: Claim) -> bool:
        """Nothing the claim says contradicts the question, and a question about a place gets
        a figure about a place. The measure is not required: the articles' wording of what a
        figure measures (`暴增至`, `斥资`) is too varied to refuse on."""
        named = self.measures & LINE_ITEMS
        return (self._consistent(claim) and (not self.subjects.get("place") or bool(claim.subjects.get("place")))
                and (not named or bool(named & claim.measures)))

    def _consistent(self, claim: Claim) -> bool:
        """The claim's places, companies, models and years agree with the question's, and it
        is not narrower than asked: a figure whose own clause names a place or model the
        question does not name (`中国区营收` for a question about the total, `H20卖了` for one
        about a region) is about something else."""
        narrower = any(kind in claim.own and not self.subjects.get(kind) for kind in NARROWING_KINDS)
        return not narrower and _agree(self.years, claim.years) and _subjects_agree(self.subjects, claim.subjects)


def claims_in(evidence: Evidence, asked: AskedFigure) -> list[Claim]:
    """The figures of the asked kind in one sentence, as claims.

    Aboutness mixes the coverage of the question by the clause that holds the figure and by
    the whole sentence, so that a figure about something else in the same sentence loses."""
    sentence = normalize(evidence.text)
    clauses = CLAUSE.findall(sentence)
    when = frozenset().union(*(years(sentence) or years(normalize(evidence.before))[-1:]))
    terms, weights = set(asked.terms), asked.weights
    sentence_cover = weights.coverage(terms, sentence)
    found: list[Claim] = []
    named: list[dict[str, frozenset[str]]] = []
    for i, clause in enumerate(clauses):
        figures = [m for m in ANY_FIGURE.finditer(clause) if unit_kind(m.group("unit").lower()) in asked.kinds]
        if not figures:
            continue
        about = weights.coverage(terms, clause) + 0.5 * sentence_cover
        named = named or [names_in(c) for c in clauses]  # once per sentence, when it holds a figure
        subjects = subjects_of(named, i)
        own = frozenset(named[i])
        found.extend(Claim(evidence, m.group("unit").lower(), m.group("value"), about, when,
                           _measure(clauses, i, m.start()), subjects, own) for m in figures)
    return found


def _measure(clauses: Sequence[str], i: int, at: int) -> frozenset[str]:
    """What the figure at `at` in clause `i` measures. A share (`约占…的32%`, `占比为13.1%`)
    measures what an earlier clause names (`这笔费用…准备金`: the write-down's share); any
    other figure, what its own clause names, or else the clauses beside it."""
    if _SHARE.search(clauses[i][:at]):
        earlier = next(filter(None, map(measures_of, reversed(clauses[:i]))), frozenset())
        return earlier or measures_of(clauses[i])
    return measures_of(clauses[i]) or measures_of(" ".join(clauses[max(0, i - 1):i + 2]))


def measures_of(text: str) -> frozenset[str]:
    specific = frozenset(name for name, pattern in _SPECIFIC.items() if pattern.search(text))
    return specific or frozenset(name for name, pattern in _GENERIC.items() if pattern.search(text))


def subjects_of(named: Sequence[Mapping[str, frozenset[str]]], i: int) -> dict[str, frozenset[str]]:
    """Per kind, the names in clause `i`, or else in the nearest clause before it naming one
    (`named`: the names of each clause of the sentence, `names_in`)."""
    subjects: dict[str, frozenset[str]] = {}
    for kind in SUBJECT_KINDS:
        nearest = next((n[kind] for n in reversed(named[:i + 1]) if n.get(kind)), frozenset())
        if nearest:
            subjects[kind] = nearest
    return subjects


def names_in(normalized: str) -> dict[str, frozenset[str]]:
    """Places, companies and models a normalised text names, by kind. Model numbers (`h20`,
    `910c`) are found by pattern; a product family (`昇腾`) counts only when no number does."""
    tokens = set(LATIN_WORD.findall(normalized))
    found: dict[str, set[str]] = {}
    for kind, canonical, alias in _gazetteer():
        if alias.search(normalized):
            found.setdefault(kind, set()).add(canonical)
    numbers = {t for t in tokens if _is_model_number(t)}
    if numbers:
        found["model"] = numbers
    return {kind: frozenset(names) for kind, names in found.items()}


def _is_model_number(token: str) -> bool:
    return (any(c.isdigit() for c in token) and any(c.isalpha() for c in token)
            and not _NOT_A_MODEL.fullmatch(token))


@cache
def _gazetteer() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(kind, canonical name, alias pattern) from the packaged `data/names_zh.tsv`. Aliases
    are normalised; a Latin alias must stand as a whole word (`us` is not in `bus`)."""
    text = resources.files("assistant").joinpath("data/names_zh.tsv").read_text(encoding="utf-8")
    rows: list[tuple[str, str, re.Pattern[str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, canonical, aliases = line.split("\t")
        for alias in map(normalize, aliases.split("|")):
            word = re.escape(alias)
            rows.append((kind, canonical, re.compile(rf"(?<![a-z0-9]){word}(?![a-z0-9])" if alias.isascii() else word)))
    return tuple(rows)
