"""The question's literals: the years and numbers it gives, which a passage about it states too.

Embeddings read `2022年` and `2025年`, `CUDA 11.6` and `CUDA 11.9` as nearly the same text, and
BM25 gives a year or a short number little weight (they occur everywhere), so a passage about
another year or another version of the thing can outrank the one asked about. Numbers are
script-neutral: `fiscal 2025` and `2025财年`, `April 16` and `4月16日` share them across
languages too. Each fused candidate loses `weight` × the share of the question's literals it
does not state:
- a year, when the passage (with its article's title and publication year) states years and
  none of the question's (a passage that names no year may be about any);
- any other number (`11.6`, the `72` of `NVL72`), when the passage and title do not hold it.

Format knowledge only (digits and years); nothing about what a collection is about.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.text.figures import years
from assistant.types import Hit

# Chosen on the seed, multi-domain and news2 dev sets (see README, "Literals").
LITERAL_WEIGHT = 0.04
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d])")
_MONTH_AFTER = re.compile(r"\s?(?:月|个月)")  # `8月` is August in an English passage: a month, no literal
_SENTENCE_END = re.compile(r"[？?。！!；;]")


@dataclass(frozen=True)
class Literals:
    """The years and the other numbers a question gives (as digits, NFKC-folded: `_plain`)."""

    years: frozenset[str]
    numbers: frozenset[str]

    @classmethod
    def of(cls, question: str) -> Literals:
        """A question of several sentences (`…是多少？…能跑多远？`) gives none: each passage
        answers one part, which need not hold the other part's literals."""
        text = _plain(question)
        if len([s for s in _SENTENCE_END.split(text) if s.strip()]) > 1:
            return cls.none()
        found_years = frozenset(years(text))
        numbers = frozenset(m.group(0) for m in _NUMBER.finditer(text)
                            if m.group(0) not in found_years and not _MONTH_AFTER.match(text, m.end()))
        return cls(found_years, numbers)

    @classmethod
    def none(cls) -> Literals:
        return cls(frozenset(), frozenset())

    @property
    def count(self) -> int:
        return (1 if self.years else 0) + len(self.numbers)

    def missing(self, text: str, title: str = "", published: str | None = None) -> float:
        """The share of the literals a passage (its text and its article's title and date) lacks."""
        if not self.count:
            return 0.0
        context = _plain(f"{title}\n{text}")
        lacking = 0
        if self.years:
            stated = years(context) | ({published[:4]} if published else set())
            lacking += bool(stated) and not self.years & stated
        held = set(_NUMBER.findall(context))
        lacking += sum(1 for n in self.numbers if n not in held)
        return lacking / self.count


def _plain(text: str) -> str:
    """Enough of the search form for digits and years (full-width digits, `財年`), without the
    script conversion that costs a millisecond a passage."""
    return unicodedata.normalize("NFKC", text).lower()


def with_literals(literals: Literals, hits: Sequence[Hit], weight: float = LITERAL_WEIGHT) -> list[Hit]:
    """The fused hits rescored by `weight` × the share of the question's `literals` each lacks,
    best first (ties keep the fused order); unchanged when the question gives none."""
    if not literals.count or weight <= 0:
        return list(hits)
    scored = [(h.score - weight * literals.missing(h.text, h.title, h.published), i, h) for i, h in enumerate(hits)]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [replace(h, rank=rank, score=score) for rank, (score, _, h) in enumerate(scored, start=1)]
