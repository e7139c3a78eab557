"""Request and response models of the HTTP API (with the examples shown at /docs).

Responses reuse the domain dataclasses (`Citation`, `Hit`, `ArticleRecord`), so a field added
there reaches the API and its schema without a second copy here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from assistant.retrieval.hybrid import MAX_K, MIN_K
from assistant.types import ArticleRecord, Citation, Filters, Hit

CHAT_EXAMPLES: dict[str, dict[str, Any]] = {
    "simplified": {"summary": "Simplified Chinese",
                   "value": {"question": "英伟达因H20禁令计提了多少损失？", "k": 5}},
    "traditional": {"summary": "Traditional Chinese, follow-up in a conversation",
                    "value": {"question": "那華為的昇騰910C呢？", "conversation_id": "conv_…"}},
    "english": {"summary": "English, streamed",
                "value": {"question": "How much HBM3e memory does the H20 have?", "stream": True}},
}


class FilterModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    article_ids: list[str] = Field(default_factory=list, max_length=100, description="only these articles")
    outlets: list[str] = Field(default_factory=list, max_length=100, description="only these outlets")
    since: date | None = Field(default=None, description="only articles published on or after this day "
                               "(YYYY-MM-DD); articles without a known date are left out", examples=["2025-01-01"])
    until: date | None = Field(default=None, description="only articles published on or before this day "
                               "(YYYY-MM-DD); articles without a known date are left out", examples=["2025-12-31"])

    @field_validator("until")
    @classmethod
    def _after_since(cls, until: date | None, info: ValidationInfo) -> date | None:
        since = info.data.get("since")
        if until and since and until < since:
            raise ValueError(f"until ({until}) is before since ({since})")
        return until

    def to_filters(self) -> Filters:
        return Filters(tuple(self.article_ids), tuple(self.outlets), self.since, self.until)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"question": "英伟达因H20禁令计提了多少损失？", "k": 5},
        {"question": "How much HBM3e memory does the H20 have?", "stream": True}]})

    question: str = Field(min_length=1, description="the question, in Simplified, Traditional Chinese or English")
    conversation_id: str | None = Field(default=None, max_length=100, description="continue this conversation")
    k: int | None = Field(default=None, ge=MIN_K, le=MAX_K, description="passages to retrieve")
    filters: FilterModel | None = None
    stream: bool = Field(default=False, description="answer as Server-Sent Events")


class ChatResponse(BaseModel):
    answer: str
    refused: bool
    citations: list[Citation]
    conversation_id: str | None
    message_id: str | None
    timings: dict[str, float]
    conflicts: list[dict[str, Any]] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    backend: str = ""
    language: str = ""
    standalone_question: str = ""


class ConversationSummary(BaseModel):
    conversation_id: str
    created: float
    updated: float = Field(description="time of the last message")
    message_count: int
    first_question: str = Field(description="the conversation's first question, clipped")


class ConversationList(BaseModel):
    conversations: list[ConversationSummary] = Field(description="the caller's own, newest first")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"value": "up"}]})

    value: Literal["up", "down"]


class FeedbackResponse(BaseModel):
    message_id: str
    value: Literal["up", "down"]


class RetrieveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"question": "H20配備的HBM3e容量是多少？", "k": 3},
        {"question": "Which analyst firm expected Nvidia's revenue to shrink?"}]})

    question: str = Field(min_length=1)
    k: int = Field(default=5, ge=MIN_K, le=MAX_K)
    filters: FilterModel | None = None


class RetrieveResponse(BaseModel):
    passages: list[Hit]


class ChunkModel(BaseModel):
    chunk_id: str
    text: str


@dataclass(frozen=True)
class ArticleDetail(ArticleRecord):
    chunks: list[ChunkModel]


class ArticleList(BaseModel):
    articles: list[ArticleRecord]


class UploadResponse(BaseModel):
    status: Literal["added", "updated", "unchanged"]
    article: ArticleRecord


# ------------------------------------------------------------------ OpenAI-compatible


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "user", "assistant", "tool", "developer", "function"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(str(part.get("text", "")) for part in self.content if isinstance(part, dict))
        return self.content or ""


class CompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"model": "assistant", "messages": [{"role": "user", "content": "H20的单价大约是多少？"}]},
        {"model": "assistant", "stream": True, "messages": [
            {"role": "user", "content": "What did Nvidia write down because of the H20 ban?"}]}]})

    model: str = "assistant"
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool = False
    k: int | None = Field(default=None, ge=MIN_K, le=MAX_K, description="extension: passages to retrieve")
    conversation_id: str | None = Field(default=None, max_length=100, description=(
        "extension: continue this stored conversation of the caller's (its turns come before `messages`) "
        "and store the exchange in it"))


class ErrorBody(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody
