"""Where the test data lives (the seeds, the dev sets, the multi-domain corpus), and the fake
embeddings most tests ingest with."""

from __future__ import annotations

from pathlib import Path

from langchain_core.embeddings import DeterministicFakeEmbedding

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
EVALS = ROOT / "evals"
DEV_SET = EVALS / "dev.jsonl"
MULTIDOMAIN = EVALS / "corpora" / "multidomain"


class NamedFakeEmbedding(DeterministicFakeEmbedding):
    """Deterministic hash embeddings with a stable name for the store's model check."""

    name: str = "fake:deterministic:64"


class CountingEmbedding(DeterministicFakeEmbedding):
    """Fake embeddings that count the documents they embed (queries are not counted)."""

    name: str = "fake:counting"
    embedded: int = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return super().embed_documents(texts)
