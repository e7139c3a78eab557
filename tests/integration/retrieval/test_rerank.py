"""The rerank stage: a served cross-encoder against a local stub, and the fallback to the fused order
on every kind of failure of the server."""

from __future__ import annotations

import pytest

from assistant.errors import UpstreamError
from assistant.ingest.ingestor import Ingestor
from assistant.retrieval.rerank import Candidate, RerankQuery, ServedReranker
from tests.support.data import NamedFakeEmbedding
from tests.support.rerank_cases import QUESTION, assert_fused, fused_order, retriever
from tests.support.rerank_stub import RerankStubState, rerank_stub


@pytest.fixture
def fused(seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding) -> list[str]:
    """The fused order without a rerank stage (chunk ids, best first)."""
    return fused_order(seeded_fake.store, fake_embeddings)


def test_rerank_cohere_request_shape(seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding,
                                     fused: list[str]) -> None:
    with rerank_stub() as (url, state):
        reranker = ServedReranker(f"{url}/v1/rerank", "BAAI/bge-reranker-v2-m3", api_key="secret", candidates=8)
        hits = retriever(seeded_fake.store, fake_embeddings, reranker).retrieve(QUESTION, k=5)
    assert len(state.requests) == 1
    path, headers, body = state.requests[0]
    assert path == "/v1/rerank"
    assert headers["Authorization"] == "Bearer secret"
    assert set(body) == {"model", "query", "documents", "top_n"}
    assert body["model"] == "BAAI/bge-reranker-v2-m3" and body["query"] == QUESTION and body["top_n"] == 8
    texts = {h.chunk_id: h.text for h in retriever(seeded_fake.store, fake_embeddings, None).retrieve(QUESTION, k=8)}
    assert body["documents"] == [texts[cid] for cid in fused[:8]]  # the fused top 8, as users see them
    assert len(hits) == 5


def test_rerank_reorders_the_fused_candidates(seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding,
                                              fused: list[str]) -> None:
    with rerank_stub() as (url, _):  # the stub scores documents in the reverse of the order sent
        retrieval = retriever(seeded_fake.store, fake_embeddings,
                              ServedReranker(url, "m", candidates=8)).search(QUESTION, k=5)
    assert [h.chunk_id for h in retrieval.hits] == fused[:8][::-1][:5]
    assert [h.rank for h in retrieval.hits] == [1, 2, 3, 4, 5]
    assert [h.legs["rerank"] for h in retrieval.hits] == [1, 2, 3, 4, 5]
    assert [h.rerank_score for h in retrieval.hits] == [7.0, 6.0, 5.0, 4.0, 3.0]
    assert retrieval.hits[0].contract_dict()["rerank_score"] == 7.0
    assert retrieval.notices == ()


def test_rerank_candidates_beyond_the_stage_keep_their_fused_place(
        seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding, fused: list[str]) -> None:
    with rerank_stub() as (url, _):
        hits = retriever(seeded_fake.store, fake_embeddings, ServedReranker(url, candidates=3)).retrieve(QUESTION, k=6)
    assert [h.chunk_id for h in hits] == fused[:3][::-1] + fused[3:6]
    assert "rerank" not in hits[4].legs and hits[4].rerank_score is None


def test_rerank_tei_shape(seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding, fused: list[str]) -> None:
    with rerank_stub(RerankStubState(shape="tei")) as (url, state):
        hits = retriever(seeded_fake.store, fake_embeddings,
                         ServedReranker(url, "ignored", api="tei", candidates=6)).retrieve(QUESTION, k=3)
    path, _, body = state.requests[0]
    assert path == "/rerank"  # a bare host:port gets TEI's path
    assert set(body) == {"query", "texts", "truncate", "raw_scores"} and len(body["texts"]) == 6
    assert [h.chunk_id for h in hits] == fused[:6][::-1][:3]


def test_rerank_scores_are_what_the_server_says(seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding) -> None:
    def by_figure(query: str, documents: list[str]) -> list[float]:
        return [1.0 if "55億" in d or "55亿" in d else 0.0 for d in documents]

    with rerank_stub(RerankStubState(scorer=by_figure)) as (url, _):
        hits = retriever(seeded_fake.store, fake_embeddings, ServedReranker(url, candidates=20)).retrieve(QUESTION, k=3)
    assert "55億" in hits[0].text or "55亿" in hits[0].text


def test_rerank_timeout_keeps_the_fused_order(seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding,
                                              fused: list[str]) -> None:
    with rerank_stub(RerankStubState(delay=2.0)) as (url, state):
        retrieval = retriever(seeded_fake.store, fake_embeddings,
                              ServedReranker(url, timeout=0.2, candidates=8)).search(QUESTION, k=5)
    assert_fused(retrieval.hits, fused, retrieval.notices, "within 0.2 s")
    assert len(state.requests) == 1  # a timeout spends the whole budget: no retry


def test_rerank_http_500_keeps_the_fused_order_after_one_retry(
        seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding, fused: list[str]) -> None:
    with rerank_stub(RerankStubState(fail_next=5)) as (url, state):
        retrieval = retriever(seeded_fake.store, fake_embeddings, ServedReranker(url, candidates=8)).search(QUESTION)
    assert_fused(retrieval.hits, fused, retrieval.notices, "HTTP 500")
    assert len(state.requests) == 2


def test_rerank_one_500_is_retried(seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding,
                                   fused: list[str]) -> None:
    with rerank_stub(RerankStubState(fail_next=1)) as (url, state):
        retrieval = retriever(seeded_fake.store, fake_embeddings, ServedReranker(url, candidates=8)).search(QUESTION)
    assert len(state.requests) == 2 and retrieval.notices == ()
    assert [h.chunk_id for h in retrieval.hits] == fused[:8][::-1][:5]


def test_rerank_client_error_is_not_retried(seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding,
                                            fused: list[str]) -> None:
    with rerank_stub(RerankStubState(fail_next=5, fail_status=422)) as (url, state):
        retrieval = retriever(seeded_fake.store, fake_embeddings, ServedReranker(url)).search(QUESTION)
    assert_fused(retrieval.hits, fused, retrieval.notices, "HTTP 422")
    assert len(state.requests) == 1


@pytest.mark.parametrize(("raw", "reason"), [
    (b"<html>busy</html>", "not JSON"),
    (b'{"results": []}', "no results"),
    (b'{"detail": "model not loaded"}', "no results"),
    (b'{"results": [{"index": 99, "relevance_score": 0.5}]}', "bad or repeated index"),
    (b'{"results": [{"index": 0, "relevance_score": 0.5}, {"index": 0, "relevance_score": 0.4}]}',
     "bad or repeated index"),
    (b'{"results": [{"index": 0, "relevance_score": "high"}]}', "bad score"),
    (b'[{"index": 0}]', "bad score"),
    (b'[1, 2, 3]', "not an object"),
])
def test_rerank_malformed_response_keeps_the_fused_order(
        seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding, fused: list[str], raw: bytes, reason: str) -> None:
    with rerank_stub(RerankStubState(raw=raw)) as (url, _):
        retrieval = retriever(seeded_fake.store, fake_embeddings, ServedReranker(url, candidates=8)).search(QUESTION)
    assert_fused(retrieval.hits, fused, retrieval.notices, reason)


def test_rerank_unreachable_server_keeps_the_fused_order(
        seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding, fused: list[str]) -> None:
    with rerank_stub() as (url, _):
        pass  # stopped: its port now refuses connections
    retrieval = retriever(seeded_fake.store, fake_embeddings, ServedReranker(url)).search(QUESTION)
    assert_fused(retrieval.hits, fused, retrieval.notices, "cannot reach")


def test_rerank_rests_after_a_failure() -> None:
    now = [100.0]
    candidates = [Candidate("a", "first", 0.2), Candidate("b", "second", 0.1)]
    query = RerankQuery("q", "q")
    with rerank_stub(RerankStubState(fail_next=2)) as (url, state):
        reranker = ServedReranker(url, cooldown=30.0, clock=lambda: now[0])
        with pytest.raises(UpstreamError, match="HTTP 500"):
            reranker.scores(query, candidates)
        now[0] += 10
        with pytest.raises(UpstreamError, match="skipped for 20 s"):
            reranker.scores(query, candidates)
        assert len(state.requests) == 2  # the rest sent nothing
        now[0] += 25
        assert reranker.scores(query, candidates) == [0.0, 1.0]
        assert len(state.requests) == 3
