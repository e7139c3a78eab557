"""SQLite for the small local state (conversations, Slack bookkeeping): one connection per
operation, so it is safe across threads, and every failure (locked, read-only, disk full)
reported as a `StorageError` that names the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.errors import StorageError


def initialise(path: Path, schema: str, timeout: float, what: str) -> None:
    """Create the folder, switch to WAL and create the tables."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(schema)
        finally:
            db.close()
    except (sqlite3.Error, OSError) as exc:
        raise StorageError(f"{what} {path} is unavailable: {exc}") from exc


@contextmanager
def transaction(path: Path, timeout: float, what: str) -> Iterator[sqlite3.Connection]:
    """A connection inside one `BEGIN IMMEDIATE` transaction: committed whole or rolled back."""
    try:
        db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise StorageError(f"{what} is unavailable: {exc}") from exc
