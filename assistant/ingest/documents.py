"""From a raw document to a prepared article: cleaned text, metadata, chunks with stable ids."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from assistant.errors import IngestError
from assistant.ingest.cleaning import clean_text, repair_text
from assistant.ingest.loaders import RawDocument
from assistant.ingest.metadata import extract_metadata
from assistant.text.chunking import chunk_text
from assistant.text.normalize import normalize
from assistant.types import ArticleRecord, ChunkRecord

# Bump when cleaning, chunking or metadata change, so that re-ingestion rebuilds every article.
PIPELINE_VERSION = "5"


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
