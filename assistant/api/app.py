"""The FastAPI application: routers, error handlers, CORS, request metrics and logs, upload size guard.

`assistant.server.create_app` is this app with the Slack endpoint beside it (what `assistant serve` runs)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from assistant import __version__
from assistant.api import errors
from assistant.api.routes import articles, chat, conversations, openai_compat, ops
from assistant.api.uploadlimit import UploadLimit
from assistant.config import Settings, load_settings
from assistant.serving.services import Services

request_log = logging.getLogger("assistant.api.requests")

DESCRIPTION = """Answers questions about a collection of news articles, grounded in cited passages.

* `POST /v1/chat` — an answer with `[n]` citations (JSON, or Server-Sent Events with `stream`).
* `POST /v1/chat/completions` — OpenAI-compatible; point any OpenAI client's `base_url` here, model `assistant`.
* `/v1/conversations` — the caller's own conversations (list, read, delete); another caller's are 404.
* `/v1/articles` — the collection; uploads and deletes need an admin key when keys are configured.

问题可以用简体中文、繁體中文或英文提出；回答使用提问的语言。
"""


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """The app over `services` (built from `settings` when not given; tests pass their own)."""
    if services is None:
        from assistant.factory import build_services

        services = build_services(settings or load_settings())
    app = FastAPI(title="assistant", version=__version__, description=DESCRIPTION)
    app.state.services = services
    errors.install(app)
    for module in (chat, conversations, openai_compat, articles, ops):
        app.include_router(module.router)
    origins = services.settings.cors_origin_list
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["*"],
                           allow_headers=["Authorization", "Content-Type", "Accept"],
                           allow_credentials="*" not in origins)
    _instrument(app, services)
    return app


def _instrument(app: FastAPI, services: Services) -> None:
    @app.middleware("http")
    async def observe(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        _count(services, request, response, started)
        return response

    def refused() -> None:
        services.metrics.requests.labels("POST", "/v1/articles", "413").inc()

    limit = services.settings.max_upload_bytes
    app.add_middleware(UploadLimit, limit=limit + 64 * 1024,  # room for the multipart framing
                       path="/v1/articles", shown_limit=limit, on_refuse=refused)


def _count(services: Services, request: Request, response: Response, started: float) -> None:
    route = request.scope.get("route")
    template = getattr(route, "path", None) or "unmatched"
    seconds = time.perf_counter() - started
    services.metrics.requests.labels(request.method, template, str(response.status_code)).inc()
    services.metrics.request_seconds.labels(template).observe(seconds)
    # the caller is its key id (set once authenticated), never the key; the path without its query
    request_log.info("%s %s %s %d %.1fms key=%s", request.client.host if request.client else "-",
                     request.method, request.url.path, response.status_code, seconds * 1000,
                     getattr(request.state, "key_id", "-"))
