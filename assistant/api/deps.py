"""FastAPI dependencies: the shared services, the caller, rate limits, admin rights.

Routes take them as `Annotated` aliases (`services: ServicesDep`, `principal: CallerDep`), as
the FastAPI full-stack template does. Tests override `get_services` (or build the app with their
own `Services`) to inject fakes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.errors import RateLimitedError
from assistant.serving.auth import Principal
from assistant.serving.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def caller(request: Request, services: ServicesDep) -> Principal:
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


CallerDep = Annotated[Principal, Depends(caller)]


def admin(principal: CallerDep, services: ServicesDep) -> Principal:
    services.keys.require_admin(principal)
    return principal


AdminDep = Annotated[Principal, Depends(admin)]
