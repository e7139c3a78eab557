"""The article collection: list, read, upload (admin), delete (admin). The collection is shared by
every caller; sources are shown as file names, never as server paths."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import AdminDep, CallerDep, ServicesDep
from assistant.api.schemas import ArticleDetail, ArticleList, ErrorResponse, UploadResponse
from assistant.errors import InvalidInputError, PayloadTooLargeError
from assistant.ingest.ingestor import IngestReport
from assistant.ingest.loaders import load_bytes, upload_target
from assistant.types import ArticleRecord

router = APIRouter(tags=["articles"], responses={401: {"model": ErrorResponse}, 429: {"model": ErrorResponse}})


def public_source(source: str) -> str:
    """What the API shows of where an article came from: its file name (or the upload's name),
    never a path on the server."""
    return re.split(r"[\\/]", source.removeprefix("upload:"))[-1]


def _record(record: ArticleRecord) -> dict[str, Any]:
    return {**asdict(record), "source": public_source(record.source)}


@router.get("/v1/articles", response_model=ArticleList)
async def list_articles(principal: CallerDep,
                        services: ServicesDep) -> dict[str, Any]:
    records = await run_in_threadpool(services.store.article_records)
    return {"articles": [_record(r) for _, r in sorted(records.items())]}


@router.get("/v1/articles/{article_id}", response_model=ArticleDetail, responses={404: {"model": ErrorResponse}})
async def get_article(article_id: str, principal: CallerDep,
                      services: ServicesDep) -> dict[str, Any]:
    record = await run_in_threadpool(services.store.article, article_id)
    chunks = await run_in_threadpool(services.store.chunks_of, article_id)
    return {**_record(record), "chunks": [{"chunk_id": c.chunk_id, "text": c.text} for c in chunks]}


@router.post("/v1/articles", response_model=UploadResponse, status_code=201, responses={
    200: {"model": UploadResponse, "description": "the article was already there (same content) or was replaced"},
    403: {"model": ErrorResponse}, 413: {"model": ErrorResponse}, 415: {"model": ErrorResponse},
    422: {"model": ErrorResponse}})
async def upload_article(response: Response,
                         file: Annotated[UploadFile, File(description=".txt, .md or .html article")],
                         principal: AdminDep, services: ServicesDep,
                         article_id: Annotated[str | None, Form(description="default: the file name's stem")] = None,
                         ) -> dict[str, Any]:
    """Clean, chunk, embed and index an article; idempotent by content (re-uploading is a no-op)."""
    target_id, suffix = upload_target(file.filename, article_id)
    limit = services.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLargeError(f"the upload is larger than the limit of {limit} bytes")
    if not data.strip():
        raise InvalidInputError("the uploaded file is empty", field="file")
    raw = load_bytes(target_id, data, suffix, source=f"upload:{file.filename}")
    report = IngestReport()

    def ingest() -> ArticleRecord:
        with services.write_lock:
            services.ingestor.ingest_document(raw, report)
            return services.store.article(target_id)

    record = await run_in_threadpool(ingest)
    status = "added" if report.added else "updated" if report.updated else "unchanged"
    if status != "added":
        response.status_code = 200
    return {"status": status, "article": _record(record)}


@router.delete("/v1/articles/{article_id}", status_code=204, responses={404: {"model": ErrorResponse},
                                                                         403: {"model": ErrorResponse}})
async def delete_article(article_id: str, principal: AdminDep,
                         services: ServicesDep) -> Response:
    def delete() -> None:
        with services.write_lock:
            services.store.article(article_id)  # NotFoundError for an unknown id
            services.store.delete_article(article_id)

    await run_in_threadpool(delete)
    return Response(status_code=204)
