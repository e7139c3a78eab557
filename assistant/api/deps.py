"""FastAPI dependencies: the shared services, the caller, rate limits, admin rights.

Tests override `get_services` (or build the app with their own `Services`) to inject fakes."""

from __future__ import annotations

from fastapi import Depends, Request

from assistant.errors import RateLimitedError
from assistant.serving.auth import Principal
from assistant.serving.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def caller(request: Request, services: Services = Depends(get_services)) -> Principal:
    """Authenticate (when keys are configured) and spend one token of the caller's rate limit."""
    client = request.client.host if request.client else "unknown"
    principal = services.keys.authenticate(request.headers.get("authorization"), client)
    request.state.key_id = principal.key_id  # for the request log (never the key)
    try:
        services.limiter.take(principal.key_id)
    except RateLimitedError:
        services.metrics.rate_limited.inc()
        raise
    return principal


def admin(principal: Principal = Depends(caller), services: Services = Depends(get_services)) -> Principal:
    services.keys.require_admin(principal)
    return principal
