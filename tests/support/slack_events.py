"""Signed Slack Events API requests, as Slack sends them to /slack/events."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from fastapi.testclient import TestClient

SECRET = "test-signing-secret"


def signed(body: str, content_type: str = "application/json", timestamp: int | None = None,
           secret: str = SECRET, retry: int | None = None) -> dict[str, str]:
    ts = str(timestamp if timestamp is not None else int(time.time()))
    signature = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": content_type}
    if retry is not None:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return headers


def event_body(text: str, event_id: str = "Ev1", ts: str = "100.1", thread_ts: str | None = None,
               kind: str = "app_mention", **extra: Any) -> str:
    event: dict[str, Any] = {"type": kind, "user": "U1", "text": text, "ts": ts, "channel": "C1", "event_ts": ts,
                             **extra}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return json.dumps({"token": "t", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                       "event_id": event_id, "event_time": int(time.time()), "event": event}, ensure_ascii=False)


def post_event(client: TestClient, body: str, **kwargs: Any) -> int:
    response = client.post("/slack/events", content=body.encode(), headers=signed(body, **kwargs))
    return response.status_code
