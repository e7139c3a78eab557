"""Conversations in SQLite: each exchange (question + answer with its citations) is stored in
one transaction, exactly as it was returned, so a reloaded conversation shows the same citations.

Each operation is one transaction on its own connection (`assistant.sqlite`): an exchange is
stored whole or not at all, and failures become a `StorageError`.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from assistant import sqlite
from assistant.condense import Turn
from assistant.errors import NotFoundError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    owner TEXT
);
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    created REAL NOT NULL,
    UNIQUE (conversation_id, seq)
);
"""


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


class ConversationStore:
    def __init__(self, path: Path, timeout: float = 5.0) -> None:
        self.path = path
        self.timeout = timeout
        sqlite.initialise(path, _SCHEMA, timeout, "conversation database")

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.transaction(self.path, self.timeout, "conversation database")

    def create(self, owner: str | None = None) -> str:
        conversation_id = new_id("conv")
        with self._transaction() as db:
            db.execute("INSERT INTO conversations (id, created, owner) VALUES (?, ?, ?)",
                       (conversation_id, time.time(), owner))
        return conversation_id

    def ensure(self, conversation_id: str, owner: str | None = None) -> str:
        """Create a conversation with a caller-chosen id (e.g. a Slack thread) unless it exists."""
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO conversations (id, created, owner) VALUES (?, ?, ?)",
                       (conversation_id, time.time(), owner))
        return conversation_id

    def history(self, conversation_id: str, max_turns: int = 20) -> list[Turn]:
        """The last `max_turns` messages, oldest first; raises NotFoundError for an unknown id."""
        with self._transaction() as db:
            self._require(db, conversation_id)
            rows = db.execute("SELECT role, content FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?",
                              (conversation_id, max_turns)).fetchall()
        return [Turn(row["role"], row["content"]) for row in reversed(rows)]

    def append_exchange(self, conversation_id: str, question: str, answer: str, payload: dict[str, Any]) -> str:
        """Store a question and its answer (with `payload`: citations etc.); returns the answer's message id."""
        message_id = new_id("msg")
        now = time.time()
        with self._transaction() as db:
            self._require(db, conversation_id)
            seq = db.execute("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE conversation_id = ?",
                             (conversation_id,)).fetchone()[0]
            db.execute("INSERT INTO messages VALUES (?, ?, ?, 'user', ?, '{}', ?)",
                       (new_id("msg"), conversation_id, seq + 1, question, now))
            db.execute("INSERT INTO messages VALUES (?, ?, ?, 'assistant', ?, ?, ?)",
                       (message_id, conversation_id, seq + 2, answer, json.dumps(payload, ensure_ascii=False), now))
        return message_id

    def get(self, conversation_id: str) -> dict[str, Any]:
        with self._transaction() as db:
            row = self._require(db, conversation_id)
            messages = db.execute("SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq",
                                  (conversation_id,)).fetchall()
        return {"conversation_id": conversation_id, "created": row["created"],
                "messages": [{"message_id": m["id"], "role": m["role"], "content": m["content"],
                              "created": m["created"], **json.loads(m["payload"])} for m in messages]}

    def ping(self) -> None:
        with self._transaction() as db:
            db.execute("SELECT 1").fetchone()

    @staticmethod
    def _require(db: sqlite3.Connection, conversation_id: str) -> sqlite3.Row:
        row = db.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"conversation {conversation_id!r} not found")
        return row  # type: ignore[no-any-return]
