"""The HTTP API through TestClient over a conversation database made read-only (chmod, or `chattr +i`
in a subprocess where the tests run as root): 503, and nothing lost."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.config import Settings
from assistant.ingest.ingestor import Ingestor
from tests.support.fakes import make_services

QUESTION = "H20的单价大约是多少？"


def read_only(path: Path) -> Callable[[], None]:
    """Make a file read-only even for root (chmod, else `chattr +i`); returns the undo, or skips
    the test where the platform allows neither."""
    import sqlite3
    import stat
    import subprocess

    mode = path.stat().st_mode
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    chattr = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False) if os.geteuid() == 0 \
        else None

    def undo() -> None:
        if chattr is not None and chattr.returncode == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(mode)

    probe = sqlite3.connect(path, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("CREATE TABLE probe (x)")
        probe.execute("ROLLBACK")
    except sqlite3.OperationalError:
        return undo
    finally:
        probe.close()
    undo()
    pytest.skip("cannot make a file read-only here")


def test_api_read_only_conversation_database_is_503_and_loses_nothing(
        settings: Settings, seeded_fake: Ingestor) -> None:
    services = make_services(settings, seeded_fake)
    with TestClient(create_app(services=services)) as client:
        first = client.post("/v1/chat", json={"question": QUESTION}).json()
        turn = {"question": QUESTION, "conversation_id": first["conversation_id"]}
        undo = read_only(settings.conversations_path)
        try:
            follow_up = client.post("/v1/chat", json=turn)
            fresh = client.post("/v1/chat", json={"question": QUESTION})
        finally:
            undo()
        for refused in (follow_up, fresh):
            assert refused.status_code == 503 and refused.json()["error"]["code"] == "storage_unavailable"
            assert "readonly database" in refused.json()["error"]["message"]
        stored = client.get(f"/v1/conversations/{first['conversation_id']}").json()
        again = client.post("/v1/chat", json=turn)
    assert [m["role"] for m in stored["messages"]] == ["user", "assistant"]
    assert again.status_code == 200
