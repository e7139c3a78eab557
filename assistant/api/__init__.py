"""The HTTP API (FastAPI): chat, OpenAI-compatible chat completions, articles, operations."""

from assistant.api.app import create_app

__all__ = ["create_app"]
