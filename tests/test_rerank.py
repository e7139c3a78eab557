"""The rerank stage: a served cross-encoder against a local stub, the fallback to the fused order
on every kind of failure, and the offline sentence reranker's vector cache."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from assistant.config import load_settings
from assistant.errors import ConfigError, UpstreamError
from assistant.factory import build_reranker
from assistant.ingest.ingestor import Ingestor
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.rerank import (
    Candidate,
    RerankQuery,
    SentenceReranker,
    SentenceVectors,
    ServedReranker,
    parse_rerank_response,
)
from assistant.storage.chunks import ChunkStore
from tests.conftest import NamedFakeEmbedding
from tests.rerank_stub import RerankStubState, rerank_stub

QUESTION = "英偉達計提了多少億美元損失"


def retriever(store: ChunkStore, embeddings: NamedFakeEmbedding, reranker: ServedReranker | None) -> HybridRetriever:
    return HybridRetriever(store, embeddings, reranker=reranker)


@pytest.fixture
def fused(seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding) -> list[str]:
    """The fused order without a rerank stage (chunk ids, best first)."""
    return [h.chunk_id for h in retriever(seeded_fake.store, fake_embeddings, None).retrieve(QUESTION, k=20)]


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


def _assert_fused(hits: Sequence[object], fused: list[str], notices: tuple[str, ...], reason: str) -> None:
    assert [h.chunk_id for h in hits] == fused[:5]  # type: ignore[attr-defined]
    assert all("rerank" not in h.legs and h.rerank_score is None for h in hits)  # type: ignore[attr-defined]
    assert len(notices) == 1 and "fused order" in notices[0] and reason in notices[0]


def test_rerank_timeout_keeps_the_fused_order(seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding,
                                              fused: list[str]) -> None:
    with rerank_stub(RerankStubState(delay=2.0)) as (url, state):
        retrieval = retriever(seeded_fake.store, fake_embeddings,
                              ServedReranker(url, timeout=0.2, candidates=8)).search(QUESTION, k=5)
    _assert_fused(retrieval.hits, fused, retrieval.notices, "within 0.2 s")
    assert len(state.requests) == 1  # a timeout spends the whole budget: no retry


def test_rerank_http_500_keeps_the_fused_order_after_one_retry(
        seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding, fused: list[str]) -> None:
    with rerank_stub(RerankStubState(fail_next=5)) as (url, state):
        retrieval = retriever(seeded_fake.store, fake_embeddings, ServedReranker(url, candidates=8)).search(QUESTION)
    _assert_fused(retrieval.hits, fused, retrieval.notices, "HTTP 500")
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
    _assert_fused(retrieval.hits, fused, retrieval.notices, "HTTP 422")
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
    _assert_fused(retrieval.hits, fused, retrieval.notices, reason)


def test_rerank_unreachable_server_keeps_the_fused_order(
        seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding, fused: list[str]) -> None:
    with rerank_stub() as (url, _):
        pass  # stopped: its port now refuses connections
    retrieval = retriever(seeded_fake.store, fake_embeddings, ServedReranker(url)).search(QUESTION)
    _assert_fused(retrieval.hits, fused, retrieval.notices, "cannot reach")


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


def test_rerank_parse_accepts_both_shapes_and_orders_by_index() -> None:
    cohere = {"results": [{"index": 2, "relevance_score": 0.9}, {"index": 0, "relevance_score": 0.1},
                          {"index": 1, "relevance_score": 0.5}]}
    tei = [{"index": 1, "score": 3.0}, {"index": 0, "score": -1.0}, {"index": 2, "score": 2.0}]
    assert parse_rerank_response(cohere, 3) == [0.1, 0.5, 0.9]
    assert parse_rerank_response(tei, 3) == [-1.0, 3.0, 2.0]
    # a server that returned only its top results: the rest rank below every returned one
    assert parse_rerank_response({"results": [{"index": 1, "relevance_score": 0.5}]}, 3) == [-0.5, 0.5, -0.5]


def test_rerank_a_raising_reranker_keeps_the_fused_order(
        seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding, fused: list[str]) -> None:
    class Broken:
        name, candidates = "broken", 10

        def scores(self, query: RerankQuery, candidates: Sequence[Candidate]) -> list[float]:
            raise RuntimeError("boom")

    retrieval = HybridRetriever(seeded_fake.store, fake_embeddings, reranker=Broken()).search(QUESTION)
    _assert_fused(retrieval.hits, fused, retrieval.notices, "boom")


def test_rerank_factory(tmp_path: Path) -> None:
    embeddings = DeterministicFakeEmbedding(size=8)
    assert build_reranker(load_settings(data_dir=tmp_path), embeddings) is None
    offline = build_reranker(load_settings(data_dir=tmp_path, rerank="offline"), embeddings)
    assert isinstance(offline, SentenceReranker) and offline.candidates == 30
    served = build_reranker(load_settings(data_dir=tmp_path, rerank="served", rerank_url="http://gpu:8080",
                                          rerank_api="tei", rerank_timeout=0.5, rerank_candidates=20,
                                          rerank_api_key="k"), embeddings)
    assert isinstance(served, ServedReranker)
    assert (served.url, served.api, served.timeout, served.candidates) == ("http://gpu:8080/rerank", "tei", 0.5, 20)
    with pytest.raises(ConfigError, match="ASSISTANT_RERANK_URL"):
        build_reranker(load_settings(data_dir=tmp_path, rerank="served"), embeddings)
    with pytest.raises(ConfigError, match="http://host:port/rerank"):
        build_reranker(load_settings(data_dir=tmp_path, rerank="served", rerank_url="gpu:8080"), embeddings)


class CountingEmbedding(DeterministicFakeEmbedding):
    name: str = "fake:counting"
    embedded: int = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return super().embed_documents(texts)


def test_rerank_offline_sentence_vectors_are_computed_once(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "sentences.db"
    text = "H20的单价在1.2万美元。价格大约是H100的一半！\n英伟达这样说"
    first = CountingEmbedding(size=16)
    [matrix] = SentenceVectors(first, path).vectors([("c1", text)])
    assert matrix.shape == (3, 16) and first.embedded == 3  # one vector per sentence
    again = CountingEmbedding(size=16)
    [cached] = SentenceVectors(again, path).vectors([("c1", text)])
    assert again.embedded == 0 and (cached == matrix).all()  # read back from disk
    SentenceVectors(again, path).vectors([("c1", text + "又一句。")])
    assert again.embedded == 3  # a changed text is a new key: its three sentences are embedded


def test_rerank_offline_prefers_the_passage_with_the_closest_sentence(tmp_path: Path) -> None:
    embeddings = CountingEmbedding(size=16)
    reranker = SentenceReranker(SentenceVectors(embeddings, tmp_path / "s.db"), weight=2.0)
    query_sentence = "h20的单价是多少"
    vector = embeddings.embed_documents([query_sentence])[0]
    candidates = [Candidate("a", "无关的一句。另一句。", 0.10), Candidate("b", "开头。H20的单价是多少", 0.09)]
    scores = reranker.scores(RerankQuery(query_sentence, query_sentence, vector), candidates)
    assert scores[1] > scores[0]
    with pytest.raises(UpstreamError, match="no query vector"):
        reranker.scores(RerankQuery("q", "q"), candidates)


def test_rerank_request_body_is_json_serialisable() -> None:
    body = ServedReranker("http://127.0.0.1:1/v1/rerank", "m").request_body("问题", ["一", "二"])
    assert json.loads(json.dumps(body, ensure_ascii=False)) == {"model": "m", "query": "问题",
                                                                "documents": ["一", "二"], "top_n": 2}
