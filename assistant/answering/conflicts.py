"""Sources that disagree: figures of one kind, from different articles, in sentences that say
the same thing about the same names, with different values.

General signals only: a figure's kind (`figures.py`), the context of its sentence with every
figure masked (IDF-weighted overlap of jieba words), the names of the clause that holds it
(jieba's proper nouns and codes: different names on both sides mean different things), the
years of the sentence, and how much the sentence is about the question. Dates are figures too.
A disagreement is a hint for the answer, never a reason to refuse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.answering.judge import Candidate
from assistant.answering.question import Asked, kind_fits
from assistant.answering.signals import name_kinds, same_thing
from assistant.answering.weights import TermWeights
from assistant.text.figures import Figure, mask_figures, same_value, year_spans, years
from assistant.text.segment import Segmenter
from assistant.types import Conflict

RELATIVE_ABOUTNESS = 0.35  # a voice's sentence covers the question at least this share of its anchor's
MIN_CONTEXT = 0.15  # IDF-weighted overlap of the two sentences' words (figures masked), over the shorter's
MAX_VOICES = 4
EVENT_CONTEXT = 0.5  # dates whose sentences share this much, and part of the question's focus, are of one event
_FUNCTION_TAGS = frozenset({"x", "w", "uj", "ul", "uz", "ug", "uv", "ud", "p", "c", "r", "y", "e", "o", "m", "q", "d"})


@dataclass(frozen=True)
class Voice:
    candidate: Candidate
    figure: Figure

    @property
    def n(self) -> int:
        return self.candidate.n


@dataclass(frozen=True)
class Disagreement:
    kind: str
    sides: dict[str, list[Voice]]  # figure as written → the voices that give it

    def conflict(self) -> Conflict:
        return Conflict(self.kind, {figure: sorted({v.n for v in voices}) for figure, voices in self.sides.items()})


class Comparer:
    """Decides whether two figures can be about the same thing (one per question)."""

    def __init__(self, asked: Asked, weights: TermWeights, segmenter: Segmenter) -> None:
        self.asked = asked
        self.weights = weights
        self.segmenter = segmenter
        self._words: dict[str, set[str]] = {}

    def kinds_asked(self, figure: Figure) -> bool:
        if self.asked.answer_type == "time":
            return figure.kind == "date"
        if self.asked.answer_type == "quantity":
            return figure.kind != "date" and kind_fits(self.asked.kinds, figure.kind)
        return self.asked.answer_type == "any"

    def context(self, a: Candidate, b: Candidate) -> float:
        """How much the two sentences share, figures masked: the IDF weight of their common
        words over that of the shorter one's words (a long sentence quoting the same thing
        among others still shares it)."""
        wa, wb = self._context_words(a), self._context_words(b)
        smaller = min(sum(self.weights.idf(w) for w in wa), sum(self.weights.idf(w) for w in wb))
        return sum(self.weights.idf(w) for w in wa & wb) / smaller if smaller else 0.0

    def comparable(self, a: Voice, b: Voice) -> bool:
        if a.figure.kind != b.figure.kind or a.candidate.article_id == b.candidate.article_id:
            return False
        if not _agree(self._years(a.candidate), self._years(b.candidate)):
            return False
        if not self._names_agree(a, b):
            return False
        context = self.context(a.candidate, b.candidate)
        fa, fb = self._focus(a.candidate), self._focus(b.candidate)
        if fa != fb and not (a.figure.kind == "date" and fa and fb and (fa <= fb or fb <= fa)
                             and context >= EVENT_CONTEXT):
            # they say different things of the question's names (revenue and wages); two dates
            # of one event may name it in other words (`发布` / `推出`) where the rest is alike
            return False
        return context >= MIN_CONTEXT

    def _focus(self, c: Candidate) -> set[str]:
        """The question's focus terms the sentence holds as written."""
        return {t for t in self.asked.focus if t in c.normalized}

    def _context_words(self, c: Candidate) -> set[str]:
        if c.normalized not in self._words:
            masked = mask_figures(c.normalized)
            self._words[c.normalized] = {t.word for t in self.segmenter.tagged(masked)
                                         if t.tag not in _FUNCTION_TAGS and len(t.word) > 1}
        return self._words[c.normalized]

    def _years(self, c: Candidate) -> set[str]:
        own = years(c.normalized)
        if own:
            return own
        # the last year its passage named before it, as written: `2025财年` may be either
        # calendar year (the fiscal year of a report on 2024)
        spans = year_spans(c.before)
        return set(spans[-1][0]) if spans else set()

    def _names_agree(self, a: Voice, b: Voice) -> bool:
        ka, kb = self._clause_names(a), self._clause_names(b)
        # one name inside the other is one thing (`中国区` and `中国`, `比亚迪` and `比亚迪股份`)
        return all(any(same_thing(x, y) for x in ka[kind] for y in kb[kind]) for kind in ka.keys() & kb.keys())

    def _clause_names(self, v: Voice) -> dict[str, set[str]]:
        """The names of the figure's subject: its clause's, or else the nearest earlier clause's."""
        text = v.candidate.normalized
        end = min([i for i in (text.find(ch, v.figure.end) for ch in "，,；;") if i >= 0] or [len(text)])
        at = v.figure.start
        while True:
            start = max(text.rfind(ch, 0, at) for ch in "，,；;") + 1
            found = name_kinds(self.segmenter.tagged(text[start:end]))
            if found or start == 0:
                return found
            at, end = start - 1, start - 1


def _agree(a: set[str], b: set[str]) -> bool:
    return not a or not b or bool(a & b)


def voices(candidates: Sequence[Candidate], comparer: Comparer, about: float | None = None) -> list[Voice]:
    """The figures of an asked kind in the candidates about the question (valid ones, whose
    coverage is within RELATIVE_ABOUTNESS of `about`: by default the best one's), best first."""
    pool = [c for c in candidates if c.names_ok and not c.swapped and any(map(comparer.kinds_asked, c.figures))]
    top = max((c.coverage for c in pool), default=0.0) if about is None else about
    ordered = sorted((c for c in pool if c.coverage >= RELATIVE_ABOUTNESS * top and top > 0),
                     key=lambda c: (-c.support, -c.coverage, c.n))
    return [Voice(c, f) for c in ordered for f in c.figures if comparer.kinds_asked(f) and f.numeric]


def find_disagreements(candidates: Sequence[Candidate], comparer: Comparer) -> list[Disagreement]:
    """At most one disagreement per kind, anchored by the voice most about the question that
    another article contradicts; each article speaks once. A voice speaks against an anchor when
    it is about the question within RELATIVE_ABOUTNESS of the anchor's own sentence: another
    article's `计减损失…45亿美元` answers `约55亿美元的…损失` although both cover a question on
    `…因禁令计提了多少损失` less than its best sentence does."""
    pool = voices(candidates, comparer)
    if not pool:
        return []
    # the anchor is a figure the answer gives: one of the sentence most about the question (any
    # figure of the pool would find some other figure of its kind to disagree with)
    lead = [v.figure for v in pool if v.candidate is pool[0].candidate]
    found: list[Disagreement] = []
    for kind in dict.fromkeys(v.figure.kind for v in pool):
        for anchor in (v for v in pool if v.figure.kind == kind and any(same_value(v.figure, f) for f in lead)):
            of_kind = [v for v in voices(candidates, comparer, anchor.candidate.coverage) if v.figure.kind == kind]
            stated: dict[str, list[Figure]] = {}  # each article's figures of this kind
            for v in of_kind:
                stated.setdefault(v.candidate.article_id, []).append(v.figure)
            disagreement = _around(anchor, of_kind, stated, comparer)
            if disagreement is not None:
                found.append(disagreement)
                break
    return found


def _around(anchor: Voice, pool: Sequence[Voice], stated: Mapping[str, Sequence[Figure]], comparer: Comparer
            ) -> Disagreement | None:
    """The disagreement around one anchor among the `pool` of its kind (`stated`: each article's
    figures of that kind)."""
    speaking = {anchor.candidate.article_id: anchor}
    # two articles that each state the other's figure too do not contradict each other, whatever
    # else they say (`300 PFlops, against NVL72's 180`): the other figure is of something else
    for voice in pool:
        if len(speaking) >= MAX_VOICES:
            break
        if not same_value(voice.figure, anchor.figure) and (
                any(same_value(f, voice.figure) for f in stated[anchor.candidate.article_id])
                or any(same_value(f, anchor.figure) for f in stated[voice.candidate.article_id])):
            continue
        if voice.candidate.article_id not in speaking and comparer.comparable(anchor, voice):
            speaking[voice.candidate.article_id] = voice
    sides: dict[str, list[Voice]] = {}
    for voice in speaking.values():
        key = next((k for k, vs in sides.items() if same_value(vs[0].figure, voice.figure)), voice.figure.text)
        sides.setdefault(key, []).append(voice)
    return Disagreement(anchor.figure.kind, sides) if len(sides) > 1 else None
