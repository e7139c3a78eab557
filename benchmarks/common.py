"""Helpers the benchmark scripts share: ports, a local server, process memory, the raw
embedding rate."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path, port: int, extra_env: dict[str, str] | None = None,
                 ready_path: str = "/readyz") -> subprocess.Popen[bytes]:
    """`assistant serve` on 127.0.0.1:port over `data_dir`, returned once `ready_path` answers 200."""
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_RATE_LIMIT_PER_MINUTE": "0",
           **(extra_env or {})}
    server = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port),
                               "--log-level", "warning"], env=env, cwd=ROOT)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}{ready_path}", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not become ready")


def raw_embedding_rate(model: Any, folder: Path, sample: int | None = None, sentences: bool = False
                       ) -> tuple[float, int]:
    """Chunks/s of the embedding model alone on exactly the texts ingestion embeds from `folder`
    (its first `sample` chunks, or all): the chunks, and with `sentences` their judged sentences
    too (what `ASSISTANT_SENTENCE_VECTORS=ingest` adds, once per distinct sentence), so that the
    ingest/raw ratio measures the pipeline's overhead over the same model work; returns (rate,
    texts embedded). Imports the package lazily, so the benchmarks' step processes pay for it only
    where they measure."""
    from assistant.config import load_settings
    from assistant.ingest.documents import prepare_article
    from assistant.ingest.ingestor import discover
    from assistant.ingest.loaders import load_file
    from assistant.models.sentence_store import judged_sentences

    settings = load_settings()
    chunks: list[Any] = []
    for path in discover([folder])[0]:
        chunks.extend(prepare_article(load_file(path), settings.chunk_tokens, settings.chunk_overlap_tokens).chunks)
        if sample is not None and len(chunks) >= sample:
            break
    chunks = chunks[:sample]
    texts = [c.search_text for c in chunks]
    extra = list(dict.fromkeys(s for c in chunks for s in judged_sentences(c.text))) if sentences else []
    model.embed_documents(texts[:8])  # warm up
    started = time.perf_counter()
    model.embed_documents(texts)
    for start in range(0, len(extra), 256):
        model.embed_documents(extra[start:start + 256])
    return len(texts) / (time.perf_counter() - started), len(texts) + len(extra)
