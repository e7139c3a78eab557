"""Domain errors. Edges (CLI, HTTP API, Slack) translate these; core code raises them."""

from __future__ import annotations

import math


class AssistantError(Exception):
    """Base class of every error the assistant reports to a user."""

    #: a short machine-readable code, used in API error bodies
    code = "assistant_error"


class InvalidInputError(AssistantError):
    """The caller's input is malformed: empty question, k out of range, bad filter…"""

    code = "invalid_input"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(AssistantError):
    """An article, conversation or other named thing does not exist."""

    code = "not_found"


class EmptyStoreError(AssistantError):
    """Retrieval was asked for before anything was ingested."""

    code = "empty_store"


class IngestError(AssistantError):
    """A file could not be read, parsed or indexed; names the file."""

    code = "ingest_error"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UpstreamError(AssistantError):
    """A remote dependency (LLM endpoint, embeddings endpoint, Chroma server) failed."""

    code = "upstream_error"


class ConfigError(AssistantError):
    """The configuration is inconsistent or incomplete."""

    code = "config_error"


class StorageError(AssistantError):
    """Local state (the conversation database) cannot be read or written: locked, read-only, full."""

    code = "storage_unavailable"


class UnsupportedMediaError(InvalidInputError):
    """An upload whose type the assistant cannot read."""

    code = "unsupported_media_type"


class PayloadTooLargeError(InvalidInputError):
    """An upload or request body over the configured limit."""

    code = "payload_too_large"


class AuthError(AssistantError):
    """Missing or unknown credentials."""

    code = "unauthorized"


class ForbiddenError(AuthError):
    """Known credentials that do not allow this action."""

    code = "forbidden"


class RateLimitedError(AssistantError):
    """Too many requests; `retry_after` seconds until the next one is allowed."""

    code = "rate_limited"

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, math.ceil(retry_after))  # whole seconds, as in Retry-After
        super().__init__(f"rate limit exceeded; retry after {self.retry_after} s")
