"""Hybrid retrieval: dense (Chroma HNSW) + BM25 bigrams (+ learned sparse), fused by RRF."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.errors import EmptyStoreError, InvalidInputError
from assistant.models.embeddings import SparseEncoder
from assistant.retrieval.fusion import (
    ScriptCentroids,
    bm25_weight,
    both,
    debiased,
    script_offsets,
    script_restrictions,
)
from assistant.retrieval.lexical import LexicalIndex, top_indices
from assistant.retrieval.lexical_cache import LexicalCache
from assistant.retrieval.literals import LITERAL_WEIGHT, Literals, with_literals
from assistant.retrieval.names import NAME_WEIGHT, Names, with_names
from assistant.retrieval.rerank import Reranker, RerankQuery, rerank_hits
from assistant.storage.chunks import ChunkStore
from assistant.text.normalize import normalize
from assistant.types import Filters, Hit, day_number

MIN_K, MAX_K = 1, 50
LEGS = ("dense", "bm25", "sparse")


def chroma_where(filters: Filters) -> dict[str, object] | None:
    """The store's `where` clause for `filters` (None: no restriction)."""
    clauses: list[dict[str, object]] = []
    if filters.article_ids:
        clauses.append({"article_id": {"$in": list(filters.article_ids)}})
    if filters.outlets:
        clauses.append({"outlet": {"$in": list(filters.outlets)}})
    if filters.since:
        clauses.append({"published_day": {"$gte": day_number(filters.since)}})
    if filters.until:
        clauses.append({"published_day": {"$lte": day_number(filters.until)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def filter_mask(filters: Filters, index: LexicalIndex) -> np.ndarray | None:
    """Which positions of the lexical index pass `filters` (None: all of them)."""
    if not filters.restricts:
        return None
    return np.array([c is not None and filters.allows(c.article_id, c.outlet, c.published) for c in index.slots],
                    dtype=bool)


@dataclass(frozen=True)
class Retrieval:
    """Hits plus the statistics the answer stage needs (relevance gate, IDF)."""

    hits: list[Hit]
    query: str
    dense_z: float
    index: LexicalIndex
    query_vector: tuple[float, ...] = ()
    notices: tuple[str, ...] = ()  # `code (detail)…`, e.g. the rerank stage failed: the fused order was kept
    weights: Mapping[str, float] = field(default_factory=dict)  # this question's leg weights


@dataclass(frozen=True)
class Legs:
    """Each leg's ranked chunk ids for one question, and this question's leg weights."""

    query: str  # the normalised question
    vector: list[float]
    ranked: dict[str, list[str]]
    dense_scores: dict[str, float]  # cosine similarity of the dense candidates
    dense_z: float  # how far the dense leg's first passage stands out (`standout`)
    weights: dict[str, float]


class Searcher(Protocol):
    """What the answer chain needs from retrieval (the hybrid retriever, or an eval baseline)."""

    embeddings: Embeddings

    def search(self, question: str, k: int = 5, filters: Filters | None = None) -> Retrieval: ...

    def retrieve(self, question: str, k: int = 5, filters: Filters | None = None) -> list[Hit]: ...


def standout(scores: Sequence[float]) -> float:
    """How far the first of the ranked `scores` stands above the rest (its z-score); the
    relevance gate reads it as "one passage clearly matches"."""
    values = np.asarray(list(scores) or [0.0], dtype=np.float64)
    return float((values[0] - values.mean()) / values.std()) if values.std() > 0 else 0.0


def validate_query(question: str, k: int, max_chars: int) -> str:
    text = question.strip() if isinstance(question, str) else ""
    if not text:
        raise InvalidInputError("the question is empty", field="question")
    if len(text) > max_chars:
        raise InvalidInputError(f"the question has {len(text)} characters; the limit is {max_chars}",
                                field="question")
    if not MIN_K <= k <= MAX_K:
        raise InvalidInputError(f"k must be between {MIN_K} and {MAX_K}, not {k}", field="k")
    return text


# Dense weight 0.5 and RRF k 10: the best MRR of benchmarks/fusion.py's grid (dense 0.3–1.4,
# k 10–120) on the seeds alone and against synthetic look-alikes at 1k, 10k and 100k chunks.
# A small k lets a passage that both legs rank near the top win over one that a single leg
# (usually the dense one, fooled by a look-alike about another company) ranks first.
# BM25's weight is then scaled per question by what it can match (`fusion.bm25_weight`).
LEG_WEIGHTS = {"dense": 0.5, "bm25": 1.0, "sparse": 1.0}
RRF_K = 10


def reciprocal_rank_fusion(ranked: Mapping[str, Sequence[str]], weights: Mapping[str, float],
                           rrf_k: int) -> dict[str, float]:
    """Each leg's ranked ids → fused score per id (the sum of weight / (rrf_k + rank)), best
    first, ties broken by id."""
    fused: dict[str, float] = {}
    for leg, ids in ranked.items():
        for rank, cid in enumerate(ids, start=1):
            fused[cid] = fused.get(cid, 0.0) + weights[leg] / (rrf_k + rank)
    return dict(sorted(fused.items(), key=lambda item: (-item[1], item[0])))


class HybridRetriever:
    """Fuses the ranked lists of each leg with reciprocal-rank fusion."""

    def __init__(self, store: ChunkStore, embeddings: Embeddings, sparse: SparseEncoder | None = None,
                 rrf_k: int = RRF_K, candidates: int = 40, weights: dict[str, float] | None = None,
                 max_question_chars: int = 2000, cache: LexicalCache | None = None,
                 reranker: Reranker | None = None, adaptive: bool = True,
                 index: LexicalIndex | None = None, literal_weight: float = LITERAL_WEIGHT,
                 name_weight: float = NAME_WEIGHT) -> None:
        self.store = store
        self.embeddings = embeddings
        self.sparse = sparse
        self.rrf_k = rrf_k
        self.candidates = candidates
        self.weights = {**LEG_WEIGHTS, **(weights or {})}
        self.max_question_chars = max_question_chars
        self.cache = cache
        self.reranker = reranker
        self.adaptive = adaptive  # per-question fusion (`fusion`); False: the fixed weights, one dense search
        self.literal_weight = literal_weight  # the question's years and numbers a passage lacks (`literals`)
        self.name_weight = name_weight  # the question's names a passage's article never writes (`names`)
        self.centroids = ScriptCentroids(store)
        self._index: LexicalIndex | None = index  # a start (e.g. another term kind), caught up on first use
        self._lock = threading.Lock()

    def lexical_index(self) -> LexicalIndex:
        """The BM25/sparse index, caught up with the store's committed articles when they change:
        loaded from the on-disk cache at start, then updated with the changed articles only."""
        fingerprint = self.store.fingerprint()
        with self._lock:
            if self._index is not None and self._index.fingerprint == fingerprint:
                return self._index
            base = self._index or (self.cache.load() if self.cache else None) or LexicalIndex()
            if base.fingerprint != fingerprint:
                base = base.updated(self.store.versions(), self.store.committed_chunks, fingerprint)
                if self.cache:
                    self.cache.save_later(base)
            self._index = base
            return base

    def retrieve(self, question: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        return self.search(question, k, filters).hits

    def search(self, question: str, k: int = 5, filters: Filters | None = None) -> Retrieval:
        text = validate_query(question, k, self.max_question_chars)
        filters = filters or Filters()
        index = self.lexical_index()
        if not index.size:
            raise EmptyStoreError("the store is empty: run `assistant ingest` first")
        legs = self.legs(text, filters, index)
        depth = max(k, self.reranker.candidates) if self.reranker else k
        # the literal and name stages reorder a deeper fused list, when the question gives any
        literals = Literals.of(text) if self.literal_weight > 0 else Literals.none()
        names = Names.of(text, index.segmenter) if self.name_weight > 0 else Names.none()
        fused = self._fuse(index, legs, max(depth, self.candidates) if literals.count or names.count else depth)
        fused = with_literals(literals, fused, self.literal_weight)
        flags = index.latin_mask()
        fused = with_names(names, fused, index.article_text, self.name_weight,
                           lambda h: bool(flags[index.position[h.chunk_id]]))[:depth]
        hits, notices = rerank_hits(self.reranker, RerankQuery(text, legs.query, legs.vector,
                                                               self._offsets(index, legs, fused)), fused, k)
        return Retrieval(hits, legs.query, legs.dense_z, index, tuple(float(x) for x in legs.vector), notices,
                         legs.weights)

    def legs(self, text: str, filters: Filters, index: LexicalIndex) -> Legs:
        """Every leg's candidates for a (validated) question, and the weights to fuse them with."""
        query = normalize(text)
        ranked: dict[str, list[str]] = {}
        vector = self.embeddings.embed_query(query)
        dense, dense_scores = self._dense(index, vector, filters)
        ranked["dense"] = [cid for cid, _ in dense]
        allowed = filter_mask(filters, index)
        ranked["bm25"] = self._ids(index, top_indices(index.bm25_scores(text), self.candidates, allowed))
        if self.sparse is not None and index.has_sparse:
            scores = index.sparse_scores(self.sparse.sparse_query(query))
            ranked["sparse"] = self._ids(index, top_indices(scores, self.candidates, allowed))
        weights = dict(self.weights)
        if self.adaptive:
            weights["bm25"] = bm25_weight(weights["bm25"], index, text, ranked["dense"])
        return Legs(query, vector, ranked, dense_scores, standout([score for _, score in dense]), weights)

    def _dense(self, index: LexicalIndex, vector: list[float], filters: Filters
               ) -> tuple[list[tuple[str, float]], dict[str, float]]:
        """The dense candidates, ranked (and scored) without the embedding's preference for the
        question's own language when the index holds more than one script (`fusion`); and
        their cosine similarities."""
        where = chroma_where(filters)
        restrictions = script_restrictions(index) if self.adaptive else []
        if not restrictions:
            dense = self.store.dense_search(vector, self.candidates, where)
            return dense, dict(dense)
        hits = [hit for restriction in restrictions
                for hit in self.store.dense_search(vector, self.candidates, both(where, restriction))]
        return debiased(hits, index, self.centroids.of(index), vector)[:self.candidates], dict(hits)

    def _offsets(self, index: LexicalIndex, legs: Legs, hits: Sequence[Hit]) -> dict[str, float]:
        """The rerank stage's per-chunk script offsets: the dense leg's language debiasing
        (none with the fixed fusion, no rerank stage, or an index of one script)."""
        if self.reranker is None or not self.adaptive or not legs.vector or len(index.article_groups()) < 2:
            return {}
        return script_offsets(index, self.centroids.of(index), legs.vector, [h.chunk_id for h in hits])

    @staticmethod
    def _ids(index: LexicalIndex, positions: Sequence[int]) -> list[str]:
        return [index.chunk_at(i).chunk_id for i in positions]

    def _fuse(self, index: LexicalIndex, legs: Legs, k: int) -> list[Hit]:
        ranked, dense_scores = legs.ranked, legs.dense_scores
        fused = reciprocal_rank_fusion(ranked, legs.weights, self.rrf_k)
        order = [cid for cid in fused if cid in index.position]
        hits = []
        for rank, cid in enumerate(order[:k], start=1):
            chunk = index.chunk_at(index.position[cid])
            ranks = {leg: (ids.index(cid) + 1 if cid in ids else None) for leg, ids in ranked.items()}
            hits.append(Hit(rank, chunk.article_id, cid, chunk.text, fused[cid], chunk.title, chunk.outlet,
                            dense_scores.get(cid), ranks, published=chunk.published))
        return hits
