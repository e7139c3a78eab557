"""Cross-checking a figure: search again for the claim the answer rests on, so that another
article's figure for the same thing is seen (and cited) even when the question's own search
ranked it below the top k.

The claims most about the question become anchors; each anchor's sentence, its figures
masked, is the query. A passage found that way joins the answer's evidence only when it
gives a claim comparable with the anchor (`Claim.comparable`) from an article that has
not spoken on it yet. Whether the figures then disagree is for `conflicts` to decide.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.claims import Claim, most_about
from assistant.figures import FIGURE
from assistant.textnorm import normalize

DEPTH = 10  # passages searched per anchor
MAX_ANCHORS = 2  # distinct sentences searched again
MAX_PASSAGES = 2  # passages a cross-check may add to the evidence


def anchors(claims: Sequence[Claim], relative: float, limit: int = MAX_ANCHORS) -> list[Claim]:
    """The claims in digits most about the question (within `relative` of the best), one per sentence."""
    chosen: list[Claim] = []
    for claim in most_about((c for c in claims if c.numeric), relative):
        if len(chosen) >= limit:
            break
        if all(claim.evidence.text != c.evidence.text for c in chosen):
            chosen.append(claim)
    return chosen


def claim_query(anchor: Claim) -> str:
    """The anchor's sentence, normalised, with its figures masked so that any value matches."""
    return " ".join(FIGURE.sub(" ", normalize(anchor.evidence.text)).split())


def new_voices(anchor: Claim, known: Sequence[Claim], found: Sequence[Claim], relative: float) -> list[Claim]:
    """Claims among `found` comparable with the anchor, about the question enough, from
    articles that no `known` comparable claim comes from: one per article, best first."""
    top = max((c.about for c in known), default=anchor.about)
    spoken = {c.evidence.article_id for c in known if c is anchor or anchor.comparable(c)}
    voices: list[Claim] = []
    for claim in sorted(found, key=lambda c: (-c.about, c.evidence.n)):
        article = claim.evidence.article_id
        if article not in spoken and claim.about >= relative * top and anchor.comparable(claim):
            spoken.add(article)
            voices.append(claim)
    return voices
