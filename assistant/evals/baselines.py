"""Baselines for `assistant eval run --baseline`: what the project is measured against.

- `naive`: the textbook LangChain RAG — RecursiveCharacterTextSplitter (1,000 characters, 100
  overlap) over the raw article text, a Chroma collection, the same embeddings, dense search
  only, no cleaning and no Traditional/Simplified conversion.
- `bm25`: BM25 alone over the project's own cleaned chunks (no dense or sparse leg).

Both implement `retrieval.Searcher`, so the same answer chain (gate, answerer, citations) runs
on top and only retrieval differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.errors import EmptyStoreError
from assistant.ingest.ingestor import discover
from assistant.ingest.loaders import load_file
from assistant.retrieval.hybrid import HybridRetriever, Retrieval, filter_mask, standout, validate_query
from assistant.retrieval.lexical import LexicalIndex, top_indices
from assistant.storage.chunks import StoredChunk
from assistant.text.normalize import normalize
from assistant.types import Filters, Hit

BASELINES = ("naive", "bm25")
POOL = 40  # candidates whose score spread gives the gate its z statistic, as in the project


class NaiveRAG:
    """Character splitter + Chroma + dense search on raw text (see module docstring)."""

    def __init__(self, paths: Sequence[Path], embeddings: Embeddings, workdir: Path,
                 chunk_size: int = 1000, chunk_overlap: int = 100) -> None:
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self.embeddings = embeddings
        splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)
        chunks: list[StoredChunk] = []
        for path in discover(paths)[0]:
            raw = load_file(path)
            for n, piece in enumerate(splitter.split_text(raw.text)):
                chunks.append(StoredChunk(f"{raw.article_id}:naive:{n:04d}", raw.article_id, n, piece,
                                          normalize(piece), path.name, None))
        if not chunks:
            raise EmptyStoreError("the naive baseline found no articles to index")
        self.index = LexicalIndex(chunks)  # only for the answer stage's term statistics
        self.store = Chroma(collection_name="naive_baseline", embedding_function=embeddings,
                            persist_directory=str(workdir))
        self.store.add_texts([c.text for c in chunks], metadatas=[{"chunk_id": c.chunk_id} for c in chunks],
                             ids=[c.chunk_id for c in chunks])

    def search(self, question: str, k: int = 5, filters: Filters | None = None) -> Retrieval:
        text = validate_query(question, k, 10_000)
        vector = self.embeddings.embed_query(text)
        found = self.store.similarity_search_by_vector_with_relevance_scores(vector, k=max(k, POOL))
        hits = []
        for rank, (doc, distance) in enumerate(found[:k], start=1):
            chunk = self.index.chunk_at(self.index.position[str(doc.metadata["chunk_id"])])
            hits.append(Hit(rank, chunk.article_id, chunk.chunk_id, chunk.text, -float(distance), chunk.title,
                            None, -float(distance), {"dense": rank}))
        return Retrieval(hits, normalize(text), standout([-float(d) for _, d in found]), self.index,
                         tuple(float(x) for x in vector))

    def retrieve(self, question: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        return self.search(question, k, filters).hits


class BM25Only:
    """BM25 over the project's chunks, nothing else."""

    def __init__(self, retriever: HybridRetriever) -> None:
        self.retriever = retriever
        self.embeddings = retriever.embeddings

    def search(self, question: str, k: int = 5, filters: Filters | None = None) -> Retrieval:
        text = validate_query(question, k, self.retriever.max_question_chars)
        filters = filters or Filters()
        index = self.retriever.lexical_index()
        if not index.size:
            raise EmptyStoreError("the store is empty: run `assistant ingest` first")
        query = normalize(text)
        scores = index.bm25_scores(query)
        pool = top_indices(scores, max(k, POOL), filter_mask(filters, index))
        hits = []
        for rank, i in enumerate(pool[:k], start=1):
            chunk = index.chunk_at(i)
            hits.append(Hit(rank, chunk.article_id, chunk.chunk_id, chunk.text, float(scores[i]), chunk.title,
                            chunk.outlet, None, {"bm25": rank}))
        return Retrieval(hits, query, standout([float(scores[i]) for i in pool]), index)

    def retrieve(self, question: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        return self.search(question, k, filters).hits
