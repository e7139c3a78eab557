"""Multi-turn: rewrite a follow-up question into a standalone one before retrieval."""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser

from assistant.answering.prompts import PromptSet
from assistant.types import Turn

_ANAPHORA = re.compile(
    r"它|他们|她们|它们|他|她|其|该|此|这款|这个|那个|那款|那它|那么|呢[？?]?$|它們|他們|這款|這個|那個|該|"
    r"\b(it|its|they|their|them|this|that|those|these|he|she|his|her)\b|^(and|what about|how about)\b",
    re.IGNORECASE)
FOLLOW_UP_MAX_CHARS = 24


def looks_like_follow_up(question: str) -> bool:
    return bool(_ANAPHORA.search(question.strip())) or len(question.strip()) <= 8


def fallback_condense(question: str, history: Sequence[Turn]) -> str:
    """Offline rewrite: a short or anaphoric follow-up is read together with the previous question."""
    previous = next((t.content for t in reversed(history) if t.role == "user"), None)
    if previous is None or not looks_like_follow_up(question) or len(question) > 200:
        return question
    return f"{previous.strip()} {question.strip()}"


def format_history(history: Sequence[Turn], max_turns: int = 6) -> str:
    return "\n".join(f"{t.role}: {t.content.strip()}" for t in history[-max_turns:])


def llm_condense(llm: BaseChatModel, prompts: PromptSet, question: str, history: Sequence[Turn]) -> str:
    chain = prompts.condense_prompt() | llm | StrOutputParser()
    rewritten = chain.invoke({"history": format_history(history), "question": question}).strip()
    return rewritten.splitlines()[0].strip() if rewritten else question
