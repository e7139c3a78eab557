"""A local fake of the Slack Web API on 127.0.0.1: records every call, answers like Slack."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl

from tests.support.stubs import JsonHandler, serving

BOT_USER = "UBOT"


@dataclass
class FakeSlack:
    url: str = ""
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def of(self, method: str) -> list[dict[str, Any]]:
        with self.lock:
            return [params for name, params in self.calls if name == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 30.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.of(method)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{method} called {len(self.of(method))} times, expected {count}: {self.calls}")
            time.sleep(0.05)
        return self.of(method)


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
            method = self.path.rsplit("/", 1)[-1]
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
            if "json" in self.headers.get("Content-Type", ""):
                params: dict[str, Any] = json.loads(raw or "{}")
            else:
                params = dict(parse_qsl(raw))
                if isinstance(params.get("blocks"), str):
                    params["blocks"] = json.loads(params["blocks"])
            with fake.lock:
                fake.calls.append((method, params))
            reply: dict[str, Any] = {"ok": True}
            if method == "auth.test":
                reply |= {"user_id": BOT_USER, "bot_id": "BBOT", "team_id": "T1", "user": "assistant",
                          "url": "https://example.slack.com/"}
            elif method in ("chat.postMessage", "chat.postEphemeral"):
                reply |= {"channel": params.get("channel"), "ts": f"{time.time():.6f}", "message_ts": "1.0"}
            self._json(200, reply)

    return Handler


@contextmanager
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    with serving(_handler(fake)) as port:
        fake.url = f"http://127.0.0.1:{port}/api/"
        yield fake
