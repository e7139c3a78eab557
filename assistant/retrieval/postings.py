"""The parts the lexical index is built of: the terms of a text, immutable term-frequency
segments, document frequencies read through the vocabulary, sparse-head rows, and the top-n
selection over a score array."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import sparse as sp

from assistant.storage.chunks import StoredChunk
from assistant.text.segment import CJK_RUN, LATIN_WORD, Segmenter, bigram_tokens

Terms = Literal["bigrams", "words", "both"]
# "both" is character bigrams plus the segmenter's words of three or more characters (a two-character
# word is a bigram already). Bigrams measured as well as both and better than words alone (MRR: seeds
# 0.936 / 0.942 / 0.934, multi-domain 0.883 / 0.883 / 0.876, `benchmarks/retrieval.py --compare`;
# BM25 alone over the 10k synthetic corpus 0.786 / 0.771 / 0.756) at half the build time, so the
# index counts bigrams; it still learns the corpus's words, for the answer layer (`segmenter`).
TERMS: Terms = "bigrams"

def index_terms(search_text: str, segmenter: Segmenter, terms: Terms = TERMS) -> list[str]:
    """The terms of a text in search form: character bigrams, the segmenter's (search-mode)
    words, or both; Latin and number words (`h20`, `4090`) in every case."""
    if terms == "bigrams":
        return bigram_tokens(search_text)
    words = [run for word in segmenter.words(search_text) for run in CJK_RUN.findall(word)]
    if terms == "words":
        return words + LATIN_WORD.findall(search_text)
    return bigram_tokens(search_text) + [w for w in words if len(w) > 2]


@dataclass(frozen=True)
class Segment:
    """Term frequencies (CSC: rows = chunks, columns = term ids) of a run of chunks, whether each
    chunk is Latin-script (`textnorm.is_latin`), and their sparse-head vectors when every chunk
    has one."""

    tf: sp.csc_matrix
    lengths: np.ndarray
    sparse: sp.csr_matrix | None
    latin: np.ndarray

    @property
    def size(self) -> int:
        return int(self.tf.shape[0])


class DocumentFrequency(Mapping[str, int]):
    """Live-chunk counts per token, read through the vocabulary (what the relevance gate needs).
    A term that is no token of the index (a word, where the index holds its bigrams) is counted
    through `fallback` (`LexicalIndex.frequency`); iteration and length cover the tokens only."""

    def __init__(self, vocab: dict[str, int], counts: np.ndarray,
                 fallback: Callable[[str], int] | None = None) -> None:
        self._vocab = vocab
        self._counts = counts
        self._fallback = fallback

    def __getitem__(self, token: str) -> int:
        column = self._vocab.get(token)
        if column is not None:
            return int(self._counts[column])
        found = self._fallback(token) if self._fallback is not None else 0
        if not found:
            raise KeyError(token)
        return found

    def __iter__(self) -> Iterator[str]:
        return (t for t, i in self._vocab.items() if self._counts[i] > 0)

    def __len__(self) -> int:
        return int(np.count_nonzero(self._counts))


def sparse_rows(chunks: Sequence[StoredChunk]) -> sp.csr_matrix | None:
    if any(c.sparse is None for c in chunks):
        return None
    rows, cols, vals = [], [], []
    for row, chunk in enumerate(chunks):
        for col, val in (chunk.sparse or {}).items():
            rows.append(row)
            cols.append(col)
            vals.append(val)
    width = max(cols, default=0) + 1
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(chunks), width), dtype=np.float32)


def stack_sparse(parts: Sequence[sp.csr_matrix]) -> sp.csr_matrix:
    width = max(p.shape[1] for p in parts)
    for part in parts:
        part.resize((part.shape[0], width))
    return sp.csr_matrix(sp.vstack(parts, format="csr"))


def top_indices(scores: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[int]:
    """Indices of the n best positive scores (optionally only where `allowed` is true)."""
    masked = np.where(allowed, scores, 0.0) if allowed is not None else scores
    candidates = np.flatnonzero(masked > 0)
    if len(candidates) > n:  # keep the n best and everything tied with the n-th, then order exactly
        nth = np.partition(-masked[candidates], n - 1)[n - 1]
        candidates = candidates[-masked[candidates] <= nth]
    order = candidates[np.lexsort((candidates, -masked[candidates]))]
    return [int(i) for i in order[:n]]
