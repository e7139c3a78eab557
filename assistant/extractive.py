"""The offline answerer: quotes the sentences that best answer the question, with citations.

No model is needed. Sentences from the top passages are scored by IDF-weighted coverage of
the question's terms (with a small prior for the passage's rank), de-duplicated across
overlapping chunks, and quoted in the question's script with their `[n]`. When the chosen
evidence gives different figures from different articles, a conflict note cites both sides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.answer import Conflict
from assistant.chunking import split_sentences
from assistant.citations import neutralise
from assistant.claims import AskedFigure, Claim, Evidence
from assistant.conflicts import find_disagreements
from assistant.prompts import PromptSet
from assistant.relevance import TermWeights
from assistant.retrieval import Hit
from assistant.textnorm import Script, normalize, to_script

FIGURE_BONUS = 0.15  # a sentence with a figure that could answer the question ranks higher
PART_COVERED = 0.8  # a part of the question counts as answered at this share of its best coverage


@dataclass(frozen=True)
class Candidate:
    evidence: Evidence
    score: float
    position: int
    normalized: str
    rank: float  # score, plus a bonus when the sentence holds a figure that could answer
    claims: tuple[Claim, ...] = ()  # its figures of the asked kind


@dataclass(frozen=True)
class Extract:
    text: str
    conflicts: list[Conflict]


class ExtractiveAnswerer:
    def __init__(self, prompts: PromptSet, max_sentences: int = 3, max_chars: int = 400,
                 keep_ratio: float = 0.6) -> None:
        self.prompts = prompts
        self.max_sentences = max_sentences
        self.max_chars = max_chars
        self.keep_ratio = keep_ratio

    def candidates(self, hits: Sequence[Hit], terms: set[str], weights: TermWeights,
                   asked: AskedFigure | None = None, first: int = 1,
                   known: Sequence[Candidate] = ()) -> list[Candidate]:
        """Every distinct sentence of the hits (numbered from `first`, sentences already `known`
        left out), scored by coverage of the question's terms (plus a small prior for the
        passage's rank), best first. A sentence holding a figure that could answer the question
        (`AskedFigure.could_answer`) ranks higher."""
        seen = {c.normalized for c in known}
        found: list[Candidate] = []
        for n, hit in enumerate(hits, start=first):
            before: list[str] = []
            for position, sentence in enumerate(split_sentences(hit.text)):
                key = normalize(sentence.text)
                evidence = Evidence(n, hit.article_id, sentence.text, "".join(before))
                before.append(sentence.text)
                if len(key) < 6 or key in seen:
                    continue
                seen.add(key)
                score = weights.coverage(terms, key) + 0.03 / n
                claims = tuple(asked.read([evidence])) if asked is not None else ()
                answers = asked is not None and bool(claims) and asked.answered_by(claims)
                found.append(Candidate(evidence, score, position, key, score + (FIGURE_BONUS if answers else 0.0),
                                       claims))
        return sorted(found, key=lambda c: -c.rank)

    def select(self, candidates: Sequence[Candidate]) -> list[Candidate]:
        if not candidates:
            return []
        floor = candidates[0].rank * self.keep_ratio
        chosen: list[Candidate] = []
        used = 0
        for cand in candidates:
            if cand.rank < floor or len(chosen) >= self.max_sentences:
                break
            if chosen and used + len(cand.evidence.text) > self.max_chars:
                continue
            chosen.append(cand)
            used += len(cand.evidence.text)
        return chosen

    def answer(self, candidates: Sequence[Candidate], weights: TermWeights, script: Script, asked: AskedFigure,
               parts: Sequence[set[str]] = ()) -> Extract:
        """Quote the best of `candidates` (from `candidates()`, best first)."""
        chosen = self._with_every_part(self.select(candidates), candidates, parts, weights)
        chosen, conflicts = self._with_other_sides(chosen, candidates, asked)
        ordered = sorted(chosen, key=lambda c: (c.evidence.n, c.position))
        return Extract(self.render(ordered, conflicts, script), conflicts)

    def _with_every_part(self, chosen: list[Candidate], candidates: Sequence[Candidate],
                         parts: Sequence[set[str]], weights: TermWeights) -> list[Candidate]:
        """For a question asking several things, add the best sentence for any part that the
        chosen sentences leave uncovered."""
        if len(parts) < 2:
            return chosen
        result = list(chosen)
        for part in parts:
            best = max(candidates, key=lambda c: (weights.coverage(part, c.normalized), c.rank), default=None)
            if best is None or best in result:
                continue
            top = weights.coverage(part, best.normalized)
            if top > 0 and all(weights.coverage(part, c.normalized) < PART_COVERED * top for c in result):
                result.append(best)
        return result

    def _with_other_sides(self, chosen: list[Candidate], candidates: Sequence[Candidate],
                          asked: AskedFigure) -> tuple[list[Candidate], list[Conflict]]:
        """Look beyond the chosen sentences for other articles' figures about the same thing,
        and quote a sentence for each side of a disagreement."""
        if not chosen or not asked.units:
            return chosen, []
        pool = chosen + [c for c in candidates if c not in chosen]
        by_evidence = {c.evidence: c for c in pool}
        result = list(chosen)
        for disagreement in find_disagreements(asked.fitting(claims_of(pool))):
            for claims in disagreement.sides.values():
                if not any(by_evidence[claim.evidence] in result for claim in claims):
                    result.append(by_evidence[claims[0].evidence])
        final = find_disagreements(asked.fitting(claims_of(result)))
        return result, [d.conflict() for d in final]

    def render(self, chosen: Sequence[Candidate], conflicts: Sequence[Conflict], script: Script) -> str:
        lines = [self.prompts.phrase("quoting", script)]
        for cand in chosen:
            quote = neutralise(to_script(cand.evidence.text.strip(), script))
            lines.append(f"「{quote}」[{cand.evidence.n}]" if script != "Latn" else f"“{quote}” [{cand.evidence.n}]")
        for conflict in conflicts:
            items = [self.prompts.phrase("conflict_item", script).format(
                citation="".join(f"[{n}]" for n in passages), value=value)
                for value, passages in conflict.values.items()]
            separator = "；" if script != "Latn" else "; "
            lines.append(self.prompts.phrase("conflict", script) + separator.join(items) + "。")
        return "\n".join(lines)


def claims_of(candidates: Iterable[Candidate]) -> list[Claim]:
    """The figures of the asked kind in the candidates' sentences."""
    return [claim for candidate in candidates for claim in candidate.claims]
