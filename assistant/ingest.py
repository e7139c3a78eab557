"""Ingestion: files → cleaned, chunked, embedded articles in the store, one article at a time."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.documents import PreparedArticle, prepare_article
from assistant.embeddings import SparseEncoder
from assistant.errors import AssistantError, IngestError
from assistant.loaders import SUPPORTED_SUFFIXES, RawDocument, load_file
from assistant.store import ChunkStore

Progress = Callable[[str, int], None]  # (label, chunks just written)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks_written: int = 0
    orphans_removed: int = 0
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)

    def summary(self) -> str:
        return (f"{self.articles} articles ({len(self.added)} added, {len(self.updated)} updated, "
                f"{len(self.unchanged)} unchanged, {len(self.removed)} removed, {len(self.failed)} failed), "
                f"{self.chunks_written} chunks written in {self.seconds:.1f} s")


@dataclass
class Ingestor:
    """Prepares, embeds and commits articles; core parts are injected."""

    store: ChunkStore
    embeddings: Embeddings
    sparse: SparseEncoder | None = None
    chunk_tokens: int = 160
    overlap_tokens: int = 40

    def prepare(self, raw: RawDocument) -> PreparedArticle:
        return prepare_article(raw, self.chunk_tokens, self.overlap_tokens)

    def write(self, article: PreparedArticle) -> None:
        texts = [c.search_text for c in article.chunks]
        vectors = self.embeddings.embed_documents(texts)
        sparse = self.sparse.sparse_documents(texts) if self.sparse is not None else None
        self.store.write_article(article.record, article.chunks, vectors, sparse)

    def ingest_document(self, raw: RawDocument, report: IngestReport) -> PreparedArticle:
        """Add or replace one article; unchanged content (same version) is skipped."""
        article = self.prepare(raw)
        current = self.store.record(raw.article_id)
        if current is not None and current.version == article.record.version:
            report.unchanged.append(raw.article_id)
            return article
        self.write(article)
        (report.updated if current is not None else report.added).append(raw.article_id)
        report.chunks_written += len(article.chunks)
        return article

    def ingest_paths(self, paths: Sequence[Path], prune: bool = False,
                     progress: Progress | None = None) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        report.orphans_removed = self.store.remove_orphans()
        files, errors = discover(paths)
        report.failed.extend(errors)
        seen: dict[str, str] = {}
        for path in files:
            try:
                raw = load_file(path)
                if raw.article_id in seen:
                    other = seen[raw.article_id]
                    raise IngestError(str(path), f"article id {raw.article_id!r} is also used by {other}")
                seen[raw.article_id] = str(path)
                article = self.ingest_document(raw, report)
                if progress:
                    progress(raw.article_id, len(article.chunks))
            except AssistantError as exc:
                report.failed.append((str(path), str(getattr(exc, "reason", exc))))
                if progress:
                    progress(path.stem, 0)
        if prune:
            report.removed = self.prune()
        report.seconds = time.perf_counter() - started
        return report

    def prune(self) -> list[str]:
        """Remove articles ingested from files that no longer exist."""
        removed = []
        for article_id, record in sorted(self.store.article_records().items()):
            if record.source and not record.source.startswith("upload:") and not Path(record.source).exists():
                self.store.delete_article(article_id)
                removed.append(article_id)
        return removed


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Article files under the given paths (directories are searched recursively)."""
    files: list[Path] = []
    errors: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()
                                and p.suffix.lower() in SUPPORTED_SUFFIXES
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        elif path.is_file():
            files.append(path)
        else:
            errors.append((str(path), "no such file or directory"))
    return files, errors
