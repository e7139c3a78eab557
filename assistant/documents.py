"""From a raw document to a prepared article: cleaned text, metadata, chunks with stable ids."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from assistant.chunking import chunk_text
from assistant.cleaning import clean_text, repair_text
from assistant.dates import day_number, from_iso
from assistant.errors import IngestError
from assistant.loaders import RawDocument
from assistant.metadata import extract_metadata
from assistant.textnorm import normalize

# Bump when cleaning, chunking or metadata change, so that re-ingestion rebuilds every article.
PIPELINE_VERSION = "2"


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
class PreparedArticle:
    record: ArticleRecord
    body: str
    chunks: list[ChunkRecord]


def article_version(content_hash: str, max_tokens: int, overlap_tokens: int) -> str:
    key = f"{PIPELINE_VERSION}|{max_tokens}|{overlap_tokens}|{content_hash}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def chunk_id(article_id: str, version: str, ordinal: int) -> str:
    """Stable for unchanged text and settings; names its article."""
    return f"{article_id}:{version[:12]}:{ordinal:04d}"


def prepare_article(raw: RawDocument, max_tokens: int, overlap_tokens: int) -> PreparedArticle:
    repaired = repair_text(raw.text)
    body = clean_text(raw.text)
    if not body.strip():
        raise IngestError(raw.source, "no article text left after cleaning")
    meta = extract_metadata(repaired, body, raw.title_hint, raw.url_hint, author_hint=raw.author_hint,
                            outlet_hint=raw.outlet_hint, published_hint=raw.published_hint)
    version = article_version(raw.content_hash, max_tokens, overlap_tokens)
    pieces = chunk_text(body, max_tokens, overlap_tokens)
    chunks = [
        ChunkRecord(chunk_id(raw.article_id, version, p.ordinal), raw.article_id, p.ordinal, p.text,
                    normalize(p.text), p.tokens)
        for p in pieces
    ]
    record = ArticleRecord(
        article_id=raw.article_id, version=version, content_hash=raw.content_hash, title=meta.title,
        outlet=meta.outlet, author=meta.author, url=meta.url,
        published=meta.published.isoformat() if meta.published else None, script=meta.script, source=raw.source,
        chunk_count=len(chunks),
    )
    return PreparedArticle(record, body, chunks)
