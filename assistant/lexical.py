"""Lexical legs of hybrid retrieval: BM25 over character bigrams, and learned-sparse dot products."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import bm25s
import numpy as np
from scipy.sparse import csr_matrix

from assistant.embeddings import SparseVector
from assistant.store import StoredChunk

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")  # `h20`, `rtx`, `4090`, `3.5`


def bigram_tokens(normalized: str) -> list[str]:
    """Tokens of a normalised text: CJK character bigrams (a lone character stays a unigram)
    and Latin/number words (`h20`, `rtx`, `4090`)."""
    tokens: list[str] = []
    for run in _CJK_RUN.findall(normalized):
        if len(run) == 1:
            tokens.append(run)
        tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
    tokens.extend(LATIN_WORD.findall(normalized))
    return tokens


class LexicalIndex:
    """BM25 (bm25s) and optional sparse-vector scoring over the visible chunks."""

    def __init__(self, chunks: Sequence[StoredChunk], fingerprint: str = "") -> None:
        self.chunks = list(chunks)
        self.fingerprint = fingerprint
        self.position = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        corpus = [bigram_tokens(c.search_text) or [""] for c in self.chunks]
        self.document_frequency: Counter[str] = Counter(tok for doc in corpus for tok in set(doc))
        self._vocab = set(self.document_frequency)
        if self.chunks:
            self._bm25.index(corpus, show_progress=False)
        self._sparse = self._sparse_matrix()

    def _sparse_matrix(self) -> csr_matrix | None:
        if not self.chunks or any(c.sparse is None for c in self.chunks):
            return None
        rows, cols, vals = [], [], []
        for row, chunk in enumerate(self.chunks):
            for col, val in (chunk.sparse or {}).items():
                rows.append(row)
                cols.append(col)
                vals.append(val)
        width = max(cols, default=0) + 1
        return csr_matrix((vals, (rows, cols)), shape=(len(self.chunks), width), dtype=np.float32)

    @property
    def has_sparse(self) -> bool:
        return self._sparse is not None

    def bm25_scores(self, normalized_query: str) -> np.ndarray:
        tokens = [t for t in bigram_tokens(normalized_query) if t in self._vocab]
        if not self.chunks or not tokens:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def sparse_scores(self, query: SparseVector) -> np.ndarray:
        if self._sparse is None:
            return np.zeros(len(self.chunks), dtype=np.float32)
        width = self._sparse.shape[1]
        vector = np.zeros(width, dtype=np.float32)
        for key, value in query.items():
            if key < width:
                vector[key] = value
        return np.asarray(self._sparse @ vector, dtype=np.float32)


def top_indices(scores: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[int]:
    """Indices of the n best positive scores (optionally only where `allowed` is true)."""
    masked = np.where(allowed, scores, 0.0) if allowed is not None else scores
    candidates = np.flatnonzero(masked > 0)
    order = candidates[np.argsort(-masked[candidates], kind="stable")]
    return [int(i) for i in order[:n]]
