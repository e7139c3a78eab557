"""One store of sentence vectors per embedding model: the judge's sentence similarity and the
offline reranker read it alike, the ingestor may fill it for new chunks, and a restart reads it
back (a SQLite file beside the other caches) instead of embedding again.

Vectors are kept as the model returned them, keyed by a hash of the model's name and the text."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.text.chunking import split_sentences
from assistant.text.normalize import search_form

log = logging.getLogger(__name__)
BATCH = 256  # sentences per embedding call
MIN_SENTENCE_CHARS = 6  # shorter sentences are never judged


def judged_sentences(text: str) -> list[str]:
    """The sentences of a passage as the judge compares them with a question (search form)."""
    forms = (search_form(s.text) for s in split_sentences(text))
    return [f for f in forms if len(f) >= MIN_SENTENCE_CHARS]


class SentenceStore:
    """Sentence text → its embedding, computed once: in memory (LRU, `memory` sentences) and in
    a SQLite file when `path` is given."""

    def __init__(self, embeddings: Embeddings, path: Path | None = None, memory: int = 50_000) -> None:
        self.embeddings = embeddings
        self.path = path
        self.memory = memory
        self._model = str(getattr(embeddings, "name", type(embeddings).__name__))
        self.memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.embedded = 0  # sentences this store had the model embed (not read back, not `put`)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("CREATE TABLE IF NOT EXISTS sentence_vectors (key TEXT PRIMARY KEY, vector BLOB)")
            except (OSError, sqlite3.Error) as exc:  # a read-only data dir: the vectors live in memory only
                log.warning("sentence vectors kept in memory only: %s is not writable (%s)", path, exc)
                self._db = None

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self._model}\0{text}".encode()).hexdigest()[:32]

    def vectors(self, texts: Sequence[str]) -> list[np.ndarray]:
        """The vector of each text, in order (repeats embedded once)."""
        keys = [self.key(t) for t in texts]
        found, _ = self._ensure(dict(zip(keys, texts, strict=True)))
        return [found[k] for k in keys]

    def fill(self, texts: Sequence[str]) -> int:
        """Embed and keep whichever of `texts` the store lacks; returns how many."""
        return self._ensure({self.key(t): t for t in texts})[1]

    def put(self, texts: Sequence[str], vectors: Sequence[np.ndarray] | np.ndarray) -> int:
        """Keep vectors computed elsewhere with this store's model (the vector of `texts[i]` is
        `vectors[i]`, as the model's `embed_documents` would return it); returns how many."""
        if len(texts) != len(vectors):
            raise ValueError(f"{len(texts)} texts and {len(vectors)} vectors")
        rows = {self.key(t): np.asarray(v, dtype=np.float32) for t, v in zip(texts, vectors, strict=True)}
        self._keep(rows)
        return len(rows)

    def _ensure(self, texts: dict[str, str]) -> tuple[dict[str, np.ndarray], int]:
        """The vectors of `texts` (key → text), embedding the missing ones in batches; and how
        many were missing."""
        found = self._lookup(list(texts))
        missing = [(k, t) for k, t in texts.items() if k not in found]
        for start in range(0, len(missing), BATCH):
            found |= self._compute(dict(missing[start:start + BATCH]))
        return found, len(missing)

    def _lookup(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        with self._lock:
            found = {k: self.memo[k] for k in keys if k in self.memo}
            wanted = [k for k in dict.fromkeys(keys) if k not in found]
            if wanted and self._db is not None:
                for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
                    part = wanted[start:start + 500]
                    rows = self._db.execute(
                        f"SELECT key, vector FROM sentence_vectors WHERE key IN ({','.join('?' * len(part))})", part)
                    for key, blob in rows:
                        found[key] = self._remember(key, np.frombuffer(blob, dtype=np.float32))
            return found

    def _compute(self, texts: dict[str, str]) -> dict[str, np.ndarray]:
        raw = self.embeddings.embed_documents(list(texts.values()))
        result = {key: np.asarray(vector, dtype=np.float32) for key, vector in zip(texts, raw, strict=True)}
        self._keep(result, embedded=True)
        return result

    def _keep(self, vectors: dict[str, np.ndarray], embedded: bool = False) -> None:
        with self._lock:
            self.embedded += len(vectors) if embedded else 0
            for key, vector in vectors.items():
                self._remember(key, vector)
            if self._db is not None:  # one transaction (the connection autocommits each statement)
                self._db.execute("BEGIN")
                try:
                    self._db.executemany("INSERT OR REPLACE INTO sentence_vectors VALUES (?, ?)",
                                         [(k, v.tobytes()) for k, v in vectors.items()])
                except sqlite3.Error:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")

    def _remember(self, key: str, vector: np.ndarray) -> np.ndarray:
        self.memo[key] = vector
        self.memo.move_to_end(key)
        while len(self.memo) > self.memory:
            self.memo.popitem(last=False)
        return vector
