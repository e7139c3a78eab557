"""Ingestion: files → cleaned, chunked, embedded articles in the store, one article at a time."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.errors import AssistantError, IngestError
from assistant.ingest.documents import PreparedArticle, prepare_article
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, RawDocument, load_file
from assistant.models.embeddings import SparseEncoder
from assistant.models.sentence_store import SentenceStore, judged_sentences
from assistant.storage.chunks import ArticleWrite, ChunkStore
from assistant.types import SparseVector

log = logging.getLogger(__name__)
Progress = Callable[[str, int], None]  # (label, chunks just written)
GROUP_CHUNKS = 256  # chunks of consecutive changed articles embedded in one call


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
    group_chunks: int = GROUP_CHUNKS
    sentences: SentenceStore | None = None  # when given, new chunks' sentences are embedded into it

    def fill_sentences(self, articles: Sequence[PreparedArticle]) -> None:
        """Embed the sentences of new chunks for the judge (`judged_sentences`). The articles are
        committed already: a failure here only means the judge embeds them when first needed."""
        if self.sentences is None:
            return
        try:
            self.sentences.fill([s for a in articles for c in a.chunks for s in judged_sentences(c.text)])
        except Exception as exc:  # the sentence vectors are a cache; ingestion has succeeded
            log.warning("sentence vectors not computed at ingest (%s: %s)", type(exc).__name__, exc)

    def prepare(self, raw: RawDocument) -> PreparedArticle:
        return prepare_article(raw, self.chunk_tokens, self.overlap_tokens)

    def write(self, article: PreparedArticle) -> None:
        (vectors, sparse), = self.embed([article])
        self.store.write_article(article.record, article.chunks, vectors, sparse)
        self.fill_sentences([article])

    def embed(self, articles: Sequence[PreparedArticle]) -> list[tuple[list[list[float]], list[SparseVector] | None]]:
        """The chunk vectors of several articles from one embedding call (full batches for a
        remote endpoint), split back per article."""
        texts = [c.search_text for a in articles for c in a.chunks]
        vectors = self.embeddings.embed_documents(texts)
        sparse = self.sparse.sparse_documents(texts) if self.sparse is not None else None
        split, start = [], 0
        for article in articles:
            end = start + len(article.chunks)
            split.append((vectors[start:end], sparse[start:end] if sparse is not None else None))
            start = end
        return split

    def ingest_document(self, raw: RawDocument, report: IngestReport) -> PreparedArticle:
        """Add or replace one article; unchanged content (same version) is skipped."""
        article = self.prepare(raw)
        current = self.store.record(raw.article_id)
        if current is not None and current.version == article.record.version:
            report.unchanged.append(raw.article_id)
            return article
        self.write(article)
        _count(report, article, replaced=current is not None)
        return article

    def ingest_paths(self, paths: Sequence[Path], prune: bool = False,
                     progress: Progress | None = None) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        report.orphans_removed = self.store.remove_orphans()
        files, errors = discover(paths)
        report.failed.extend(errors)
        batch = _Batch(self, report, progress)
        seen: dict[str, str] = {}
        for path in files:
            try:
                raw = load_file(path)
                if raw.article_id in seen:
                    other = seen[raw.article_id]
                    raise IngestError(str(path), f"article id {raw.article_id!r} is also used by {other}")
                seen[raw.article_id] = str(path)
                batch.add(str(path), self.prepare(raw))
            except AssistantError as exc:
                batch.fail(str(path), exc)
        batch.flush()
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


def _count(report: IngestReport, article: PreparedArticle, replaced: bool) -> None:
    (report.updated if replaced else report.added).append(article.record.article_id)
    report.chunks_written += len(article.chunks)


class _Batch:
    """Changed articles waiting for one shared embedding call (about `group_chunks` chunks)."""

    def __init__(self, ingestor: Ingestor, report: IngestReport, progress: Progress | None) -> None:
        self.ingestor, self.report, self.progress = ingestor, report, progress
        self.waiting: list[tuple[str, PreparedArticle, bool]] = []

    def add(self, source: str, article: PreparedArticle) -> None:
        current = self.ingestor.store.record(article.record.article_id)
        if current is not None and current.version == article.record.version:
            self.report.unchanged.append(article.record.article_id)
            self._tick(article.record.article_id, len(article.chunks))
            return
        self.waiting.append((source, article, current is not None))
        if sum(len(a.chunks) for _, a, _ in self.waiting) >= self.ingestor.group_chunks:
            self.flush()

    def flush(self) -> None:
        waiting, self.waiting = self.waiting, []
        if not waiting:
            return
        try:
            embedded = self.ingestor.embed([article for _, article, _ in waiting])
            self.ingestor.store.write_articles([
                ArticleWrite(article.record, article.chunks, vectors, sparse, replaces=replaced)
                for (_, article, replaced), (vectors, sparse) in zip(waiting, embedded, strict=True)])
        except AssistantError as exc:
            for source, _, _ in waiting:
                self.fail(source, exc)
            return
        self.ingestor.fill_sentences([article for _, article, _ in waiting])
        for _, article, replaced in waiting:
            _count(self.report, article, replaced)
            self._tick(article.record.article_id, len(article.chunks))

    def fail(self, source: str, exc: AssistantError) -> None:
        self.report.failed.append((source, str(getattr(exc, "reason", exc))))
        self._tick(Path(source).stem, 0)

    def _tick(self, label: str, chunks: int) -> None:
        if self.progress:
            self.progress(label, chunks)
