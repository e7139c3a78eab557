"""Kill the ingest process (SIGKILL) at random points while it writes: every article in the store
is afterwards whole or absent, and the next ingest completes and clears what was left behind."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time

from assistant.config import Settings
from assistant.factory import build_store
from assistant.ingest.ingestor import Ingestor
from assistant.storage.chunks import ChunkStore
from tests.support.data import ROOT, SEEDS, NamedFakeEmbedding


def _assert_whole(store: ChunkStore) -> dict[str, int]:
    records = store.article_records()
    for article_id, record in records.items():
        chunks = store.chunks_of(article_id)
        assert len(chunks) == record.chunk_count, article_id
        assert [c.ordinal for c in chunks] == list(range(record.chunk_count)), article_id
    assert {c.article_id for c in store.committed_chunks()} <= set(records)
    return {aid: r.chunk_count for aid, r in records.items()}


def test_ingest_sigkill_leaves_articles_whole_or_absent(settings: Settings) -> None:
    rng = random.Random(20261121)
    embeddings = NamedFakeEmbedding(size=64)
    for _ in range(4):
        child = subprocess.Popen([sys.executable, "-m", "tests.support.ingest_child", str(settings.data_dir)], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert child.stdout is not None
        child.stdout.readline()  # the first pass is done: from here every pass rewrites every article
        time.sleep(rng.uniform(0.0, 1.0))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
        _assert_whole(build_store(settings, embeddings))
    store = build_store(settings, embeddings)
    report = Ingestor(store, embeddings).ingest_paths([SEEDS])
    assert not report.failed and report.articles == 5
    counts = _assert_whole(store)
    assert len(counts) == 5
    assert store.remove_orphans() == 0 and len(store.chunks.get(include=[])["ids"]) == sum(counts.values())
