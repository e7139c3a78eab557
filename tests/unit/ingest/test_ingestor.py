"""Ingestion into a real embedded Chroma store, with deterministic fake embeddings."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from assistant.ingest.ingestor import Ingestor
from assistant.retrieval.hybrid import HybridRetriever
from assistant.storage.chunks import ChunkStore


def copy_seeds(seeds_dir: Path, target: Path) -> Path:
    shutil.copytree(seeds_dir, target)
    return target


def test_ingest_seeds_then_again_is_idempotent(fake_ingestor: Ingestor, fake_store: ChunkStore,
                                                seeds_dir: Path, tmp_path: Path) -> None:
    folder = copy_seeds(seeds_dir, tmp_path / "seeds")
    first = fake_ingestor.ingest_paths([folder])
    assert sorted(first.added) == sorted(p.stem for p in folder.glob("*.txt"))
    ids_before = sorted(c.chunk_id for c in fake_store.committed_chunks())
    assert len(ids_before) == first.chunks_written > 50

    second = fake_ingestor.ingest_paths([folder])
    assert second.chunks_written == 0 and len(second.unchanged) == 5
    assert sorted(c.chunk_id for c in fake_store.committed_chunks()) == ids_before
    assert fake_store.chunks.count() == len(ids_before)  # no duplicates underneath either


def test_ingest_chunk_ids_are_stable_and_name_the_article(fake_ingestor: Ingestor, seeds_dir: Path,
                                                          tmp_path: Path, fake_embeddings: Any) -> None:
    from assistant.config import load_settings
    from assistant.factory import build_store

    folder = copy_seeds(seeds_dir, tmp_path / "seeds")
    fake_ingestor.ingest_paths([folder])
    ids_a = sorted(c.chunk_id for c in fake_ingestor.store.committed_chunks())
    other = build_store(load_settings(data_dir=tmp_path / "other"), fake_embeddings)
    Ingestor(other, fake_embeddings).ingest_paths([folder])
    assert sorted(c.chunk_id for c in other.committed_chunks()) == ids_a
    assert all(cid.split(":")[0] in {p.stem for p in folder.glob("*.txt")} for cid in ids_a)


def test_ingest_changed_file_replaces_its_chunks(fake_ingestor: Ingestor, fake_store: ChunkStore,
                                                 tmp_path: Path) -> None:
    path = tmp_path / "a1.txt"
    path.write_text("英伟达发布了新芯片。" * 30, encoding="utf-8")
    fake_ingestor.ingest_paths([path])
    old = {c.chunk_id for c in fake_store.chunks_of("a1")}
    path.write_text("华为发布了超节点。" * 10, encoding="utf-8")
    report = fake_ingestor.ingest_paths([path])
    assert report.updated == ["a1"]
    new = fake_store.chunks_of("a1")
    assert old.isdisjoint(c.chunk_id for c in new)
    assert all("华为" in c.text for c in new)
    assert fake_store.chunks.count() == len(new)


def test_ingest_prune_removes_articles_whose_files_are_gone(fake_ingestor: Ingestor, fake_store: ChunkStore,
                                                            seeds_dir: Path, tmp_path: Path) -> None:
    folder = copy_seeds(seeds_dir, tmp_path / "seeds")
    fake_ingestor.ingest_paths([folder])
    (folder / "002_9b6c0dc71fbfa5b9.txt").unlink()
    report = fake_ingestor.ingest_paths([folder], prune=True)
    assert report.removed == ["002_9b6c0dc71fbfa5b9"]
    assert "002_9b6c0dc71fbfa5b9" not in fake_store.article_records()
    assert all(c.article_id != "002_9b6c0dc71fbfa5b9" for c in fake_store.committed_chunks())


def test_ingest_without_prune_keeps_missing_files(fake_ingestor: Ingestor, fake_store: ChunkStore,
                                                  seeds_dir: Path, tmp_path: Path) -> None:
    folder = copy_seeds(seeds_dir, tmp_path / "seeds")
    fake_ingestor.ingest_paths([folder])
    (folder / "002_9b6c0dc71fbfa5b9.txt").unlink()
    fake_ingestor.ingest_paths([folder])
    assert "002_9b6c0dc71fbfa5b9" in fake_store.article_records()


def test_ingest_bad_files_reported_others_ingested(fake_ingestor: Ingestor, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("英伟达发布了新芯片。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.html").write_bytes(b"\x00\x00\x00")
    report = fake_ingestor.ingest_paths([tmp_path, tmp_path / "missing.txt"])
    assert report.added == ["good"]
    failed = dict(report.failed)
    assert set(failed) == {str(tmp_path / "empty.txt"), str(tmp_path / "bin.html"), str(tmp_path / "missing.txt")}


def test_ingest_duplicate_article_ids_rejected(fake_ingestor: Ingestor, tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("英伟达。", encoding="utf-8")
    (tmp_path / "x.md").write_text("# 华为\n华为。", encoding="utf-8")
    report = fake_ingestor.ingest_paths([tmp_path])
    assert len(report.added) == 1 and len(report.failed) == 1
    assert "also used by" in report.failed[0][1]


class CrashAfterChunks:
    """Stands in for the articles collection: the process 'dies' before the commit point."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def upsert(self, **_: Any) -> None:
        raise KeyboardInterrupt("simulated crash between chunk write and commit")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_ingest_crash_mid_article_leaves_nothing_visible(fake_store: ChunkStore, fake_embeddings: Any,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "a1.txt"
    path.write_text("英伟达发布了新芯片。" * 40, encoding="utf-8")
    real_articles = fake_store.articles
    fake_store.articles = CrashAfterChunks(real_articles)
    with pytest.raises(KeyboardInterrupt):
        Ingestor(fake_store, fake_embeddings).ingest_paths([path])
    fake_store.articles = real_articles
    assert fake_store.chunks.count() > 0  # chunks were written…
    assert fake_store.committed_chunks() == []  # …but none is visible
    retriever = HybridRetriever(fake_store, fake_embeddings)
    assert retriever.lexical_index().chunks == []

    report = Ingestor(fake_store, fake_embeddings).ingest_paths([path])
    assert report.added == ["a1"]
    assert len(fake_store.committed_chunks()) == fake_store.chunks.count() > 0


def test_ingest_store_refuses_other_embedding_model(fake_store: ChunkStore, settings: Any) -> None:
    from langchain_core.embeddings import DeterministicFakeEmbedding

    from assistant.errors import ConfigError
    from assistant.factory import build_store

    fake_store.chunks.count()
    with pytest.raises(ConfigError, match="was built with embeddings"):
        build_store(settings, DeterministicFakeEmbedding(size=8))


def test_ingest_replaces_several_articles_in_one_batch(fake_ingestor: Ingestor, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for n in range(3):
        (folder / f"a{n}.txt").write_text(f"标题{n}\n" + "英伟达发布新芯片。" * 40, encoding="utf-8")
    fake_ingestor.ingest_paths([folder])
    for n in range(3):
        (folder / f"a{n}.txt").write_text(f"标题{n}\n" + "华为发布新手机。" * 30, encoding="utf-8")
    report = fake_ingestor.ingest_paths([folder])
    assert sorted(report.updated) == ["a0", "a1", "a2"] and not report.failed
    store = fake_ingestor.store
    got = store.chunks.get(include=["metadatas", "documents"])
    assert all("华为" in doc for doc in got["documents"])  # every old-version chunk is gone
    assert len(got["ids"]) == sum(r.chunk_count for r in store.article_records().values())
    assert store.remove_orphans() == 0
