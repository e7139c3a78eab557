"""A real uvicorn server on 127.0.0.1: the official openai client, and concurrent requests."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import openai
import pytest

from assistant.api import create_app
from assistant.config import Settings
from assistant.ingest.ingestor import Ingestor
from assistant.serving.services import Services
from tests.support.fakes import make_services, running_server

QUESTION = "H20的单价大约是多少？"


@pytest.fixture
def server(settings: Settings, seeded_fake: Ingestor) -> Iterator[tuple[str, Services]]:
    services = make_services(settings, seeded_fake)
    with running_server(create_app(services=services)) as url:
        yield url, services


@pytest.fixture
def client(server: tuple[str, Services]) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server[0]}/v1", api_key="unused", max_retries=0, timeout=30)


def test_openai_client_lists_the_model(client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list()] == ["assistant"]


def test_openai_client_completion_has_citations(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(model="assistant", messages=[
        {"role": "system", "content": "ignored"}, {"role": "user", "content": QUESTION}])
    text = completion.choices[0].message.content or ""
    assert "1.2万美元" in text and "Sources:" in text and "[1]" in text
    assert completion.choices[0].finish_reason == "stop" and completion.usage and completion.usage.total_tokens > 0
    extra = completion.model_extra or {}
    assert extra["citations"][0]["n"] == 1 and extra["refused"] is False


def test_openai_client_streaming_ends_with_stop(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(model="assistant", stream=True,
                                            messages=[{"role": "user", "content": QUESTION}])
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "1.2万美元" in text and "Sources:" in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert (chunks[-1].model_extra or {})["citations"]


def test_openai_client_history_condenses_follow_up(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(model="assistant", messages=[
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": "约1.2万美元 [1]"},
        {"role": "user", "content": "那它的性能呢？"}])
    assert completion.choices[0].message.content


def test_openai_client_errors_are_openai_errors(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": QUESTION}])
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(model="assistant", messages=[{"role": "assistant", "content": "hi"}])


def test_server_handles_concurrent_chats_and_uploads(server: tuple[str, Services]) -> None:
    url, services = server

    def chat(i: int) -> int:
        return httpx.post(f"{url}/v1/chat", json={"question": QUESTION}, timeout=60).status_code

    def upload(i: int) -> int:
        files = {"file": (f"concurrent_{i}.txt", f"标题{i}\n第{i}篇测试文章的正文。".encode(), "text/plain")}
        return httpx.post(f"{url}/v1/articles", files=files, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        chats = [pool.submit(chat, i) for i in range(12)]
        uploads = [pool.submit(upload, i) for i in range(4)]
        assert [f.result() for f in chats] == [200] * 12
        assert [f.result() for f in uploads] == [201] * 4
    assert len(services.store.article_records()) == 9
    health = httpx.get(f"{url}/healthz", timeout=5)
    assert health.status_code == 200
