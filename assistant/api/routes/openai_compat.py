"""OpenAI-compatible chat completions: existing OpenAI clients work with `base_url` pointed here.

The last user message is the question, earlier user/assistant messages are the history (the
client keeps it; nothing is stored). Citations are appended to the text as a source list and
returned in an extra `citations` field. With the extension field `conversation_id` (the openai
client's `extra_body`), the caller's stored conversation comes first in the history and the
exchange is stored in it (`conversation_id` and `message_id` come back as extra fields); another
caller's conversation is 404, as an unknown one.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from fastapi import APIRouter
from sse_starlette import EventSourceResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.api.deps import CallerDep, ServicesDep
from assistant.api.schemas import ChatMessage, CompletionRequest, ErrorResponse
from assistant.errors import AssistantError, InvalidInputError, NotFoundError
from assistant.serving.chat import ChatResult
from assistant.text.tokens import count_tokens
from assistant.types import Answer, Turn

MODEL = "assistant"
CREATED = int(time.time())
router = APIRouter(tags=["openai-compatible"], responses={401: {"model": ErrorResponse},
                                                          422: {"model": ErrorResponse}})


@router.get("/v1/models")
async def models(principal: CallerDep) -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL, "object": "model", "created": CREATED, "owned_by": "assistant"}]}


@router.post("/v1/chat/completions", responses={404: {"model": ErrorResponse,
                                                       "description": "unknown model, or unknown conversation"}})
async def completions(body: CompletionRequest, principal: CallerDep,
                      services: ServicesDep) -> Any:
    if body.model != MODEL:
        raise NotFoundError(f"model {body.model!r} does not exist; use {MODEL!r}")
    question, history = split_messages(body.messages)
    question = services.chat.validate(question, body.k)
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    stored = body.conversation_id
    if not body.stream:
        if stored is None:
            answer = await run_in_threadpool(services.chat.ask_stateless, question, history, body.k)
            return completion(completion_id, answer, body.messages)
        result = await run_in_threadpool(services.chat.ask, question, principal.owner, stored, body.k, None, history)
        return completion(completion_id, result.answer, body.messages, **_ids(result))
    if stored is None:
        return EventSourceResponse(_chunks(completion_id, services.chat.stream_stateless(question, history, body.k)))
    history = [*await run_in_threadpool(services.chat.history, stored, principal.owner), *history]
    return EventSourceResponse(_chunks(completion_id, services.chat.stream(question, principal.owner, stored,
                                                                           history, body.k)))


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


def _ids(result: ChatResult) -> dict[str, Any]:
    return {"conversation_id": result.conversation_id, "message_id": result.message_id}


def completion(completion_id: str, answer: Answer, messages: Sequence[ChatMessage], **extra: Any) -> dict[str, Any]:
    text = answer.answer + sources(answer)
    prompt_tokens = sum(count_tokens(m.text()) for m in messages)
    completion_tokens = count_tokens(text)
    return {"id": completion_id, "object": "chat.completion", "created": int(time.time()), "model": MODEL,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop",
                         "logprobs": None}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
            **_extras(answer), **extra}


def _chunk(completion_id: str, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
    return json.dumps({"id": completion_id, "object": "chat.completion.chunk", "created": int(time.time()),
                       "model": MODEL, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                       **extra}, ensure_ascii=False)


async def _chunks(completion_id: str, stream: Iterator[str | Answer | ChatResult]) -> AsyncIterator[dict[str, str]]:
    yield {"data": _chunk(completion_id, {"role": "assistant", "content": ""})}
    try:
        async for item in iterate_in_threadpool(stream):
            if isinstance(item, Answer | ChatResult):
                answer, extra = (item.answer, _ids(item)) if isinstance(item, ChatResult) else (item, {})
                if answer.citations:
                    yield {"data": _chunk(completion_id, {"content": sources(answer)})}
                yield {"data": _chunk(completion_id, {}, "stop", **_extras(answer), **extra)}
            elif item:
                yield {"data": _chunk(completion_id, {"content": item})}
    except AssistantError as exc:
        yield {"data": json.dumps({"error": {"code": exc.code, "message": str(exc)}}, ensure_ascii=False)}
    yield {"data": "[DONE]"}
