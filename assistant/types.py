"""The data types every stage shares: scripts, filters, hits, citations, answers, turns and the
records of articles and chunks. This module imports nothing of the project but its errors (which
import nothing themselves), so any stage can use it (see README, "Architecture")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from assistant.errors import InvalidInputError

Script = Literal["Hans", "Hant", "Latn"]
Role = Literal["user", "assistant"]
SparseVector = dict[int, float]


def day_number(day: date) -> int:
    """20250116 for 2025-01-16: ordered like the days, comparable in a Chroma where filter."""
    return day.year * 10000 + day.month * 100 + day.day


def from_iso(text: str | None) -> date | None:
    """A stored or extracted ISO date (`2025-01-16`, `2025-01-16T08:30:00+08:00`); None if not one."""
    if not text:
        return None
    try:
        return date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Turn:
    role: Role
    content: str


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to some articles, outlets and/or a publication date range (inclusive;
    empty = no restriction). With a date bound, articles without a known date are left out."""

    article_ids: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.until < self.since:
            raise InvalidInputError(f"until ({self.until}) is before since ({self.since})", field="until")

    @property
    def restricts(self) -> bool:
        return bool(self.article_ids or self.outlets or self.since or self.until)

    def allows(self, article_id: str, outlet: str | None, published: str | None = None) -> bool:
        if (self.article_ids and article_id not in self.article_ids) or (self.outlets and outlet not in self.outlets):
            return False
        if not self.since and not self.until:
            return True
        day = from_iso(published)
        return day is not None and (not self.since or day >= self.since) and (not self.until or day <= self.until)


@dataclass(frozen=True)
class ArticleRecord:
    """What the store knows of an article; `version` is the commit marker of its chunks.
    `published` is the publication date as `YYYY-MM-DD` (None when the article gives none)."""

    article_id: str
    version: str
    content_hash: str
    title: str
    outlet: str | None
    author: str | None
    url: str | None
    published: str | None
    script: str
    source: str
    chunk_count: int

    @property
    def published_day(self) -> int | None:
        """The publication date as an integer (20250116), for range filters."""
        day = from_iso(self.published)
        return day_number(day) if day else None

    def metadata(self) -> dict[str, str | int]:
        fields = {
            "article_id": self.article_id, "version": self.version, "content_hash": self.content_hash,
            "title": self.title, "outlet": self.outlet, "author": self.author, "url": self.url,
            "published": self.published, "script": self.script, "source": self.source, "chunk_count": self.chunk_count,
        }
        return {key: value for key, value in fields.items() if value is not None}

    @classmethod
    def from_metadata(cls, meta: dict[str, object]) -> ArticleRecord:
        def text(key: str) -> str | None:
            value = meta.get(key)
            return None if value is None else str(value)

        return cls(
            article_id=str(meta["article_id"]), version=str(meta["version"]),
            content_hash=str(meta.get("content_hash", "")), title=str(meta.get("title", "")),
            outlet=text("outlet"), author=text("author"), url=text("url"), published=text("published"),
            script=str(meta.get("script", "")), source=str(meta.get("source", "")),
            chunk_count=int(str(meta.get("chunk_count", 0))),
        )


@dataclass(frozen=True)
class ChunkRecord:
    """A passage: original text for display, normalised text for search."""

    chunk_id: str
    article_id: str
    ordinal: int
    text: str
    search_text: str
    tokens: int


@dataclass(frozen=True)
class Hit:
    """One retrieved passage, with the evidence of why it ranked where it did."""

    rank: int
    article_id: str
    chunk_id: str
    text: str
    score: float
    title: str
    outlet: str | None
    dense_score: float | None
    legs: dict[str, int | None] = field(default_factory=dict)
    rerank_score: float | None = None  # the rerank stage's score, when it ran
    published: str | None = None  # the article's publication date, YYYY-MM-DD

    def contract_dict(self) -> dict[str, object]:
        """The CLI/eval contract's shape, plus per-leg ranks for diagnosis."""
        return {"rank": self.rank, "article_id": self.article_id, "chunk_id": self.chunk_id,
                "text": self.text, "score": round(self.score, 6), "title": self.title,
                "outlet": self.outlet, "published": self.published, "dense_score": None if self.dense_score is None
                else round(self.dense_score, 6), "legs": self.legs,
                **({} if self.rerank_score is None else {"rerank_score": round(self.rerank_score, 6)})}


@dataclass(frozen=True)
class Citation:
    n: int
    article_id: str
    chunk_id: str
    text: str
    title: str
    outlet: str | None
    published: str | None = None  # the article's publication date, YYYY-MM-DD

    @classmethod
    def from_hit(cls, n: int, hit: Hit) -> Citation:
        return cls(n, hit.article_id, hit.chunk_id, hit.text, hit.title, hit.outlet, hit.published)

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n, "article_id": self.article_id, "chunk_id": self.chunk_id, "text": self.text,
                "title": self.title, "outlet": self.outlet, "published": self.published}


@dataclass(frozen=True)
class Conflict:
    """Different figures for the same kind of quantity, from different articles."""

    unit: str
    values: dict[str, list[int]]  # figure → passage numbers that give it


@dataclass
class Answer:
    question: str
    standalone_question: str
    answer: str
    refused: bool
    language: Script
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Hit] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    invalid_citations: int = 0
    uncited: bool = False
    notices: list[str] = field(default_factory=list)
    backend: str = "extractive"
    relevance: float | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def contract_dict(self) -> dict[str, Any]:
        """The contract's answer object (eval results item without `id`), plus diagnostics."""
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.as_dict() for c in self.citations],
            "retrieved": [h.contract_dict() for h in self.retrieved],
            "standalone_question": self.standalone_question,
            "language": self.language,
            "conflicts": [{"unit": c.unit, "values": c.values} for c in self.conflicts],
            "invalid_citations": self.invalid_citations,
            "uncited": self.uncited,
            "notices": self.notices,
            "backend": self.backend,
            "relevance": None if self.relevance is None else round(self.relevance, 4),
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }
