"""What the rerank tests share: the question, a retriever with or without a rerank stage, the
fused order it falls back to, and the check that it did."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.rerank import ServedReranker
from assistant.storage.chunks import ChunkStore
from tests.support.data import NamedFakeEmbedding

QUESTION = "英偉達計提了多少億美元損失"


def retriever(store: ChunkStore, embeddings: NamedFakeEmbedding, reranker: ServedReranker | None) -> HybridRetriever:
    return HybridRetriever(store, embeddings, reranker=reranker)


def fused_order(store: ChunkStore, embeddings: NamedFakeEmbedding) -> list[str]:
    """The fused order without a rerank stage (chunk ids, best first)."""
    return [h.chunk_id for h in retriever(store, embeddings, None).retrieve(QUESTION, k=20)]


def assert_fused(hits: Sequence[object], fused: list[str], notices: tuple[str, ...], reason: str) -> None:
    assert [h.chunk_id for h in hits] == fused[:5]  # type: ignore[attr-defined]
    assert all("rerank" not in h.legs and h.rerank_score is None for h in hits)  # type: ignore[attr-defined]
    assert len(notices) == 1 and "fused order" in notices[0] and reason in notices[0]
