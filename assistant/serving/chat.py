"""Conversations around the answer engine: load history, answer, store the exchange.

Shared by the HTTP API and the Slack bot so that both record the same things. The stored
payload of an answer is exactly what the caller received (text, citations, refusal), so a
reloaded conversation cites the same passages. Every call names the owner (see
`assistant.conversations`): a conversation is read and continued only by its owner.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.answering.chain import AnswerEngine
from assistant.retrieval.hybrid import validate_query
from assistant.serving.metrics import Metrics
from assistant.storage.conversations import ConversationStore
from assistant.types import Answer, Filters, Turn


@dataclass(frozen=True)
class ChatResult:
    answer: Answer
    conversation_id: str | None
    message_id: str | None

    def payload(self) -> dict[str, Any]:
        """What is stored with the answer and returned by the API."""
        a = self.answer
        return {"refused": a.refused, "citations": [c.as_dict() for c in a.citations],
                "conflicts": [{"unit": c.unit, "values": c.values} for c in a.conflicts],
                "notices": a.notices, "backend": a.backend, "language": a.language,
                "standalone_question": a.standalone_question}

    def response(self) -> dict[str, Any]:
        return {"answer": self.answer.answer, **self.payload(), "conversation_id": self.conversation_id,
                "message_id": self.message_id, "timings": {k: round(v, 4) for k, v in self.answer.timings.items()}}


class ChatService:
    def __init__(self, engine: AnswerEngine, conversations: ConversationStore, metrics: Metrics,
                 max_question_chars: int = 2000, max_history_turns: int = 20) -> None:
        self.engine = engine
        self.conversations = conversations
        self.metrics = metrics
        self.max_question_chars = max_question_chars
        self.max_history_turns = max_history_turns

    def validate(self, question: str, k: int | None) -> str:
        return validate_query(question, self.engine.k if k is None else k, self.max_question_chars)

    def history(self, conversation_id: str | None, owner: str) -> list[Turn]:
        """The stored turns of `owner`'s conversation (NotFoundError if unknown or another
        owner's); none for a new one."""
        if conversation_id is None:
            return []
        return self.conversations.history(conversation_id, owner, self.max_history_turns)

    def ask(self, question: str, owner: str, conversation_id: str | None = None, k: int | None = None,
            filters: Filters | None = None, earlier: Sequence[Turn] = ()) -> ChatResult:
        """Answer and store the exchange in `owner`'s conversation (a new one when None); `earlier`
        turns sent by the caller follow the stored ones."""
        question = self.validate(question, k)
        history = [*self.history(conversation_id, owner), *earlier]
        return self.record(conversation_id, self.engine.answer(question, history, k, filters), owner)

    def ask_stateless(self, question: str, history: Sequence[Turn], k: int | None = None,
                      filters: Filters | None = None) -> Answer:
        """An answer that is not stored (the OpenAI-compatible endpoint: the client keeps the history)."""
        answer = self.engine.answer(self.validate(question, k), history, k, filters)
        self.observe(answer)
        return answer

    def stream(self, question: str, owner: str, conversation_id: str | None, history: Sequence[Turn],
               k: int | None = None, filters: Filters | None = None) -> Iterator[str | ChatResult]:
        """Text deltas, then the stored ChatResult (call `validate` and `history` first)."""
        for item in self.engine.stream(question, history, k, filters):
            if isinstance(item, Answer):
                yield self.record(conversation_id, item, owner)
            else:
                yield item

    def stream_stateless(self, question: str, history: Sequence[Turn], k: int | None = None,
                         filters: Filters | None = None) -> Iterator[str | Answer]:
        for item in self.engine.stream(question, history, k, filters):
            if isinstance(item, Answer):
                self.observe(item)
            yield item

    def record(self, conversation_id: str | None, answer: Answer, owner: str) -> ChatResult:
        """Store the exchange in `owner`'s conversation (a new one when `conversation_id` is None)."""
        self.observe(answer)
        conversation_id = conversation_id or self.conversations.create(owner)
        result = ChatResult(answer, conversation_id, None)
        message_id = self.conversations.append_exchange(conversation_id, owner, answer.question, answer.answer,
                                                        result.payload())
        return ChatResult(answer, conversation_id, message_id)

    def observe(self, answer: Answer) -> None:
        self.metrics.observe_answer(answer.backend, answer.refused, answer.timings, answer.notices)
