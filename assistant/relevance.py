"""How well the retrieved passages cover a question: the signal behind refusals and sentence choice.

Coverage is the IDF-weighted share of the question's content terms (character bigrams and
Latin words, question words removed) that one sentence contains. The gate combines the best
sentence coverage with how far the top dense hit stands out from the other candidates (z-score).
Calibrated on evals/dev.jsonl (see README, "Refusals").
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.lexical import bigram_tokens
from assistant.textnorm import Script, normalize

_QUESTION_WORDS = re.compile(
    r"多少|什么|哪个|哪些|哪款|哪家|哪里|如何|怎么样|怎么|怎样|为什么|为何|是否|大约|分别|有没有|请问|"
    r"什么时候|何时|谁|吗|呢|几|了|的|是|在|和|与|对|被|把|将|有")
_ENGLISH_STOP = frozenset([
    "a", "an", "the", "of", "to", "in", "on", "for", "by", "with", "what", "which", "who", "whom",
    "whose", "when", "where", "why", "how", "is", "are", "was", "were", "be", "been", "do", "does",
    "did", "much", "many", "and", "or", "it", "its", "that", "this", "from", "about", "according",
    "say", "said",
])


def question_terms(question: str) -> set[str]:
    norm = _QUESTION_WORDS.sub(" ", normalize(question))
    return {t for t in bigram_tokens(norm) if t not in _ENGLISH_STOP}


@dataclass(frozen=True)
class TermWeights:
    """IDF of terms over the indexed chunks."""

    document_frequency: Mapping[str, int]
    documents: int

    def idf(self, term: str) -> float:
        return math.log(1 + self.documents / (1 + self.document_frequency.get(term, 0)))

    def coverage(self, terms: set[str], normalized_text: str) -> float:
        total = sum(self.idf(t) for t in terms)
        if not total:
            return 0.0
        present = set(bigram_tokens(normalized_text))
        return sum(self.idf(t) for t in terms if t in present) / total


@dataclass(frozen=True)
class RelevanceGate:
    """Refuse when the best evidence is too weak. Defaults chosen on the dev set."""

    threshold: float = 0.33
    z_weight: float = 0.1
    z_center: float = 3.0
    latin_min_dense: float = 0.75  # English questions: lexical coverage is meaningless across languages

    def score(self, best_coverage: float, dense_z: float) -> float:
        return best_coverage + self.z_weight * (dense_z - self.z_center)

    def refuse(self, script: Script, best_coverage: float, dense_z: float, dense_top: float) -> bool:
        if script == "Latn":
            return dense_top < self.latin_min_dense
        return self.score(best_coverage, dense_z) < self.threshold
