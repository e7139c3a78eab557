"""Question terms, the English glossary bridge, coverage with alternatives and the refusal gate."""

from __future__ import annotations

from assistant.glossary import bridge, glossary
from assistant.relevance import RelevanceGate, SentenceSimilarity, TermWeights, question_parts, question_terms
from assistant.textnorm import normalize

from .conftest import NamedFakeEmbedding


def test_glossary_bridge_prefers_phrases_and_converts_dates() -> None:
    groups, unknown = bridge("What was Nvidia's closing price on July 16, and its market value?")
    assert "收盘价" in groups and "市值" in groups and "7月16日" in groups and "英伟达" in groups
    assert "价格|价" not in groups  # "closing price" is one phrase, not two words
    assert "what" in unknown and "nvidia" not in unknown


def test_glossary_entries_are_well_formed() -> None:
    table = glossary()
    assert len(table) > 200
    assert all(key == key.lower() and value and "\t" not in value for key, value in table.items())


def test_question_terms_english_uses_glossary_and_keeps_model_names() -> None:
    terms = question_terms("How large is the HBM3e memory of the H20?")
    assert terms == {"显存|内存", "hbm3e", "h20"}


def test_question_terms_chinese_drops_question_words() -> None:
    terms = question_terms("H20的单价大约是多少？")
    assert "单价" in terms and "h20" in terms and not terms & {"多少", "大约"}


def test_term_weights_coverage_counts_any_alternative() -> None:
    weights = TermWeights({"营收": 3, "收入": 5, "财年": 2}, documents=100)
    text = normalize("英伟达2025财年收入达到1304.97亿美元")
    assert weights.coverage({"营收|收入", "财年"}, text) == 1.0
    assert 0 < weights.coverage({"营收|收入", "财年", "净利润"}, text) < 1.0
    assert weights.coverage(set(), text) == 0.0


def test_relevance_gate_refuses_weak_coverage_and_weak_sentence() -> None:
    gate = RelevanceGate()
    assert gate.refuse("Hans", best_coverage=0.1, dense_z=3.0, best_sentence=None)
    assert not gate.refuse("Hans", best_coverage=0.7, dense_z=3.0, best_sentence=None)
    assert gate.refuse("Hans", best_coverage=0.7, dense_z=3.0, best_sentence=0.85)  # no sentence is close
    assert not gate.refuse("Hans", best_coverage=0.7, dense_z=3.0, best_sentence=0.93)
    assert gate.refuse("Latn", best_coverage=0.2, dense_z=3.0, best_sentence=None)
    assert not gate.refuse("Latn", best_coverage=0.6, dense_z=3.0, best_sentence=None)


def test_sentence_similarity_is_cached_and_exact_for_identical_text() -> None:
    embeddings = NamedFakeEmbedding(size=16)
    sims = SentenceSimilarity(embeddings, top=2)
    query = embeddings.embed_documents([normalize("英伟达计提了55亿美元损失")])[0]
    best = sims.best(query, ["英伟达计提了55亿美元损失", "无关的句子", "第三句不会被嵌入"])
    assert best is not None and abs(best - 1.0) < 1e-5
    assert len(sims._cache) == 2
    assert sims.best(query, []) is None


def test_question_parts_split_a_question_asking_two_things() -> None:
    parts = question_parts("黄仁勋在链博会上穿了什么，4月会见任鸿斌时又穿了什么？")
    assert len(parts) == 2 and "唐装" not in parts[0] and {"链博", "任鸿"} <= parts[0] | parts[1]
    assert len(question_parts("H20的单价大约是多少？")) == 1
    # a follow-up read with the previous question is one part: the previous one is already answered
    assert len(question_parts("字节跳动2025年计划采购多少AI芯片？ 那它2024年买了多少块H20？")) == 1


def test_term_weights_parts_coverage_takes_each_part_from_its_best_sentence() -> None:
    weights = TermWeights({}, documents=100)
    parts = question_parts("黄仁勋在链博会上穿了什么，会见任鸿斌时又穿了什么？")
    sentences = [normalize("黄仁勋在链博会上穿了唐装"), normalize("黄仁勋会见任鸿斌时穿了西服")]
    whole = max(weights.coverage(question_terms("黄仁勋在链博会上穿了什么，会见任鸿斌时又穿了什么？"), s)
                for s in sentences)
    assert weights.parts_coverage(parts, sentences) > whole
    assert weights.parts_coverage(parts, []) == 0.0
