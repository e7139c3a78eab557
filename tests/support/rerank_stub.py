"""A local cross-encoder `/rerank` stub (127.0.0.1, random port) in the shapes real servers use:
Jina/Cohere (vLLM, Xinference, Infinity) and text-embeddings-inference's native one."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.stubs import JsonHandler, serving

Scorer = Callable[[str, list[str]], list[float]]


def reverse_order(query: str, documents: list[str]) -> list[float]:
    """Scores that put the documents in the reverse of the order they were sent in."""
    return [float(i) for i in range(len(documents))]


@dataclass
class RerankStubState:
    requests: list[tuple[str, dict[str, str], Any]] = field(default_factory=list)  # path, headers, body
    shape: str = "cohere"  # response shape: "cohere" ({"results": [...]}) or "tei" ([...])
    scorer: Scorer = reverse_order
    delay: float = 0.0  # seconds before answering
    fail_next: int = 0  # answer this many requests with `fail_status`
    fail_status: int = 500
    raw: bytes | None = None  # answer every request with these bytes (malformed responses)


def _handler(state: RerankStubState) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            state.requests.append((self.path, dict(self.headers.items()), body))
            if state.delay:
                time.sleep(state.delay)
            if state.fail_next > 0:
                state.fail_next -= 1
                self._send(state.fail_status, b'{"error": "stub failure"}')
                return
            if state.raw is not None:
                self._send(200, state.raw)
                return
            if not self.path.endswith("/rerank"):
                self._send(404, b'{"error": "not found"}')
                return
            documents = body.get("documents", body.get("texts", []))
            scores = state.scorer(body.get("query", ""), documents)
            order = sorted(range(len(documents)), key=lambda i: -scores[i])
            if state.shape == "tei":
                payload: Any = [{"index": i, "score": scores[i]} for i in order]
            else:
                top = body.get("top_n") or len(documents)
                payload = {"id": "stub", "model": body.get("model"),
                           "results": [{"index": i, "relevance_score": scores[i]} for i in order[:top]]}
            self._json(200, payload)

    return Handler


@contextmanager
def rerank_stub(state: RerankStubState | None = None) -> Iterator[tuple[str, RerankStubState]]:
    """Yields (base_url, state) of a running stub (`http://127.0.0.1:PORT`); stops it afterwards."""
    state = state or RerankStubState()
    with serving(_handler(state)) as port:
        yield f"http://127.0.0.1:{port}", state
