"""Publication dates end to end: stored with articles and chunks, filtered on in both retrieval
legs, shown with every citation (API, Slack; the CLI: tests/integration/retrieval/test_filters.py).
Fake embeddings, tmp data dirs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.config import Settings
from assistant.errors import InvalidInputError
from assistant.ingest.ingestor import Ingestor
from assistant.retrieval.hybrid import HybridRetriever, chroma_where, filter_mask
from assistant.retrieval.lexical import LexicalIndex
from assistant.retrieval.lexical_cache import LexicalCache
from assistant.slack.render import answer_blocks
from assistant.types import Answer, Citation, Filters
from tests.support.data import NamedFakeEmbedding
from tests.support.dated_corpus import QUESTION, write_corpus
from tests.support.fakes import make_services


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "articles")


@pytest.fixture
def dated(fake_ingestor: Ingestor, corpus: Path) -> Ingestor:
    report = fake_ingestor.ingest_paths([corpus])
    assert not report.failed and len(report.added) == 4
    return fake_ingestor


def found(retriever: HybridRetriever, filters: Filters | None = None) -> set[str]:
    return {h.article_id for h in retriever.retrieve(QUESTION, k=10, filters=filters)}


def test_date_stored_with_article_and_every_chunk(dated: Ingestor) -> None:
    records = dated.store.article_records()
    assert {aid: r.published for aid, r in records.items()} == {
        "jan2024": "2024-01-15", "aug2024": "2024-08-11", "jan2025": "2025-01-16", "undated": None}
    got = dated.store.chunks.get(include=["metadatas"])
    by_article = {m["article_id"]: m for m in got["metadatas"]}
    assert by_article["aug2024"]["published"] == "2024-08-11" and by_article["aug2024"]["published_day"] == 20240811
    assert "published" not in by_article["undated"] and "published_day" not in by_article["undated"]
    assert {c.article_id: c.published for c in dated.store.committed_chunks()}["jan2025"] == "2025-01-16"


@pytest.mark.parametrize(("since", "until", "expected"), [
    (None, None, {"jan2024", "aug2024", "jan2025", "undated"}),
    (date(2024, 1, 1), date(2024, 12, 31), {"jan2024", "aug2024"}),
    (date(2024, 8, 11), None, {"aug2024", "jan2025"}),  # inclusive
    (None, date(2024, 8, 11), {"jan2024", "aug2024"}),
    (date(2024, 8, 12), date(2025, 1, 15), set()),
])
def test_date_filters_through_the_retriever(dated: Ingestor, fake_embeddings: NamedFakeEmbedding,
                                            since: date | None, until: date | None, expected: set[str]) -> None:
    retriever = HybridRetriever(dated.store, fake_embeddings)
    filters = Filters(since=since, until=until)
    assert found(retriever, filters) == expected
    search = retriever.search(QUESTION, k=10, filters=filters)
    assert {h.article_id for h in search.hits} == expected
    # each leg applies the filter on its own: the dense leg through Chroma's where, BM25 through its mask
    dense = dated.store.dense_search(search.query_vector, 40, chroma_where(filters))
    assert {cid.split(":")[0] for cid, _ in dense} == expected
    mask = filter_mask(filters, retriever.lexical_index())
    allowed = {c.article_id for c, ok in zip(retriever.lexical_index().slots, mask, strict=True)
               if c is not None and ok} if mask is not None else expected
    assert allowed == expected


def test_date_filters_combine_with_article_filters(dated: Ingestor, fake_embeddings: NamedFakeEmbedding) -> None:
    retriever = HybridRetriever(dated.store, fake_embeddings)
    filters = Filters(article_ids=("jan2024", "undated"), since=date(2024, 1, 1))
    assert found(retriever, filters) == {"jan2024"}  # an undated article never passes a date bound


def test_date_hits_carry_the_date(dated: Ingestor, fake_embeddings: NamedFakeEmbedding) -> None:
    hits = HybridRetriever(dated.store, fake_embeddings).retrieve(QUESTION, k=10)
    assert {h.article_id: h.published for h in hits} == {
        "jan2024": "2024-01-15", "aug2024": "2024-08-11", "jan2025": "2025-01-16", "undated": None}
    citation = Citation.from_hit(1, next(h for h in hits if h.article_id == "aug2024"))
    assert citation.published == "2024-08-11" and citation.as_dict()["published"] == "2024-08-11"
    assert {"rank", "article_id", "chunk_id", "text", "score", "published"} <= set(hits[0].contract_dict())


def test_date_filter_bounds_in_order() -> None:
    with pytest.raises(InvalidInputError) as info:
        Filters(since=date(2025, 1, 1), until=date(2024, 1, 1))
    assert info.value.field == "until"
    assert not Filters().restricts and Filters(until=date(2024, 1, 1)).restricts


def test_date_lexical_cache_round_trip_keeps_dates(dated: Ingestor, tmp_path: Path) -> None:
    index = LexicalIndex(dated.store.committed_chunks(), "gen:1", dated.store.versions())
    cache = LexicalCache(tmp_path / "lexical")
    cache.save(index)
    loaded = cache.load()
    assert loaded is not None and loaded.chunks == index.chunks
    assert {c.article_id: c.published for c in loaded.chunks}["aug2024"] == "2024-08-11"
    mask = filter_mask(Filters(since=date(2025, 1, 1)), loaded)
    assert mask is not None
    assert {c.article_id for c, ok in zip(loaded.slots, mask, strict=True) if c is not None and ok} == {"jan2025"}


# ------------------------------------------------------------------ API and Slack


@pytest.fixture
def client(settings: Settings, dated: Ingestor) -> Iterator[TestClient]:
    with TestClient(create_app(services=make_services(settings, dated))) as test_client:
        yield test_client


def test_date_api_retrieve_and_chat_filters(client: TestClient) -> None:
    body = {"question": QUESTION, "k": 10, "filters": {"since": "2024-06-01", "until": "2025-12-31"}}
    passages = client.post("/v1/retrieve", json=body).json()["passages"]
    assert {(p["article_id"], p["published"]) for p in passages} == {("aug2024", "2024-08-11"),
                                                                     ("jan2025", "2025-01-16")}
    chat = client.post("/v1/chat", json={"question": QUESTION, "filters": {"until": "2024-01-31"}})
    assert chat.status_code == 200
    citations = chat.json()["citations"]
    assert citations and {(c["article_id"], c["published"]) for c in citations} == {("jan2024", "2024-01-15")}


@pytest.mark.parametrize(("filters", "field"), [
    ({"since": "2024-13-01"}, "filters.since"),
    ({"until": "not a date"}, "filters.until"),
    ({"since": "2025-01-01", "until": "2024-01-01"}, "filters.until"),
])
def test_date_api_bad_dates_are_422_naming_the_field(client: TestClient, filters: dict[str, str],
                                                      field: str) -> None:
    for path in ("/v1/retrieve", "/v1/chat"):
        response = client.post(path, json={"question": QUESTION, "filters": filters})
        assert response.status_code == 422, response.text
        assert response.json()["error"]["field"] == field


def test_date_api_articles_show_published_author_outlet(client: TestClient) -> None:
    articles = {a["article_id"]: a for a in client.get("/v1/articles").json()["articles"]}
    assert (articles["jan2024"]["published"], articles["jan2024"]["outlet"]) == ("2024-01-15", "城市晚报")
    assert (articles["aug2024"]["published"], articles["aug2024"]["author"]) == ("2024-08-11", "陳怡君")
    assert (articles["jan2025"]["published"], articles["jan2025"]["author"]) == ("2025-01-16", "Jane Smith")
    assert articles["undated"]["published"] is None
    one = client.get("/v1/articles/aug2024").json()
    assert one["published"] == "2024-08-11" and one["chunks"]


def test_date_slack_context_block_shows_the_date() -> None:
    dated_citation = Citation(1, "a1", "a1:v:0000", "省足协表示……", "青训改革见成效", "星海体育网", "2025-01-16")
    undated = Citation(2, "a2", "a2:v:0000", "正文……", "青训观察", None)
    answer = Answer("q", "q", "答案[1][2]", False, "Hans", citations=[dated_citation, undated])
    context = next(b for b in answer_blocks(answer, None) if b["type"] == "context")
    lines = [element["text"].split("\n")[0] for element in context["elements"]]
    assert lines == ["*[1]* 青训改革见成效 — 星海体育网, 2025-01-16", "*[2]* 青训观察 — unknown outlet"]
