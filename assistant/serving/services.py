"""Everything a long-running front end (HTTP API, Slack bot) needs, built once and shared."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field

from assistant.answering.chain import AnswerEngine
from assistant.config import Settings
from assistant.ingest.ingestor import Ingestor
from assistant.serving.auth import KeyRing
from assistant.serving.chat import ChatService
from assistant.serving.metrics import Metrics
from assistant.serving.ratelimit import RateLimiter
from assistant.storage.chunks import ChunkStore
from assistant.storage.conversations import ConversationStore

log = logging.getLogger(__name__)
#: an absolute file path in a message (not the path part of a URL)
FILE_PATH = re.compile(r"(?<![\w:/.])/(?:[^\s'\"/]+/)*[^\s'\"/]*")


@dataclass
class Services:
    settings: Settings
    engine: AnswerEngine
    ingestor: Ingestor
    conversations: ConversationStore
    metrics: Metrics
    keys: KeyRing
    limiter: RateLimiter
    chat: ChatService = field(init=False)
    #: one writer at a time; readers never see a half-written article (the store commits per article)
    write_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.chat = ChatService(self.engine, self.conversations, self.metrics, self.settings.max_question_chars,
                                self.settings.max_history_turns)

    @property
    def store(self) -> ChunkStore:
        return self.ingestor.store

    def readiness(self) -> dict[str, str]:
        """Each dependency's state: `ok` or what is wrong, with server file paths left out (the
        log has the whole message)."""
        checks: dict[str, str] = {}
        for name, probe in (("store", self._probe_store), ("embeddings", self._probe_embeddings),
                            ("conversations", self.conversations.ping)):
            try:
                probe()
                checks[name] = "ok"
            except Exception as exc:  # readiness reports, it does not raise
                log.warning("readiness: %s is not ready: %s: %s", name, type(exc).__name__, exc)
                checks[name] = FILE_PATH.sub("<path>", f"{type(exc).__name__}: {exc}")[:300]
        return checks

    def _probe_store(self) -> None:
        self.store.fingerprint()

    def _probe_embeddings(self) -> None:
        if not self.engine.retriever.embeddings.embed_query("ready"):
            raise RuntimeError("the embedding model returned an empty vector")
