"""The Chroma-backed chunk store, with per-article commit markers.

Chunks live in one collection and articles in a second one. An article's chunks
are written first, then its record (the commit point), then the chunks of any
older version are deleted. Readers only see chunks whose version matches the
committed record, so a crash mid-write never exposes half an article: the
orphans are invisible and the next ingest removes them.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from assistant.errors import ConfigError, NotFoundError, UpstreamError
from assistant.types import ArticleRecord, ChunkRecord, SparseVector

P = ParamSpec("P")
R = TypeVar("R")
ARTICLE_SUFFIX = "__articles"
STATE_SUFFIX = "__state"
GENERATION_ID = "generation"
PAGE = 2000  # rows per Chroma read when scanning a whole collection
_PLACEHOLDER_VECTOR = [1.0, 0.0]  # article records are looked up by id, never by vector


@dataclass(frozen=True)
class ArticleWrite:
    """One article to commit: its record, chunks and their vectors."""

    record: ArticleRecord
    chunks: Sequence[ChunkRecord]
    embeddings: Sequence[Sequence[float]]
    sparse: Sequence[SparseVector] | None = None
    replaces: bool = True  # an earlier version may exist (False skips the stale-chunk delete)


@dataclass(frozen=True)
class StoredChunk:
    chunk_id: str
    article_id: str
    ordinal: int
    text: str
    search_text: str
    title: str
    outlet: str | None
    sparse: SparseVector | None = None
    published: str | None = None  # the article's publication date, YYYY-MM-DD


def encode_sparse(vector: SparseVector) -> str:
    return " ".join(f"{key}:{value:.4g}" for key, value in sorted(vector.items()))


def decode_sparse(text: str) -> SparseVector:
    pairs = (item.split(":") for item in text.split())
    return {int(key): float(value) for key, value in pairs}


def _chroma_errors() -> tuple[type[BaseException], ...]:
    import httpx

    return (httpx.HTTPError, ConnectionError, TimeoutError)


def _reaching(method: Callable[P, R]) -> Callable[P, R]:
    """A Chroma server that cannot be reached is an UpstreamError (503 at the API), not a crash."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except _chroma_errors() as exc:
            raise UpstreamError(f"the Chroma store is unreachable: {exc}") from exc

    return wrapper


class ChunkStore:
    """Articles and their chunks in Chroma (embedded or server), written article by article."""

    @_reaching
    def __init__(self, client: Any, name: str, embedding_name: str, ef_search: int = 128,
                 ef_construction: int = 200, max_neighbors: int = 32) -> None:
        self.client = client
        self.name = name
        self.embedding_name = embedding_name
        hnsw = {"space": "cosine", "ef_search": ef_search, "ef_construction": ef_construction,
                "max_neighbors": max_neighbors}
        self.chunks = client.get_or_create_collection(
            name, configuration={"hnsw": hnsw}, metadata={"embedding": embedding_name}, embedding_function=None)
        self.articles = client.get_or_create_collection(name + ARTICLE_SUFFIX, embedding_function=None)
        self.state = client.get_or_create_collection(name + STATE_SUFFIX, embedding_function=None)
        current = (self.chunks.configuration or {}).get("hnsw") or {}
        if current.get("ef_search") not in (None, ef_search):  # a query-time knob: follow the settings
            self.chunks.modify(configuration={"hnsw": {"ef_search": ef_search}})
        built_with = (self.chunks.metadata or {}).get("embedding")
        if built_with and built_with != embedding_name:
            raise ConfigError(
                f"collection {name!r} was built with embeddings {built_with!r}, not {embedding_name!r}: "
                "use another ASSISTANT_COLLECTION or ASSISTANT_DATA_DIR, or delete the store and re-ingest")

    # ------------------------------------------------------------------ articles

    @_reaching
    def article_records(self) -> dict[str, ArticleRecord]:
        return {str(m["article_id"]): ArticleRecord.from_metadata(m)
                for _, _, m in self._scan(self.articles, ["metadatas"])}

    def article(self, article_id: str) -> ArticleRecord:
        record = self.record(article_id)
        if record is None:
            raise NotFoundError(f"no article with id {article_id!r}")
        return record

    def record(self, article_id: str) -> ArticleRecord | None:
        return self._records_of({article_id}).get(article_id)

    @_reaching
    def versions(self) -> dict[str, str]:
        """Committed version of every article."""
        return {aid: rec.version for aid, rec in self.article_records().items()}

    @_reaching
    def fingerprint(self) -> str:
        """Changes whenever an article is committed or deleted, by any process (two small reads)."""
        got = self.state.get(ids=[GENERATION_ID], include=["metadatas"])
        generation = str(got["metadatas"][0].get("generation", "")) if got["ids"] and got["metadatas"] else ""
        return f"{generation}:{self.articles.count()}"

    def _bump(self) -> None:
        self.state.upsert(ids=[GENERATION_ID], embeddings=[_PLACEHOLDER_VECTOR],
                          metadatas=[{"generation": uuid.uuid4().hex}])

    @_reaching
    def is_empty(self) -> bool:
        return int(self.articles.count()) == 0

    # ------------------------------------------------------------------ writes

    @_reaching
    def write_article(self, record: ArticleRecord, chunks: Sequence[ChunkRecord],
                      embeddings: Sequence[Sequence[float]],
                      sparse: Sequence[SparseVector] | None = None) -> None:
        """Write chunks, commit the record, then drop what the previous version left behind."""
        self.write_articles([ArticleWrite(record, chunks, embeddings, sparse)])

    @_reaching
    def write_articles(self, writes: Sequence[ArticleWrite]) -> None:
        """Several articles in a few calls (each Chroma write has a fixed cost): every chunk
        first, then all the records (each one its own article's commit point), then the chunks
        of replaced versions. A crash in between leaves every article whole or absent."""
        rows: list[tuple[ChunkRecord, list[float], dict[str, str | int]]] = []
        for write in writes:
            if len(write.chunks) != len(write.embeddings):
                raise ValueError("one embedding per chunk")
            rows.extend((chunk, list(map(float, write.embeddings[i])),
                         self._chunk_metadata(write.record, chunk, write.sparse[i] if write.sparse else None))
                        for i, chunk in enumerate(write.chunks))
        step = self._max_batch()
        for start in range(0, len(rows), step):
            part = rows[start:start + step]
            self.chunks.upsert(ids=[c.chunk_id for c, _, _ in part], embeddings=[e for _, e, _ in part],
                               documents=[c.text for c, _, _ in part], metadatas=[m for _, _, m in part])
        records = [w.record for w in writes]
        self.articles.upsert(ids=[r.article_id for r in records], embeddings=[_PLACEHOLDER_VECTOR] * len(records),
                             metadatas=[r.metadata() for r in records])
        self._bump()
        stale = [{"$and": [{"article_id": w.record.article_id}, {"version": {"$ne": w.record.version}}]}
                 for w in writes if w.replaces]  # a filtered delete scans the collection: only when needed
        for start in range(0, len(stale), 100):
            clauses = stale[start:start + 100]
            self.chunks.delete(where=clauses[0] if len(clauses) == 1 else {"$or": clauses})

    @_reaching
    def delete_article(self, article_id: str) -> None:
        """Uncommit first (the article vanishes at once), then remove its chunks."""
        self.article(article_id)
        self.articles.delete(ids=[article_id])
        self._bump()
        self.chunks.delete(where={"article_id": article_id})

    @_reaching
    def remove_orphans(self) -> int:
        """Delete chunks that belong to no committed article version (left by a crash). Also
        bumps the generation, in case a crash fell between a commit and its bump."""
        records = self.article_records()
        orphans = [cid for cid, _, meta in self._scan(self.chunks, ["metadatas"])
                   if not self._visible(meta, records)]
        for start in range(0, len(orphans), self._max_batch()):
            self.chunks.delete(ids=orphans[start:start + self._max_batch()])
        self._bump()
        return len(orphans)

    # ------------------------------------------------------------------ reads

    @_reaching
    def committed_chunks(self, article_ids: Sequence[str] | None = None) -> list[StoredChunk]:
        """Every visible chunk (of `article_ids`, when given), ordered by article and position."""
        records = self.article_records()
        if article_ids is None:
            rows = list(self._scan(self.chunks, ["documents", "metadatas"]))
        else:
            rows = [row for start in range(0, len(article_ids), 500)
                    for row in self._scan(self.chunks, ["documents", "metadatas"],
                                          {"article_id": {"$in": list(article_ids[start:start + 500])}})]
        chunks = [self._stored(cid, document, meta) for cid, document, meta in rows
                  if self._visible(meta, records)]
        return sorted(chunks, key=lambda c: (c.article_id, c.ordinal))

    @_reaching
    def chunks_of(self, article_id: str) -> list[StoredChunk]:
        record = self.article(article_id)
        got = self.chunks.get(where={"$and": [{"article_id": article_id}, {"version": record.version}]},
                              include=["documents", "metadatas"])
        chunks = [self._stored(cid, doc, meta)
                  for cid, doc, meta in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)]
        return sorted(chunks, key=lambda c: c.ordinal)

    @_reaching
    def dense_search(self, vector: Sequence[float], n: int,
                     where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the nearest visible chunks."""
        # No count() first: Chroma returns what it holds when asked for more (none when empty),
        # and at 100k chunks each count costs ~11 ms of a search.
        result = self.chunks.query(query_embeddings=[list(map(float, vector))], n_results=n * 2 + 8,
                                   where=where, include=["metadatas", "distances"])
        metadatas = (result["metadatas"] or [[]])[0]
        records = self._records_of({str(meta["article_id"]) for meta in metadatas})
        hits = [(cid, 1.0 - float(dist)) for cid, meta, dist
                in zip(result["ids"][0], metadatas, (result["distances"] or [[]])[0], strict=True)
                if self._visible(meta, records)]
        return hits[:n]

    @_reaching
    def _records_of(self, article_ids: set[str]) -> dict[str, ArticleRecord]:
        """The committed records of some articles (one read)."""
        if not article_ids:
            return {}
        got = self.articles.get(ids=sorted(article_ids), include=["metadatas"])
        return {str(m["article_id"]): ArticleRecord.from_metadata(dict(m)) for m in got["metadatas"] or []}

    @staticmethod
    def _scan(collection: Any, include: list[str], where: dict[str, Any] | None = None
              ) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
        """(id, document or None, metadata) of every matching row, a page at a time."""
        offset = 0
        while True:
            got = collection.get(include=include, where=where, limit=PAGE, offset=offset)
            documents = got.get("documents") or [None] * len(got["ids"])
            yield from zip(got["ids"], documents, [dict(m or {}) for m in got["metadatas"] or []], strict=True)
            if len(got["ids"]) < PAGE:
                return
            offset += PAGE

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _visible(meta: Any, records: dict[str, ArticleRecord]) -> bool:
        record = records.get(str(meta.get("article_id")))
        return record is not None and record.version == meta.get("version")

    @staticmethod
    def _chunk_metadata(record: ArticleRecord, chunk: ChunkRecord,
                        sparse: SparseVector | None) -> dict[str, str | int]:
        meta: dict[str, str | int] = {
            "article_id": record.article_id, "version": record.version, "ordinal": chunk.ordinal,
            "title": record.title, "search_text": chunk.search_text, "tokens": chunk.tokens,
        }
        if record.outlet:
            meta["outlet"] = record.outlet
        if record.published and record.published_day:  # ISO for display, integer for range filters
            meta["published"] = record.published
            meta["published_day"] = record.published_day
        if sparse:
            meta["sparse"] = encode_sparse(sparse)
        return meta

    @staticmethod
    def _stored(chunk_id: str, document: str | None, meta: Any) -> StoredChunk:
        sparse = meta.get("sparse")
        return StoredChunk(
            chunk_id=chunk_id, article_id=str(meta["article_id"]), ordinal=int(meta["ordinal"]),
            text=document or "", search_text=str(meta.get("search_text", "")), title=str(meta.get("title", "")),
            outlet=meta.get("outlet"), sparse=decode_sparse(sparse) if sparse else None,
            published=meta.get("published"),
        )

    def _max_batch(self) -> int:
        try:
            return max(1, int(self.client.get_max_batch_size()))
        except Exception:  # older servers do not report it
            return 1000

