"""Serving: what the long-running interfaces share — services, chat with conversations, API keys,
rate limits, metrics, the bind rule.

The names below are the stage's public surface. Modules of the project import from the
defining module instead, which keeps the imports acyclic (tests/unit/test_layering.py)."""

from assistant.serving.auth import KeyRing, Principal, hash_key
from assistant.serving.chat import ChatResult, ChatService
from assistant.serving.exposure import check_exposure
from assistant.serving.metrics import Metrics
from assistant.serving.ratelimit import RateLimiter
from assistant.serving.services import Services

__all__ = [
    "ChatResult",
    "ChatService",
    "KeyRing",
    "Metrics",
    "Principal",
    "RateLimiter",
    "Services",
    "check_exposure",
    "hash_key",
]
