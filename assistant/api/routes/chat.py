"""POST /v1/chat (JSON or Server-Sent Events), in the caller's own conversations."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from sse_starlette import EventSourceResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.api.deps import CallerDep, ServicesDep
from assistant.api.schemas import CHAT_EXAMPLES, ChatRequest, ChatResponse, ErrorResponse
from assistant.errors import AssistantError
from assistant.serving.chat import ChatResult
from assistant.serving.services import Services
from assistant.types import Filters, Turn

log = logging.getLogger(__name__)
router = APIRouter(tags=["chat"], responses={401: {"model": ErrorResponse}, 422: {"model": ErrorResponse},
                                              429: {"model": ErrorResponse}})


@router.post("/v1/chat", response_model=ChatResponse, responses={
    200: {"content": {"text/event-stream": {"example": 'event: token\ndata: {"text": "…"}\n\n'
                                            'event: done\ndata: {"answer": "…", "citations": […]}\n\n'}},
          "description": "The answer, or with `stream` an SSE stream of `token` events and one `done` event"},
    404: {"model": ErrorResponse, "description": "unknown conversation"}})
async def chat(request: Request, body: Annotated[ChatRequest, Body(openapi_examples=CHAT_EXAMPLES)],
               principal: CallerDep, services: ServicesDep) -> Any:
    """Answer a question with citations; pass `conversation_id` to ask a follow-up."""
    question = services.chat.validate(body.question, body.k)
    filters = body.filters.to_filters() if body.filters else None
    if not (body.stream or "text/event-stream" in request.headers.get("accept", "")):
        result = await run_in_threadpool(services.chat.ask, question, principal.owner, body.conversation_id,
                                         body.k, filters)
        return result.response()
    history = await run_in_threadpool(services.chat.history, body.conversation_id, principal.owner)
    return EventSourceResponse(_events(services, question, principal.owner, body.conversation_id, history,
                                       body.k, filters))


async def _events(services: Services, question: str, owner: str, conversation_id: str | None,
                  history: list[Turn], k: int | None, filters: Filters | None) -> AsyncIterator[dict[str, str]]:
    try:
        stream = services.chat.stream(question, owner, conversation_id, history, k, filters)
        async for item in iterate_in_threadpool(stream):
            if isinstance(item, ChatResult):
                yield {"event": "done", "data": _json(item.response())}
            elif item:
                yield {"event": "token", "data": _json({"text": item})}
    except AssistantError as exc:
        yield {"event": "error", "data": _json({"error": {"code": exc.code, "message": str(exc)}})}
    except Exception:
        log.exception("chat stream failed")
        yield {"event": "error", "data": _json({"error": {"code": "internal_error", "message": "internal error"}})}


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)

