"""Detect sources that disagree: different figures from different articles for the same thing.

Only claims about the question are weighed (aboutness within `RELATIVE_ABOUTNESS` of the
best), and only claims that can be about the same thing are compared (`Claim.comparable`:
same unit, year, measure and named subjects). The most relevant claim that some other
article contradicts anchors the disagreement; each article then speaks once, with its
comparable claim most about the question. Rounding differences are not disagreements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer import Conflict
from assistant.claims import AskedFigure, Claim, Evidence, most_about

RELATIVE_ABOUTNESS = 0.35


@dataclass(frozen=True)
class Disagreement:
    """The sides of one disagreement: figure → the claims that give it, best first."""

    unit: str
    sides: dict[str, list[Claim]]

    def conflict(self) -> Conflict:
        return Conflict(self.unit, {figure: sorted({c.evidence.n for c in claims})
                                    for figure, claims in self.sides.items()})


def find_disagreements(claims: Sequence[Claim], relative: float = RELATIVE_ABOUTNESS) -> list[Disagreement]:
    """At most one disagreement per unit: the one anchored by the claim most about the question.
    Only values in digits are compared."""
    claims = [c for c in claims if c.numeric]
    found = []
    for unit in sorted({c.unit for c in claims}):
        weighed = most_about((c for c in claims if c.unit == unit), relative)
        disagreement = next(filter(None, (_around(anchor, weighed) for anchor in weighed)), None)
        if disagreement is not None:
            found.append(disagreement)
    return found


def find_conflicts(evidence: Sequence[Evidence], asked: AskedFigure) -> list[Conflict]:
    return [d.conflict() for d in find_disagreements(asked.fitting(asked.read(evidence)))]


def _around(anchor: Claim, claims: Sequence[Claim]) -> Disagreement | None:
    """The anchor's article speaks through the anchor, every other article through its
    comparable claim most about the question; None when they all agree."""
    speaking = {anchor.evidence.article_id: anchor}
    for claim in claims:  # best first
        if claim.evidence.article_id not in speaking and anchor.comparable(claim):
            speaking[claim.evidence.article_id] = claim
    sides: dict[str, list[Claim]] = {}
    for voice in speaking.values():
        figure = next((f for f, cs in sides.items() if _same_value(cs[0].value, voice.value)), voice.figure)
        sides.setdefault(figure, []).append(voice)
    return Disagreement(anchor.unit, sides) if len(sides) > 1 else None


def _same_value(a: str, b: str) -> bool:
    """171 and 171.08 are the same figure, rounded."""
    x, y = float(a), float(b)
    return abs(x - y) <= 0.01 * max(abs(x), abs(y))
