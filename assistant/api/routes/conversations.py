"""The caller's own conversations: list, read, delete, and feedback on an answer.

Every route names the caller's owner to the store; another owner's conversation or message
answers 404 with exactly the body of an unknown id."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import CallerDep, ServicesDep
from assistant.api.schemas import ConversationList, ErrorResponse, FeedbackRequest, FeedbackResponse
from assistant.storage.conversations import MAX_PAGE

router = APIRouter(tags=["conversations"], responses={401: {"model": ErrorResponse}, 429: {"model": ErrorResponse}})
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse,
                                                    "description": "unknown, or not the caller's"}}


@router.get("/v1/conversations", response_model=ConversationList, responses={422: {"model": ErrorResponse}})
async def list_conversations(
        principal: CallerDep, services: ServicesDep,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="conversations per page")] = 20,
        cursor: Annotated[str | None, Query(max_length=200, description="`next_cursor` of the previous page")] = None,
) -> dict[str, Any]:
    """The caller's conversations, newest first (by creation), `limit` a page; follow `next_cursor`."""
    return await run_in_threadpool(services.conversations.list_page, principal.owner, limit, cursor)


@router.get("/v1/conversations/{conversation_id}", responses=NOT_FOUND)
async def conversation(conversation_id: str, principal: CallerDep,
                       services: ServicesDep) -> dict[str, Any]:
    """The stored turns, each answer with its citations exactly as first returned."""
    return await run_in_threadpool(services.conversations.get, conversation_id, principal.owner)


@router.delete("/v1/conversations/{conversation_id}", status_code=204, responses=NOT_FOUND)
async def delete_conversation(conversation_id: str, principal: CallerDep,
                              services: ServicesDep) -> Response:
    """Delete the conversation and its messages (feedback counts stay; they hold no text)."""
    await run_in_threadpool(services.conversations.delete, conversation_id, principal.owner)
    return Response(status_code=204)


@router.post("/v1/messages/{message_id}/feedback", response_model=FeedbackResponse,
             responses={**NOT_FOUND, 422: {"model": ErrorResponse}})
async def feedback(message_id: str, body: FeedbackRequest, principal: CallerDep,
                   services: ServicesDep) -> dict[str, Any]:
    """👍/👎 on one of the caller's answers (its `message_id`); a second vote replaces the first."""
    await run_in_threadpool(services.conversations.record_feedback, message_id, principal.owner, body.value)
    services.metrics.feedback.labels("api", body.value).inc()
    return {"message_id": message_id, "value": body.value}
