"""OpenAI-compatible chat completions: existing OpenAI clients work with `base_url` pointed here.

The last user message is the question, earlier user/assistant messages are the history (the
client keeps it; nothing is stored). Citations are appended to the text as a source list and
returned in an extra `citations` field.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

from fastapi import APIRouter, Depends
from sse_starlette import EventSourceResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.answer import Answer
from assistant.api.deps import caller, get_services
from assistant.api.keys import Principal
from assistant.api.schemas import ChatMessage, CompletionRequest, ErrorResponse
from assistant.condense import Turn
from assistant.errors import AssistantError, InvalidInputError, NotFoundError
from assistant.services import Services
from assistant.tokens import count_tokens

MODEL = "assistant"
CREATED = int(time.time())
router = APIRouter(tags=["openai-compatible"], responses={401: {"model": ErrorResponse},
                                                          422: {"model": ErrorResponse}})


@router.get("/v1/models")
async def models(principal: Principal = Depends(caller)) -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL, "object": "model", "created": CREATED, "owned_by": "assistant"}]}


@router.post("/v1/chat/completions", responses={404: {"model": ErrorResponse, "description": "unknown model"}})
async def completions(body: CompletionRequest, principal: Principal = Depends(caller),
                      services: Services = Depends(get_services)) -> Any:
    if body.model != MODEL:
        raise NotFoundError(f"model {body.model!r} does not exist; use {MODEL!r}")
    question, history = split_messages(body.messages)
    question = services.chat.validate(question, body.k)
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    if not body.stream:
        answer = await run_in_threadpool(services.chat.ask_stateless, question, history, body.k)
        return completion(completion_id, answer, body.messages)
    return EventSourceResponse(_chunks(services, completion_id, question, history, body.k))


def split_messages(messages: Sequence[ChatMessage]) -> tuple[str, list[Turn]]:
    """(last user message, earlier user/assistant turns); system messages are ignored."""
    last_user = next((i for i in range(len(messages) - 1, -1, -1) if messages[i].role == "user"), None)
    if last_user is None:
        raise InvalidInputError("messages must contain a user message", field="messages")
    history = [Turn("user" if m.role == "user" else "assistant", m.text())
               for m in messages[:last_user] if m.role in ("user", "assistant") and m.text().strip()]
    return messages[last_user].text(), history


def sources(answer: Answer) -> str:
    if not answer.citations:
        return ""
    lines = [f"[{c.n}] {c.title} — {c.outlet or 'unknown outlet'} ({c.article_id})" for c in answer.citations]
    return "\n\nSources:\n" + "\n".join(lines)


def _extras(answer: Answer) -> dict[str, Any]:
    return {"citations": [c.as_dict() for c in answer.citations], "refused": answer.refused,
            "notices": answer.notices}


def completion(completion_id: str, answer: Answer, messages: Sequence[ChatMessage]) -> dict[str, Any]:
    text = answer.answer + sources(answer)
    prompt_tokens = sum(count_tokens(m.text()) for m in messages)
    completion_tokens = count_tokens(text)
    return {"id": completion_id, "object": "chat.completion", "created": int(time.time()), "model": MODEL,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop",
                         "logprobs": None}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
            **_extras(answer)}


def _chunk(completion_id: str, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
    return json.dumps({"id": completion_id, "object": "chat.completion.chunk", "created": int(time.time()),
                       "model": MODEL, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                       **extra}, ensure_ascii=False)


async def _chunks(services: Services, completion_id: str, question: str, history: list[Turn],
                  k: int | None) -> AsyncIterator[dict[str, str]]:
    yield {"data": _chunk(completion_id, {"role": "assistant", "content": ""})}
    try:
        async for item in iterate_in_threadpool(services.chat.stream_stateless(question, history, k)):
            if isinstance(item, Answer):
                if item.citations:
                    yield {"data": _chunk(completion_id, {"content": sources(item)})}
                yield {"data": _chunk(completion_id, {}, "stop", **_extras(item))}
            elif item:
                yield {"data": _chunk(completion_id, {"content": item})}
    except AssistantError as exc:
        yield {"data": json.dumps({"error": {"code": exc.code, "message": str(exc)}}, ensure_ascii=False)}
    yield {"data": "[DONE]"}
