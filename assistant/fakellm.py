"""A deterministic chat model that answers from the numbered passages in its prompt.

It stands in for a real LLM in evals (`assistant eval run --llm fake`) and tests: the whole
LLM path runs — prompt assembly, token budget, the conflict hint, citation parsing — with no
model and no network. It reads the prompt the way a model would be asked to:

- the passages between `<passages>` and `</passages>`, each headed `[n] title — outlet (id)`;
- the question after `Question (...):` and the refusal sentence after `reply exactly:`;
- the conflict hint `Note: the passages give different figures (...)`.

It quotes the passage sentences that cover most of the question's terms (English questions
through the glossary),
cites them, reports each side of a conflict, and refuses when nothing overlaps. A condense
prompt gets the previous question joined with the follow-up.
"""

from __future__ import annotations

import re
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from assistant.chunking import split_sentences
from assistant.relevance import TermWeights, question_terms
from assistant.textnorm import normalize

_PASSAGE = re.compile(r"^\[(\d+)\] [^\n]*\n(.*?)(?=\n\n\[\d+\] |\n</passages>)", re.S | re.M)
_QUESTION = re.compile(r"^Question \([^)]*\): (.*)$", re.M)
_REFUSAL = re.compile(r"reply exactly: (.*)$", re.M)
_CONFLICT = re.compile(r"^Note: the passages give different figures \((.*)\)\. Report each side\.$", re.M)
_FOLLOW_UP = re.compile(r"^Follow-up question: (.*)$", re.M)
_LAST_USER = re.compile(r"^user: (.*)$", re.M)
MIN_OVERLAP = 0.2


class PassageQuotingChatModel(BaseChatModel):
    """Quotes the best-matching passage sentences with `[n]` citations; see the module docstring."""

    max_sentences: int = 2

    @property
    def _llm_type(self) -> str:
        return "passage-quoting-fake"

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        prompt = "\n".join(str(m.content) for m in messages)
        text = condense(prompt) if _FOLLOW_UP.search(prompt) else answer(prompt, self.max_sentences)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def condense(prompt: str) -> str:
    follow_up = _FOLLOW_UP.search(prompt)
    previous = _LAST_USER.findall(prompt)
    question = follow_up.group(1).strip() if follow_up else ""
    return f"{previous[-1].strip()} {question}" if previous else question


def passages(prompt: str) -> list[tuple[int, str]]:
    """(n, text) of each numbered passage between `<passages>` and `</passages>`."""
    return [(int(n), body) for n, body in _PASSAGE.findall(prompt)]


def answer(prompt: str, max_sentences: int = 2) -> str:
    question = _QUESTION.search(prompt)
    refusal = _REFUSAL.search(prompt)
    terms = question_terms(question.group(1)) if question else set()
    uniform = TermWeights({}, documents=1)
    scored: list[tuple[float, int, str]] = []
    for n, body in passages(prompt):
        for sentence in split_sentences(body):
            scored.append((uniform.coverage(terms, normalize(sentence.text)), n, sentence.text.strip()))
    scored.sort(key=lambda s: (-s[0], s[1]))
    if not scored or scored[0][0] < MIN_OVERLAP:
        return refusal.group(1).strip() if refusal else "The passages do not contain the answer."
    chosen = [s for s in scored if s[0] >= 0.6 * scored[0][0]][:max_sentences]
    lines = [f"{text}[{n}]" for _, n, text in sorted(chosen, key=lambda s: s[1])]
    conflict = _CONFLICT.search(prompt)
    if conflict:
        lines.append(f"The sources disagree: {conflict.group(1)}.")
    return "\n".join(lines)
