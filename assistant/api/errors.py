"""One place that turns errors into HTTP responses: a JSON body, never a stack trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant import errors

log = logging.getLogger(__name__)

STATUS: list[tuple[type[errors.AssistantError], int]] = [  # most specific first
    (errors.UnsupportedMediaError, 415),
    (errors.PayloadTooLargeError, 413),
    (errors.InvalidInputError, 422),
    (errors.IngestError, 422),
    (errors.NotFoundError, 404),
    (errors.ForbiddenError, 403),
    (errors.AuthError, 401),
    (errors.RateLimitedError, 429),
    (errors.EmptyStoreError, 409),
    (errors.StorageError, 503),
    (errors.UpstreamError, 503),
    (errors.ConfigError, 500),
]


def status_of(exc: errors.AssistantError) -> int:
    return next((status for kind, status in STATUS if isinstance(exc, kind)), 500)


def error_response(status: int, code: str, message: str, field: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, object] = {"code": code, "message": message}
    if field:
        body["field"] = field
    return JSONResponse({"error": body}, status_code=status, headers=headers)


async def _domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.AssistantError)
    status = status_of(exc)
    headers: dict[str, str] = {}
    if isinstance(exc, errors.RateLimitedError):
        headers["Retry-After"] = str(exc.retry_after)
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if status >= 500:
        log.warning("%s %s failed: %s", request.method, request.url.path, exc)
    message = str(getattr(exc, "reason", None) or exc) if isinstance(exc, errors.IngestError) else str(exc)
    return error_response(status, exc.code, message, getattr(exc, "field", None), headers)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = exc.errors()
    first = problems[0] if problems else {}
    field = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")) or None
    message = f"{field}: {first.get('msg', 'invalid')}" if field else str(first.get("msg", "invalid request"))
    response = error_response(422, "invalid_input", message, field)
    return response


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return error_response(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "internal error; the server log has the details")


def install(app: FastAPI) -> None:
    app.add_exception_handler(errors.AssistantError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
