"""Ingest: files to stored articles — loaders (txt/md/html via trafilatura), cleaning, news
metadata, chunking, embedding, the commit protocol.

The names below are the stage's public surface. Modules of the project import from the
defining module instead, which keeps the imports acyclic (tests/unit/test_layering.py)."""

from assistant.ingest.documents import PreparedArticle, prepare_article
from assistant.ingest.ingestor import Ingestor, IngestReport, discover
from assistant.ingest.loaders import RawDocument, load_bytes, load_file
from assistant.ingest.metadata import display_title, extract_metadata

__all__ = [
    "IngestReport",
    "Ingestor",
    "PreparedArticle",
    "RawDocument",
    "discover",
    "display_title",
    "extract_metadata",
    "load_bytes",
    "load_file",
    "prepare_article",
]
