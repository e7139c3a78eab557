"""The Slack bot through signed requests to /slack/events, against a local fake Slack Web API."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.config import Settings
from assistant.ingest.ingestor import Ingestor
from assistant.server import create_app
from assistant.serving.ratelimit import RateLimiter
from assistant.serving.services import Services
from assistant.slack.bot import POLITE, SLOW_DOWN, THINKING, slack_owner
from tests.support.fakes import break_retrieval, failing_llm, make_services
from tests.support.slack_events import SECRET, event_body, post_event, signed
from tests.support.slack_fake import FakeSlack, fake_slack

QUESTION = "H20的单价大约是多少？"


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with fake_slack() as fake:
        yield fake


@pytest.fixture
def services(settings: Settings, slack: FakeSlack, seeded_fake: Ingestor) -> Services:
    configured = settings.model_copy(update={"slack_bot_token": SecretStr("xoxb-test"),
                                             "slack_signing_secret": SecretStr(SECRET), "slack_api_url": slack.url})
    return make_services(configured, seeded_fake)


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services)) as test_client:
        yield test_client


def settle(seconds: float = 1.0) -> None:
    """Give bolt's worker threads time to act on events that must NOT be answered."""
    time.sleep(seconds)


def test_slack_mention_is_answered_in_thread_with_blocks(client: TestClient, slack: FakeSlack) -> None:
    started = time.monotonic()
    assert post_event(client, event_body(f"<@UBOT> {QUESTION}")) == 200
    assert time.monotonic() - started < 3  # acknowledged within Slack's limit
    message = slack.wait_for("chat.postMessage")[0]
    assert message["channel"] == "C1" and message["thread_ts"] == "100.1"
    section, context, actions = message["blocks"]
    assert "1.2万美元" in section["text"]["text"] and "[1]" in section["text"]["text"]
    sources = context["elements"][0]["text"]
    assert sources.startswith("*[1]*") and " — " in sources and "單價" in sources  # original script
    assert [e["action_id"] for e in actions["elements"]] == ["feedback_up", "feedback_down"]
    slack.wait_for("reactions.remove")
    assert slack.of("reactions.add")[0]["name"] == "eyes"


def test_slack_follow_up_in_thread_uses_the_thread_as_history(client: TestClient, slack: FakeSlack,
                                                              services: Services) -> None:
    post_event(client, event_body(f"<@UBOT> {QUESTION}", event_id="Ev1"))
    slack.wait_for("chat.postMessage")
    post_event(client, event_body("<@UBOT> 那它的性能呢？", event_id="Ev2", ts="100.2", thread_ts="100.1"))
    second = slack.wait_for("chat.postMessage", 2)[1]
    assert second["thread_ts"] == "100.1"
    thread = slack_owner("T1", "C1", "100.1")  # a thread owns its conversation, found by the thread
    conversation_id = services.conversations.for_key(thread, thread)
    assert conversation_id.startswith("slack_") and "100.1" not in conversation_id  # not built from the thread
    stored = services.conversations.get(conversation_id, thread)
    assert [m["role"] for m in stored["messages"]] == ["user", "assistant", "user", "assistant"]
    assert QUESTION in stored["messages"][3]["standalone_question"]


def test_slack_retried_event_is_answered_once_even_after_restart(client: TestClient, slack: FakeSlack,
                                                                 services: Services) -> None:
    body = event_body(f"<@UBOT> {QUESTION}", event_id="EvRetry")
    assert post_event(client, body) == 200
    assert post_event(client, body, retry=1) == 200
    slack.wait_for("chat.postMessage")
    with TestClient(create_app(services=services)) as restarted:  # a new bolt app over the same data dir
        assert post_event(restarted, body, retry=2) == 200
    settle()
    assert len(slack.of("chat.postMessage")) == 1


@pytest.mark.parametrize("case", ["bad_signature", "stale_timestamp"])
def test_slack_bad_signature_or_stale_timestamp_is_401(client: TestClient, slack: FakeSlack, case: str) -> None:
    body = event_body(f"<@UBOT> {QUESTION}", event_id=f"Ev-{case}")
    kwargs: dict[str, Any] = {"secret": "wrong"} if case == "bad_signature" else {
        "timestamp": int(time.time()) - 60 * 10}
    assert post_event(client, body, **kwargs) == 401
    settle()
    assert slack.of("chat.postMessage") == []


@pytest.mark.parametrize("extra", [{"bot_id": "B999"}, {"subtype": "bot_message"}, {"user": "UBOT"}])
def test_slack_bot_messages_are_ignored(client: TestClient, slack: FakeSlack, extra: dict[str, Any]) -> None:
    assert post_event(client, event_body(f"<@UBOT> {QUESTION}", event_id="EvBot", **extra)) == 200
    settle()
    assert slack.of("chat.postMessage") == []


def test_slack_direct_message_is_answered(client: TestClient, slack: FakeSlack) -> None:
    post_event(client, event_body(QUESTION, event_id="EvDM", kind="message", channel_type="im"))
    message = slack.wait_for("chat.postMessage")[0]
    assert message["thread_ts"] == "100.1" and "1.2万美元" in message["blocks"][0]["text"]["text"]


def test_slack_unanswerable_question_renders_a_refusal(client: TestClient, slack: FakeSlack) -> None:
    post_event(client, event_body("<@UBOT> 北京今天的天气怎么样？", event_id="EvRefuse"))
    message = slack.wait_for("chat.postMessage")[0]
    text = message["blocks"][0]["text"]["text"]
    assert text.startswith(":information_source:") and "没有" in text
    assert all(b["type"] != "context" for b in message["blocks"])


def test_slack_slash_command_acks_then_posts(client: TestClient, slack: FakeSlack) -> None:
    body = urlencode({"command": "/ask", "text": QUESTION, "channel_id": "C2", "user_id": "U7", "team_id": "T1",
                      "response_url": "https://hooks.slack.invalid/x", "trigger_id": "1.2"})
    started = time.monotonic()
    response = client.post("/slack/events", content=body.encode(),
                           headers=signed(body, "application/x-www-form-urlencoded"))
    assert response.status_code == 200 and time.monotonic() - started < 3
    assert response.json()["text"] == THINKING and response.json()["response_type"] == "ephemeral"
    message = slack.wait_for("chat.postMessage")[0]
    assert message["channel"] == "C2" and any("1.2万美元" in json.dumps(b, ensure_ascii=False)
                                               for b in message["blocks"])


def test_slack_feedback_is_stored_and_counted(client: TestClient, slack: FakeSlack, services: Services) -> None:
    payload = {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1"}, "api_app_id": "A1",
               "token": "t", "trigger_id": "1", "container": {"type": "message", "channel_id": "C1"},
               "channel": {"id": "C1"}, "actions": [{"action_id": "feedback_up", "block_id": "feedback",
                                                     "value": "msg_123", "type": "button", "action_ts": "1"}]}
    body = urlencode({"payload": json.dumps(payload)})
    response = client.post("/slack/events", content=body.encode(),
                           headers=signed(body, "application/x-www-form-urlencoded"))
    assert response.status_code == 200
    bot = client.app.state.slack  # type: ignore[attr-defined]
    deadline = time.monotonic() + 10
    while not bot.state.feedback("msg_123") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert bot.state.feedback("msg_123") == {"up": 1}
    assert 'assistant_feedback_total{channel="slack",value="up"} 1.0' in client.get("/metrics").text


def test_slack_llm_failure_still_answers_with_a_notice(slack: FakeSlack, services: Services,
                                                        seeded_fake: Ingestor) -> None:
    broken = make_services(services.settings, seeded_fake, failing_llm())
    with TestClient(create_app(services=broken)) as client:
        post_event(client, event_body(f"<@UBOT> {QUESTION}", event_id="EvLLM"))
        message = slack.wait_for("chat.postMessage")[0]
    answer = message["blocks"][0]["text"]["text"]
    assert answer.startswith("（语言模型暂时不可用") and "1.2万美元" in answer  # a polite notice, then quotes
    assert "ConnectionError" not in json.dumps(message, ensure_ascii=False)


def test_slack_internal_failure_is_a_polite_reply(slack: FakeSlack, services: Services) -> None:
    break_retrieval(services)
    with TestClient(create_app(services=services)) as client:
        post_event(client, event_body(f"<@UBOT> {QUESTION}", event_id="EvBoom"))
        message = slack.wait_for("chat.postMessage")[0]
    assert message["text"] == POLITE["Hans"] and message["thread_ts"] == "100.1"
    assert "Traceback" not in json.dumps(message)


def test_slack_slash_command_failure_is_an_ephemeral_apology(slack: FakeSlack, services: Services) -> None:
    break_retrieval(services)
    body = urlencode({"command": "/ask", "text": "What is the H20?", "channel_id": "C2", "user_id": "U7",
                      "team_id": "T1", "response_url": "https://hooks.slack.invalid/x", "trigger_id": "1.2"})
    with TestClient(create_app(services=services)) as client:
        client.post("/slack/events", content=body.encode(), headers=signed(body, "application/x-www-form-urlencoded"))
        apology = slack.wait_for("chat.postEphemeral")[0]
    assert apology["user"] == "U7" and apology["text"] == POLITE["Latn"]
    assert slack.of("chat.postMessage") == []


def test_slack_channel_rate_cap_replies_politely(client: TestClient, slack: FakeSlack) -> None:
    bot = client.app.state.slack  # type: ignore[attr-defined]
    bot.channels = RateLimiter(per_minute=1, burst=1)
    post_event(client, event_body(f"<@UBOT> {QUESTION}", event_id="EvA"))
    post_event(client, event_body(f"<@UBOT> {QUESTION}", event_id="EvB", ts="100.5"))
    messages = slack.wait_for("chat.postMessage", 2)
    texts = [m.get("text", "") for m in messages]
    assert any(t.startswith(SLOW_DOWN["Hans"].split("{")[0]) for t in texts)
