"""A deterministic chat model that answers from the numbered passages in its prompt.

It stands in for a real LLM in evals (`assistant eval run --llm fake`) and tests: the whole
LLM path runs — prompt assembly, token budget, the conflict hint, citation parsing, and the
model's own decision whether the passages answer — with no model and no network. It reads the
prompt the way a model would be asked to:

- the passages between `<passages>` and `</passages>`, each headed `[n] title — outlet (id)`;
- the question after `Question (...):` and the refusal sentence after `reply exactly:`;
- the conflict hint `Note: the passages give different figures (...)`.

It decides by the offline judgement (`judge.py`) over those passages alone (with term weights
read off them: a name none of them holds is one they never mention), quotes the best
sentences with their `[n]`, reports each side of a conflict, and otherwise replies with the
refusal sentence — so its refusals travel the way a real model's do, as text. A condense
prompt gets the previous question joined with the follow-up.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict

from assistant.answering.judge import Candidate, Judge, Passage
from assistant.answering.question import Asked
from assistant.answering.subquestions import split_questions
from assistant.answering.weights import TermWeights
from assistant.text.normalize import normalize, search_form
from assistant.text.segment import Segmenter, bigram_tokens, default_segmenter

_PASSAGE = re.compile(r"^\[(\d+)\] ([^\n]*)\n(.*?)(?=\n\n\[\d+\] |\n</passages>)", re.S | re.M)
_QUESTION = re.compile(r"^Question \([^)]*\): (.*)$", re.M)
_REFUSAL = re.compile(r"reply exactly: (.*)$", re.M)
_CONFLICT = re.compile(r"^Note: the passages give different figures \((.*)\)\. Report each side\.$", re.M)
_FOLLOW_UP = re.compile(r"^Follow-up question: (.*)$", re.M)
_LAST_USER = re.compile(r"^user: (.*)$", re.M)


class PassageQuotingChatModel(BaseChatModel):
    """Quotes the passage sentences the offline judgement picks; see the module docstring."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    max_sentences: int = 2
    judge: Judge | None = None

    @property
    def _llm_type(self) -> str:
        return "passage-quoting-fake"

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        prompt = "\n".join(str(m.content) for m in messages)
        text = condense(prompt) if _FOLLOW_UP.search(prompt) else answer(prompt, self.judge or Judge(),
                                                                        self.max_sentences)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def condense(prompt: str) -> str:
    follow_up = _FOLLOW_UP.search(prompt)
    previous = _LAST_USER.findall(prompt)
    question = follow_up.group(1).strip() if follow_up else ""
    return f"{previous[-1].strip()} {question}" if previous else question


def passages(prompt: str) -> list[Passage]:
    """Each numbered passage between `<passages>` and `</passages>`."""
    return [Passage(int(n), f"p{n}", body, header.split(" — ")[0]) for n, header, body in _PASSAGE.findall(prompt)]


def answer(prompt: str, judge: Judge, max_sentences: int = 2) -> str:
    question = _QUESTION.search(prompt)
    refusal = _REFUSAL.search(prompt)
    refuse = refusal.group(1).strip() if refusal else "The passages do not contain the answer."
    if not question:
        return refuse
    segmenter = default_segmenter()
    found = passages(prompt)
    # a message asking several questions is answered one question at a time, as a model would
    questions = split_questions(question.group(1), segmenter) or [question.group(1)]
    weights = passage_weights(found)
    lines: list[str] = []
    answered = False
    for asking in questions:
        chosen = _quoted(asking, found, weights, judge, segmenter, max_sentences)
        if chosen is None:
            if len(questions) > 1:
                lines.append(f"The passages do not answer: {asking}")
            continue
        lines += [f"{c.text}[{c.n}]" for c in sorted(chosen, key=lambda c: (c.n, c.position))]
        answered = True
    if not answered:
        return refuse
    conflict = _CONFLICT.search(prompt)
    if conflict:
        lines.append(f"The sources disagree: {conflict.group(1)}.")
    return "\n".join(lines)


def _quoted(question: str, found: list[Passage], weights: TermWeights, judge: Judge, segmenter: Segmenter,
            max_sentences: int) -> list[Candidate] | None:
    """The sentences quoted for one question, or None when the passages do not answer it."""
    asked = Asked.of(question, segmenter)
    candidates = judge.candidates(found, asked, weights, segmenter)
    vector: list[float] = []
    if judge.sentences is not None:
        vector = judge.sentences.embeddings.embed_query(normalize(question))
    verdict = judge.judge(candidates, asked, vector)
    if not verdict.answerable:
        return None
    best = verdict.candidates[0].support
    return [c for c in verdict.candidates if c.valid and c.support >= best - 0.25][:max_sentences]


def passage_weights(found: list[Passage]) -> TermWeights:
    """IDF over the passages of the prompt, all a model would see: a name none of them holds is
    one they never mention."""
    frequency: Counter[str] = Counter()
    for passage in found:
        frequency.update(set(bigram_tokens(search_form(f"{passage.title} {passage.text}"))))
    return TermWeights(frequency, len(found))
