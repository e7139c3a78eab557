"""Storage: the Chroma chunk store (per-article commit records) and the SQLite conversation store.

The names below are the stage's public surface. Modules of the project import from the
defining module instead, which keeps the imports acyclic (tests/unit/test_layering.py)."""

from assistant.storage.chunks import ArticleWrite, ChunkStore, StoredChunk
from assistant.storage.conversations import ConversationStore

__all__ = ["ArticleWrite", "ChunkStore", "ConversationStore", "StoredChunk"]
