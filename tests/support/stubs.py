"""A local OpenAI-compatible stub server (127.0.0.1, random port) for embeddings and chat, and the
threaded HTTP server scaffolding the other stubs share (`serving`)."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def stub_vector(text: str, dim: int = 16) -> list[float]:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    raw = [b / 255.0 - 0.5 for b in digest[:dim]]
    norm = sum(x * x for x in raw) ** 0.5 or 1.0
    return [x / norm for x in raw]


ChatHandler = Callable[[dict[str, Any]], str]


@dataclass
class StubState:
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    fail_next: int = 0  # answer this many requests with HTTP 500
    fail_every: int = 0  # and every n-th request too (0 = never)
    delay: float = 0.0  # seconds to sleep before answering
    chat: ChatHandler = lambda body: "stub answer [1]"
    broken_stream: bool = False
    dim: int = 16


class JsonHandler(BaseHTTPRequestHandler):
    """A quiet HTTP/1.1 handler that answers with JSON (the stubs' common part)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload).encode())


def _handler(state: StubState) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            state.requests.append((self.path, body))
            if state.delay:
                time.sleep(state.delay)
            if state.fail_next > 0 or (state.fail_every and len(state.requests) % state.fail_every == 0):
                state.fail_next = max(0, state.fail_next - 1)
                self._json(500, {"error": {"message": "stub failure", "type": "server_error"}})
                return
            if self.path.endswith("/embeddings"):
                inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
                data = [{"object": "embedding", "index": i, "embedding": stub_vector(t, state.dim)}
                        for i, t in enumerate(inputs)]
                self._json(200, {"object": "list", "data": data, "model": body.get("model", "stub"),
                                 "usage": {"prompt_tokens": 1, "total_tokens": 1}})
            elif self.path.endswith("/chat/completions"):
                self._chat(body)
            else:
                self._json(404, {"error": {"message": "not found"}})

        def _chat(self, body: dict[str, Any]) -> None:
            text = state.chat(body)
            if not body.get("stream"):
                self._json(200, {"id": "stub-1", "object": "chat.completion", "created": 0,
                                 "model": body.get("model", "stub"),
                                 "choices": [{"index": 0, "finish_reason": "stop",
                                              "message": {"role": "assistant", "content": text}}],
                                 "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            pieces = [text[i:i + 4] for i in range(0, len(text), 4)]
            for index, piece in enumerate(pieces):
                chunk = {"id": "stub-1", "object": "chat.completion.chunk", "created": 0,
                         "model": body.get("model", "stub"),
                         "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
                if state.broken_stream and index == 1:
                    self.wfile.write(b"data: {not json\n\n")
                    self.wfile.flush()
                    self.close_connection = True
                    return
            self.wfile.write(b"data: [DONE]\n\n")
            self.close_connection = True

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out on purpose close the socket under us


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[int]:
    """Serve `handler` on 127.0.0.1 (a free port) in a thread; yields the port, stops it afterwards."""
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def openai_stub(state: StubState | None = None) -> Iterator[tuple[str, StubState]]:
    """Yields (base_url, state) of a running stub; stops it afterwards."""
    state = state or StubState()
    with serving(_handler(state)) as port:
        yield f"http://127.0.0.1:{port}/v1", state
