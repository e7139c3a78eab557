"""Cross-checking a figure: search again for the sentence an answer's figure rests on, so that
another article's figure for the same thing is seen (and cited) even when the question's own
search ranked it below the top k.

The voices most about the question become anchors; each anchor's sentence, its figures masked,
is the query. A passage found that way joins the evidence only when it gives a figure
comparable with the anchor's (`Comparer.comparable`) from an article that has not spoken yet.
Whether the figures then disagree is for `conflicts` to decide.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answering.conflicts import Comparer, Voice, voices
from assistant.answering.judge import Candidate
from assistant.text.figures import mask_figures

DEPTH = 10  # passages searched per anchor
MAX_ANCHORS = 3  # distinct sentences searched again
MAX_PASSAGES = 2  # passages a cross-check may add to the evidence


def anchors(candidates: Sequence[Candidate], comparer: Comparer, limit: int = MAX_ANCHORS) -> list[Voice]:
    """The voices most about the question, one per sentence."""
    chosen: list[Voice] = []
    for voice in voices(candidates, comparer):
        if len(chosen) >= limit:
            break
        if all(voice.candidate.normalized != c.candidate.normalized for c in chosen):
            chosen.append(voice)
    return chosen


def claim_query(anchor: Voice) -> str:
    """The anchor's sentence with its figures masked, so that any value matches."""
    return mask_figures(anchor.candidate.normalized)


def new_voices(anchor: Voice, known: Sequence[Voice], found: Sequence[Voice], comparer: Comparer) -> list[Voice]:
    """Voices among `found` comparable with the anchor, from articles that have not spoken on
    it yet: one per article, best first."""
    spoken = {v.candidate.article_id for v in known if v is anchor or comparer.comparable(anchor, v)}
    spoken.add(anchor.candidate.article_id)
    fresh: list[Voice] = []
    for voice in found:
        article = voice.candidate.article_id
        if article not in spoken and comparer.comparable(anchor, voice):
            spoken.add(article)
            fresh.append(voice)
    return fresh
