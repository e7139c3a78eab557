"""What the bot must remember across restarts: events already handled, and feedback."""

from __future__ import annotations

import sqlite3
import time
from contextlib import AbstractContextManager
from pathlib import Path

from assistant.storage import sqlite

_SCHEMA = """
CREATE TABLE IF NOT EXISTS slack_events (event_id TEXT PRIMARY KEY, seen REAL NOT NULL);
CREATE TABLE IF NOT EXISTS slack_feedback (
    message_id TEXT NOT NULL, user_id TEXT NOT NULL, value TEXT NOT NULL, created REAL NOT NULL,
    PRIMARY KEY (message_id, user_id)
);
"""


class SlackState:
    def __init__(self, path: Path, keep_seconds: float = 24 * 3600, timeout: float = 5.0) -> None:
        self.path = path
        self.keep_seconds = keep_seconds
        self.timeout = timeout
        sqlite.initialise(path, _SCHEMA, timeout, "Slack state database")

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.transaction(self.path, self.timeout, "Slack state database")

    def first_time(self, event_id: str) -> bool:
        """True exactly once per event id (Slack retries re-send the same id)."""
        now = time.time()
        with self._transaction() as db:
            db.execute("DELETE FROM slack_events WHERE seen < ?", (now - self.keep_seconds,))
            return db.execute("INSERT OR IGNORE INTO slack_events VALUES (?, ?)", (event_id, now)).rowcount == 1

    def record_feedback(self, message_id: str, user_id: str, value: str) -> None:
        """One vote per user and answer; a second click replaces the first."""
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO slack_feedback VALUES (?, ?, ?, ?)",
                       (message_id, user_id, value, time.time()))

    def feedback(self, message_id: str) -> dict[str, int]:
        with self._transaction() as db:
            rows = db.execute("SELECT value, COUNT(*) FROM slack_feedback WHERE message_id = ? GROUP BY value",
                              (message_id,)).fetchall()
        return {str(value): int(count) for value, count in rows}
