"""Retrieval only, health, readiness and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import CallerDep, ServicesDep
from assistant.api.schemas import ErrorResponse, RetrieveRequest, RetrieveResponse

router = APIRouter()


@router.post("/v1/retrieve", response_model=RetrieveResponse, tags=["retrieval"],
             responses={401: {"model": ErrorResponse}, 422: {"model": ErrorResponse}})
async def retrieve(body: RetrieveRequest, principal: CallerDep,
                   services: ServicesDep) -> dict[str, Any]:
    """The ranked passages for a question, without an answer."""
    question = services.chat.validate(body.question, body.k)
    filters = body.filters.to_filters() if body.filters else None
    hits = await run_in_threadpool(services.engine.retriever.retrieve, question, body.k, filters)
    return {"passages": [h.contract_dict() for h in hits]}


@router.get("/healthz", tags=["operations"])
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", tags=["operations"], responses={503: {"description": "a dependency is not ready"}})
async def readyz(services: ServicesDep) -> JSONResponse:
    """The store answers, the embedding model is loaded and the conversation database is writable."""
    checks = await run_in_threadpool(services.readiness)
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)


@router.get("/metrics", tags=["operations"], response_class=Response)
async def metrics(services: ServicesDep) -> Response:
    """Prometheus text format: requests, latency per route and per answer stage, refusals, LLM errors."""
    return Response(services.metrics.render(), media_type=CONTENT_TYPE_LATEST)
