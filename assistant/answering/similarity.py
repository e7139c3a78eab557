"""Sentence-level similarity to a question: cosines over the shared sentence store
(`models/sentence_store.py`), so a sentence is embedded once per model, ever."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.models.sentence_store import SentenceStore


class SentenceSimilarity:
    """Cosine between a query vector and sentences; the sentence vectors come from `store` (an
    in-memory one of `cache_size` sentences when none is given)."""

    def __init__(self, embeddings: Embeddings, cache_size: int = 50_000, store: SentenceStore | None = None) -> None:
        self.store = store or SentenceStore(embeddings, memory=cache_size)

    @property
    def embeddings(self) -> Embeddings:
        return self.store.embeddings

    def similarities(self, query_vector: Sequence[float], sentences: Sequence[str]) -> list[float]:
        if not sentences or not len(query_vector):
            return [0.0] * len(sentences)
        vectors = np.stack(self.store.vectors(list(sentences)))
        query = np.asarray(query_vector, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(query) or 1.0)
        return [float(x) for x in vectors @ query / np.where(norms > 0, norms, 1.0)]
