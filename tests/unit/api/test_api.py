"""The HTTP API through FastAPI's TestClient, with fake embeddings and fake chat models injected."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

from assistant.api import create_app
from assistant.config import Settings
from assistant.ingest.ingestor import Ingestor
from assistant.serving.auth import KeyRing, hash_key
from assistant.serving.ratelimit import RateLimiter
from assistant.serving.services import Services
from tests.support.fakes import PassageAwareFake, failing_llm, make_services

QUESTION = "H20的单价大约是多少？"


@pytest.fixture
def services(settings: Settings, seeded_fake: Ingestor) -> Services:
    return make_services(settings, seeded_fake)


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services)) as test_client:
        yield test_client


def sse_events(body: str) -> list[tuple[str, Any]]:
    events = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line for line in block.split("\n") if line and not line.startswith(":")]
        if not lines:
            continue
        event = next((line[6:].strip() for line in lines if line.startswith("event:")), "message")
        data = "\n".join(line[5:].lstrip() for line in lines if line.startswith("data:"))
        events.append((event, data if data == "[DONE]" else json.loads(data)))
    return events


# ------------------------------------------------------------------ chat


def test_api_chat_answers_with_citations_and_ids(client: TestClient) -> None:
    response = client.post("/v1/chat", json={"question": QUESTION})
    assert response.status_code == 200
    body = response.json()
    assert not body["refused"] and "1.2万美元" in body["answer"]
    assert body["conversation_id"].startswith("conv_") and body["message_id"].startswith("msg_")
    citation = body["citations"][0]
    assert f"[{citation['n']}]" in body["answer"] and "單價" in citation["text"]  # original script kept
    assert {"retrieve", "generate"} <= set(body["timings"])


def test_api_chat_follow_up_uses_history_and_reload_keeps_citations(
        client: TestClient, settings: Settings, seeded_fake: Ingestor) -> None:
    first = client.post("/v1/chat", json={"question": QUESTION}).json()
    follow = client.post("/v1/chat", json={"question": "那它的性能呢？", "conversation_id": first["conversation_id"]})
    assert follow.status_code == 200
    assert QUESTION in follow.json()["standalone_question"]  # condensed with the previous turn
    # a new app over the same data dir (a restart) returns the same turns and citations
    with TestClient(create_app(services=make_services(settings, seeded_fake))) as restarted:
        stored = restarted.get(f"/v1/conversations/{first['conversation_id']}").json()
    roles = [m["role"] for m in stored["messages"]]
    assert roles == ["user", "assistant", "user", "assistant"]
    assert stored["messages"][1]["citations"] == first["citations"]
    assert stored["messages"][1]["message_id"] == first["message_id"]
    assert stored["messages"][3]["content"] == follow.json()["answer"]


def test_api_chat_stream_sends_tokens_then_done(client: TestClient) -> None:
    with client.stream("POST", "/v1/chat", json={"question": QUESTION, "stream": True}) as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        events = sse_events("".join(response.iter_text()))
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "token" and kinds[-1] == "done" and kinds.count("done") == 1
    done = events[-1][1]
    assert done["citations"] and done["conversation_id"] and done["message_id"]
    assert "".join(data["text"] for kind, data in events if kind == "token").strip().startswith("以下")


def test_api_chat_stream_by_accept_header(client: TestClient) -> None:
    with client.stream("POST", "/v1/chat", json={"question": QUESTION},
                       headers={"Accept": "text/event-stream"}) as response:
        events = sse_events("".join(response.iter_text()))
    assert events[-1][0] == "done"


def test_api_chat_stream_with_llm_streams_tokens(settings: Settings, seeded_fake: Ingestor) -> None:
    llm = GenericFakeChatModel(messages=iter(["H20 的单价约 1.2 万美元 [1]。"]))
    with TestClient(create_app(services=make_services(settings, seeded_fake, llm))) as client, \
            client.stream("POST", "/v1/chat", json={"question": QUESTION, "stream": True}) as response:
        events = sse_events("".join(response.iter_text()))
    tokens = [data["text"] for kind, data in events if kind == "token"]
    assert len(tokens) > 3 and "".join(tokens) == "H20 的单价约 1.2 万美元 [1]。"
    assert events[-1][1]["citations"][0]["n"] == 1 and events[-1][1]["backend"] == "fake"


@pytest.mark.parametrize(("payload", "field"), [
    ({"question": ""}, "question"),
    ({"question": "   "}, "question"),
    ({"question": "长" * 2001}, "question"),
    ({"question": QUESTION, "k": 0}, "k"),
    ({"question": QUESTION, "k": 51}, "k"),
    ({"question": QUESTION, "colour": "red"}, "colour"),
    ({}, "question"),
])
def test_api_chat_rejects_bad_input_naming_the_field(client: TestClient, payload: dict[str, Any], field: str) -> None:
    response = client.post("/v1/chat", json=payload)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input" and error["field"] == field and error["message"]


def test_api_chat_malformed_json_is_422(client: TestClient) -> None:
    response = client.post("/v1/chat", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_input"


def test_api_unknown_conversation_is_404(client: TestClient) -> None:
    response = client.post("/v1/chat", json={"question": QUESTION, "conversation_id": "conv_missing"})
    assert response.status_code == 404 and "conv_missing" in response.json()["error"]["message"]
    assert client.get("/v1/conversations/conv_missing").status_code == 404


def test_api_llm_failure_falls_back_and_is_counted(settings: Settings, seeded_fake: Ingestor) -> None:
    services = make_services(settings, seeded_fake, failing_llm())
    with TestClient(create_app(services=services)) as client:
        body = client.post("/v1/chat", json={"question": QUESTION}).json()
        metrics = client.get("/metrics").text
    assert body["backend"] == "extractive-fallback" and body["notices"] and body["citations"]
    assert "assistant_llm_errors_total 1.0" in metrics


def test_api_chat_with_passage_aware_llm_removes_invalid_markers(settings: Settings, seeded_fake: Ingestor) -> None:
    fake = PassageAwareFake(responses=["unused"], prompts_seen=[], keyword="1.2萬")
    with TestClient(create_app(services=make_services(settings, seeded_fake, fake))) as client:
        body = client.post("/v1/chat", json={"question": QUESTION}).json()
    assert "[99]" not in body["answer"] and body["citations"] and "1.2萬" in body["citations"][0]["text"]


# ------------------------------------------------------------------ retrieval, articles


def test_api_retrieve_returns_ranked_passages(client: TestClient) -> None:
    body = client.post("/v1/retrieve", json={"question": QUESTION, "k": 3}).json()
    assert [p["rank"] for p in body["passages"]] == [1, 2, 3]
    assert {"article_id", "chunk_id", "text", "score"} <= set(body["passages"][0])
    filtered = client.post("/v1/retrieve", json={"question": QUESTION, "filters": {
        "article_ids": ["001_281899ef3b77ad6e"]}}).json()
    assert {p["article_id"] for p in filtered["passages"]} == {"001_281899ef3b77ad6e"}


def test_api_articles_list_and_get(client: TestClient) -> None:
    articles = client.get("/v1/articles").json()["articles"]
    assert [a["article_id"][:3] for a in articles] == ["000", "001", "002", "003", "004"]
    detail = client.get("/v1/articles/000_da357fa45bf7326d").json()
    assert detail["chunk_count"] == len(detail["chunks"]) > 0
    missing = client.get("/v1/articles/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_api_upload_is_idempotent_and_delete_removes(client: TestClient) -> None:
    text = "测试新闻标题\n英伟达宣布在成都新建研发中心，投资约12亿元人民币。".encode()
    files = {"file": ("upload_test.txt", text, "text/plain")}
    first = client.post("/v1/articles", files=files)
    assert first.status_code == 201 and first.json()["status"] == "added"
    again = client.post("/v1/articles", files=files)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    changed = client.post("/v1/articles", files={"file": ("upload_test.txt", text + "又一句。".encode(), "text/plain")})
    assert changed.status_code == 200 and changed.json()["status"] == "updated"
    found = client.post("/v1/retrieve", json={"question": "成都研发中心投资多少", "k": 5}).json()
    assert "upload_test" in {p["article_id"] for p in found["passages"]}  # fake embeddings: BM25 finds it
    assert client.delete("/v1/articles/upload_test").status_code == 204
    assert client.get("/v1/articles/upload_test").status_code == 404
    assert client.delete("/v1/articles/upload_test").status_code == 404


@pytest.mark.parametrize(("name", "data", "status"), [
    ("article.pdf", b"%PDF-1.4", 415),
    ("../escape.txt", "正文。".encode(), 422),
    ("/etc/passwd.txt", "正文。".encode(), 422),
    ("empty.txt", b"", 422),
    ("binary.txt", b"\x00\x01\x02\x03" * 100, 422),
    ("bad id!.txt", "正文。".encode(), 422),
])
def test_api_upload_rejects_bad_files(client: TestClient, name: str, data: bytes, status: int) -> None:
    response = client.post("/v1/articles", files={"file": (name, data, "application/octet-stream")})
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"]
    assert len(client.get("/v1/articles").json()["articles"]) == 5


def test_api_upload_over_limit_is_413(settings: Settings, seeded_fake: Ingestor) -> None:
    small = settings.model_copy(update={"max_upload_bytes": 1000})
    with TestClient(create_app(services=make_services(small, seeded_fake))) as client:
        response = client.post("/v1/articles", files={"file": ("big.txt", "字".encode() * 2000, "text/plain")})
    assert response.status_code == 413 and response.json()["error"]["code"] == "payload_too_large"


# ------------------------------------------------------------------ keys, limits, CORS, operations


def test_api_keys_are_required_and_admin_gates_writes(settings: Settings, seeded_fake: Ingestor) -> None:
    keys = KeyRing(f"user-key,{hash_key('hashed-user-key')}", "admin-key")
    with TestClient(create_app(services=make_services(settings, seeded_fake, keys=keys))) as client:
        missing = client.post("/v1/retrieve", json={"question": QUESTION})
        assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == "Bearer"
        assert client.post("/v1/retrieve", json={"question": QUESTION},
                           headers={"Authorization": "Bearer wrong"}).status_code == 401
        for key in ("user-key", "hashed-user-key", "admin-key"):
            assert client.post("/v1/retrieve", json={"question": QUESTION},
                               headers={"Authorization": f"Bearer {key}"}).status_code == 200
        upload = {"file": ("k.txt", "标题\n正文内容。".encode(), "text/plain")}
        forbidden = client.post("/v1/articles", files=upload, headers={"Authorization": "Bearer user-key"})
        assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"
        allowed = client.post("/v1/articles", files=upload, headers={"Authorization": "Bearer admin-key"})
        assert allowed.status_code == 201
        assert client.get("/healthz").status_code == 200  # operations need no key


def test_api_rate_limit_answers_429_with_retry_after(settings: Settings, seeded_fake: Ingestor) -> None:
    services = make_services(settings, seeded_fake, limiter=RateLimiter(per_minute=6, burst=2))
    with TestClient(create_app(services=services)) as client:
        statuses = [client.post("/v1/retrieve", json={"question": QUESTION}).status_code for _ in range(3)]
        limited = client.post("/v1/retrieve", json={"question": QUESTION})
        metrics = client.get("/metrics").text
    assert statuses == [200, 200, 429] and limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1 and limited.json()["error"]["code"] == "rate_limited"
    assert "assistant_rate_limited_total 2.0" in metrics


def test_rate_limiter_refills_over_time() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=1, clock=lambda: now[0])
    limiter.take("a")
    with pytest.raises(Exception, match="retry after"):
        limiter.take("a")
    limiter.take("b")  # buckets are per caller
    now[0] = 1.0
    limiter.take("a")


def test_api_cors_allows_configured_origin(settings: Settings, seeded_fake: Ingestor) -> None:
    configured = settings.model_copy(update={"cors_origins": "https://news.example"})
    with TestClient(create_app(services=make_services(configured, seeded_fake))) as client:
        preflight = client.options("/v1/chat", headers={"Origin": "https://news.example",
                                                        "Access-Control-Request-Method": "POST"})
        other = client.options("/v1/chat", headers={"Origin": "https://evil.example",
                                                    "Access-Control-Request-Method": "POST"})
    assert preflight.headers["access-control-allow-origin"] == "https://news.example"
    assert "access-control-allow-origin" not in other.headers


def test_api_health_ready_and_metrics(client: TestClient, services: Services, tmp_path: Path) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["ready"] is True and set(ready["checks"]) == {"store", "embeddings", "conversations"}
    client.post("/v1/chat", json={"question": QUESTION})
    client.post("/v1/chat", json={"question": "北京今天的天气怎么样？"})
    text = client.get("/metrics").text
    assert 'assistant_http_requests_total{method="POST",route="/v1/chat",status="200"} 2.0' in text
    assert 'assistant_stage_seconds_bucket{le="0.005",stage="retrieve"}' in text
    assert "assistant_refusals_total 1.0" in text
    services.conversations.path = tmp_path / "missing-dir" / "sub" / "db.sqlite"  # unreachable database
    not_ready = client.get("/readyz")
    assert not_ready.status_code == 503 and not_ready.json()["checks"]["conversations"] != "ok"


def test_api_openapi_has_examples_in_both_languages(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    text = json.dumps(schema, ensure_ascii=False)
    assert "英伟达因H20禁令计提了多少损失" in text and "How much HBM3e memory" in text
    assert {"/v1/chat", "/v1/chat/completions", "/v1/models", "/v1/retrieve", "/v1/articles",
            "/v1/articles/{article_id}", "/v1/conversations/{conversation_id}", "/healthz", "/readyz",
            "/metrics"} <= set(schema["paths"])
    assert client.get("/docs").status_code == 200


def test_api_locked_conversation_database_is_503_and_loses_nothing(
        settings: Settings, seeded_fake: Ingestor) -> None:
    import sqlite3

    services = make_services(settings, seeded_fake)
    services.conversations.timeout = 0.2
    with TestClient(create_app(services=services)) as client:
        first = client.post("/v1/chat", json={"question": QUESTION}).json()
        blocker = sqlite3.connect(settings.conversations_path, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            locked = client.post("/v1/chat", json={"question": QUESTION, "conversation_id": first["conversation_id"]})
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert locked.status_code == 503 and locked.json()["error"]["code"] == "storage_unavailable"
        assert "locked" in locked.json()["error"]["message"]
        stored = client.get(f"/v1/conversations/{first['conversation_id']}").json()
    assert [m["role"] for m in stored["messages"]] == ["user", "assistant"]


def test_api_services_can_be_replaced_through_dependency_overrides(
        services: Services, settings: Settings, seeded_fake: Ingestor) -> None:
    from assistant.api.deps import get_services

    fake = PassageAwareFake(responses=["unused"], prompts_seen=[], keyword="1.2萬")
    app = create_app(services=services)
    app.dependency_overrides[get_services] = lambda: make_services(settings, seeded_fake, fake)
    with TestClient(app) as client:
        body = client.post("/v1/chat", json={"question": QUESTION}).json()
    assert body["backend"] == "fake" and fake.prompts_seen and "<passages>" in fake.prompts_seen[0]
