"""The judge tests' small collection (other subjects than chips: two companies, a football final,
an election), its term weights, and the judgement of a question over some of its texts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from assistant.answering.judge import Candidate, Judge, Passage, Verdict
from assistant.answering.question import Asked
from assistant.answering.weights import TermWeights
from assistant.text.normalize import search_form
from assistant.text.segment import Segmenter, bigram_tokens

# A small collection on other subjects than chips: two companies, a football final, an election.
CORPUS = [
    "星河电子2024年净利润为12亿元，同比增长8%。星河电子总部位于杭州。",
    "蓝海汽车发布年报，全年营收为30亿元。蓝海汽车的董事长是王建国。",
    "决赛在温布利球场举行，现场观众8.2万人。",
    "国民党的得票率为38%，民进党的得票率为40%。",
    "The final at Wembley was watched by 82,000 people.",
    "The chairman of Lanhai Motors is Wang Jianguo.",
]
# the words the index would learn from this collection (`discover_words` at ingest)
SEGMENTER = Segmenter(["星河电子", "蓝海汽车"])


def corpus_weights(texts: Sequence[str]) -> TermWeights:
    """IDF over the texts' character bigrams, as the lexical index counts them."""
    frequency = Counter(t for text in texts for t in set(bigram_tokens(search_form(text))))
    return TermWeights(frequency, len(texts))


WEIGHTS = corpus_weights(CORPUS)
JUDGE = Judge(sentences=None)


def judged(question: str, *texts: str, weights: TermWeights = WEIGHTS, titles: Sequence[str] = (),
           judge: Judge = JUDGE) -> tuple[Verdict, list[Candidate]]:
    asked = Asked.of(question, SEGMENTER)
    passages = [Passage(n, f"article{n}", text, titles[n - 1] if titles else "")
                for n, text in enumerate(texts, start=1)]
    candidates = judge.candidates(passages, asked, weights, SEGMENTER)
    return judge.judge(candidates, asked, []), candidates


def candidate(candidates: Sequence[Candidate], fragment: str) -> Candidate:
    (found,) = [c for c in candidates if fragment in c.text]
    return found
