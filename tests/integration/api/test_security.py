"""Who may see what, against real servers: the cross-tenant matrix through a real uvicorn server with
the official openai client, Slack threads (through a fake Slack Web API) out of the API's reach, and
`assistant serve` as a real process, which does not open unguarded."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.config import Settings
from assistant.ingest.ingestor import Ingestor
from assistant.server import create_app
from assistant.serving.auth import hash_key
from assistant.serving.services import Services
from tests.support.fakes import free_port, make_services, running_server
from tests.support.slack_events import SECRET, event_body, post_event
from tests.support.slack_fake import FakeSlack, fake_slack
from tests.support.tenants import ADMIN, FOLLOW_UP, KEYS, OTHER, OWNER, QUESTION, auth, check_matrix, keyring, start


@pytest.fixture
def services(settings: Settings, seeded_fake: Ingestor) -> Services:
    return make_services(settings, seeded_fake, keys=keyring())


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


def serve_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    return {**env, "ASSISTANT_DATA_DIR": str(tmp_path / "data"), **extra}


def serve_command(port: int) -> list[str]:
    return [sys.executable, "-m", "assistant.cli", "serve", "--host", "0.0.0.0", "--port", str(port)]


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
