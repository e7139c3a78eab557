"""Lexical legs of hybrid retrieval: BM25 over character bigrams, and learned-sparse dot products.

The index is a list of immutable segments (sparse term-frequency matrices, Lucene style): a
change to the store appends a segment for the new chunks and marks removed chunks dead, so
an upload at 100k chunks costs the upload, not a rebuild. Segments merge when there are many
or many dead rows. The index persists to disk (`LexicalCache`) so that a process start loads
it instead of re-reading and re-tokenising every chunk.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse as sp

from assistant.embeddings import SparseVector
from assistant.store import StoredChunk

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")  # `h20`, `rtx`, `4090`, `3.5`
K1, B = 1.2, 0.75  # BM25 (Lucene's form, as bm25s computes it)
MAX_SEGMENTS = 8
MAX_DEAD_SHARE = 0.25
Fetch = Callable[[Sequence[str]], Sequence[StoredChunk]]  # article ids → their committed chunks


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


@dataclass(frozen=True)
class Segment:
    """Term frequencies (CSC: rows = chunks, columns = term ids) of a run of chunks, and their
    sparse-head vectors when every chunk has one."""

    tf: sp.csc_matrix
    lengths: np.ndarray
    sparse: sp.csr_matrix | None

    @property
    def size(self) -> int:
        return int(self.tf.shape[0])


class DocumentFrequency(Mapping[str, int]):
    """Live-chunk counts per token, read through the vocabulary (what the relevance gate needs)."""

    def __init__(self, vocab: dict[str, int], counts: np.ndarray) -> None:
        self._vocab = vocab
        self._counts = counts

    def __getitem__(self, token: str) -> int:
        return int(self._counts[self._vocab[token]])

    def __iter__(self) -> Iterator[str]:
        return (t for t, i in self._vocab.items() if self._counts[i] > 0)

    def __len__(self) -> int:
        return int(np.count_nonzero(self._counts))


class LexicalIndex:
    """BM25 and optional sparse-vector scoring over the store's visible chunks."""

    def __init__(self, chunks: Sequence[StoredChunk] = (), fingerprint: str = "",
                 versions: Mapping[str, str] | None = None) -> None:
        self.fingerprint = fingerprint
        self.versions = dict(versions or {})  # article id → committed version the index holds
        self.vocab: dict[str, int] = {}
        self.slots: list[StoredChunk | None] = []  # global positions; None = dead
        self.position: dict[str, int] = {}
        self.segments: list[Segment] = []
        self._df = np.zeros(0, dtype=np.int64)
        self._live_length = 0.0
        self._live: np.ndarray | None = None
        self.add(chunks)

    # ------------------------------------------------------------------ reading

    @property
    def chunks(self) -> list[StoredChunk]:
        """The live chunks, in position order."""
        return [c for c in self.slots if c is not None]

    @property
    def size(self) -> int:
        return len(self.position)

    @property
    def document_frequency(self) -> DocumentFrequency:
        return DocumentFrequency(self.vocab, self._df)

    @property
    def has_sparse(self) -> bool:
        return bool(self.segments) and all(s.sparse is not None for s in self.segments)

    @property
    def df_counts(self) -> np.ndarray:
        return self._df

    @classmethod
    def restored(cls, segments: Sequence[Segment], slots: Sequence[StoredChunk | None], vocab: dict[str, int],
                 df: np.ndarray, versions: Mapping[str, str], fingerprint: str) -> LexicalIndex:
        """An index from its saved parts (`LexicalCache`)."""
        index = cls(fingerprint=fingerprint, versions=versions)
        index.vocab, index.segments, index.slots, index._df = vocab, list(segments), list(slots), df
        index.position = {c.chunk_id: i for i, c in enumerate(index.slots) if c is not None}
        lengths = np.concatenate([s.lengths for s in segments]) if segments else np.zeros(0, np.float32)
        index._live_length = float(lengths[index.live_mask()].sum())
        return index

    def chunk_at(self, position: int) -> StoredChunk:
        chunk = self.slots[position]
        if chunk is None:
            raise KeyError(position)
        return chunk

    def live_mask(self) -> np.ndarray:
        """True at live positions (cached: a published index does not change)."""
        if self._live is None or len(self._live) != len(self.slots):
            self._live = np.array([c is not None for c in self.slots], dtype=bool)
        return self._live

    def bm25_scores(self, normalized_query: str) -> np.ndarray:
        """A score per position (dead positions score 0)."""
        scores = np.zeros(len(self.slots), dtype=np.float32)
        columns = [self.vocab[t] for t in bigram_tokens(normalized_query) if t in self.vocab]
        if not columns or not self.size:
            return scores
        n = self.size
        avg_length = self._live_length / n
        for offset, segment in self._spans():
            present = np.asarray([c for c in columns if c < segment.tf.shape[1]], dtype=np.int64)
            sub = segment.tf[:, present].tocoo()
            if sub.nnz:
                df = self._df[present[sub.col]]
                idf = np.log1p((n - df + 0.5) / (df + 0.5))
                norm = K1 * (1 - B + B * segment.lengths[sub.row] / avg_length)
                np.add.at(scores, offset + sub.row, (idf * sub.data / (sub.data + norm)).astype(np.float32))
        scores[~self.live_mask()] = 0.0
        return scores

    def sparse_scores(self, query: SparseVector) -> np.ndarray:
        scores = np.zeros(len(self.slots), dtype=np.float32)
        if not self.has_sparse:
            return scores
        for offset, segment in self._spans():
            matrix = segment.sparse
            assert matrix is not None
            vector = np.zeros(matrix.shape[1], dtype=np.float32)
            for key, value in query.items():
                if key < matrix.shape[1]:
                    vector[key] = value
            scores[offset:offset + segment.size] = matrix @ vector
        scores[~self.live_mask()] = 0.0
        return scores

    # ------------------------------------------------------------------ changes

    def add(self, chunks: Sequence[StoredChunk]) -> None:
        """Append one segment holding `chunks` (ids already in the index are replaced)."""
        self.remove([c.chunk_id for c in chunks if c.chunk_id in self.position])
        if not chunks:
            return
        rows: list[int] = []
        cols: list[int] = []
        vals: list[int] = []
        lengths: list[int] = []
        for row, chunk in enumerate(chunks):
            tokens = bigram_tokens(chunk.search_text)
            lengths.append(len(tokens))
            counts: dict[int, int] = {}
            for token in tokens:
                col = self.vocab.setdefault(token, len(self.vocab))
                counts[col] = counts.get(col, 0) + 1
            rows.extend([row] * len(counts))
            cols.extend(counts)
            vals.extend(counts.values())
        tf = sp.csc_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(chunks), len(self.vocab)))
        self._append(Segment(tf, np.asarray(lengths, dtype=np.float32), _sparse_rows(chunks)), chunks)

    def remove(self, chunk_ids: Sequence[str]) -> None:
        """Mark chunks dead; their statistics leave the index at once."""
        positions = sorted(p for p in (self.position.pop(cid, None) for cid in chunk_ids) if p is not None)
        for offset, segment in self._spans():
            rows = [p - offset for p in positions if offset <= p < offset + segment.size]
            if rows:
                dead = segment.tf[rows]
                np.subtract.at(self._df, dead.nonzero()[1], 1)
                self._live_length -= float(segment.lengths[rows].sum())
        for position in positions:
            self.slots[position] = None
        self._live = None
        if self._needs_merge():
            self.merge()

    def updated(self, versions: Mapping[str, str], fetch: Fetch, fingerprint: str) -> LexicalIndex:
        """A copy brought to the store's committed `versions`, reading only the changed articles
        (readers of this index are never disturbed)."""
        stale = {aid for aid, version in self.versions.items() if versions.get(aid) != version}
        fresh = [aid for aid, version in versions.items() if self.versions.get(aid) != version]
        index = self.copy()
        index.remove([c.chunk_id for c in self.chunks if c.article_id in stale])
        index.add(fetch(fresh))
        index.versions = dict(versions)
        index.fingerprint = fingerprint
        return index

    def copy(self) -> LexicalIndex:
        """Shares the immutable segments; copies what changes."""
        index = copy.copy(self)
        index.vocab, index.slots, index.position = dict(self.vocab), list(self.slots), dict(self.position)
        index.segments, index.versions, index._df = list(self.segments), dict(self.versions), self._df.copy()
        index._live = None
        return index

    def merge(self) -> None:
        """Rewrite every segment's live rows into one segment."""
        live = self.live_mask()
        chunks = self.chunks
        width = len(self.vocab)
        parts, lengths, sparse_parts = [], [], []
        for offset, segment in self._spans():
            keep = live[offset:offset + segment.size]
            tf = segment.tf[keep]
            tf.resize((tf.shape[0], width))
            parts.append(tf)
            lengths.append(segment.lengths[keep])
            if segment.sparse is not None:
                sparse_parts.append(segment.sparse[keep])
        tf = sp.vstack(parts, format="csc") if parts else sp.csc_matrix((0, width), dtype=np.float32)
        merged = _stack_sparse(sparse_parts) if len(sparse_parts) == len(parts) and parts else None
        self.segments, self.slots, self.position = [], [], {}
        self._append(Segment(sp.csc_matrix(tf), np.concatenate(lengths) if lengths else np.zeros(0, np.float32),
                             merged), chunks, count=False)

    # ------------------------------------------------------------------ internals

    def _spans(self) -> Iterator[tuple[int, Segment]]:
        """(first global position, segment) of each segment, in order."""
        offset = 0
        for segment in self.segments:
            yield offset, segment
            offset += segment.size

    def _append(self, segment: Segment, chunks: Sequence[StoredChunk], count: bool = True) -> None:
        start = len(self.slots)
        self.segments.append(segment)
        self.slots.extend(chunks)
        self.position.update({c.chunk_id: start + i for i, c in enumerate(chunks)})
        if len(self._df) < len(self.vocab):
            self._df = np.concatenate([self._df, np.zeros(len(self.vocab) - len(self._df), dtype=np.int64)])
        if count:
            present = np.diff(segment.tf.indptr)
            self._df[: len(present)] += present
            self._live_length += float(segment.lengths.sum())
        if len(self.segments) > MAX_SEGMENTS:
            self.merge()

    def _needs_merge(self) -> bool:
        dead = len(self.slots) - self.size
        return dead > 0 and dead > MAX_DEAD_SHARE * len(self.slots)


def _sparse_rows(chunks: Sequence[StoredChunk]) -> sp.csr_matrix | None:
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


def _stack_sparse(parts: Sequence[sp.csr_matrix]) -> sp.csr_matrix:
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
