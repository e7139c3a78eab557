"""The parts the lexical index is built of: the terms of a text, immutable term-frequency
segments, document frequencies read through the vocabulary, sparse-head rows, and the top-n
selection over a score array."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import sparse as sp

from assistant.storage.chunks import StoredChunk
from assistant.text.normalize import is_latin
from assistant.text.segment import CJK_RUN, LATIN_WORD, Segmenter, bigram_tokens
from assistant.types import SparseVector

K1, B = 1.2, 0.75  # BM25 (Lucene's form, as bm25s computes it)

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


Span = tuple[int, Segment]  # (first global position, segment)


def segment_of(batch: Sequence[StoredChunk], vocab: dict[str, int], segmenter: Segmenter, terms: Terms) -> Segment:
    """A segment of `batch` (chunks in search form); new terms are added to `vocab`."""
    rows: list[int] = []
    cols: list[int] = []
    vals: list[int] = []
    lengths: list[int] = []
    for row, chunk in enumerate(batch):
        tokens = index_terms(chunk.search_text, segmenter, terms)
        lengths.append(len(tokens))
        counts: dict[int, int] = {}
        for token in tokens:
            col = vocab.setdefault(token, len(vocab))
            counts[col] = counts.get(col, 0) + 1
        rows.extend([row] * len(counts))
        cols.extend(counts)
        vals.extend(counts.values())
    tf = sp.csc_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(batch), len(vocab)))
    latin = np.asarray([is_latin(c.text) for c in batch], dtype=bool)
    return Segment(tf, np.asarray(lengths, dtype=np.float32), sparse_rows(batch), latin)


def merged_segment(spans: Iterable[Span], live: np.ndarray, width: int) -> Segment:
    """The live rows of every segment as one segment `width` terms wide."""
    parts, lengths, sparse_parts, latin = [], [], [], []
    for offset, segment in spans:
        keep = live[offset:offset + segment.size]
        tf = segment.tf[keep]
        tf.resize((tf.shape[0], width))
        parts.append(tf)
        lengths.append(segment.lengths[keep])
        latin.append(segment.latin[keep])
        if segment.sparse is not None:
            sparse_parts.append(segment.sparse[keep])
    tf = sp.vstack(parts, format="csc") if parts else sp.csc_matrix((0, width), dtype=np.float32)
    merged = stack_sparse(sparse_parts) if len(sparse_parts) == len(parts) and parts else None
    return Segment(sp.csc_matrix(tf), np.concatenate(lengths) if lengths else np.zeros(0, np.float32),
                   merged, np.concatenate(latin) if latin else np.zeros(0, bool))


def bm25(spans: Iterable[Span], columns: Sequence[int], df_counts: np.ndarray, n: int, avg_length: float,
         positions: int) -> np.ndarray:
    """BM25 (Lucene's form) of the query term `columns` at every position."""
    scores = np.zeros(positions, dtype=np.float32)
    for offset, segment in spans:
        present = np.asarray([c for c in columns if c < segment.tf.shape[1]], dtype=np.int64)
        sub = segment.tf[:, present].tocoo()
        if sub.nnz:
            df = df_counts[present[sub.col]]
            idf = np.log1p((n - df + 0.5) / (df + 0.5))
            norm = K1 * (1 - B + B * segment.lengths[sub.row] / avg_length)
            np.add.at(scores, offset + sub.row, (idf * sub.data / (sub.data + norm)).astype(np.float32))
    return scores


def sparse_dot(spans: Iterable[Span], query: SparseVector, positions: int) -> np.ndarray:
    """The sparse-head dot product of `query` at every position (every segment has sparse rows)."""
    scores = np.zeros(positions, dtype=np.float32)
    for offset, segment in spans:
        matrix = segment.sparse
        assert matrix is not None
        vector = np.zeros(matrix.shape[1], dtype=np.float32)
        for key, value in query.items():
            if key < matrix.shape[1]:
                vector[key] = value
        scores[offset:offset + segment.size] = matrix @ vector
    return scores


def rows_with_all(spans: Iterable[Span], live: np.ndarray, columns: Sequence[int]) -> int:
    """Live chunks holding every one of the token `columns` (sorted)."""
    found = 0
    for offset, segment in spans:
        if columns[-1] >= segment.tf.shape[1]:
            continue
        rows: np.ndarray | None = None
        for column in columns:
            start, stop = segment.tf.indptr[column], segment.tf.indptr[column + 1]
            held = segment.tf.indices[start:stop]
            rows = held if rows is None else np.intersect1d(rows, held, assume_unique=True)
            if not len(rows):
                break
        if rows is not None and len(rows):
            found += int(live[offset + rows].sum())
    return found


def column_meets(spans: Iterable[Span], column: int, where: np.ndarray) -> bool:
    """Whether some position where `where` is true holds the token `column`."""
    for offset, segment in spans:
        if column < segment.tf.shape[1]:
            held = segment.tf.indices[segment.tf.indptr[column]:segment.tf.indptr[column + 1]]
            if where[offset + held].any():
                return True
    return False
