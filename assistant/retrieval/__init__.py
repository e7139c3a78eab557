"""Retrieval: the hybrid retriever (dense + BM25 [+ sparse], per-question fusion, optional rerank)
and its lexical index.

The names below are the stage's public surface. Modules of the project import from the
defining module instead, which keeps the imports acyclic (tests/unit/test_layering.py)."""

from assistant.retrieval.hybrid import HybridRetriever, Retrieval, Searcher, validate_query
from assistant.retrieval.lexical import LexicalIndex
from assistant.retrieval.lexical_cache import LexicalCache
from assistant.retrieval.rerank import Reranker, SentenceReranker, SentenceVectors, ServedReranker

__all__ = [
    "HybridRetriever",
    "LexicalCache",
    "LexicalIndex",
    "Reranker",
    "Retrieval",
    "Searcher",
    "SentenceReranker",
    "SentenceVectors",
    "ServedReranker",
    "validate_query",
]
