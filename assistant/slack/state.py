"""What the bot must remember across restarts: events already handled, and feedback."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from assistant.errors import StorageError

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
        path.parent.mkdir(parents=True, exist_ok=True)
        self._run(lambda db: db.executescript(_SCHEMA))

    def _run(self, work: object) -> object:
        try:
            db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            try:
                return work(db)  # type: ignore[operator]
            finally:
                db.close()
        except sqlite3.Error as exc:
            raise StorageError(f"Slack state database is unavailable: {exc}") from exc

    def first_time(self, event_id: str) -> bool:
        """True exactly once per event id (Slack retries re-send the same id)."""
        def claim(db: sqlite3.Connection) -> bool:
            now = time.time()
            db.execute("DELETE FROM slack_events WHERE seen < ?", (now - self.keep_seconds,))
            cursor = db.execute("INSERT OR IGNORE INTO slack_events VALUES (?, ?)", (event_id, now))
            return cursor.rowcount == 1

        return bool(self._run(claim))

    def record_feedback(self, message_id: str, user_id: str, value: str) -> None:
        """One vote per user and answer; a second click replaces the first."""
        self._run(lambda db: db.execute("INSERT OR REPLACE INTO slack_feedback VALUES (?, ?, ?, ?)",
                                        (message_id, user_id, value, time.time())))

    def feedback(self, message_id: str) -> dict[str, int]:
        rows = self._run(lambda db: db.execute(
            "SELECT value, COUNT(*) FROM slack_feedback WHERE message_id = ? GROUP BY value", (message_id,)).fetchall())
        return {str(value): int(count) for value, count in rows}  # type: ignore[attr-defined]
