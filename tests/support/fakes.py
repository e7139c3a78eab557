"""Fakes shared by the chain, API and Slack tests: a passage-aware chat model, services over
fake embeddings, and a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel

from assistant.answering.chain import AnswerEngine
from assistant.answering.fake_llm import passages
from assistant.answering.prompts import load_prompts
from assistant.config import Settings
from assistant.ingest.ingestor import Ingestor
from assistant.retrieval.hybrid import HybridRetriever
from assistant.serving.auth import KeyRing
from assistant.serving.metrics import Metrics
from assistant.serving.ratelimit import RateLimiter
from assistant.serving.services import Services
from assistant.storage.conversations import ConversationStore


class PassageAwareFake(FakeListChatModel):
    """Answers from the numbered passages it receives: quotes the first passage that
    mentions `keyword` (default: any passage), cites it, and records every prompt."""

    prompts_seen: list[str]
    keyword: str = "55"

    def _call(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> str:
        prompt = "\n".join(str(m.content) for m in messages)
        self.prompts_seen.append(prompt)
        for passage in passages(prompt):
            if self.keyword in passage.text:
                return f"根据报道，{passage.text.splitlines()[0][:40]}[{passage.n}]。另见[99]。"
        return "抱歉，所收录的文章中没有回答这个问题的信息。"


def quoting(**kw: Any) -> PassageAwareFake:
    """A fake that quotes the first passage holding `keyword` and records every prompt."""
    return PassageAwareFake(responses=["unused"], prompts_seen=[], **kw)


class FailingChatModel(GenericFakeChatModel):
    """A chat model whose every call fails like an unreachable endpoint."""

    error: str = "upstream down"

    def _generate(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError(self.error)


def failing_llm() -> FailingChatModel:
    return FailingChatModel(messages=iter([]))


def break_retrieval(services: Services) -> None:
    """Make every retrieval raise an unexpected (non-domain) error."""
    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("store exploded")

    services.engine.retriever.search = explode  # type: ignore[method-assign]


def make_services(settings: Settings, ingestor: Ingestor, llm: BaseChatModel | None = None,
                  keys: KeyRing | None = None, limiter: RateLimiter | None = None) -> Services:
    """Services over an (already ingested) store, with an optional fake LLM."""
    retriever = HybridRetriever(ingestor.store, ingestor.embeddings, max_question_chars=settings.max_question_chars)
    engine = AnswerEngine(retriever, load_prompts(), llm, llm_name="fake" if llm else "extractive")
    return Services(settings=settings, engine=engine, ingestor=ingestor,
                    conversations=ConversationStore(settings.conversations_path), metrics=Metrics(),
                    keys=keys or KeyRing(None), limiter=limiter or RateLimiter(0, 1))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(app: Any) -> Iterator[str]:
    """Serve `app` with uvicorn on 127.0.0.1 in a thread; yields the base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
