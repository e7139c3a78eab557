from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import EmptyStoreError, InvalidInputError
from assistant.ingest import Ingestor
from assistant.lexical import bigram_tokens
from assistant.retrieval import Filters, HybridRetriever


@pytest.fixture
def ingested(fake_ingestor: Ingestor, seeds_dir: Path) -> Ingestor:
    fake_ingestor.ingest_paths([seeds_dir])
    return fake_ingestor


def test_retrieval_bigram_tokens_mix_cjk_and_words() -> None:
    assert bigram_tokens("h20算力不到h100的15%") == ["算力", "力不", "不到", "的", "h20", "h100", "15"]


@pytest.mark.parametrize(("question", "k", "message"), [
    ("", 5, "empty"), ("   \n ", 5, "empty"), ("问" * 2001, 5, "limit is 2000"),
    ("H20", 0, "between 1 and 50"), ("H20", 51, "between 1 and 50"),
])
def test_retrieval_rejects_bad_input(fake_retriever: HybridRetriever, question: str, k: int, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        fake_retriever.retrieve(question, k=k)


def test_retrieval_empty_store_is_clear_error(fake_retriever: HybridRetriever) -> None:
    with pytest.raises(EmptyStoreError, match="assistant ingest"):
        fake_retriever.retrieve("英伟达")


def test_retrieval_hits_carry_ids_scores_and_legs(ingested: Ingestor, fake_retriever: HybridRetriever) -> None:
    hits = fake_retriever.retrieve("英偉達計提了多少億美元損失", k=5)
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
    assert all(h.chunk_id.startswith(h.article_id + ":") for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(set(h.legs) == {"dense", "bm25"} for h in hits)
    lexical_best = next(h for h in hits if h.legs["bm25"] == 1)  # fake dense vectors are noise
    assert "计提" in lexical_best.text or "計提" in lexical_best.text  # found across scripts
    as_dict = hits[0].contract_dict()
    assert {"rank", "article_id", "chunk_id", "text", "score"} <= set(as_dict)


def test_retrieval_returns_original_text_not_normalised(ingested: Ingestor, fake_retriever: HybridRetriever) -> None:
    hits = fake_retriever.retrieve("昇腾910C良品率", k=3, filters=Filters(article_ids=("003_487fbec222c91da9",)))
    assert hits and all(h.article_id == "003_487fbec222c91da9" for h in hits)
    assert any("昇騰" in h.text for h in hits)  # Traditional, as the article wrote it


def test_retrieval_filters_by_outlet(ingested: Ingestor, fake_retriever: HybridRetriever) -> None:
    hits = fake_retriever.retrieve("华为", k=10, filters=Filters(outlets=("市值观察",)))
    assert hits and {h.outlet for h in hits} == {"市值观察"}


def test_retrieval_index_follows_store_changes(ingested: Ingestor, fake_retriever: HybridRetriever) -> None:
    before = fake_retriever.lexical_index()
    ingested.store.delete_article("002_9b6c0dc71fbfa5b9")
    after = fake_retriever.lexical_index()
    assert after is not before
    assert all(c.article_id != "002_9b6c0dc71fbfa5b9" for c in after.chunks)
    assert all(h.article_id != "002_9b6c0dc71fbfa5b9" for h in fake_retriever.retrieve("星速配资 华为", k=20))


def test_reciprocal_rank_fusion_prefers_agreement_of_both_legs() -> None:
    from assistant.retrieval import LEG_WEIGHTS, RRF_K, reciprocal_rank_fusion

    ranked = {"dense": ["look-alike", "seed", "other"], "bm25": ["seed", "other", "look-alike"]}
    fused = reciprocal_rank_fusion(ranked, LEG_WEIGHTS, RRF_K)
    assert fused["seed"] == LEG_WEIGHTS["dense"] / (RRF_K + 2) + LEG_WEIGHTS["bm25"] / (RRF_K + 1)
    assert max(fused, key=fused.__getitem__) == "seed"  # first for BM25, second for dense
    assert reciprocal_rank_fusion({}, LEG_WEIGHTS, RRF_K) == {}
