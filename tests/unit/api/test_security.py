"""Who may see what: conversations belong to their caller, Slack threads stay in Slack, article
sources are file names, keys never reach a log, and a server does not open unguarded.

The cross-tenant matrix runs over every endpoint that takes an id, through TestClient (and through a
real uvicorn server: tests/integration/api/test_security.py): another key (admin included) gets 404
with exactly the body of an unknown id, the owner gets 200."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.api.routes.articles import public_source
from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.ingest.ingestor import Ingestor
from assistant.server import create_app
from assistant.serving.auth import KeyRing, hash_key
from assistant.serving.exposure import check_exposure, is_loopback
from assistant.serving.services import Services
from tests.support.fakes import make_services
from tests.support.tenants import ADMIN, FOLLOW_UP, KEYS, OTHER, OWNER, QUESTION, auth, check_matrix, keyring, start


@pytest.fixture
def services(settings: Settings, seeded_fake: Ingestor) -> Services:
    return make_services(settings, seeded_fake, keys=keyring())


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services)) as test_client:
        yield test_client


# ------------------------------------------------------------------ cross-tenant matrix


def test_cross_tenant_matrix_through_testclient(client: TestClient, services: Services) -> None:
    seen = check_matrix(client, services)
    assert set(seen) == {"read", "continue", "continue_stream", "completions", "completions_stream", "feedback",
                         "delete"}
    assert all(row["owner"] in (200, 204) and row["other"] == row["admin"] == 404 for row in seen.values())


def test_completions_with_a_conversation_use_its_stored_turns(client: TestClient) -> None:
    first = start(client)
    body = {"model": "assistant", "conversation_id": first["conversation_id"],
            "messages": [{"role": "user", "content": FOLLOW_UP}]}
    reply = client.post("/v1/chat/completions", json=body, headers=auth(OWNER)).json()
    stored = client.get(f"/v1/conversations/{first['conversation_id']}", headers=auth(OWNER)).json()
    assert stored["messages"][-1]["message_id"] == reply["message_id"]
    assert QUESTION in stored["messages"][-1]["standalone_question"]
    plain = client.post("/v1/chat/completions", headers=auth(OWNER), json={
        "model": "assistant", "messages": [{"role": "user", "content": QUESTION}]}).json()
    assert "conversation_id" not in plain  # without one nothing is stored, as before


def test_articles_are_shared_and_writes_need_admin(client: TestClient) -> None:
    article = "001_281899ef3b77ad6e"
    for key in KEYS.values():
        assert client.get(f"/v1/articles/{article}", headers=auth(key)).status_code == 200
        assert client.get("/v1/articles/nope", headers=auth(key)).status_code == 404
    assert client.delete(f"/v1/articles/{article}", headers=auth(OTHER)).status_code == 403
    assert client.delete(f"/v1/articles/{article}", headers=auth(OWNER)).status_code == 403
    assert client.delete(f"/v1/articles/{article}", headers=auth(ADMIN)).status_code == 204
    assert client.get(f"/v1/articles/{article}", headers=auth(OWNER)).status_code == 404
    assert client.get("/v1/conversations/x", headers=auth("not-a-key")).status_code == 401


def test_without_keys_there_is_one_local_owner(settings: Settings, seeded_fake: Ingestor) -> None:
    services = make_services(settings, seeded_fake)
    with TestClient(create_app(services=services)) as client:
        first = start(client, None)
        assert client.get(f"/v1/conversations/{first['conversation_id']}").status_code == 200
        listed = client.get("/v1/conversations").json()["conversations"]
    assert [c["conversation_id"] for c in listed] == [first["conversation_id"]]
    with TestClient(create_app(services=make_services(settings, seeded_fake, keys=keyring()))) as keyed:
        # the local owner's conversations are no key's
        assert keyed.get(f"/v1/conversations/{first['conversation_id']}", headers=auth(ADMIN)).status_code == 404


# ------------------------------------------------------------------ listing and deleting


def test_list_is_own_newest_first_and_paginated(client: TestClient) -> None:
    mine = [start(client)["conversation_id"] for _ in range(5)]
    start(client, OTHER)
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/v1/conversations", params=params, headers=auth(OWNER)).json()
        pages += 1
        seen += [c["conversation_id"] for c in page["conversations"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and seen == mine[::-1]
    item = client.get("/v1/conversations", params={"limit": 1}, headers=auth(OWNER)).json()["conversations"][0]
    assert item["message_count"] == 2 and item["first_question"] == QUESTION and item["updated"] >= item["created"]
    assert len(client.get("/v1/conversations", headers=auth(OTHER)).json()["conversations"]) == 1
    for params, field in (({"cursor": "garbage!"}, "cursor"), ({"limit": 0}, "limit"), ({"limit": 101}, "limit")):
        bad = client.get("/v1/conversations", params=params, headers=auth(OWNER))
        assert bad.status_code == 422 and bad.json()["error"]["field"] == field


def test_delete_removes_messages_and_keeps_feedback_without_text(client: TestClient, services: Services) -> None:
    first = start(client)
    conversation_id, message_id = first["conversation_id"], first["message_id"]
    vote = client.post(f"/v1/messages/{message_id}/feedback", json={"value": "down"}, headers=auth(OWNER))
    assert vote.json() == {"message_id": message_id, "value": "down"}
    assert client.post(f"/v1/messages/{message_id}/feedback", json={"value": "meh"},
                       headers=auth(OWNER)).status_code == 422
    assert client.delete(f"/v1/conversations/{conversation_id}", headers=auth(OWNER)).status_code == 204
    assert client.get(f"/v1/conversations/{conversation_id}", headers=auth(OWNER)).status_code == 404
    assert services.conversations.feedback(message_id) == {"down": 1}
    db = sqlite3.connect(services.conversations.path)
    try:
        assert db.execute("SELECT COUNT(*) FROM messages WHERE conversation_id = ?", (conversation_id,)).fetchone() \
            == (0,)
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            for row in db.execute(f"SELECT * FROM {table}").fetchall():  # table names from sqlite_master
                assert not any(isinstance(v, str) and ("单价" in v or "1.2万" in v) for v in row), (table, row)
    finally:
        db.close()
    assert 'assistant_feedback_total{channel="api",value="down"} 1.0' in client.get("/metrics").text


# ------------------------------------------------------------------ Slack threads stay in Slack


def test_slack_thread_stored_under_the_old_id_is_adopted(services: Services) -> None:
    store = services.conversations
    legacy = "slack:T1:C1:99.9"
    with sqlite3.connect(store.path) as db:  # a conversation as the previous version stored it
        db.execute("INSERT INTO conversations VALUES (?, ?, ?)", (legacy, time.time(), "slack:U1"))
    assert store.for_key(legacy, legacy) == legacy
    assert store.get(legacy, legacy)["conversation_id"] == legacy
    assert store.for_key("slack:T1:C1:100.0", "slack:T1:C1:100.0").startswith("slack_")


# ------------------------------------------------------------------ sources, keys, logs, readiness


def test_sources_are_file_names_not_server_paths(client: TestClient) -> None:
    articles = client.get("/v1/articles", headers=auth(OWNER)).json()["articles"]
    assert [a["source"] for a in articles][:2] == ["000_da357fa45bf7326d.txt", "001_281899ef3b77ad6e.txt"]
    detail = client.get("/v1/articles/000_da357fa45bf7326d", headers=auth(OWNER)).json()
    upload = client.post("/v1/articles", headers=auth(ADMIN),
                         files={"file": ("mine.md", "# 标题\n\n正文内容。".encode(), "text/markdown")}).json()
    assert detail["source"] == "000_da357fa45bf7326d.txt" and upload["article"]["source"] == "mine.md"
    text = client.get("/v1/articles", headers=auth(OWNER)).text + client.get("/readyz").text
    assert str(Path.cwd()) not in text and "/seeds/" not in text
    assert public_source("C:\\data\\x.txt") == "x.txt" and public_source("upload:a.html") == "a.html"


def test_keys_are_never_logged_and_requests_name_the_key_id(client: TestClient,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        start(client)
        client.get("/v1/conversations", headers=auth(OTHER))
        client.get("/v1/conversations", headers=auth("wrong-key"))
        client.post("/v1/articles", headers=auth(OWNER), files={"file": ("x.txt", b"t", "text/plain")})
    text = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    for key in (OWNER, OTHER, "wrong-key"):
        assert key not in text
    owner_id = "key:" + hash_key(OWNER).removeprefix("sha256:")[:12]
    requests = [r.getMessage() for r in caplog.records if r.name == "assistant.api.requests"]
    assert any("POST /v1/chat 200" in line and f"key={owner_id}" in line for line in requests)
    assert any("GET /v1/conversations 401" in line and "key=-" in line for line in requests)


def test_principal_owner_is_the_key_id_never_the_key() -> None:
    ring = keyring()
    principal = ring.authenticate(f"Bearer {OTHER}", "10.0.0.1")
    assert principal.owner == principal.key_id == "key:" + hash_key(OTHER)[7:19] and OTHER not in principal.owner
    assert KeyRing(None).authenticate(None, "10.0.0.1").owner == "local"


def test_readiness_leaves_server_paths_out(services: Services, tmp_path: Path) -> None:
    services.conversations.path = tmp_path / "missing-dir" / "sub" / "db.sqlite"
    checks = services.readiness()
    assert checks["conversations"] != "ok" and str(tmp_path) not in checks["conversations"]


# ------------------------------------------------------------------ no unguarded server


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("::ffff:127.0.0.1", True), ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("10.1.2.3", False),
])
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_exposure_check_needs_keys_or_the_override(settings: Settings) -> None:
    check_exposure("127.0.0.1", settings)
    with pytest.raises(ConfigError, match="ASSISTANT_API_KEYS"):
        check_exposure("0.0.0.0", settings)
    check_exposure("0.0.0.0", settings.model_copy(update={"api_keys": SecretStr("k")}))
    check_exposure("0.0.0.0", settings.model_copy(update={"admin_api_keys": SecretStr("k")}))
    check_exposure("0.0.0.0", settings.model_copy(update={"allow_unauthenticated": True}))
