"""Who may see what: conversations belong to their caller, Slack threads stay in Slack, article
sources are file names, keys never reach a log, and `assistant serve` does not open unguarded.

The cross-tenant matrix runs over every endpoint that takes an id, through TestClient and
through a real uvicorn server with the official openai client: another key (admin included)
gets 404 with exactly the body of an unknown id, the owner gets 200."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
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

from .fakes import free_port, make_services, running_server
from .slack_fake import FakeSlack, fake_slack
from .test_slack import SECRET, event_body, post_event

QUESTION = "H20的单价大约是多少？"
FOLLOW_UP = "那它的性能呢？"
OWNER, OTHER, ADMIN = "owner-key-1", "other-key-2", "admin-key-3"
KEYS = {"owner": OWNER, "other": OTHER, "admin": ADMIN}


def auth(key: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"} if key else {}


def keyring() -> KeyRing:
    return KeyRing(f"{OWNER},{hash_key(OTHER)}", ADMIN)


@pytest.fixture
def services(settings: Settings, seeded_fake: Ingestor) -> Services:
    return make_services(settings, seeded_fake, keys=keyring())


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services)) as test_client:
        yield test_client


def start(client: httpx.Client | TestClient, key: str | None = OWNER) -> dict[str, Any]:
    response = client.post("/v1/chat", json={"question": QUESTION}, headers=auth(key))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def attempts(conversation_id: str, message_id: str) -> dict[str, tuple[str, str, dict[str, Any] | None]]:
    """Every request that names the conversation or its answer: (method, path, JSON body)."""
    return {
        "read": ("GET", f"/v1/conversations/{conversation_id}", None),
        "continue": ("POST", "/v1/chat", {"question": FOLLOW_UP, "conversation_id": conversation_id}),
        "continue_stream": ("POST", "/v1/chat", {"question": FOLLOW_UP, "conversation_id": conversation_id,
                                                 "stream": True}),
        "completions": ("POST", "/v1/chat/completions", {
            "model": "assistant", "conversation_id": conversation_id,
            "messages": [{"role": "user", "content": FOLLOW_UP}]}),
        "completions_stream": ("POST", "/v1/chat/completions", {
            "model": "assistant", "conversation_id": conversation_id, "stream": True,
            "messages": [{"role": "user", "content": FOLLOW_UP}]}),
        "feedback": ("POST", f"/v1/messages/{message_id}/feedback", {"value": "up"}),
        "delete": ("DELETE", f"/v1/conversations/{conversation_id}", None),
    }


def call(client: httpx.Client | TestClient, method: str, path: str, body: dict[str, Any] | None,
         key: str | None) -> Any:
    """The response (httpx's, or TestClient's own kind)."""
    return client.request(method, path, json=body, headers=auth(key))


def check_matrix(client: httpx.Client | TestClient, services: Services) -> dict[str, dict[str, int]]:
    """Run the matrix; returns {endpoint: {caller: status}} for the report."""
    first = start(client)
    conversation_id, message_id = first["conversation_id"], first["message_id"]
    seen: dict[str, dict[str, int]] = {}
    denied: dict[str, Any] = {}
    for name, (method, path, body) in attempts(conversation_id, message_id).items():
        for caller in ("other", "admin"):
            response = call(client, method, path, body, KEYS[caller])
            seen.setdefault(name, {})[caller] = response.status_code
            assert response.status_code == 404, (name, caller, response.text)
            assert response.json()["error"]["code"] == "not_found"
            denied[f"{name}/{caller}"] = response
    # nothing the others tried reached the conversation
    stored = call(client, "GET", f"/v1/conversations/{conversation_id}", None, OWNER).json()
    assert [m["role"] for m in stored["messages"]] == ["user", "assistant"]
    assert services.conversations.feedback(message_id) == {}
    for caller in ("other", "admin"):
        listed = call(client, "GET", "/v1/conversations", None, KEYS[caller]).json()["conversations"]
        assert conversation_id not in {c["conversation_id"] for c in listed}
    # the owner may do all of it
    for name, (method, path, body) in attempts(conversation_id, message_id).items():
        response = call(client, method, path, body, OWNER)
        seen[name]["owner"] = response.status_code
        assert response.status_code == (204 if name == "delete" else 200), (name, response.text)
        if name == "completions":
            assert response.json()["conversation_id"] == conversation_id and response.json()["message_id"]
        if name in ("continue_stream", "completions_stream"):
            assert '"conversation_id"' in response.text and conversation_id in response.text
    assert services.conversations.feedback(message_id) == {"up": 1}
    # the conversation is gone now: an unknown id answers exactly what the other callers got
    for name, (method, path, body) in attempts(conversation_id, message_id).items():
        if name == "feedback":
            continue  # its message is gone too
        unknown = call(client, method, path, body, OWNER)
        assert unknown.status_code == 404
        for caller in ("other", "admin"):
            assert denied[f"{name}/{caller}"].json() == unknown.json(), (name, caller)
            assert denied[f"{name}/{caller}"].headers.get("content-length") == unknown.headers.get("content-length")
    return seen


# ------------------------------------------------------------------ cross-tenant matrix


def test_cross_tenant_matrix_through_testclient(client: TestClient, services: Services) -> None:
    seen = check_matrix(client, services)
    assert set(seen) == {"read", "continue", "continue_stream", "completions", "completions_stream", "feedback",
                         "delete"}
    assert all(row["owner"] in (200, 204) and row["other"] == row["admin"] == 404 for row in seen.values())


@pytest.mark.slow
def test_cross_tenant_matrix_against_a_real_server_with_the_openai_client(services: Services) -> None:
    with running_server(create_app(services=services)) as url:
        with httpx.Client(base_url=url, timeout=60) as http:
            check_matrix(http, services)
            first = start(http)
        conversation_id = first["conversation_id"]
        for key in (OTHER, ADMIN):
            intruder = openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=30)
            with pytest.raises(openai.NotFoundError):
                intruder.chat.completions.create(model="assistant", messages=[{"role": "user", "content": FOLLOW_UP}],
                                                 extra_body={"conversation_id": conversation_id})
            with pytest.raises(openai.NotFoundError):
                intruder.chat.completions.create(model="assistant", stream=True,
                                                 messages=[{"role": "user", "content": FOLLOW_UP}],
                                                 extra_body={"conversation_id": conversation_id})
        owner = openai.OpenAI(base_url=f"{url}/v1", api_key=OWNER, max_retries=0, timeout=30)
        reply = owner.chat.completions.create(model="assistant", messages=[{"role": "user", "content": FOLLOW_UP}],
                                              extra_body={"conversation_id": conversation_id})
        extra = reply.model_extra or {}
        assert reply.choices[0].message.content and extra["conversation_id"] == conversation_id
        chunks = list(owner.chat.completions.create(model="assistant", stream=True,
                                                    messages=[{"role": "user", "content": FOLLOW_UP}],
                                                    extra_body={"conversation_id": conversation_id}))
        assert chunks[-1].choices[0].finish_reason == "stop"
        assert (chunks[-1].model_extra or {})["conversation_id"] == conversation_id
        stored = httpx.get(f"{url}/v1/conversations/{conversation_id}", headers=auth(OWNER), timeout=30).json()
    assert [m["role"] for m in stored["messages"]] == ["user", "assistant"] * 3
    assert QUESTION in stored["messages"][3]["standalone_question"]  # the stored turns were the history


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


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with fake_slack() as fake:
        yield fake


@pytest.mark.parametrize("keys", [True, False], ids=["with-keys", "without-keys"])
def test_slack_thread_is_not_reachable_through_the_api(settings: Settings, seeded_fake: Ingestor, slack: FakeSlack,
                                                        keys: bool) -> None:
    configured = settings.model_copy(update={"slack_bot_token": SecretStr("xoxb-test"),
                                             "slack_signing_secret": SecretStr(SECRET), "slack_api_url": slack.url})
    services = make_services(configured, seeded_fake, keys=keyring() if keys else None)
    with TestClient(create_app(services=services)) as client:
        assert post_event(client, event_body(f"<@UBOT> {QUESTION}", event_id="EvSec")) == 200
        posted = slack.wait_for("chat.postMessage")[0]
        message_id = posted["blocks"][-1]["elements"][0]["value"]
        with sqlite3.connect(services.conversations.path) as db:
            (conversation_id,) = db.execute("SELECT conversation_id FROM messages WHERE id = ?",
                                            (message_id,)).fetchone()
        assert conversation_id.startswith("slack_")
        callers = list(KEYS.values()) if keys else [None]
        for key in callers:
            for candidate in (conversation_id, "slack:T1:C1:100.1"):  # the real id, and the old guessable one
                assert client.get(f"/v1/conversations/{candidate}", headers=auth(key)).status_code == 404
                assert client.delete(f"/v1/conversations/{candidate}", headers=auth(key)).status_code == 404
                follow = client.post("/v1/chat", headers=auth(key),
                                     json={"question": FOLLOW_UP, "conversation_id": candidate})
                assert follow.status_code == 404
            assert client.post(f"/v1/messages/{message_id}/feedback", json={"value": "up"},
                               headers=auth(key)).status_code == 404
            assert client.get("/v1/conversations", headers=auth(key)).json()["conversations"] == []
        # the thread itself still has its conversation
        post_event(client, event_body(f"<@UBOT> {FOLLOW_UP}", event_id="EvSec2", ts="100.2", thread_ts="100.1"))
        slack.wait_for("chat.postMessage", 2)
        with sqlite3.connect(services.conversations.path) as db:
            count = db.execute("SELECT COUNT(*) FROM messages WHERE conversation_id = ?",
                               (conversation_id,)).fetchone()[0]
    assert count == 4


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


def serve_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    return {**env, "ASSISTANT_DATA_DIR": str(tmp_path / "data"), **extra}


def serve_command(port: int) -> list[str]:
    return [sys.executable, "-m", "assistant.cli", "serve", "--host", "0.0.0.0", "--port", str(port)]


@pytest.mark.slow
def test_serve_refuses_an_open_non_loopback_host(tmp_path: Path) -> None:
    done = subprocess.run(serve_command(free_port()), env=serve_env(tmp_path), capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "ASSISTANT_API_KEYS" in lines[0] and "0.0.0.0" in lines[0], done.stderr


def wait_ready(process: subprocess.Popen[str], url: str) -> None:
    deadline = time.monotonic() + 120
    while True:
        assert process.poll() is None, process.communicate()[1]
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.2)


def stop(process: subprocess.Popen[str]) -> tuple[str, str]:
    process.terminate()
    out, err = process.communicate(timeout=30)
    return out, err


@pytest.mark.slow
@pytest.mark.parametrize("guard", ["override", "keys"])
def test_serve_opens_with_the_override_or_keys(tmp_path: Path, guard: str) -> None:
    port = free_port()
    key = "serve-secret-key"
    extra = {"ASSISTANT_ALLOW_UNAUTHENTICATED": "true"} if guard == "override" else {"ASSISTANT_API_KEYS": key}
    process = subprocess.Popen(serve_command(port), env=serve_env(tmp_path, **extra), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(process, f"{base}/healthz")
        listed = httpx.get(f"{base}/v1/conversations", headers=auth(key if guard == "keys" else None), timeout=30)
        assert listed.status_code == 200 and listed.json() == {"conversations": [], "next_cursor": None}
        if guard == "keys":
            assert httpx.get(f"{base}/v1/conversations", timeout=30).status_code == 401
    finally:
        out, err = stop(process)
    assert "GET /v1/conversations 200" in out  # the request log
    if guard == "keys":
        assert key not in out + err and f"key={'key:' + hash_key(key)[7:19]}" in out
