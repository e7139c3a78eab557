"""Conversations in SQLite: each exchange (question + answer with its citations) is stored in
one transaction, exactly as it was returned, so a reloaded conversation shows the same citations.

Every conversation has an owner (an API key's id, `local` without keys, a Slack thread or user),
and every read or write names the caller's owner: a conversation of another owner is reported
exactly like an unknown id, so ids cannot be probed. Slack threads get random `slack_` ids,
found through their thread key, never through a guessable id.

Each operation is one transaction on its own connection (`assistant.sqlite`): an exchange is
stored whole or not at all, and failures become a `StorageError`.
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
import time
import uuid
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from assistant.errors import InvalidInputError, NotFoundError
from assistant.storage import sqlite
from assistant.types import Turn

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    owner TEXT
);
CREATE INDEX IF NOT EXISTS conversations_by_owner ON conversations (owner, created, id);
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
CREATE TABLE IF NOT EXISTS conversation_keys (
    key TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS feedback (
    message_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    value TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (message_id, owner)
);
"""

#: the owner of every conversation when the API runs without keys
LOCAL_OWNER = "local"
#: owners of Slack conversations start with this; no API caller's owner does
SLACK_OWNER_PREFIX = "slack:"
MAX_PAGE = 100
TITLE_CHARS = 100


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


def _prefix(owner: str) -> str:
    """Ids say where their conversation lives: `slack_…` for Slack owners, `conv_…` otherwise."""
    return "slack" if owner.startswith(SLACK_OWNER_PREFIX) else "conv"


def _not_found(conversation_id: str) -> NotFoundError:
    return NotFoundError(f"conversation {conversation_id!r} not found")


class ConversationStore:
    def __init__(self, path: Path, timeout: float = 5.0) -> None:
        self.path = path
        self.timeout = timeout
        sqlite.initialise(path, _SCHEMA, timeout, "conversation database")

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.transaction(self.path, self.timeout, "conversation database")

    def create(self, owner: str) -> str:
        conversation_id = new_id(_prefix(owner))
        with self._transaction() as db:
            db.execute("INSERT INTO conversations (id, created, owner) VALUES (?, ?, ?)",
                       (conversation_id, time.time(), owner))
        return conversation_id

    def for_key(self, key: str, owner: str) -> str:
        """The conversation of an outside thread (`key`, e.g. a Slack thread), created on first use
        with a random id. A conversation stored under the key itself (before keys were mapped) is
        adopted and given `owner`."""
        with self._transaction() as db:
            row = db.execute("SELECT conversation_id FROM conversation_keys WHERE key = ?", (key,)).fetchone()
            if row is not None:
                return str(row["conversation_id"])
            if db.execute("SELECT 1 FROM conversations WHERE id = ?", (key,)).fetchone() is not None:
                conversation_id = key
                db.execute("UPDATE conversations SET owner = ? WHERE id = ?", (owner, key))
            else:
                conversation_id = new_id(_prefix(owner))
                db.execute("INSERT INTO conversations (id, created, owner) VALUES (?, ?, ?)",
                           (conversation_id, time.time(), owner))
            db.execute("INSERT INTO conversation_keys (key, conversation_id) VALUES (?, ?)", (key, conversation_id))
        return conversation_id

    def history(self, conversation_id: str, owner: str, max_turns: int = 20) -> list[Turn]:
        """The last `max_turns` messages, oldest first; NotFoundError unless `owner` owns it."""
        with self._transaction() as db:
            self._require(db, conversation_id, owner)
            rows = db.execute("SELECT role, content FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?",
                              (conversation_id, max_turns)).fetchall()
        return [Turn(row["role"], row["content"]) for row in reversed(rows)]

    def append_exchange(self, conversation_id: str, owner: str, question: str, answer: str,
                        payload: dict[str, Any]) -> str:
        """Store a question and its answer (with `payload`: citations etc.); returns the answer's message id."""
        message_id = new_id("msg")
        now = time.time()
        with self._transaction() as db:
            self._require(db, conversation_id, owner)
            seq = db.execute("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE conversation_id = ?",
                             (conversation_id,)).fetchone()[0]
            db.execute("INSERT INTO messages VALUES (?, ?, ?, 'user', ?, '{}', ?)",
                       (new_id("msg"), conversation_id, seq + 1, question, now))
            db.execute("INSERT INTO messages VALUES (?, ?, ?, 'assistant', ?, ?, ?)",
                       (message_id, conversation_id, seq + 2, answer, json.dumps(payload, ensure_ascii=False), now))
        return message_id

    def get(self, conversation_id: str, owner: str) -> dict[str, Any]:
        with self._transaction() as db:
            row = self._require(db, conversation_id, owner)
            messages = db.execute("SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq",
                                  (conversation_id,)).fetchall()
        return {"conversation_id": conversation_id, "created": row["created"],
                "messages": [{"message_id": m["id"], "role": m["role"], "content": m["content"],
                              "created": m["created"], **json.loads(m["payload"])} for m in messages]}

    def list_page(self, owner: str, limit: int = 20, cursor: str | None = None) -> dict[str, Any]:
        """`owner`'s conversations, newest first: a page of `limit` and the cursor of the next page
        (None on the last one)."""
        limit = max(1, min(limit, MAX_PAGE))
        after = "" if cursor is None else "AND (c.created < ? OR (c.created = ? AND c.id < ?))"
        params: list[Any] = [owner]
        if cursor is not None:
            created, last_id = _decode_cursor(cursor)
            params += [created, created, last_id]
        with self._transaction() as db:
            rows = db.execute(
                f"""SELECT c.id, c.created,
                           (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count,
                           (SELECT MAX(m.created) FROM messages m WHERE m.conversation_id = c.id) AS updated,
                           (SELECT m.content FROM messages m WHERE m.conversation_id = c.id AND m.role = 'user'
                            ORDER BY m.seq LIMIT 1) AS first_question
                    FROM conversations c WHERE c.owner = ? {after}
                    ORDER BY c.created DESC, c.id DESC LIMIT ?""", (*params, limit + 1)).fetchall()
        page = rows[:limit]
        items = [{"conversation_id": r["id"], "created": r["created"], "updated": r["updated"] or r["created"],
                  "message_count": r["message_count"], "first_question": (r["first_question"] or "")[:TITLE_CHARS]}
                 for r in page]
        more = len(rows) > limit
        return {"conversations": items,
                "next_cursor": _encode_cursor(page[-1]["created"], page[-1]["id"]) if more else None}

    def delete(self, conversation_id: str, owner: str) -> None:
        """Delete the conversation and its messages (feedback on them stays; it holds no text)."""
        with self._transaction() as db:
            self._require(db, conversation_id, owner)
            db.execute("DELETE FROM conversation_keys WHERE conversation_id = ?", (conversation_id,))
            db.execute("DELETE FROM messages WHERE conversation_id = ?", (conversation_id,))
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def record_feedback(self, message_id: str, owner: str, value: str) -> None:
        """`owner`'s vote on one of their answers; a second vote replaces the first."""
        with self._transaction() as db:
            found = db.execute("""SELECT 1 FROM messages m JOIN conversations c ON c.id = m.conversation_id
                                  WHERE m.id = ? AND m.role = 'assistant' AND c.owner = ?""",
                               (message_id, owner)).fetchone()
            if found is None:
                raise NotFoundError(f"message {message_id!r} not found")
            db.execute("INSERT OR REPLACE INTO feedback VALUES (?, ?, ?, ?)", (message_id, owner, value, time.time()))

    def feedback(self, message_id: str) -> dict[str, int]:
        with self._transaction() as db:
            rows = db.execute("SELECT value, COUNT(*) FROM feedback WHERE message_id = ? GROUP BY value",
                              (message_id,)).fetchall()
        return {str(value): int(count) for value, count in rows}

    def ping(self) -> None:
        with self._transaction() as db:
            db.execute("SELECT 1").fetchone()

    @staticmethod
    def _require(db: sqlite3.Connection, conversation_id: str, owner: str) -> sqlite3.Row:
        row = db.execute("SELECT * FROM conversations WHERE id = ? AND owner = ?", (conversation_id, owner)).fetchone()
        if row is None:
            raise _not_found(conversation_id)
        return row  # type: ignore[no-any-return]


def _encode_cursor(created: float, conversation_id: str) -> str:
    raw = json.dumps([created, conversation_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[float, str]:
    try:
        created, conversation_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(created, int | float) and isinstance(conversation_id, str):
            return float(created), conversation_id
    except (ValueError, TypeError, binascii.Error):
        pass
    raise InvalidInputError("cursor: not a cursor returned by this endpoint", field="cursor")
